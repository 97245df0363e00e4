"""Text and JSON output of the command line (the --json shapes are documented in README)."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from studio.core.models import Job, JobState
from studio.storage import Project
from studio.storage.codec import story_to_dict
from studio.story import book_shots


def job_json(job: Job) -> dict[str, Any]:
    target = None
    if job.target_page is not None:
        target = {"page": job.target_page, "panel": job.target_panel}
    return {
        "id": job.id,
        "provider": job.provider,
        "kind": job.kind.value,
        "state": job.state.value,
        "progress": job.progress,
        "message": job.message,
        "remote_id": job.remote_id,
        "credits": job.credits,
        "error": job.error,
        "error_kind": job.error_kind,
        "trace_id": job.trace_id,
        "target": target,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }


def show_json(project: Project) -> dict[str, Any]:
    counts = {
        r[0]: r[1]
        for r in project._query("SELECT panel_id, COUNT(*) FROM versions GROUP BY panel_id")
    }
    numbers = {
        r[0]: r[1]
        for r in project._query(
            "SELECT v.panel_id, COUNT(*) FROM versions v JOIN panels p ON p.id = v.panel_id"
            " WHERE v.id <= p.current_version GROUP BY v.panel_id"
        )
    }
    shots = book_shots(project)
    return {
        "title": project.story.title,
        "story": story_to_dict(project.story),
        "characters": [
            {
                "name": c.name,
                "age": c.age,
                "gender": c.gender,
                "dress": c.dress,
                "has_image": bool(c.image_asset or c.image_url),
                "automatic": c.auto,
            }
            for c in project.characters()
        ],
        "locations": [
            {
                "name": loc.name,
                "description": loc.description,
                "has_image": bool(loc.image_asset or loc.image_url),
            }
            for loc in project.locations()
        ],
        "pages": [
            {
                "index": page.index,
                "template": page.template,
                "panels": [
                    {
                        "index": panel.index,
                        "description": panel.script.description,
                        "characters": panel.script.characters,
                        "location": panel.script.location,
                        "caption": panel.script.caption,
                        "dialogue": [
                            {"speaker": d.speaker, "text": d.text} for d in panel.script.dialogue
                        ],
                        "shot": shots[panel.id].to_dict(),
                        "current_version": panel.current_version,
                        "current_number": numbers.get(panel.id) if panel.current_version else None,
                        "versions": counts.get(panel.id, 0),
                    }
                    for panel in page.panels
                ],
            }
            for page in project.pages()
        ],
    }


def show_text(data: dict[str, Any]) -> str:
    story = data["story"]
    lines = [
        f"{data['title']}  ({story['provider']}, {story['size']}, {story['direction']})",
        f"Prompt: {story['prompt']}",
    ]
    if data["characters"]:
        lines.append("Cast: " + ", ".join(c["name"] for c in data["characters"]))
    if data["locations"]:
        lines.append("Locations: " + ", ".join(loc["name"] for loc in data["locations"]))
    for page in data["pages"]:
        lines.append(f"Page {page['index']}")
        for panel in page["panels"]:
            number = panel["current_number"]
            mark = f"version {number} of {panel['versions']}" if number else "not drawn"
            lines.append(f"  Panel {panel['index']} [{mark}]: {panel['description']}")
            if panel["caption"]:
                lines.append(f"    Caption: {panel['caption']}")
            for d in panel["dialogue"]:
                lines.append(f"    {d['speaker'] or 'Voice'}: \u201c{d['text']}\u201d")
    return "\n".join(lines)


def jobs_text(jobs: list[Job]) -> str:
    if not jobs:
        return "No jobs yet."
    rows = [f"{'ID':>4}  {'PROVIDER':<12} {'KIND':<9} {'STATE':<11} {'PROG':>5}  MESSAGE"]
    for j in jobs:
        prog = "" if j.progress is None else f"{j.progress * 100:.0f}%"
        extra = f" (remote {j.remote_id})" if j.remote_id else ""
        credits = f" [{j.credits:g} credits]" if j.credits else ""
        rows.append(
            f"{j.id:>4}  {j.provider:<12} {j.kind.value:<9} {j.state.value:<11} {prog:>5}  "
            f"{j.error or j.message}{extra}{credits}"
        )
    return "\n".join(rows)


class ProgressPrinter:
    """A progress bar on a terminal, plain lines otherwise (both on stderr)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._last: dict[int, tuple[str, str]] = {}
        self._drawn = 0.0

    def __call__(self, job: Job, event: str) -> None:
        if event != "changed":
            return
        if self.tty:
            self._bar(job)
            return
        key = (job.state.value, job.message)
        if self._last.get(job.id) == key:
            return
        self._last[job.id] = key
        prog = "" if job.progress is None else f" {job.progress * 100:.0f}%"
        print(f"job {job.id} {job.state.value}{prog}: {job.message}", file=self.stream)

    def _bar(self, job: Job) -> None:
        now = time.monotonic()
        if job.state.active and now - self._drawn < 0.05:
            return
        self._drawn = now
        frac = job.progress or 0.0
        width = 30
        filled = int(frac * width)
        bar = "#" * filled + "-" * (width - filled)
        text = f"\rjob {job.id} [{bar}] {frac * 100:3.0f}% {job.state.value}: {job.message}"
        self.stream.write(text[:120].ljust(120))
        if job.state in (JobState.succeeded, JobState.failed, JobState.cancelled, JobState.unknown):
            self.stream.write("\n")
        self.stream.flush()
