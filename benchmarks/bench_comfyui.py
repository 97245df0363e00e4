"""The studio's own overhead per panel with ComfyUI: submit → stored, against the loopback fake.

Run: python benchmarks/bench_comfyui.py [--pages 25] [--panels 4] [--repeat 3]

A whole book goes through the JobManager (one prompt per panel, followed over the
WebSocket, images downloaded and stored in the project file). The fake draws instantly;
its own time (graph validation, events, PNG bytes) is measured and taken off, so the
figure is what the studio adds per panel.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "providers"))
from fake_comfyui import FakeComfyUI

from studio.core.models import (
    Character,
    JobState,
    Layout,
    Script,
    ScriptPage,
    ScriptPanel,
    Story,
)
from studio.jobs import actions
from studio.jobs.manager import JobManager
from studio.providers.comfyui.provider import ComfyUIProvider
from studio.storage import Project


def _timed(fake: FakeComfyUI, spent: list[float]) -> None:
    """Count the fake's own time (validation and execution) so it can be taken off."""
    validate, execute = fake.validate, fake._execute

    def timed_validate(graph):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return validate(graph)
        finally:
            spent.append(time.perf_counter() - start)

    async def timed_execute(job):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return await execute(job)
        finally:
            spent.append(time.perf_counter() - start)

    fake.validate, fake._execute = timed_validate, timed_execute  # type: ignore[method-assign]


async def one_run(pages: int, panels: int, folder: Path) -> tuple[float, float, int]:
    fake = await FakeComfyUI().start()
    spent: list[float] = []
    _timed(fake, spent)
    story = Story(prompt="Mia runs to the pier.", layout=Layout(pages, panels, paginated=True))
    project = Project.create(folder / f"bench-{time.monotonic_ns()}.comic", story)
    project.set_characters([Character("Mia", age="30", gender="woman", dress="a red coat")])
    script = Script(
        pages=[
            ScriptPage(
                panels=[
                    ScriptPanel(f"Mia runs to pier {p}-{j}.", characters=["Mia"])
                    for j in range(panels)
                ]
            )
            for p in range(pages)
        ]
    )
    project.set_script(script)
    count = project.panel_count()
    manager = JobManager(project, lambda _pid: ComfyUIProvider(None, fake.url, poll_interval=0.5))
    try:
        start = time.perf_counter()
        job = actions.generate(manager, "comfyui")
        await manager.wait()
        elapsed = time.perf_counter() - start
        final = project.job(job.id)
        assert final.state is JobState.succeeded, final.error
        assert len(fake.accepted) == count
    finally:
        await manager.shutdown()
        project.close()
        await fake.close()
    return elapsed, sum(spent), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=25)
    parser.add_argument("--panels", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    best = None
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            elapsed, fake_time, count = asyncio.run(one_run(args.pages, args.panels, Path(tmp)))
            studio = elapsed - fake_time
            print(
                f"{count} panels: {elapsed * 1000 / count:.1f} ms/panel in all, "
                f"fake {fake_time * 1000 / count:.1f} ms/panel, "
                f"studio {studio * 1000 / count:.1f} ms/panel"
            )
            best = studio / count if best is None else min(best, studio / count)
    assert best is not None
    print(f"studio overhead (submit → stored), best of {args.repeat}: {best * 1000:.1f} ms/panel")


if __name__ == "__main__":
    main()
