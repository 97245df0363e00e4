"""The fault soak harness: many studio jobs through the real JobManager against a faulty fake.

:func:`run_soak` opens ``projects`` real project files, and in each runs a chain of jobs
one after another (create first; then redraw / continue / create as the provider allows),
with every project's chain running at the same time. Each project has its own
``JobManager`` and provider (the real adapter over loopback HTTP to the fake, with a
:class:`faults.FaultInjector` attached). :func:`problems` then checks the outcome against
the fake's own record; :func:`figures` gives the numbers the test prints.
"""

from __future__ import annotations

import asyncio
import collections
import io
import random
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fake_base import FakeServer
from faults import FaultInjector, Schedule, summary

from studio.core.models import Character, Job, JobKind, JobState, Location, Story
from studio.jobs import JobManager, actions
from studio.net.client import RetryPolicy
from studio.providers.base import Provider
from studio.providers.resend import ResendPolicy
from studio.storage import Project
from studio.story import derive_script

ENDED = (JobState.succeeded, JobState.failed, JobState.unknown)
CLEAN = ("", "slow")  # faults after which the served body arrived complete
AMBIGUOUS = ("lost", "hang", "truncated", "drop", "cut")  # faults a billable send may meet


@dataclass
class RecordingRetry(RetryPolicy):
    """The studio's retry policy, with every decision recorded and waits scaled down 100×."""

    log: list[tuple[float | None, float | None]] = field(default_factory=list)

    def next_delay(self, attempt: int, waited: float, retry_after: float | None) -> float | None:
        delay = super().next_delay(attempt, waited, retry_after)
        self.log.append((retry_after, delay))
        return delay


async def _scaled_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds / 100)


@dataclass
class SoakCase:
    """One provider: its fake, how to build the adapter, what jobs it can run."""

    id: str
    fake: Callable[[], FakeServer]
    make: Callable[[str, float], Provider]  # (base url, client timeout) → provider
    kinds: tuple[JobKind, ...]
    story: Story
    cast: list[Character] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)


@dataclass
class SoakRun:
    case: SoakCase
    server: FakeServer
    injector: FaultInjector
    retry: RecordingRetry
    jobs: list[Job] = field(default_factory=list)
    stored: list[tuple[int, str, bytes]] = field(default_factory=list)  # (job, url, bytes)
    wall: float = 0.0


async def run_soak(
    case: SoakCase,
    tmp_path: Path,
    schedule: Schedule,
    *,
    jobs: int = 50,
    projects: int = 10,
    seed: int = 1,
    timeout: float = 1.0,
) -> SoakRun:
    server = await case.fake().start()
    retry = RecordingRetry(base_delay=0.01, max_delay=0.5, sleep=_scaled_sleep)
    run = SoakRun(case, server, FaultInjector(schedule, seed).attach(server), retry)
    per_project = [jobs // projects + (1 if n < jobs % projects else 0) for n in range(projects)]

    def provider() -> Provider:
        made = case.make(server.url, timeout)
        made.api.retry = retry  # type: ignore[attr-defined]
        made.resend = ResendPolicy(sleep=_scaled_sleep)  # type: ignore[attr-defined]
        return made

    started = time.perf_counter()
    try:
        await asyncio.gather(
            *(
                _chain(run, tmp_path, n, steps, provider, random.Random(seed * 1000 + n))
                for n, steps in enumerate(per_project)
            )
        )
    finally:
        run.wall = time.perf_counter() - started
        run.injector.detach()
        await server.close()
    return run


async def _chain(
    run: SoakRun,
    tmp_path: Path,
    n: int,
    steps: int,
    provider: Callable[[], Provider],
    rng: random.Random,
) -> None:
    case = run.case
    project = Project.create(tmp_path / f"{case.id}-{n}.comic", _story(case, n, 0))
    project.set_characters(case.cast)
    project.set_locations(case.locations)
    made: list[Provider] = []
    manager = JobManager(project, lambda _pid: made.append(provider()) or made[-1])
    try:
        for step in range(steps):
            job = _submit(manager, case, rng, n, step)
            await manager.wait([job.id])
            run.jobs.append(project.job(job.id))
    finally:
        await manager.shutdown()
        for page in project.pages():
            for panel in page.panels:
                for version in project.versions(panel.id):
                    data = project.asset(version.asset)
                    run.stored.append((version.job_id or 0, version.source_url, data))
        project.close()


def _story(case: SoakCase, n: int, step: int) -> Story:
    base = case.story
    prompt = f"Project {n}, try {step}: {base.prompt}"
    return Story(
        title=base.title, prompt=prompt, style=base.style, size=base.size,
        layout=base.layout, language=base.language, provider=case.id,
    )  # fmt: skip


def _submit(manager: JobManager, case: SoakCase, rng: random.Random, n: int, step: int) -> Job:
    """The next job of a chain: create until something is drawn, then a mix."""
    project = manager.project
    drawn = [
        (page.index, panel.index)
        for page in project.pages()
        for panel in page.panels
        if panel.current_version is not None
    ]
    follow = [k for k in case.kinds if k is not JobKind.create]
    kind = rng.choice(follow * 2 + [JobKind.create]) if drawn and follow else JobKind.create
    words = f"project {n} step {step}"
    if kind is JobKind.redraw:
        page, panel = rng.choice(drawn)
        prompt = f"Redraw for {words}: the hero now wears a red hat."
        return actions.redraw(manager, page, panel, provider_id=case.id, prompt=prompt)
    if kind is JobKind.continue_:
        prompt = f"Then, for {words}, the hero opens a door. A cat runs out."
        return actions.continue_story(
            manager, prompt, provider_id=case.id, pages=1, panels_per_page=2
        )
    story = _story(case, n, step)
    project.set_story(story)
    project.set_script(derive_script(story, project.characters(), project.locations()))
    project.set_script_edited(False)
    return actions.generate(manager, case.id)


# ------------------------------------------------------------------ checks


def served_bodies(server: FakeServer) -> tuple[dict[str, bytes], set[bytes]]:
    """Asset path → the bytes served completely; and every complete file (ZIP members too)."""
    by_path: dict[str, bytes] = {}
    blobs: set[bytes] = set()
    for record in server.requests:
        if record.served is None or record.fault not in CLEAN or record.status != 200:
            continue
        if record.route == "asset":
            by_path[record.path] = record.served
            blobs.add(record.served)
        elif record.served[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(record.served)) as archive:
                blobs.update(archive.read(name) for name in archive.namelist())
    return by_path, blobs


def problems(run: SoakRun) -> list[str]:
    """Everything that breaks the promises of the issue; empty when the run is sound."""
    found: list[str] = []
    for job in run.jobs:
        if job.state not in ENDED:
            found.append(f"job {job.id} ({job.kind.value}) ended {job.state.value}")
        if job.state is JobState.failed and (
            not job.error.strip() or "Traceback" in job.error or "Internal error" in job.error
        ):
            found.append(f"job {job.id} failed without a clear reason: {job.error!r}")
    # A 429 refused its request before any work: the resend of it is not a second send.
    sent = collections.Counter((r.method, r.path, r.raw) for r in run.server.billable_taken())
    found += [f"billable {m} {p} sent {c} times" for (m, p, _), c in sent.items() if c > 1]

    keys = collections.Counter(r.idempotency_key for r in run.server.billable_requests())
    found += [f"idempotency key {k} used {c} times" for k, c in keys.items() if k and c > 1]
    by_path, blobs = served_bodies(run.server)
    for job_id, url, data in run.stored:
        path = urlsplit(url).path if url else ""
        expected = by_path.get(path) if path else None
        if path and expected is None:
            found.append(f"job {job_id} stored {path}, which was never served completely")
        elif path and data != expected:
            found.append(f"job {job_id} stored bytes that differ from what {path} served")
        elif not path and data not in blobs:
            found.append(f"job {job_id} stored {len(data)} bytes the server never served")
    with_versions = {job_id for job_id, _, _ in run.stored}
    found += [
        f"job {job.id} succeeded but stored nothing"
        for job in run.jobs
        if job.state is JobState.succeeded and job.id not in with_versions
    ]
    found += [
        f"Retry-After {after} s answered with a wait of {delay} s"
        for after, delay in run.retry.log
        if after is not None and delay is not None and delay != after
    ]
    return found


def figures(run: SoakRun) -> dict[str, Any]:
    states = collections.Counter(job.state.value for job in run.jobs)
    kinds = collections.Counter(job.kind.value for job in run.jobs)
    return {
        "provider": run.case.id,
        "jobs": len(run.jobs),
        **{state.value: states.get(state.value, 0) for state in ENDED},
        "kinds": dict(kinds),
        **summary(run.server, run.injector),
        "retry_after_honoured": sum(1 for a, d in run.retry.log if a is not None and d == a),
        "wall_s": round(run.wall, 2),
    }


def report(run: SoakRun) -> str:
    """One line of figures, then the reasons of the jobs that did not succeed."""
    lines = [" ".join(f"{k}={v}" for k, v in figures(run).items())]
    reasons = collections.Counter(
        f"{job.state.value} {job.kind.value}: {job.error[:150]}"
        for job in run.jobs
        if job.state is not JobState.succeeded
    )
    lines += [f"  {count}× {text}" for text, count in reasons.most_common()]
    return "\n".join(lines)


def ambiguous_sends(run: SoakRun) -> int:
    """Billable (or upload) sends that met a fault leaving the outcome unknown to the client."""
    return sum(
        1
        for r in run.server.requests
        if r.route != "asset" and r.method != "GET" and r.fault in AMBIGUOUS
    )
