"""StoryMint's client: 403 quota vs plan; bytes, an unretried GET and SSE come from net."""

from __future__ import annotations

import re
from typing import Any

from studio.net.errors import NetError
from studio.providers.errors import ForbiddenError, ProviderError, QuotaError
from studio.providers.http import ProviderStreamingClient

_QUOTA = re.compile(r"quota|exceed|reached|used up|\blimit\b|books? (this|per) month", re.I)


class StoryMintClient(ProviderStreamingClient):
    """The shared streaming client, with StoryMint's reading of a 403."""

    def convert(self, error: NetError) -> ProviderError:
        """StoryMint answers 403 both for a used-up quota and for a plan without the feature."""
        mapped = super().convert(error)
        if type(mapped) is not ForbiddenError:
            return mapped
        kwargs: dict[str, Any] = {"status": mapped.status, "trace_id": mapped.trace_id}
        if _QUOTA.search(mapped.message):
            return QuotaError(
                mapped.message.replace("refused access", "says the monthly quota is used up"),
                **kwargs,
            )
        return ForbiddenError(
            mapped.message.replace("refused access", "says your plan does not include this"),
            **kwargs,
        )
