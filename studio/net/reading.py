"""Reading answers safely: capped bodies, secrets kept out of text and of httpx's log."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import httpx

from studio.net.errors import AssetRefused


class RedactQueries(logging.Filter):
    """httpx logs every request's full URL at INFO; signed asset URLs carry tokens in the
    query. This filter (on the ``httpx`` logger) drops queries from those records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(
                a.copy_with(query=None, fragment=None) if isinstance(a, httpx.URL) else a
                for a in record.args
            )
        return True


def secrets_of(auth_headers: Mapping[str, str]) -> tuple[str, ...]:
    """Every value of the auth headers, and each long enough word of them."""
    found: set[str] = set()
    for value in auth_headers.values():
        if value:
            found.add(value)
            found.update(part for part in value.split() if len(part) >= 6)
    return tuple(found)


async def read_capped(response: httpx.Response, max_bytes: int, what: str) -> bytes:
    """Read a streamed body, aborting as soon as it grows past ``max_bytes``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise AssetRefused(f"{what} is {int(declared):,} bytes; the limit is {max_bytes:,}.")
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise AssetRefused(f"{what} is larger than the limit of {max_bytes:,} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)
