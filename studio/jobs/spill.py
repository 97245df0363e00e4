"""Results that could not be written into the project file, kept on disk until they can.

When a finished job's result cannot be stored (disk full, read-only file, a lock held by
another program), the images the provider already delivered — and the user already paid
for — are written here instead, next to the user data:

    DATA_DIR/spill/<project key>/job-<id>/result.json   what the result was
    DATA_DIR/spill/<project key>/job-<id>/<sha256>       each image, clip or file

The project key is a hash of the project file's absolute path. A job directory appears
atomically (written under a temporary name, then renamed) and is deleted only after the
project commit that stored its result succeeded.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from studio.providers.base import GenerationResult, ResultPanel
from studio.storage.jobs_store import kept_results, spill_dir

FORMAT = 1


class SpillError(OSError):
    """The result could not be kept on disk either (it stays in memory)."""


def _write(path: Path, data: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Spill:
    """The spill area of one project file."""

    def __init__(self, project_path: Path) -> None:
        self.project_path = Path(project_path).resolve()
        self.dir = spill_dir(self.project_path)

    def job_dir(self, job_id: int) -> Path:
        return self.dir / f"job-{job_id}"

    def has(self, job_id: int) -> bool:
        return (self.job_dir(job_id) / "result.json").is_file()

    def pending(self) -> list[int]:
        """Ids of the jobs with a kept result, oldest first."""
        return sorted(kept_results(self.project_path))

    # ------------------------------------------------------------------ write
    def save(self, job_id: int, result: GenerationResult, reason: str, job: dict[str, Any]) -> Path:
        """Keep ``result`` of ``job_id`` (and the job fields ``job``, e.g. its remote id, in
        case the file never got them); returns its folder. Raises SpillError."""
        target = self.job_dir(job_id)
        if self.has(job_id):  # the same result, kept before: a retry failed again
            self._set_reason(target, reason)
            return target
        tmp = self.dir / f".job-{job_id}.{os.getpid()}.{time.monotonic_ns()}.tmp"
        try:
            tmp.mkdir(parents=True)
            blobs: dict[str, bytes] = {}

            def ref(data: bytes) -> str:
                sha = hashlib.sha256(data).hexdigest()
                blobs[sha] = data
                return sha

            panels = []
            for item in result.panels:
                raw = asdict(item)
                raw["data"] = ref(item.data)
                raw["anchors"] = {k: list(v) for k, v in item.anchors.items()}
                panels.append(raw)
            meta: dict[str, Any] = {
                "format": FORMAT,
                "job_id": job_id,
                "project": str(self.project_path),
                "reason": reason,
                "job": job,
                "kept_at": time.time(),
                "panels": panels,
                "remote_project": result.remote_project,
                "credits": result.credits,
                "message": result.message,
                "character_refs": {k: ref(v) for k, v in result.character_refs.items()},
                "location_refs": {k: ref(v) for k, v in result.location_refs.items()},
                "extra_files": {k: ref(v) for k, v in result.extra_files.items()},
            }
            for sha, data in blobs.items():
                _write(tmp / sha, data)
            _write(tmp / "result.json", json.dumps(meta, indent=1).encode("utf-8"))
            _fsync_dir(tmp)
            os.replace(tmp, target)
            _fsync_dir(self.dir)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise SpillError(
                exc.errno or 0, f"Could not keep the result in {target}: {exc.strerror or exc}"
            ) from None
        return target

    def _set_reason(self, folder: Path, reason: str) -> None:
        """Record why the latest attempt to store the kept result failed (atomically)."""
        try:
            meta = json.loads((folder / "result.json").read_text("utf-8"))
            meta["reason"] = reason
            tmp = folder / f".result.{os.getpid()}.tmp"
            _write(tmp, json.dumps(meta, indent=1).encode("utf-8"))
            os.replace(tmp, folder / "result.json")
        except (OSError, ValueError):
            return  # the older reason stays; the result itself is untouched

    # ------------------------------------------------------------------- read
    def load(self, job_id: int) -> tuple[GenerationResult, dict[str, Any]]:
        """The kept result of ``job_id`` and its job fields. Raises OSError/ValueError."""
        folder = self.job_dir(job_id)
        meta = json.loads((folder / "result.json").read_text("utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder} was written by another version of the studio.")

        def blob(sha: str) -> bytes:
            data = (folder / sha).read_bytes()
            if hashlib.sha256(data).hexdigest() != sha:
                raise ValueError(f"{folder / sha} is damaged (its checksum does not match).")
            return data

        panels = []
        for raw in meta["panels"]:
            raw = dict(raw)
            raw["data"] = blob(raw["data"])
            raw["anchors"] = {k: (float(v[0]), float(v[1])) for k, v in raw["anchors"].items()}
            panels.append(ResultPanel(**raw))
        result = GenerationResult(
            panels=panels,
            remote_project=dict(meta.get("remote_project") or {}),
            credits=meta.get("credits"),
            message=str(meta.get("message", "")),
            character_refs={k: blob(v) for k, v in meta["character_refs"].items()},
            location_refs={k: blob(v) for k, v in meta["location_refs"].items()},
            extra_files={k: blob(v) for k, v in meta["extra_files"].items()},
        )
        return result, dict(meta.get("job") or {})

    def discard(self, job_id: int) -> None:
        """Delete a kept result (only after the project commit that stored it)."""
        folder = self.job_dir(job_id)
        if not folder.exists():
            return
        trash = self.dir / f".gone-{job_id}.{os.getpid()}.{time.monotonic_ns()}"
        try:
            os.replace(folder, trash)  # one rename: never a half-deleted spill that looks valid
        except OSError:
            return
        shutil.rmtree(trash, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.dir.rmdir()  # only when empty
