"""ComfyUI's client: a 400 from ``/prompt`` names the node, input and model at fault."""

from __future__ import annotations

import json
from typing import Any

from studio.net.errors import HttpStatusError, NetError
from studio.providers.comfyui.parse import prompt_error
from studio.providers.errors import ProviderError
from studio.providers.http import ProviderClient


class ComfyClient(ProviderClient):
    """ProviderClient whose 400 answers to ``/prompt`` name the node, input and model."""

    def convert(self, error: NetError) -> ProviderError:
        mapped = super().convert(error)
        if not isinstance(error, HttpStatusError) or getattr(error, "status", None) != 400:
            return mapped
        body: Any = error.body
        if isinstance(body, (bytes, str)):
            try:
                body = json.loads(body)
            except ValueError:
                return mapped
        better = prompt_error(body) if isinstance(body, dict) else None
        if better is None:
            return mapped
        better.status = 400
        return better
