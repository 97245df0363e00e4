"""The providers' loopback fake servers (tests/providers/fake_*.py) for window tests: each
runs on its own asyncio loop in a thread, so the window's qasync loop only sees HTTP."""

from __future__ import annotations

import asyncio
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "providers"))

from fake_animus import ANIMUS_KEY, FakeAnimus
from fake_cartoonicate import CARTOONICATE_KEY, FakeCartoonicate
from fake_depicta import DEPICTA_KEY, FakeDepicta
from fake_llamagen import LLAMAGEN_KEY, FakeLlamaGen
from fake_storymint import STORYMINT_KEY, FakeStoryMint


@dataclass(frozen=True)
class Spec:
    """How the window test drives one provider against its fake."""

    provider: str
    fake: type
    key: str
    pages: int
    panels: int
    poll_routes: tuple[str, ...]  # the status reads a "slow" fault holds a job on
    redraw: bool
    continue_: bool


SPECS = {
    s.provider: s
    for s in (
        Spec("llamagen", FakeLlamaGen, LLAMAGEN_KEY, 2, 2, ("status",), True, True),
        Spec("storymint", FakeStoryMint, STORYMINT_KEY, 2, 1, ("stream", "status"), True, False),
        Spec("animus", FakeAnimus, ANIMUS_KEY, 2, 2, ("status",), True, True),
        Spec("depicta", FakeDepicta, DEPICTA_KEY, 2, 2, ("poll", "job"), True, False),
        Spec("cartoonicate", FakeCartoonicate, CARTOONICATE_KEY, 1, 3, ("cartoons",), False, False),
    )
}


class ThreadedFake:
    """A fake server on a private loop in a daemon thread (stopped without waiting for held
    requests, so a "slow" poll never delays the test's end)."""

    def __init__(self, fake: Any) -> None:
        self.fake = fake
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(fake.start(), self.loop).result(10)

    @property
    def url(self) -> str:
        return str(self.fake.url)

    def call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn`` on the fake's loop (fault set-up must not race its handlers)."""
        done = threading.Event()
        out: list[Any] = []

        def run() -> None:
            out.append(fn(*args, **kwargs))
            done.set()

        self.loop.call_soon_threadsafe(run)
        done.wait(5)
        return out[0] if out else None

    def hold(self, routes: tuple[str, ...], seconds: float = 30.0) -> None:
        """The next status read of each route hangs for ``seconds``: the job stays running."""
        for route in routes:
            self.call(self.fake.slow, route, seconds)

    def billable(self) -> int:
        return int(self.call(self.fake.billable_count))

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
