"""Async generators on the window's loop: qasync's loop never installs asyncio's hooks."""

from __future__ import annotations

import asyncio
import sys


def finalize_async_generators() -> None:
    """Let the running loop close the async generators nobody closed (call it on the loop).

    ``asyncio.BaseEventLoop.run_forever`` installs ``sys.set_asyncgen_hooks`` so that an
    async generator dropped half-read (httpx leaves its byte-stream generators to the
    garbage collector when a response is closed early, e.g. a StoryMint event stream) is
    closed *on the loop*. ``qasync.QEventLoop.run_forever`` does not; the collector then
    closes them without a loop and the log shows "RuntimeError: async generator ignored
    GeneratorExit". This installs the running loop's own hooks, which also lets
    ``asyncio.run`` close the remaining generators at shutdown.
    """
    loop = asyncio.get_running_loop()
    firstiter = getattr(loop, "_asyncgen_firstiter_hook", None)
    finalizer = getattr(loop, "_asyncgen_finalizer_hook", None)
    if firstiter is None or finalizer is None:  # not a BaseEventLoop: it has its own way
        return
    if sys.get_asyncgen_hooks().finalizer is None:
        sys.set_asyncgen_hooks(firstiter=firstiter, finalizer=finalizer)
