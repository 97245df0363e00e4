"""Jobs: submit, poll, resume, cancel; every transition persisted before it is shown.
Imports `studio.providers`, `studio.storage` and `studio.core`; never Qt or httpx."""

from studio.jobs.manager import JobManager

__all__ = ["JobManager"]
