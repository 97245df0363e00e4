"""Jobs: submit, poll, resume, cancel; every transition persisted before it is shown."""

from studio.jobs.manager import JobManager

__all__ = ["JobManager"]
