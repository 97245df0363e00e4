"""Following a ComfyUI job: queue its panels one prompt each, follow them over the WebSocket
(polling ``/history`` and ``/queue`` while it is down), download every image.

The waiter is given what it needs (the client, a ``send`` coroutine that posts one unit,
a socket opener, callbacks) and never imports its provider module. Every unit's prompt id
is saved in the handle before it is sent and again once ComfyUI accepted it, so a restart
finds each prompt through ``/queue`` and ``/history`` and never queues it twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from studio.net.ws import EventSocket, SocketLost
from studio.providers.base import (
    GenerationResult,
    HandleCallback,
    Progress,
    ProgressCallback,
    ResultPanel,
)
from studio.providers.comfyui import parse as cp
from studio.providers.comfyui.client import ComfyClient
from studio.providers.errors import (
    GenerationFailed,
    OutcomeUnknown,
    ProviderError,
    ProviderUnavailable,
)

logger = logging.getLogger("studio.providers.comfyui")
Unit = dict[str, Any]
SendUnit = Callable[[Unit], Awaitable[tuple[str, float | None]]]
OpenSocket = Callable[[], Awaitable[EventSocket]]

IN_FLIGHT = ("sending", "queued")
ENDED = ("done", "failed", "interrupted", "not_sent")
MAX_ATTEMPTS = 3  # a prompt the server lost (restarted) is queued again at most this often
END_EVENTS = ("execution_success", "execution_error", "execution_interrupted")


@dataclass
class Following:
    """What the socket has told us since the last look."""

    up: bool = False
    ended: set[str] = field(default_factory=set)  # prompt ids that ended
    running: str = ""  # prompt id executing now
    step: tuple[int, int] = (0, 0)
    queue_remaining: int | None = None


class Waiter:
    """One ``wait()`` of a ComfyUI job (see the module docstring)."""

    def __init__(
        self,
        api: ComfyClient,
        handle: dict[str, Any],
        send: SendUnit,
        open_socket: OpenSocket,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
        *,
        poll_interval: float,
        timeout: float,
        window: int = 8,
    ) -> None:
        self.api = api
        self.handle = dict(handle)
        self.units: list[Unit] = [dict(u) for u in self.handle.get("units") or []]
        self.handle["units"] = self.units
        self.send = send
        self.open_socket = open_socket
        self.progress = progress
        self.save_handle = save_handle
        self.poll_interval = poll_interval
        self.timeout = timeout
        self.window = max(1, window)
        self.follow = Following()
        self.wake = asyncio.Event()
        self.connected = asyncio.Event()  # set once the socket opened (or failed to)
        self.positions: dict[str, int] = {}
        self._last_report = 0.0
        self._last_poll = -1e9

    async def run(self) -> list[ResultPanel]:
        if not self.units:
            raise GenerationFailed("This ComfyUI job has no panels to draw.")
        listener = asyncio.get_running_loop().create_task(self._listen(), name="comfyui-ws")
        try:
            with contextlib.suppress(TimeoutError):  # events before it opens would be lost
                await asyncio.wait_for(self.connected.wait(), 2.0)
            await self._follow_all()
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
        return await self._download_all()

    def notes(self) -> str:
        """What did not become a panel, in plain words."""
        notes = []
        for unit in self.units:
            where = _where(unit)
            match unit.get("state"):
                case "failed":
                    notes.append(f"{where.capitalize()} failed: {unit.get('error', '')}")
                case "interrupted":
                    notes.append(f"{where.capitalize()} was interrupted on the ComfyUI server.")
                case "not_sent":
                    notes.append(f"{where.capitalize()} was not queued after the earlier failure.")
        return " ".join(notes)

    # -------------------------------------------------------------- the loop

    async def _follow_all(self) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            await self._send_more()
            polling = time.monotonic() - self._last_poll >= self._poll_every()
            moved = await self._check(polling)
            if all(u.get("state") in ENDED for u in self.units):
                return
            self._report()
            if moved and any(u.get("state") == "planned" for u in self.units):
                continue  # room in the window: queue the next panels at once
            if time.monotonic() >= deadline:
                raise ProviderUnavailable(
                    "ComfyUI is still drawing this job; Retry follows it again without "
                    "queueing anything twice."
                )
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), self._poll_every())

    def _poll_every(self) -> float:
        """Poll often while the socket is down; otherwise a slow safety poll."""
        return self.poll_interval if not self.follow.up else self.poll_interval * 10

    async def _send_more(self) -> None:
        stopped = self.handle.get("stopped")
        for unit in self.units:
            if unit.get("state") != "planned":
                continue
            if stopped:
                unit["state"] = "not_sent"
                continue
            if sum(u.get("state") in IN_FLIGHT for u in self.units) >= self.window:
                break
            unit["state"] = "sending"
            unit["prompt_id"] = unit.get("prompt_id") or uuid.uuid4().hex
            unit["attempts"] = int(unit.get("attempts") or 0) + 1
            await self._save()  # the prompt id is known before it leaves
            try:
                prompt_id, number = await self.send(unit)
            except OutcomeUnknown as exc:  # the answer was lost: found (or not) by its id
                logger.info("%s: %s; looking it up", _where(unit), exc.message)
                continue
            except ProviderError as exc:
                unit["state"] = "planned" if exc.kind == "unavailable" else "failed"
                unit["error"] = exc.message
                unit["attempts"] -= 1
                await self._save()
                raise
            unit.update(state="queued", prompt_id=prompt_id, number=number)
            await self._save()

    async def _check(self, polling: bool) -> bool:
        """Look up ended prompts (socket) or, when a poll is due, every prompt in flight.
        True when a unit ended or was found lost."""
        flight = [u for u in self.units if u.get("state") in IN_FLIGHT]
        if not flight:
            return False
        ended = self.follow.ended
        self.follow.ended = set()
        if polling:
            self._last_poll = time.monotonic()
            running, pending = cp.queue_ids(await self._get("/queue"))
            self.positions = {pid: n + len(running) + 1 for n, pid in enumerate(pending)}
            self.positions.update(dict.fromkeys(running, 0))
            for unit in flight:
                if unit["prompt_id"] not in self.positions:
                    await self._look_up(unit, lost_if_absent=True)
                elif unit["state"] == "sending":  # its answer was lost, but ComfyUI has it
                    unit["state"] = "queued"
                    await self._save()
        else:
            for unit in flight:
                if unit["prompt_id"] in ended:
                    await self._look_up(unit, lost_if_absent=False)
        return any(u.get("state") not in IN_FLIGHT for u in flight)

    async def _look_up(self, unit: Unit, *, lost_if_absent: bool) -> None:
        pid = unit["prompt_id"]
        state = cp.history_state(await self._get(f"/history/{pid}"), pid)
        match state.status:
            case "success" if state.images:
                unit.update(state="done", images=state.images[:1])
            case "success":
                unit.update(state="failed", error="the workflow saved no image")
            case "error":
                error = cp.execution_error(state.error, _where(unit))
                unit.update(state="failed", error=error.message, error_code=error.code)
                if error.code == "out_of_memory":
                    self.handle["stopped"] = "out_of_memory"
            case "interrupted":
                unit["state"] = "interrupted"
                self.handle["stopped"] = "interrupted"
            case _ if lost_if_absent:  # neither queued nor in history: never ran; queue again
                if int(unit.get("attempts") or 0) >= MAX_ATTEMPTS:
                    unit.update(state="failed", error="ComfyUI lost this prompt repeatedly")
                else:
                    logger.info("%s: ComfyUI lost %s; queueing it again", _where(unit), pid)
                    unit["state"] = "planned"
            case _:
                return
        await self._save()

    async def _get(self, path: str) -> Any:
        return await self.api.get_json(path)

    async def _save(self) -> None:
        if self.save_handle is not None:
            await self.save_handle(dict(self.handle, units=[dict(u) for u in self.units]))

    # ------------------------------------------------------------ the socket

    async def _listen(self) -> None:
        """Keep a socket open; while it is down the loop polls. Reconnects with backoff."""
        delay = 0.1
        while True:
            try:
                socket = await self.open_socket()
            except SocketLost as exc:
                logger.debug("ComfyUI socket: %s", exc)
                self.connected.set()
                self._socket_down()
                await asyncio.sleep(delay)
                delay = min(5.0, delay * 2)
                continue
            self.follow.up, delay = True, 0.1
            self.connected.set()
            try:
                while True:
                    self._on_event(await socket.receive())
            except SocketLost as exc:
                logger.info("ComfyUI socket lost (%s); polling /history meanwhile", exc)
                self._socket_down()
            finally:
                await socket.close()

    def _socket_down(self) -> None:
        if self.follow.up:
            self.follow.up = False
            self._last_poll = -1e9  # poll at once: events may have been missed
            self.wake.set()

    def _on_event(self, message: dict[str, Any]) -> None:
        kind, data = cp.event(message)
        pid = str(data.get("prompt_id") or "")
        match kind:
            case "status":
                info = (data.get("status") or {}).get("exec_info") or {}
                remaining = info.get("queue_remaining")
                self.follow.queue_remaining = remaining if isinstance(remaining, int) else None
                self._last_poll = -1e9  # refresh positions
            case "execution_start":
                self.follow.running, self.follow.step = pid, (0, 0)
            case "progress":
                value, top = data.get("value"), data.get("max")
                if isinstance(value, int) and isinstance(top, int) and top > 0:
                    self.follow.running, self.follow.step = pid, (value, top)
                    self._report()
                return
            case "executing" if data.get("node") is None and pid:
                self.follow.ended.add(pid)
            case k if k in END_EVENTS and pid:
                self.follow.ended.add(pid)
                if self.follow.running == pid:
                    self.follow.running = ""
            case _:
                return
        self.wake.set()

    # -------------------------------------------------------------- progress

    def _report(self) -> None:
        now = time.monotonic()
        if now - self._last_report < 0.2:
            return
        self._last_report = now
        total = len(self.units)
        done = sum(u.get("state") in ENDED for u in self.units)
        now_running = {self.follow.running} | {p for p, n in self.positions.items() if n == 0}
        running = next((u for u in self.units if u.get("prompt_id") in now_running), None)
        step = 0.0
        if running is not None and running.get("state") in IN_FLIGHT:
            value, top = self.follow.step if running["prompt_id"] == self.follow.running else (0, 0)
            step = value / top if top else 0.0
            message = f"ComfyUI is drawing {_where(running)} ({done} of {total} done)"
            if top:
                message += f", step {value}/{top}"
        else:
            ours = [self.positions[u["prompt_id"]] for u in self.units if _queued_at(u, self)]
            if ours:
                message = f"Queued in ComfyUI at position {min(ours)} ({done} of {total} done)"
            else:
                message = f"Waiting for ComfyUI ({done} of {total} done)"
        self.progress(Progress(fraction=(done + step) / total, message=message))

    # -------------------------------------------------------------- download

    async def _download_all(self) -> list[ResultPanel]:
        finished = [u for u in self.units if u.get("state") == "done"]
        if finished:
            self.progress(Progress(state="downloading", message="Downloading from ComfyUI…"))
        panels = []
        for unit in finished:
            image = unit["images"][0]
            data, mime = await self.api.download_asset(cp.view_path(image))
            panels.append(
                ResultPanel(
                    page=int(unit["page"]),
                    panel=int(unit["panel"]),
                    data=data,
                    mime=mime,
                    source_url=f"comfyui:{image['type']}/{image['subfolder']}/{image['filename']}",
                )
            )
        return panels


def _queued_at(unit: Unit, waiter: Waiter) -> bool:
    return unit.get("state") == "queued" and unit.get("prompt_id") in waiter.positions


def _where(unit: Unit) -> str:
    return f"page {int(unit['page']) + 1} panel {int(unit['panel']) + 1}"


def result_of(panels: list[ResultPanel], waiter: Waiter) -> GenerationResult:
    """The job's result, or the first failure when no panel came out."""
    notes = waiter.notes()
    if not panels:
        failed = [u for u in waiter.units if u.get("state") == "failed"]
        if failed and failed[0].get("error_code") == "out_of_memory":
            raise GenerationFailed(failed[0]["error"], code="out_of_memory")
        raise GenerationFailed(notes or "ComfyUI finished without any image.")
    message = f"Stored {len(panels)} panel(s). {notes}" if notes else ""
    return GenerationResult(panels=panels, credits=0, message=message)
