"""Which providers exist, how to build one, and where its base URL and key come from."""

from __future__ import annotations

import importlib
import importlib.util
import os
from dataclasses import dataclass

from studio import secrets
from studio.providers.base import Capabilities, Provider
from studio.settings import Settings, load_settings


@dataclass(frozen=True)
class ProviderInfo:
    id: str
    name: str
    module: str
    cls: str
    default_base_url: str
    env_base_url: str

    def load_class(self) -> type[Provider]:
        module = importlib.import_module(self.module)
        return getattr(module, self.cls)  # type: ignore[no-any-return]

    @property
    def capabilities(self) -> Capabilities:
        return self.load_class().capabilities


PROVIDERS: dict[str, ProviderInfo] = {
    p.id: p
    for p in (
        ProviderInfo(
            "local", "Offline renderer", "studio.providers.local", "LocalProvider", "", ""
        ),
        ProviderInfo(
            "llamagen",
            "LlamaGen",
            "studio.providers.llamagen.provider",
            "LlamaGenProvider",
            "https://api.llamagen.ai/v1",
            "LLAMAGEN_BASE_URL",
        ),
        ProviderInfo(
            "storymint",
            "StoryMint",
            "studio.providers.storymint.provider",
            "StoryMintProvider",
            "https://felice-uninterrupted-vicente.ngrok-free.dev",
            "STORYMINT_BASE_URL",
        ),
        ProviderInfo(
            "animus",
            "Animus",
            "studio.providers.animus.provider",
            "AnimusProvider",
            "https://api.animusai.co/v2",
            "ANIMUS_BASE_URL",
        ),
        ProviderInfo(
            "depicta",
            "Depicta",
            "studio.providers.depicta.provider",
            "DepictaProvider",
            "https://api.depicta.ai",
            "DEPICTA_BASE_URL",
        ),
        ProviderInfo(
            "cartoonicate",
            "Cartoonicate",
            "studio.providers.cartoonicate.provider",
            "CartoonicateProvider",
            "https://cartoonicate.com/api/v1/partner",
            "CARTOONICATE_BASE_URL",
        ),
        ProviderInfo(
            "comfyui",
            "ComfyUI",
            "studio.providers.comfyui.provider",
            "ComfyUIProvider",
            "http://127.0.0.1:8188",
            "COMFYUI_BASE_URL",
        ),
    )
}


class UnknownProvider(ValueError):
    pass


def available() -> list[ProviderInfo]:
    """Providers whose module is installed (all of them in a complete build)."""
    out = []
    for info in PROVIDERS.values():
        try:
            found = importlib.util.find_spec(info.module) is not None
        except (ImportError, ValueError):
            found = False
        if found:
            out.append(info)
    return out


def info(provider_id: str) -> ProviderInfo:
    try:
        found = PROVIDERS[provider_id]
    except KeyError:
        names = ", ".join(p.id for p in available())
        raise UnknownProvider(
            f"Unknown provider {provider_id!r}; choose one of: {names}."
        ) from None
    try:
        found.load_class()
    except (ImportError, AttributeError):
        raise UnknownProvider(f"The {found.name} provider is not part of this build.") from None
    return found


def resolve_base_url(
    provider_id: str, explicit: str | None = None, settings: Settings | None = None
) -> str:
    """``--base-url`` > ``<PROVIDER>_BASE_URL`` > settings > the documented default.

    Never a URL read from a project file: a project from someone else must not be able to
    send the user's key to another host.
    """
    pinfo = info(provider_id)
    if explicit:
        return explicit
    if pinfo.env_base_url and os.environ.get(pinfo.env_base_url, "").strip():
        return os.environ[pinfo.env_base_url].strip()
    settings = settings or load_settings()
    configured = settings.provider(provider_id).base_url
    return configured or pinfo.default_base_url


def create_provider(
    provider_id: str, *, base_url: str | None = None, settings: Settings | None = None
) -> Provider:
    pinfo = info(provider_id)
    cls = pinfo.load_class()
    if provider_id == "local":
        return cls()
    settings = settings or load_settings()
    url = resolve_base_url(provider_id, base_url, settings)
    rpm = settings.provider(provider_id).requests_per_minute or None
    timeout = os.environ.get("COMIC_STUDIO_HTTP_TIMEOUT", "").strip()  # seconds per exchange
    provider = cls(  # type: ignore[call-arg]
        secrets.get_key(provider_id),
        url,
        requests_per_minute=rpm,
        timeout=max(0.1, float(timeout)) if timeout else None,
        **_extra_options(provider_id, settings),
    )
    interval = os.environ.get("COMIC_STUDIO_POLL_INTERVAL", "").strip()
    if interval:  # scripted runs and tests against local servers; documented in README
        provider.poll_interval = max(0.05, float(interval))
    return provider


def _extra_options(provider_id: str, settings: Settings) -> dict[str, object]:
    """Provider-specific settings: ComfyUI's extra headers (keyring), checkpoint, workflow."""
    if provider_id != "comfyui":
        return {}
    ps = settings.provider(provider_id)
    return {
        "headers": secrets.get_headers(provider_id),
        "checkpoint": os.environ.get("COMFYUI_CHECKPOINT", "").strip() or ps.checkpoint,
        "workflow_file": os.environ.get("COMFYUI_WORKFLOW", "").strip() or ps.workflow_file,
    }
