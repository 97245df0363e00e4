"""CPU used by 100 idle-polling remote jobs in the real JobManager against a loopback server.

Run: python benchmarks/bench_idle_poll.py [--jobs 100] [--seconds 30] [--intervals 6 1]
     [--loop asyncio|qt]

The fake LlamaGen server of tests/providers (aiohttp) runs in its own process and keeps
every generation LOADING, answering each status poll at once; so the figures are the
studio side only. The studio process runs a real Project (SQLite, WAL), the real
JobManager and the real LlamaGen adapter (httpx). Every poll is one GET plus one progress
write to the project file, as in the app.

To keep 100 jobs polling at once, the per-provider concurrency is raised to the job count
and the client-side rate limit is lifted; the app's defaults (4 jobs at a time per provider,
LlamaGen 10 requests/min) would poll far less. Each interval is measured in its own studio
process: jobs are submitted, then after a settling period the CPU time (user + system,
`resource.getrusage`) is divided by the wall time of the window.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FAKES = ROOT / "tests" / "providers"
FAKE_KEY = "test-key-not-real"


# ----------------------------------------------------------------- the server process
def serve() -> None:
    """Run the fake LlamaGen server until stdin closes; print its URL first."""
    sys.path.insert(0, str(FAKES))
    from aiohttp import web
    from fake_llamagen import FakeLlamaGen

    class IdleLlamaGen(FakeLlamaGen):
        """Generations never finish; /_count answers how many requests were served."""

        def __init__(self) -> None:
            super().__init__()
            self.loading_polls = 10**9
            self.served = 0

        def add_routes(self, app: web.Application) -> None:
            super().add_routes(app)
            app.router.add_get("/_count", self._count, name="count")

        async def _record(self, origin: str, request: web.Request) -> Any:
            record = await super()._record(origin, request)
            self.served += 1
            self.requests.clear()  # keep the server's memory flat over long runs
            return record

        async def _count(self, request: web.Request) -> web.StreamResponse:
            return web.json_response({"served": self.served})

    async def run() -> None:
        server = await IdleLlamaGen().start()
        print(server.url, flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes stdin
        await server.close()

    asyncio.run(run())


async def _served(url: str) -> int:
    import httpx

    origin = url.rsplit("/v1", 1)[0]
    async with httpx.AsyncClient(timeout=5) as client:
        return int((await client.get(f"{origin}/_count")).json()["served"])


# ----------------------------------------------------------------- the studio process
def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(url: str, jobs: int, interval: float, seconds: float) -> dict[str, Any]:
    from studio.core.models import JobKind, Layout, Story
    from studio.jobs import JobManager
    from studio.providers.llamagen.provider import LlamaGenProvider
    from studio.storage import Project

    def factory(provider_id: str) -> LlamaGenProvider:
        return LlamaGenProvider(
            FAKE_KEY, url, requests_per_minute=1_000_000, poll_interval=interval
        )

    work = Path(tempfile.mkdtemp(prefix="bench-poll-"))
    story = Story(
        title="Idle", prompt="A quiet lighthouse at night.", provider="llamagen",
        layout=Layout(pages=1, panels_per_page=4),
    )  # fmt: skip
    project = Project.create(work / "idle.comic", story)
    manager = JobManager(project, factory, concurrency={"llamagen": jobs})
    start = time.perf_counter()
    for _ in range(jobs):
        manager.submit("llamagen", JobKind.create, {"prompt": story.prompt})
        await asyncio.sleep(0)
    # settle: every job accepted and polling, plus a little more than one interval
    while sum(j.state.value == "running" for j in project.jobs()) < jobs:
        await asyncio.sleep(0.1)
        if time.perf_counter() - start > 120:
            raise RuntimeError("jobs did not all reach the running state in 120 s")
    await asyncio.sleep(interval * 1.5)
    served0, cpu0, wall0 = await _served(url), _cpu(), time.perf_counter()
    await asyncio.sleep(seconds)
    cpu1, wall1 = _cpu(), time.perf_counter()
    served1 = await _served(url)
    wall = wall1 - wall0
    result = {
        "jobs": jobs,
        "interval": interval,
        "seconds": wall,
        "cpu_percent": 100 * (cpu1 - cpu0) / wall,
        # two /_count requests of ours are in the window
        "requests_per_s": (served1 - served0 - 1) / wall,
        "rss_mb": _status_mb("VmRSS"),
        "running": len(manager.running()),
    }
    await manager.shutdown()
    project.close()
    return result


def child(url: str, jobs: int, interval: float, seconds: float, loop: str) -> dict[str, Any]:
    coro = measure(url, jobs, interval, seconds)
    if loop == "qt":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        import qasync
        from PySide6.QtCore import QCoreApplication

        _app = QCoreApplication([])
        return qasync.run(coro)  # type: ignore[no-any-return]
    return asyncio.run(coro)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--intervals", type=float, nargs="+", default=[6.0, 1.0],
        help="poll intervals in seconds (LlamaGen's default is 6 s)",
    )  # fmt: skip
    parser.add_argument("--loop", choices=["asyncio", "qt"], default="qt")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    if args.child is not None:
        result = child(args.url, args.jobs, args.child, args.seconds, args.loop)
        print(json.dumps(result))
        return
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        print(f"fake LlamaGen on {url} (own process); {args.jobs} jobs; loop: {args.loop}")
        for interval in args.intervals:
            command = [sys.executable, __file__, "--child", str(interval), "--url", url]
            command += ["--jobs", str(args.jobs), "--seconds", str(args.seconds)]
            command += ["--loop", args.loop]
            out = subprocess.run(command, capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"poll every {interval:g} s: CPU {r['cpu_percent']:.1f}% of one core, "
                f"{r['requests_per_s']:.1f} requests/s (ideal {args.jobs / interval:.1f}), "
                f"RSS {r['rss_mb']:.0f} MB, {r['running']} jobs polling, "
                f"over {r['seconds']:.0f} s"
            )
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
