"""API keys in the OS keyring, nowhere else (environment variables for scripted runs)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)
SERVICE = "comic-studio"
ENV_VARS = {
    "llamagen": "LLAMAGEN_API_KEY",
    "storymint": "STORYMINT_API_KEY",
    "animus": "ANIMUS_API_KEY",
    "depicta": "DEPICTA_API_KEY",
    "cartoonicate": "CARTOONICATE_API_KEY",
    "llm": "COMIC_STUDIO_LLM_API_KEY",  # the script writer's language model (optional)
    "comfyui": "COMFYUI_API_KEY",  # optional: a bearer token for a hosted ComfyUI
}
HEADERS_SUFFIX = ":headers"


class KeyringUnavailable(RuntimeError):
    """No usable OS keyring. The message says what to do instead."""


def backend() -> KeyringBackend:
    import keyring

    return keyring.get_keyring()


def backend_name() -> str:
    """A human name for the keyring backend, shown in Settings (e.g. 'SecretService Keyring')."""
    kr = backend()
    inner = getattr(kr, "backends", None)  # keyring's ChainerBackend wraps the real ones
    if inner:
        return " + ".join(str(getattr(b, "name", type(b).__name__)) for b in inner)
    return str(getattr(kr, "name", "") or type(kr).__name__)


def keyring_usable() -> bool:
    kr = backend()
    module = type(kr).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return False
    if module.startswith("keyrings.alt"):  # plain-text or weakly encrypted files: never
        return False
    try:
        return float(getattr(kr, "priority", 0)) > 0
    except Exception:  # noqa: BLE001 - priority may raise when the backend is not viable
        return False


def _require_keyring() -> None:
    if not keyring_usable():
        raise KeyringUnavailable(
            "No system keyring is available (no Secret Service, Keychain or Credential "
            f"Manager; backend: {backend_name()}). The studio never stores keys in plain "
            "text: set the provider's environment variable for this run instead "
            "(e.g. LLAMAGEN_API_KEY)."
        )


def env_var(provider: str) -> str:
    return ENV_VARS.get(provider, f"{provider.upper()}_API_KEY")


def get_key(provider: str) -> str | None:
    """The key for ``provider``: the environment variable first, then the keyring."""
    value = os.environ.get(env_var(provider), "").strip()
    if value:
        return value
    if not keyring_usable():
        return None
    return _stored(provider)


def _stored(provider: str) -> str | None:
    """The keyring's value, or None when it fails (a locked or broken D-Bus session raises
    errors that are not KeyringError). The failure is logged by type only."""
    import keyring

    try:
        stored = keyring.get_password(SERVICE, provider)
    except Exception as exc:  # noqa: BLE001 - backends raise jeepney/dbus/OS errors too
        log.warning("the keyring could not be read (%s)", type(exc).__name__)
        return None
    return stored or None


def key_source(provider: str) -> str:
    """'environment', 'keyring' or '' — never the key itself."""
    if os.environ.get(env_var(provider), "").strip():
        return "environment"
    if keyring_usable() and _stored(provider):
        return "keyring"
    return ""


def set_key(provider: str, key: str) -> None:
    key = key.strip()
    if not key:
        raise ValueError("The key is empty.")
    if any(ch.isspace() for ch in key) or not key.isprintable():
        raise ValueError("The key contains spaces or control characters; paste it again.")
    import keyring.errors

    _require_keyring()
    try:
        keyring.set_password(SERVICE, provider, key)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(f"The keyring refused the key: {type(exc).__name__}.") from None


def delete_key(provider: str) -> bool:
    """Delete the stored key. Returns False when there was none."""
    import keyring.errors

    _require_keyring()
    try:
        keyring.delete_password(SERVICE, provider)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(f"The keyring refused: {type(exc).__name__}.") from None
    return True


def headers_env_var(provider: str) -> str:
    return f"{provider.upper()}_HEADERS"


def get_headers(provider: str) -> dict[str, str]:
    """Extra HTTP headers for a provider (a remote ComfyUI behind a proxy): a JSON object in
    ``<PROVIDER>_HEADERS`` or in the keyring. Broken values count as none."""
    raw = os.environ.get(headers_env_var(provider), "").strip()
    if not raw and keyring_usable():
        raw = _stored(provider + HEADERS_SUFFIX) or ""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        log.warning("the extra headers of %s are not a JSON object; ignored", provider)
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if str(k).strip() and v is not None}


def set_headers(provider: str, headers: dict[str, str]) -> None:
    """Keep extra headers in the keyring (they usually carry a token); empty deletes them."""
    import keyring.errors

    clean = {k.strip(): str(v).strip() for k, v in headers.items() if k.strip()}
    for name, value in clean.items():
        if not all(c.isalnum() or c in "-_" for c in name) or "\n" in value or "\r" in value:
            raise ValueError(f"The header {name!r} is not a valid HTTP header.")
    _require_keyring()
    try:
        if clean:
            keyring.set_password(SERVICE, provider + HEADERS_SUFFIX, json.dumps(clean))
        else:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(SERVICE, provider + HEADERS_SUFFIX)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(f"The keyring refused: {type(exc).__name__}.") from None
