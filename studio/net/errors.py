"""The net error family, and reading an HTTP error answer: status + body → a NetError.

Every failure of :mod:`studio.net` is a :class:`NetError`. ``category`` names what the
answer means in plain HTTP terms (auth, quota, rate_limit, …); callers (the providers) map
the family onto their own errors."""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

MAX_MESSAGE = 300
CODE_KEYS = ("code", "errorCode", "error_code")
MESSAGE_KEYS = ("message", "msg", "errorMessage", "detail", "reason", "description")
TRACE_HEADERS = ("x-trace-id", "x-request-id", "request-id", "x-correlation-id")
_QUOTA_WORDS = re.compile(r"credit|quota|balance|insufficient", re.IGNORECASE)
_QUOTA_CODES = {"credit_insufficient", "insufficient_credits", "quota_exceeded"}
_CONTENT_CODES = {"content_rejected", "content_policy"}


class NetError(Exception):
    """Base class. ``category`` is a stable token for what went wrong."""

    category = "unavailable"
    #: A 429 that answered a request sent once (billable): the server refused it before
    #: doing any work, so sending it again is not a duplicate.
    refused_before_work = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        trace_id: str = "",
        code: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.trace_id = trace_id
        self.code = code


class Unreachable(NetError):
    """The server could not be reached, or redirected badly. For a request that may bill,
    raised only when nothing was sent."""

    category = "unavailable"


class SentButLost(NetError):
    """A request was sent but its answer never (fully) came: it may have been carried out."""

    category = "unknown"


class HttpStatusError(NetError):
    """A non-2xx answer; ``category`` from its status and error code, ``body`` decoded."""

    def __init__(self, message: str, *, category: str, body: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.category = category
        self.body = body


class MalformedAnswer(NetError):
    """An answer that is not what was asked for (not JSON). ``sent_billable``: the request
    that got it was sent once and has probably been carried out."""

    category = "malformed"

    def __init__(self, message: str, *, sent_billable: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.sent_billable = sent_billable


class AssetRefused(NetError):
    """A downloaded asset was too large, not an image, of absurd dimensions, or a URL that
    the studio will not request."""

    category = "asset"


class AssetGone(AssetRefused):
    """An asset URL answered 403/404/410: probably a signed URL that expired.

    Fetch the job's status once more for fresh URLs and retry.
    """

    category = "asset_expired"


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace every secret in ``text`` with ``***`` (longest first)."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def truncate(text: str, limit: int = MAX_MESSAGE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first(data: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = data.get(key)
        if value not in (None, ""):
            return value
    return None


def extract_error(body: Any) -> tuple[str, str]:
    """(code, message) from an error body of any of the shapes the providers use.

    Looks at the top level, then inside ``error`` (an object or a plain string);
    a bare string body is the message.
    """
    if isinstance(body, str):
        return "", body
    if not isinstance(body, Mapping):
        return "", ""
    code = _first(body, CODE_KEYS)
    message = _first(body, MESSAGE_KEYS)
    error = body.get("error")
    if isinstance(error, Mapping):
        code = code if code is not None else _first(error, CODE_KEYS)
        message = message if message is not None else _first(error, MESSAGE_KEYS)
    elif isinstance(error, str) and error:
        # Depicta: {"error": "<code>", "message": "..."}; elsewhere the string is the message.
        if message is None:
            message = error
        elif code is None:
            code = error
    return ("" if code is None else str(code)), ("" if message is None else str(message))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def decode_body(response: httpx.Response) -> Any:
    """The JSON body, else the text (or ``None`` when empty). Never raises."""
    raw = response.content
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        ctype = response.headers.get("content-type", "").lower()
        if "html" in ctype or raw.lstrip()[:1] == b"<":
            return ""  # an HTML error page says nothing useful; keep it out of messages
        return raw.decode("utf-8", errors="replace")


def trace_id_of(response: httpx.Response, body: Any = None) -> str:
    for name in TRACE_HEADERS:
        if response.headers.get(name):
            return response.headers[name][:100]
    if isinstance(body, Mapping) and isinstance(body.get("request_id"), str):
        return body["request_id"][:100]
    return ""


def map_error(
    response: httpx.Response, *, provider: str = "The provider", secrets: Iterable[str] = ()
) -> HttpStatusError:
    """Turn a non-2xx response into an :class:`HttpStatusError` (the body must be read);
    ``provider`` names the service in the message."""
    body = decode_body(response)
    code, server_message = extract_error(body)
    secrets = tuple(secrets)
    status = response.status_code
    detail = truncate(scrub(server_message, secrets)) if server_message else ""
    kwargs: dict[str, Any] = {
        "status": status,
        "trace_id": scrub(trace_id_of(response, body), secrets),
        "code": truncate(scrub(code, secrets), 80),
    }
    category, text = _classify(status, code, server_message or str(body or ""), provider)
    kwargs["retry_after"] = parse_retry_after(response.headers.get("retry-after"))
    message = f"{text} (HTTP {status})"
    if detail:
        message = f"{message}: {detail}"
    return HttpStatusError(message, category=category, body=body, **kwargs)


def _classify(status: int, code: str, text: str, provider: str) -> tuple[str, str]:
    """Pick the category and a plain sentence for a status code and body."""
    lowered_code = code.lower()
    if lowered_code in _CONTENT_CODES or status == 451:
        return "content", f"{provider} rejected the content"
    if lowered_code in _QUOTA_CODES:
        return "quota", f"{provider} says there are not enough credits"
    match status:
        case 401:
            return "auth", f"{provider} did not accept the API key"
        case 402:
            return "quota", f"{provider} says there are not enough credits"
        case 403:
            return "forbidden", f"{provider} refused access"
        case 400 | 409 | 413 | 422:
            return "validation", f"{provider} refused the request"
        case 404 | 410:
            return "not_found", f"{provider} could not find it"
        case 429 if _QUOTA_WORDS.search(text):
            return "quota", f"{provider} says the credits or quota are used up"
        case 429:
            return "rate_limit", f"{provider} is rate limiting requests"
    if status >= 500:
        return "unavailable", f"{provider} had a server error"
    if 300 <= status < 400:
        return "unavailable", f"{provider} answered with an unexpected redirect"
    if status >= 400:
        return "validation", f"{provider} refused the request"
    return "malformed", f"{provider} sent an unexpected answer"


def lost_answer(provider: str, exc: httpx.TransportError) -> str:
    """Plain words for a billable request whose answer never (fully) came."""
    if isinstance(exc, httpx.TimeoutException):
        what = "no answer came in time"
    elif isinstance(exc, httpx.RemoteProtocolError):
        what = "the connection closed before the answer was complete"
    else:
        what = "the connection broke"
    return (
        f"The request was sent to {provider}, but {what} ({type(exc).__name__}). It may have been "
        "accepted and billed."
    )
