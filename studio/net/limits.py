"""Client-side rate limiting, concurrency limits and retry backoff for provider HTTP calls."""

from __future__ import annotations

import asyncio
import collections
import hashlib
import math
import os
import random
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    """A sliding-window limiter: at most ``capacity`` grants in any ``window`` seconds.

    ``requests_per_minute`` may be fractional: 10 → 10 per 60 s, 0.5 → 1 per 120 s.
    Waiters are served in arrival order. ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        requests_per_minute: float,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._grants: collections.deque[float] = collections.deque()
        self._lock: asyncio.Lock | None = None
        self.capacity = 1
        self.window = 60.0
        self.set_rate(requests_per_minute)

    def set_rate(self, requests_per_minute: float) -> None:
        if requests_per_minute <= 0:
            raise ValueError("requests_per_minute must be positive")
        self.requests_per_minute = requests_per_minute
        self.capacity = max(1, math.floor(requests_per_minute))
        self.window = self.capacity * 60.0 / requests_per_minute

    def delay(self) -> float:
        """Seconds until a grant would be available now (0 when one is free)."""
        now = self._clock()
        while self._grants and self._grants[0] <= now - self.window:
            self._grants.popleft()
        if len(self._grants) < self.capacity:
            return 0.0
        return self._grants[0] + self.window - now

    async def acquire(self) -> None:
        """Wait until a request may be sent, then count it."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            while (wait := self.delay()) > 0:
                await self._sleep(wait)
            self._grants.append(self._clock())


@dataclass
class KeyLimits:
    """The limits shared by every client that uses one provider key."""

    limiter: RateLimiter
    semaphore: asyncio.Semaphore


# One registry per event loop: asyncio primitives belong to the loop that created them.
_REGISTRY: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str], KeyLimits]]
_REGISTRY = weakref.WeakKeyDictionary()


def key_fingerprint(secret: str) -> str:
    """A short, non-reversible id for a key (used as a registry key, never logged raw)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def limits_for(
    provider: str, key_hash: str, requests_per_minute: float, max_concurrent: int
) -> KeyLimits:
    """The shared limiter and semaphore for (provider, key) on the running loop.

    A later caller with a different rate updates the shared limiter (the newest setting wins).
    """
    loop = asyncio.get_running_loop()
    per_loop = _REGISTRY.setdefault(loop, {})
    limits = per_loop.get((provider, key_hash))
    if limits is None:
        limits = KeyLimits(RateLimiter(requests_per_minute), asyncio.Semaphore(max_concurrent))
        per_loop[(provider, key_hash)] = limits
    elif limits.limiter.requests_per_minute != requests_per_minute:
        limits.limiter.set_rate(requests_per_minute)
    return limits


def retry_budget() -> float:
    """Seconds of consecutive failures a GET rides out: 120, or ``COMIC_STUDIO_RETRY_BUDGET``."""
    try:
        return max(0.0, float(os.environ.get("COMIC_STUDIO_RETRY_BUDGET", "") or 120.0))
    except ValueError:
        return 120.0


def retry_base_delay() -> float:
    """The first backoff step: 0.5 s, or ``COMIC_STUDIO_RETRY_BASE_DELAY`` (tests)."""
    try:
        return max(0.0, float(os.environ.get("COMIC_STUDIO_RETRY_BASE_DELAY", "") or 0.5))
    except ValueError:
        return 0.5


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter for idempotent requests, bounded by time.

    Retries go on while the consecutive failures (the waits plus the failed requests'
    own time) have lasted less than ``max_total`` seconds (2 minutes by default): a paid
    job's polls and downloads ride out a bad spell instead of failing after a few tries.
    A ``Retry-After`` longer than what is left ends the retries at once. ``attempts``
    (counting the first try) can cap them too; None: no cap.
    """

    attempts: int | None = None
    base_delay: float = field(default_factory=retry_base_delay)
    max_delay: float = 20.0
    max_total: float = field(default_factory=retry_budget)
    sleep: Sleep = asyncio.sleep
    random: Callable[[], float] = field(default=random.random)

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max_delay, base·2^attempt)]; attempt counts from 0."""
        return self.random() * min(self.max_delay, self.base_delay * (2 ** min(attempt, 30)))

    def next_delay(self, attempt: int, waited: float, retry_after: float | None) -> float | None:
        """Seconds to wait before the next try, or ``None`` when retries are exhausted.

        ``waited``: how long the failures so far have lasted (waits and failed requests)."""
        if self.attempts is not None and attempt + 1 >= self.attempts:
            return None
        delay = retry_after if retry_after is not None else self.backoff(attempt)
        if waited + delay > self.max_total:
            return None
        return delay


DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def client_timeout(seconds: httpx.Timeout | float | None) -> httpx.Timeout:
    """An httpx timeout: ``seconds`` for every phase (connect at most 10 s), else the default.

    A billable request whose answer does not come within it ends as ``OutcomeUnknown``.
    """
    if seconds is None:
        return DEFAULT_TIMEOUT
    if isinstance(seconds, httpx.Timeout):
        return seconds
    if seconds <= 0:
        raise ValueError("the HTTP timeout must be positive")
    return httpx.Timeout(float(seconds), connect=min(float(seconds), 10.0))
