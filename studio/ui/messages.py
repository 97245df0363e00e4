"""Turn exceptions and failed jobs into messages a person understands, with what to do next."""

from __future__ import annotations

from studio.core.models import Job, JobState
from studio.core.validation import ValidationError
from studio.providers.errors import ProviderError
from studio.storage import ProjectError

_KIND_TEXT: dict[str, tuple[str, str]] = {
    "auth": (
        "The provider refused the API key",
        "Add or check the key in Settings → Providers (Ctrl+,), then try again.",
    ),
    "quota": (
        "Out of credits or quota",
        "Top up credits on the provider's site or wait for the quota to reset.",
    ),
    "forbidden": (
        "Not included in your plan",
        "This feature is not part of your plan with this provider. Choose another provider "
        "or upgrade the plan.",
    ),
    "rate_limit": (
        "Too many requests",
        "The provider asks us to slow down. Wait a minute and try again.",
    ),
    "unavailable": (
        "The provider cannot be reached",
        "Check the internet connection; the provider may also be down. Retry later.",
    ),
    "unknown": (
        "The request may have been billed",
        "The studio lost contact while sending it. Check the provider's dashboard before "
        "generating again; nothing was resent.",
    ),
    "content": (
        "The provider rejected the content",
        "Change the prompt or the reference images and try again.",
    ),
    "validation": ("The provider refused the request", "Change the highlighted settings."),
    "unsupported": ("Not supported by this provider", "Choose a provider that supports it."),
    "malformed": (
        "The provider sent an answer the studio does not understand",
        "Retry later; if it keeps happening, report it with the trace id.",
    ),
    "failed": ("The provider could not make the comic", "Change the prompt and try again."),
    "asset": (
        "A downloaded image was not usable",
        "Retry the job; the provider sent something that is not a sane image.",
    ),
    "not_found": ("The provider no longer knows this job", "Submit it again."),
}


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, message) for an error shown to the user. Never a traceback."""
    from studio.secrets import KeyringUnavailable

    match exc:
        case ProviderError():
            title, advice = _KIND_TEXT.get(exc.kind, ("The provider reported a problem", ""))
            text = exc.message
            if advice and advice not in text:
                text = f"{text}\n\n{advice}"
            if exc.trace_id:
                text = f"{text}\n\n(trace id {exc.trace_id})"
            return title, text
        case ValidationError():
            return "Please check the input", str(exc)
        case ProjectError():
            return "The project file", str(exc)
        case KeyringUnavailable():
            return "No keyring for API keys", str(exc)
        case ImportError():
            return (
                "Part of the studio is missing",
                f"This build lacks a component ({exc.name or exc}). Reinstall Comic Studio.",
            )
        case OSError():
            where = f" ({exc.filename})" if exc.filename else ""
            return "A file could not be used", f"{exc.strerror or exc}{where}."
        case ValueError():
            return "Please check the input", str(exc)
    return (
        "Something went wrong",
        f"{type(exc).__name__}: {exc}\n\nThe project file is safe. Try again; if it keeps "
        "happening, restart the studio.",
    )


def job_summary(job: Job) -> str:
    """One line for the status bar and toasts when a job ends."""
    what = {"create": "Generation", "redraw": "Redraw", "continue": "Continuation"}.get(
        job.kind.value, job.kind.value.capitalize()
    )
    match job.state:
        case JobState.succeeded:
            return f"{what} finished: {job.message or 'done'}"
        case JobState.cancelled:
            return f"{what} cancelled. {job.message}".strip()
        case JobState.unknown:
            return f"{what}: outcome unknown — {_KIND_TEXT['unknown'][1]}"
        case _:
            _title, advice = _KIND_TEXT.get(job.error_kind, ("failed", ""))
            detail = job.message or job.error
            return f"{what} failed: {detail} {advice}".strip()
