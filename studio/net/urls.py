"""Base URL rules for providers: https only (plain http for loopback), and origins."""

from __future__ import annotations

import ipaddress

import httpx

Origin = tuple[str, str, int]


def _is_loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(url: str) -> str:
    """Check a provider base URL and return it without a trailing slash.

    https is required; plain http only for this computer (127.0.0.0/8, ::1, localhost).
    Raises ValueError with a message a person can act on.
    """
    text = (url or "").strip()
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"The base URL is not a valid URL ({exc}).") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError("The base URL must start with https:// and name a host.")
    if parsed.userinfo:
        raise ValueError("The base URL must not contain a user name or password.")
    if parsed.query or parsed.fragment:
        raise ValueError("The base URL must not contain a query (?…) or fragment (#…).")
    if parsed.scheme == "http" and not _is_loopback(parsed.host):
        raise ValueError(
            f"Plain http:// is only allowed for this computer (localhost, 127.0.0.1, ::1); "
            f"use https://{parsed.host} instead, so the API key is never sent unencrypted."
        )
    return str(parsed).rstrip("/")


def origin_of(url: httpx.URL) -> Origin:
    default = 443 if url.scheme == "https" else 80
    return (url.scheme, (url.host or "").lower(), url.port or default)
