"""Shared dialog helpers: error kinds → human text, base-URL checks, status labels, images."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QWidget

from studio.core.validation import ValidationError
from studio.providers.errors import MissingKey, ProviderError
from studio.secrets import KeyringUnavailable
from studio.storage import ProjectError

# What each ProviderError.kind means for a person, and what to do next. {name} = provider.
KIND_TEXT: dict[str, str] = {
    "auth": (
        "The key was refused by {name}. Check that you copied the whole key (or create a new "
        "one in the provider's dashboard), then press Replace."
    ),
    "quota": "Your {name} credits or quota are used up. Top up credits or wait for the reset.",
    "forbidden": "{name} refused: your plan may not include this. Check the plan on its site.",
    "rate_limit": (
        "{name} says there were too many requests. Wait a minute and try again, or lower "
        "'Requests per minute'."
    ),
    "unavailable": (
        "Could not reach {name}. Check the internet connection and the base URL; the "
        "provider may be down."
    ),
    "malformed": (
        "{name} answered with something the studio does not understand. Check that the base "
        "URL points at the provider's API."
    ),
    "not_found": (
        "{name} answered 'not found'. Check the base URL (leave it empty for the default)."
    ),
    "validation": "{name} refused the request as invalid.",
    "content": "{name} refused the content. Change the prompt or the reference images.",
    "unsupported": "{name} does not support this.",
    "unknown": (
        "The request may or may not have reached {name}. Check its dashboard before trying again."
    ),
    "failed": "{name} reported that the job failed.",
    "asset": "{name} sent a file that is not a usable image.",
}

MISSING_KEY_TEXT = "No API key is set for {name}. Paste one above and press Set."


def describe_error(error: BaseException, name: str = "The provider") -> str:
    """One or two sentences for a person: what went wrong and what to do next."""
    if isinstance(error, MissingKey):
        return MISSING_KEY_TEXT.format(name=name)
    if isinstance(error, ProviderError):
        head = KIND_TEXT.get(error.kind, "{name} reported an error.").format(name=name)
        detail = error.message.strip()
        text = f"{head}\n\nDetails: {detail}" if detail else head
        if error.trace_id:
            text += f" (trace id {error.trace_id})"
        return text
    if isinstance(error, KeyringUnavailable | ValidationError | ProjectError):
        return str(error)
    if isinstance(error, ValueError) and str(error):
        return str(error)
    if type(error).__module__.startswith("studio.") and str(error):
        return str(error)  # the studio's own errors (e.g. ExportError) are written for people
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror or error}{where}."
    return f"Unexpected error ({type(error).__name__}): {error}"


def _is_loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(text: str) -> str:
    """ "" (the default) or a cleaned URL. https, or http only for loopback. Raises ValueError."""
    url = (text or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise ValueError(f"The base URL is not a valid URL ({exc}).") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError("The base URL must start with https:// and name a host.")
    if parts.username or parts.password:
        raise ValueError("The base URL must not contain a user name or password.")
    if parts.query or parts.fragment:
        raise ValueError("The base URL must not contain a query (?…) or fragment (#…).")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ValueError(
            "Plain http:// is only allowed for this computer (localhost, 127.0.0.1, ::1); "
            f"use https://{host} instead, so the API key is never sent unencrypted."
        )
    return url.rstrip("/")


class StatusLabel(QLabel):
    """A word-wrapped inline message: neutral, success or error (no modal boxes)."""

    _STYLES = {"info": "", "ok": "color: #2e7d32;", "error": "color: #c62828;"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = "info"
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.setStyleSheet(self._STYLES.get(kind, ""))
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


class _Relay(QObject):
    done = Signal(object, object)  # (token, QImage | None)


class _ImageJob(QRunnable):
    def __init__(self, relay: _Relay, token: object, load: Callable[[], bytes | None], side: int):
        super().__init__()
        self.relay, self.token, self.load, self.side = relay, token, load, side

    def run(self) -> None:
        image: QImage | None = None
        try:
            data = self.load()
            if data:
                image = scaled_image(data, self.side)
        except Exception:  # noqa: BLE001 - a preview that cannot load simply stays empty
            image = None
        self.relay.done.emit(self.token, image)


class ImageLoader(QObject):
    """Decodes and scales images on a worker thread; ``loaded(token, QImage|None)`` on the UI."""

    loaded = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay()
        self._relay.done.connect(self.loaded)
        self._pending = 0

    def load(self, token: object, load: Callable[[], bytes | None], side: int = 240) -> None:
        """Run ``load()`` (bytes, e.g. ``project.thumbnail``) and decode it off the UI thread."""
        QThreadPool.globalInstance().start(_ImageJob(self._relay, token, load, side))


def scaled_image(data: bytes, side: int) -> QImage | None:
    """A QImage from bytes scaled to fit ``side``, decoded by Pillow (safe on any thread;
    see ``studio.ui.thumbs.decode`` for why not Qt's readers)."""
    from studio.ui.thumbs import decode

    image = decode(data, side)
    return None if image.isNull() else image


def guarded(widget: QObject, func: Callable[..., None]) -> Callable[..., None]:
    """Wrap a callback so it does nothing once ``widget``'s C++ object is gone."""
    from shiboken6 import isValid

    def call(*args: object) -> None:
        if isValid(widget):
            func(*args)

    return call
