"""Resending a billable request that a 429 refused: bounded, announced and cancellable.

A 429 is a refusal before any work (the provider did not take the request), so sending it
again is not a duplicate. Only a 429 that answered the billable request itself counts (the
client marks it ``refused_before_work``); a LlamaGen 429 about credits is a QuotaError, and
a 5xx, a dropped connection or a timeout stays ambiguous and is never resent.
"""

from __future__ import annotations

import asyncio
import math
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from studio.providers.errors import RateLimited

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


def _default_wait() -> float:
    """First wait without a Retry-After: 5 s, or ``COMIC_STUDIO_RATE_LIMIT_WAIT`` (tests)."""
    try:
        return max(0.0, float(os.environ.get("COMIC_STUDIO_RATE_LIMIT_WAIT", "") or 5.0))
    except ValueError:
        return 5.0


@dataclass
class ResendPolicy:
    """At most ``max_resends`` resends and ``max_total`` seconds of waiting in all."""

    max_resends: int = 3
    max_total: float = 120.0
    first_wait: float = field(default_factory=_default_wait)  # doubled on each resend
    sleep: Sleep = asyncio.sleep

    def delay(self, resends: int, waited: float, error: RateLimited) -> float | None:
        """Seconds to wait before resend number ``resends + 1``; None when out of bounds."""
        if resends >= self.max_resends:
            return None
        if error.retry_after is not None:
            wait = error.retry_after
        else:
            wait = self.first_wait * 2**resends
        return None if waited + wait > self.max_total else wait


def refused_before_work(error: BaseException) -> bool:
    return isinstance(error, RateLimited) and getattr(error, "refused_before_work", False)


def waiting_message(seconds: float) -> str:
    return f"Rate limited — retrying in {math.ceil(seconds)} s"


async def resend_on_429(
    send: Callable[[], Awaitable[T]],
    notify: Callable[[float], None],
    policy: ResendPolicy | None = None,
) -> T:
    """``await send()``; after a 429 that refused it, ``notify(wait)``, wait and send again.

    The wait is an ordinary ``await``: cancelling the task stops it and nothing is sent.
    """
    policy = policy or ResendPolicy()
    resends, waited = 0, 0.0
    while True:
        try:
            return await send()
        except RateLimited as exc:
            if not refused_before_work(exc):
                raise
            wait = policy.delay(resends, waited, exc)
            if wait is None:
                raise
            notify(wait)
            await policy.sleep(wait)
            resends, waited = resends + 1, waited + wait
