"""The provider error family. Messages never contain an API key."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator


class ProviderError(Exception):
    """Base class. ``kind`` is a stable token used by the CLI, the UI and the project file."""

    kind = "provider"
    exit_code = 4
    hint = ""

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

    def user_message(self) -> str:
        text = self.message
        if self.hint:
            text = f"{text} {self.hint}"
        if self.trace_id:
            text = f"{text} (trace id {self.trace_id})"
        return text


class AuthError(ProviderError):
    kind = "auth"
    exit_code = 3
    hint = "Check the API key in Settings → Providers or with `comic-studio keys set`."


class QuotaError(ProviderError):
    kind = "quota"
    exit_code = 3
    hint = "Top up credits or wait for the quota to reset."


class ForbiddenError(ProviderError):
    kind = "forbidden"
    exit_code = 3
    hint = "Your plan may not include this feature."


class ValidationRefused(ProviderError):
    kind = "validation"
    exit_code = 2


class NotFoundError(ProviderError):
    kind = "not_found"
    exit_code = 1


class RateLimited(ProviderError):
    kind = "rate_limit"
    exit_code = 4
    hint = "Wait a minute and try again."
    #: Set when the 429 answered a billable request itself: it was refused before any work,
    #: so it may be sent again (see studio/providers/resend.py).
    refused_before_work = False


class ContentRejected(ProviderError):
    kind = "content"
    exit_code = 1
    hint = "Change the prompt or the reference images."


class ProviderUnavailable(ProviderError):
    kind = "unavailable"
    exit_code = 4
    hint = "Check the connection; the provider may be down."


class MalformedResponse(ProviderError):
    kind = "malformed"
    exit_code = 4


class OutcomeUnknown(ProviderError):
    """A billable request may or may not have reached the provider. Never resend it."""

    kind = "unknown"
    exit_code = 5
    hint = (
        "Check the provider's dashboard or history before submitting again; the studio "
        "will not resend it."
    )


class UnreadableBilledAnswer(MalformedResponse, OutcomeUnknown):
    """A billable request was answered, but the answer cannot be used (not JSON, cut short,
    or without the id needed to follow the job): the work was probably accepted and billed.

    It is an :class:`OutcomeUnknown` (the job ends ``unknown``, nothing is resent) and a
    :class:`MalformedResponse` (the answer itself was bad).
    """

    kind = "unknown"
    exit_code = 5
    hint = OutcomeUnknown.hint


@contextlib.contextmanager
def billed_answer() -> Iterator[None]:
    """Wrap the reading of a billable request's answer: a MalformedResponse raised inside
    becomes :class:`UnreadableBilledAnswer` (the request was sent and probably billed)."""
    try:
        yield
    except UnreadableBilledAnswer:
        raise
    except MalformedResponse as exc:
        raise UnreadableBilledAnswer(
            exc.message, status=exc.status, trace_id=exc.trace_id, code=exc.code
        ) from exc


class GenerationFailed(ProviderError):
    """The provider finished the job with a failure."""

    kind = "failed"
    exit_code = 1


class AssetRejected(ProviderError):
    """A downloaded asset was too large, not an image, or of absurd dimensions."""

    kind = "asset"
    exit_code = 1


class AssetExpired(AssetRejected):
    """An asset URL answered 403/404/410: probably a signed URL that expired.

    Providers should fetch the job's status once more for fresh URLs and retry.
    """

    kind = "asset_expired"


class NotSupported(ProviderError):
    """The provider lacks this capability. The reason says so plainly."""

    kind = "unsupported"
    exit_code = 2


class MissingKey(ProviderError):
    kind = "auth"
    exit_code = 3
    hint = "Add a key with `comic-studio keys set PROVIDER` or in Settings → Providers."


def upload_broke_off(provider: str, name: str, exc: OutcomeUnknown) -> ProviderError:
    """An upload (not billable) whose answer was lost or unreadable: the job fails plainly,
    since nothing billable was sent and submitting again is safe."""
    cls = MalformedResponse if isinstance(exc, MalformedResponse) else ProviderUnavailable
    return cls(
        f"Uploading the reference image {name} to {provider} broke off before the job was "
        "sent, so nothing billable was sent; submit the job again.",
        status=exc.status,
        trace_id=exc.trace_id,
    )


def redact(exc: ProviderError, scrub: Callable[[str], str]) -> ProviderError:
    """Scrub secrets from an error built from provider text (a failure reason may echo the
    key); returns the same exception, changed in place."""
    exc.message = scrub(exc.message)
    exc.args = (exc.message, *exc.args[1:])
    exc.trace_id, exc.code = scrub(exc.trace_id), scrub(exc.code)
    return exc
