"""HTTP error mapping for remote providers: status + body → the ProviderError family."""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from studio.providers.errors import (
    AssetRejected,
    AuthError,
    ContentRejected,
    ForbiddenError,
    MalformedResponse,
    NotFoundError,
    ProviderError,
    ProviderUnavailable,
    QuotaError,
    RateLimited,
    ValidationRefused,
)

MAX_MESSAGE = 300
CODE_KEYS = ("code", "errorCode", "error_code")
MESSAGE_KEYS = ("message", "msg", "errorMessage", "detail", "reason", "description")
TRACE_HEADERS = ("x-trace-id", "x-request-id", "request-id", "x-correlation-id")
_QUOTA_WORDS = re.compile(r"credit|quota|balance|insufficient", re.IGNORECASE)
_QUOTA_CODES = {"credit_insufficient", "insufficient_credits", "quota_exceeded"}
_CONTENT_CODES = {"content_rejected", "content_policy"}


class AssetExpired(AssetRejected):
    """An asset URL answered 403/404/410: probably a signed URL that expired.

    Providers should fetch the job's status once more for fresh URLs and retry.
    """

    kind = "asset_expired"


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
) -> ProviderError:
    """Turn a non-2xx response into the matching ProviderError (the body must be read)."""
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
    cls, text = _classify(status, code, server_message or str(body or ""), provider)
    kwargs["retry_after"] = parse_retry_after(response.headers.get("retry-after"))
    message = f"{text} (HTTP {status})"
    if detail:
        message = f"{message}: {detail}"
    return cls(message, **kwargs)


def _classify(status: int, code: str, text: str, provider: str) -> tuple[type[ProviderError], str]:
    """Pick the error class and a plain sentence for a status code and body."""
    lowered_code = code.lower()
    if lowered_code in _CONTENT_CODES or status == 451:
        return ContentRejected, f"{provider} rejected the content"
    if lowered_code in _QUOTA_CODES:
        return QuotaError, f"{provider} says there are not enough credits"
    match status:
        case 401:
            return AuthError, f"{provider} did not accept the API key"
        case 402:
            return QuotaError, f"{provider} says there are not enough credits"
        case 403:
            return ForbiddenError, f"{provider} refused access"
        case 400 | 409 | 413 | 422:
            return ValidationRefused, f"{provider} refused the request"
        case 404 | 410:
            return NotFoundError, f"{provider} could not find it"
        case 429 if _QUOTA_WORDS.search(text):
            return QuotaError, f"{provider} says the credits or quota are used up"
        case 429:
            return RateLimited, f"{provider} is rate limiting requests"
    if status >= 500:
        return ProviderUnavailable, f"{provider} had a server error"
    if 300 <= status < 400:
        return ProviderUnavailable, f"{provider} answered with an unexpected redirect"
    if status >= 400:
        return ValidationRefused, f"{provider} refused the request"
    return MalformedResponse, f"{provider} sent an unexpected answer"


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
