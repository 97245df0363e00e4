"""ComfyUI's ApiClient: a 400 from ``/prompt`` names the node, input and model at fault."""

from __future__ import annotations

import json
from typing import Any

from studio.net.client import ApiClient
from studio.providers.comfyui.parse import prompt_error
from studio.providers.errors import ProviderError


class ComfyClient(ApiClient):
    """ApiClient whose 400 answers to ``/prompt`` name the node, input and model at fault."""

    def _error(self, response: Any, *, asset: bool = False) -> ProviderError:
        error = super()._error(response, asset=asset)
        if asset or response.status_code != 400:
            return error
        try:
            body = json.loads(response.content)
        except ValueError:
            return error
        better = prompt_error(body)
        if better is None:
            return error
        better.status = 400
        return better
