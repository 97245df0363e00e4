"""Jobs and job events in the project file; every state change is a transaction."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from studio.core.models import Job, JobKind, JobState, check_transition
from studio.settings import data_dir
from studio.storage import codec
from studio.storage.errors import ProjectError

_FIELDS = [
    "state",
    "remote_id",
    "progress",
    "message",
    "credits",
    "error",
    "error_kind",
    "handle",
    "target_page",
    "target_panel",
    "trace_id",
    "request",
]


def _job(row: sqlite3.Row) -> Job:
    return Job(
        id=row["id"],
        provider=row["provider"],
        kind=JobKind(row["kind"]),
        state=JobState(row["state"]),
        remote_id=row["remote_id"],
        progress=row["progress"],
        message=row["message"],
        credits=row["credits"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        error=row["error"],
        error_kind=row["error_kind"],
        request=codec.loads_dict(row["request"]),
        handle=codec.loads_dict(row["handle"]),
        target_page=row["target_page"],
        target_panel=row["target_panel"],
        trace_id=row["trace_id"],
    )


def spill_dir(project_path: Path) -> Path:
    """Where results that could not be written into this project file are kept.

    Filled and emptied by studio.jobs.spill; read here so that every listing of the jobs
    (window, `comic-studio jobs`) says that a result is waiting to be saved, and where.
    """
    key = hashlib.sha256(str(Path(project_path).resolve()).encode()).hexdigest()[:20]
    return data_dir() / "spill" / key


def kept_results(project_path: Path) -> dict[int, Path]:
    """Job id → the folder holding its result that is not in the project file yet."""
    folder = spill_dir(project_path)
    found: dict[int, Path] = {}
    try:
        entries = list(folder.iterdir())
    except OSError:
        return found
    for entry in entries:
        name = entry.name
        if name.startswith("job-") and name[4:].isdigit() and (entry / "result.json").is_file():
            found[int(name[4:])] = entry
    return found


def _kept_reason(folder: Path) -> str:
    try:
        return str(json.loads((folder / "result.json").read_text("utf-8")).get("reason", ""))
    except (OSError, ValueError, AttributeError):
        return ""


class JobsMixin:
    """Mixed into Project."""

    path: Path
    transaction: Any
    _query: Any
    _one: Any

    def _with_kept(self, jobs: list[Job]) -> list[Job]:
        """Mark the jobs whose result is kept outside the file (see :func:`spill_dir`)."""
        kept = kept_results(self.path)
        for job in jobs:
            folder = kept.get(job.id)
            if folder is None or job.state is JobState.succeeded:
                continue
            reason = _kept_reason(folder) or "the project file could not be written"
            job.error_kind = "write_error"
            job.message = "Waiting to save: the result is kept outside the project file"
            job.error = (
                f"Waiting to save: {reason.rstrip('.')}. The result is kept in {folder} and is "
                "written into the project as soon as the file is writable again "
                "(`comic-studio resume` or reopening the project retries)."
            )
        return jobs

    def create_job(
        self,
        provider: str,
        kind: JobKind,
        request: dict[str, Any],
        *,
        target_page: int | None = None,
        target_panel: int | None = None,
    ) -> Job:
        now = time.time()
        with self.transaction() as c:
            jid = c.execute(
                "INSERT INTO jobs(provider, kind, state, created_at, updated_at, request,"
                " target_page, target_panel) VALUES (?,?,?,?,?,?,?,?)",
                (
                    provider,
                    kind.value,
                    JobState.draft.value,
                    now,
                    now,
                    json.dumps(request),
                    target_page,
                    target_panel,
                ),
            ).lastrowid
            c.execute(
                "INSERT INTO job_events(job_id, at, state, message) VALUES (?,?,?,?)",
                (jid, now, JobState.draft.value, "created"),
            )
        return self.job(int(jid))

    def job(self, job_id: int) -> Job:
        row = self._one("SELECT * FROM jobs WHERE id=?", (job_id,))
        if row is None:
            raise ProjectError(f"Job {job_id} does not exist in this project.")
        return self._with_kept([_job(row)])[0]

    def jobs(self) -> list[Job]:
        return self._with_kept([_job(r) for r in self._query("SELECT * FROM jobs ORDER BY id")])

    def unfinished_jobs(self) -> list[Job]:
        active = tuple(s.value for s in JobState if s.active)
        marks = ",".join("?" * len(active))
        rows = self._query(f"SELECT * FROM jobs WHERE state IN ({marks}) ORDER BY id", active)
        return self._with_kept([_job(r) for r in rows])

    def update_job(self, job: Job, **changes: Any) -> Job:
        """Persist changes to ``job`` (checked transition + an event row), then update it."""
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise ValueError(f"unknown job fields: {sorted(unknown)}")
        new_state = changes.get("state", job.state)
        if new_state is not job.state:
            check_transition(job.state, new_state)
        now = time.time()
        values = {k: (v.value if isinstance(v, JobState) else v) for k, v in changes.items()}
        for key in ("handle", "request"):
            if key in values:
                values[key] = json.dumps(values[key])
        assignments = ", ".join(f"{k}=?" for k in values)
        with self.transaction() as c:
            c.execute(
                f"UPDATE jobs SET {assignments}, updated_at=? WHERE id=?",
                (*values.values(), now, job.id),
            )
            if "state" in changes or "message" in changes:
                c.execute(
                    "INSERT INTO job_events(job_id, at, state, progress, message)"
                    " VALUES (?,?,?,?,?)",
                    (
                        job.id,
                        now,
                        new_state.value,
                        changes.get("progress", job.progress),
                        changes.get("message", job.message),
                    ),
                )
        for key, value in changes.items():
            setattr(job, key, value)
        job.updated_at = now
        return job

    def job_has_results(self, job_id: int) -> bool:
        """Whether a result of ``job_id`` is in the file (stored in one transaction)."""
        row = self._one(
            "SELECT EXISTS(SELECT 1 FROM versions WHERE job_id=?)"
            " OR EXISTS(SELECT 1 FROM extra_files WHERE job_id=?)",
            (job_id, job_id),
        )
        return bool(row and row[0])

    def job_events(self, job_id: int) -> list[dict[str, Any]]:
        rows = self._query("SELECT * FROM job_events WHERE job_id=? ORDER BY id", (job_id,))
        return [dict(r) for r in rows]
