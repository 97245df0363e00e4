"""The language-model script writer: any OpenAI-compatible chat completions endpoint.

Asks for the script as JSON in the shot schema (``response_format`` json_schema; plain JSON
mode when the server refuses that), streams the answer (progress), validates and repairs it
(:mod:`studio.story.llm_validate`), asks once more with the problems when it cannot be used,
and then falls back to the offline writer, saying so. HTTP goes through ``studio.net``; the
key goes only to the configured base URL's origin and is never logged or stored here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from studio.core.models import Character, Location, Script, Story
from studio.core.validation import validate_layout, validate_prompt
from studio.net.client import ApiClient, validate_base_url
from studio.net.errors import NetError
from studio.net.stream import StreamCut, post_events
from studio.story import llm_prompt
from studio.story.llm_validate import ScriptInvalid, check_script

log = logging.getLogger("studio.story.llm")

KEY_ID = "llm"  # COMIC_STUDIO_LLM_API_KEY (studio.secrets); keyring entries "llm@<origin>"
SERVER = "The language model server"
ENV_BASE_URL, ENV_MODEL = "COMIC_STUDIO_LLM_BASE_URL", "COMIC_STUDIO_LLM_MODEL"
CHARS_PER_PANEL = 450  # a typical panel's JSON, for the progress estimate
Report = Callable[[float | None, str], None]
_THINK = re.compile(r"^\s*<think>.*?</think>", re.DOTALL)
HINTS = {
    "auth": "Check the key in Settings → Script writer (or COMIC_STUDIO_LLM_API_KEY).",
    "quota": "The account behind the key has no quota left.",
    "rate_limit": "Wait a minute, then write again.",
    "unavailable": "Check that the server runs and the base URL in Settings → Script writer.",
    "not_found": "Check the base URL (it usually ends in /v1) and the model name.",
    "validation": "Check the model name in Settings → Script writer.",
}


@dataclass(frozen=True)
class LlmConfig:
    """Where the writer sends its request. The key is never part of repr or logs."""

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 300.0  # a local model may think for minutes
    stream: bool = True


@dataclass
class Written:
    script: Script
    writer: str  # "llm" or "offline" (the fallback)
    message: str  # what happened, for the job and the window


def offline_script(
    story: Story,
    cast: list[Character],
    locations: list[Location],
    pages: int,
    panels_per_page: int,
) -> Script:
    """The offline writer: the one place that names it (switching writers is one line)."""
    from studio.story import derive_script

    return derive_script(story, cast, locations, pages=pages, panels_per_page=panels_per_page)


def resolve_config(
    base_url: str | None = None,
    model: str | None = None,
    *,
    settings: Any = None,
    env: Mapping[str, str] | None = None,
    with_key: bool = True,
) -> LlmConfig | None:
    """The writer's configuration: arguments, else environment, else settings; the key from
    ``studio.secrets``. None when no endpoint is configured (the writer stays offline)."""
    env = os.environ if env is None else env
    saved = getattr(settings, "script_writer", None)
    url = base_url or env.get(ENV_BASE_URL, "").strip() or getattr(saved, "base_url", "")
    name = model or env.get(ENV_MODEL, "").strip() or getattr(saved, "model", "")
    if not url or not name:
        return None
    key = stored_key(url, env=env) if with_key else None  # the keyring may be slow to ask
    return LlmConfig(base_url=url, model=name, api_key=key)


def key_name(base_url: str) -> str:
    """The keyring entry of the key for ``base_url``: bound to its origin, so a key saved for
    one server is never sent to another one the base URL is later changed to."""
    parts = urlsplit(validate_base_url(base_url))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{KEY_ID}@{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def stored_key(base_url: str, *, env: Mapping[str, str] | None = None) -> str | None:
    """COMIC_STUDIO_LLM_API_KEY (this run's explicit choice), else the keyring's key saved
    for this base URL's origin. Raises ValueError for a base URL the studio refuses."""
    from studio import secrets

    env = os.environ if env is None else env
    value = env.get(secrets.env_var(KEY_ID), "").strip()
    if value:
        return value
    return secrets.get_key(key_name(base_url)) if secrets.keyring_usable() else None


class WriterError(Exception):
    """The language-model writer failed, in words for a person. ``kind`` is the job's
    ``error_kind`` (auth, quota, rate_limit, validation, not_found, unavailable, malformed)."""

    def __init__(self, message: str, *, kind: str, trace_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.trace_id = trace_id
        self.hint = HINTS.get(kind, "")

    def user_message(self) -> str:
        text = f"{self.message} {self.hint}".strip()
        return f"{text} (trace id {self.trace_id})" if self.trace_id else text

    @classmethod
    def from_net(cls, exc: NetError) -> WriterError:
        kind = "unavailable" if exc.category == "unknown" else exc.category
        message = exc.message
        if kind == "rate_limit" and exc.retry_after:
            message = f"{message} The server asks to wait {exc.retry_after:.0f} s."
        return cls(message, kind=kind, trace_id=exc.trace_id)


class LlmWriter:
    """Writes a script with a language model; one instance per job (it owns its client)."""

    def __init__(self, config: LlmConfig, *, transport: Any = None) -> None:
        self.config = config
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        self._api = ApiClient(
            SERVER,
            config.base_url,  # validate_base_url: https, or http on this computer only
            headers,
            requests_per_minute=60,
            max_concurrent=2,
            timeout=config.timeout,
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._api.aclose()

    async def test_connection(self) -> str:
        """Ask the server for its models; a sentence saying what was found."""
        try:
            data = await self._api.get_json("/models")
        except NetError as exc:
            raise WriterError.from_net(exc) from None
        models = data.get("data") if isinstance(data, dict) else None
        ids = [str(m.get("id")) for m in models or [] if isinstance(m, dict)]
        if not ids:
            return "Connected. The server lists no models; the model name is sent as typed."
        if self.config.model in ids:
            return f"Connected. The model {self.config.model!r} is available."
        shown = ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
        return f"Connected, but {self.config.model!r} is not among the models: {shown}."

    async def write(
        self,
        story: Story,
        cast: list[Character],
        locations: list[Location],
        *,
        pages: int,
        panels_per_page: int,
        report: Report | None = None,
    ) -> Written:
        """The script; the offline writer's when the model's answers cannot be used.

        Raises ValidationError for an empty story or layout, and WriterError when the
        server refuses or cannot be reached.
        """
        validate_prompt(story.prompt or "")
        validate_layout(type(story.layout)(pages=pages, panels_per_page=panels_per_page))
        say = report or (lambda _f, _m: None)
        messages = llm_prompt.messages(story, cast, locations, pages, panels_per_page)
        fmt = llm_prompt.response_format(pages, panels_per_page)
        panels = pages * panels_per_page
        problems: list[str] = []
        for attempt in (1, 2):
            say(None, "Asking the language model" if attempt == 1 else "Asking again")
            try:
                try:
                    text = await self._complete(messages, fmt, panels, say)
                except NetError as exc:
                    refused = exc.category == "validation" and "response_format" in str(exc)
                    if fmt["type"] != "json_schema" or not refused:
                        raise
                    log.info("the server refuses json_schema; asking in plain JSON mode")
                    fmt = llm_prompt.response_format(pages, panels_per_page, strict=False)
                    text = await self._complete(messages, fmt, panels, say)
            except _Unusable as exc:
                problems = [str(exc)]
                messages = messages + llm_prompt.correction(exc.partial, problems)
                continue
            except NetError as exc:
                raise WriterError.from_net(exc) from None
            say(0.95, "Checking the script")
            try:
                checked = await asyncio.to_thread(
                    check_script, text, pages, panels_per_page, cast, locations
                )
            except ScriptInvalid as exc:
                problems = exc.problems
                log.info("attempt %d: the answer cannot be used: %s", attempt, exc)
                messages = messages + llm_prompt.correction(text, problems)
                continue
            note = f" Repaired: {'; '.join(checked.notes[:3])}." if checked.notes else ""
            return Written(checked.script, "llm", f"Written by {self.config.model}.{note}".strip())
        say(0.97, "Writing offline instead")
        script = await asyncio.to_thread(
            offline_script, story, cast, locations, pages, panels_per_page
        )
        reason = problems[0] if problems else "no usable answer"
        return Written(
            script,
            "offline",
            f"The language model's script could not be used twice ({reason}); the offline "
            "writer wrote this script instead.",
        )

    async def _complete(
        self, messages: list[dict[str, str]], fmt: dict[str, Any], panels: int, say: Report
    ) -> str:
        """One chat completion; the answer's text. Raises _Unusable for a cut-off answer."""
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "response_format": fmt,
            "temperature": 0.7,
            "stream": self.config.stream,
        }
        parts: list[str] = []
        finish = ""
        expected = panels * CHARS_PER_PANEL
        shown = 0.0
        try:
            events = post_events(self._api, "/chat/completions", body)
            async with contextlib.aclosing(events):
                async for event in events:
                    delta, reason = _delta(event)
                    parts.append(delta)
                    finish = reason or finish
                    fraction = min(0.9, 0.05 + sum(map(len, parts)) / expected)
                    if fraction - shown >= 0.05:
                        shown = fraction
                        say(fraction, "The language model is writing")
        except StreamCut as exc:
            raise _Unusable(f"the answer was cut off mid-way ({exc})", "".join(parts)) from None
        text = _THINK.sub("", "".join(parts)).strip()
        if finish == "length":
            raise _Unusable("the answer was cut off at the model's length limit", text)
        if not text:
            raise _Unusable("the answer was empty", "")
        return text


class _Unusable(Exception):
    def __init__(self, reason: str, partial: str) -> None:
        super().__init__(reason)
        self.partial = partial


def _delta(event: Any) -> tuple[str, str]:
    """(text, finish_reason) of one streamed event or of a whole (non-streamed) answer."""
    if not isinstance(event, dict):
        raise WriterError(f"{SERVER} sent an event that is not an object.", kind="malformed")
    if event.get("error"):
        error = event["error"]
        text = error.get("message") if isinstance(error, dict) else str(error)
        raise WriterError(f"{SERVER} reported an error: {str(text)[:200]}", kind="malformed")
    choices = event.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return "", ""
    choice = choices[0]
    part = choice.get("delta") or choice.get("message") or {}
    content = part.get("content") if isinstance(part, dict) else None
    return (content if isinstance(content, str) else ""), str(choice.get("finish_reason") or "")
