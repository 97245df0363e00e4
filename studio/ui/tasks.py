"""Keeps references to the asyncio tasks that widgets start through services."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger("studio.ui")


class TaskRunner:
    """Widgets never own coroutines: they ask the runner, which holds each task until done."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(
        self,
        coro: Coroutine[Any, Any, T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        name: str = "",
    ) -> asyncio.Task[T]:
        task = asyncio.get_event_loop().create_task(coro, name=name or None)
        self._tasks.add(task)

        def finished(t: asyncio.Task[T]) -> None:
            self._tasks.discard(t)
            if t.cancelled():
                return
            exc = t.exception()
            if exc is not None:
                if on_error is not None:
                    on_error(exc)
                else:
                    log.error("background task %s failed: %s", name, exc)
            elif on_done is not None:
                on_done(t.result())

        task.add_done_callback(finished)
        return task

    def run_in_thread(
        self,
        func: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        name: str = "",
    ) -> asyncio.Task[T]:
        """CPU or disk work off the UI thread; callbacks run back on the UI thread."""
        return self.spawn(
            asyncio.to_thread(func, *args), on_done=on_done, on_error=on_error, name=name
        )

    def pending(self) -> int:
        return len(self._tasks)

    async def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
