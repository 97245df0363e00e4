"""A loopback fake ComfyUI: ``/object_info``, ``/system_stats``, ``/prompt`` (every graph
checked against the object info: node classes, input types, links to real outputs of the
right type), ``/queue``, ``/interrupt``, ``/upload/image``, ``/history``, ``/view`` with
real PNG bytes, and ``/ws`` speaking ComfyUI's event protocol.

Faults: :meth:`FakeComfyUI.drop_sockets_after` (close every socket after N events),
``error_on`` (an ``execution_error``, out of memory or not, on the Nth execution),
``interrupt_on`` (an ``execution_interrupted``), :meth:`restart` (the server forgets its
queue and running prompt, keeps history and files) and ``paused`` (nothing executes).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, web
from fake_base import FakeServer, make_png

SAMPLERS = ["euler", "euler_ancestral", "dpmpp_2m"]
SCHEDULERS = ["normal", "karras", "simple"]
PRESETS = [
    "LIGHT - SD1.5 only (low strength)",
    "STANDARD (medium strength)",
    "PLUS (high strength)",
]


def _int(default: int, lo: int, hi: int) -> list[Any]:
    return ["INT", {"default": default, "min": lo, "max": hi}]


def _float(default: float, lo: float, hi: float) -> list[Any]:
    return ["FLOAT", {"default": default, "min": lo, "max": hi}]


def _node(required: dict[str, Any], output: list[str], *, optional=None, out_node=False):
    spec: dict[str, Any] = {"required": required}
    if optional:
        spec["optional"] = optional
    return {"input": spec, "output": output, "output_node": out_node, "category": "test"}


@dataclass
class Job:
    number: int
    prompt_id: str
    graph: dict[str, Any]
    client_id: str


@dataclass
class Injected:
    error_on: dict[int, bool] = field(default_factory=dict)  # nth execution → oom?
    interrupt_on: set[int] = field(default_factory=set)
    drop_after: int | None = None  # events sent before every socket is closed (once)


class FakeComfyUI(FakeServer):
    billable_routes = frozenset({"prompt"})
    auth_header_names = ("authorization", "x-comfy-token")

    def __init__(self, *, ipadapter: bool = False, checkpoints: list[str] | None = None) -> None:
        super().__init__()
        self.ipadapter = ipadapter
        self.checkpoints = checkpoints if checkpoints is not None else ["sdxl-base.safetensors"]
        self.inputs: dict[str, bytes] = {}  # uploaded input images
        self.files: dict[str, bytes] = {}  # output images
        self.history: dict[str, Any] = {}
        self.pending: list[Job] = []
        self.running: Job | None = None
        self.accepted: list[str] = []  # every prompt id accepted, in order
        self.graphs: dict[str, dict[str, Any]] = {}
        self.executions = 0
        self.sockets: dict[str, list[web.WebSocketResponse]] = {}
        self.socket_opens = 0
        self.events_sent = 0
        self.paused = False
        self.step_delay = 0.0
        self.inject = Injected()
        self.interrupts: list[Any] = []
        self.deleted: list[str] = []
        self._number = 0
        self._work = asyncio.Event()
        self._interrupt = False
        self._worker: asyncio.Task[None] | None = None

    # --------------------------------------------------------------- object info

    def object_info(self) -> dict[str, Any]:
        info = {
            "CheckpointLoaderSimple": _node(
                {"ckpt_name": [list(self.checkpoints)]}, ["MODEL", "CLIP", "VAE"]
            ),
            "CLIPTextEncode": _node(
                {"text": ["STRING", {"multiline": True}], "clip": ["CLIP"]}, ["CONDITIONING"]
            ),
            "EmptyLatentImage": _node(
                {
                    "width": _int(512, 16, 16384),
                    "height": _int(512, 16, 16384),
                    "batch_size": _int(1, 1, 4096),
                },
                ["LATENT"],
            ),
            "KSampler": _node(
                {
                    "model": ["MODEL"],
                    "seed": _int(0, 0, 2**64 - 1),
                    "steps": _int(20, 1, 10000),
                    "cfg": _float(8.0, 0.0, 100.0),
                    "sampler_name": [SAMPLERS],
                    "scheduler": ["COMBO", {"options": SCHEDULERS}],  # the newer combo form
                    "positive": ["CONDITIONING"],
                    "negative": ["CONDITIONING"],
                    "latent_image": ["LATENT"],
                    "denoise": _float(1.0, 0.0, 1.0),
                },
                ["LATENT"],
            ),
            "VAEDecode": _node({"samples": ["LATENT"], "vae": ["VAE"]}, ["IMAGE"]),
            "VAEEncode": _node({"pixels": ["IMAGE"], "vae": ["VAE"]}, ["LATENT"]),
            "VAEEncodeForInpaint": _node(
                {
                    "pixels": ["IMAGE"],
                    "vae": ["VAE"],
                    "mask": ["MASK"],
                    "grow_mask_by": _int(6, 0, 64),
                },
                ["LATENT"],
            ),
            "SaveImage": _node(
                {"images": ["IMAGE"], "filename_prefix": ["STRING", {"default": "ComfyUI"}]},
                [],
                out_node=True,
            ),
            "LoadImage": _node(
                {"image": [sorted(self.inputs), {"image_upload": True}]}, ["IMAGE", "MASK"]
            ),
            "LoadImageMask": _node(
                {
                    "image": [sorted(self.inputs), {"image_upload": True}],
                    "channel": [["alpha", "red", "green", "blue"]],
                },
                ["MASK"],
            ),
            "LoraLoader": _node(
                {
                    "model": ["MODEL"],
                    "clip": ["CLIP"],
                    "lora_name": [["ink-style.safetensors"]],
                    "strength_model": _float(1.0, -100, 100),
                    "strength_clip": _float(1.0, -100, 100),
                },
                ["MODEL", "CLIP"],
            ),
        }
        if self.ipadapter:
            info["IPAdapterUnifiedLoader"] = _node(
                {"model": ["MODEL"], "preset": [PRESETS]},
                ["MODEL", "IPADAPTER"],
                optional={"ipadapter": ["IPADAPTER"]},
            )
            info["IPAdapter"] = _node(
                {
                    "model": ["MODEL"],
                    "ipadapter": ["IPADAPTER"],
                    "image": ["IMAGE"],
                    "weight": _float(1.0, -1, 5),
                    "start_at": _float(0.0, 0, 1),
                    "end_at": _float(1.0, 0, 1),
                    "weight_type": [["standard", "prompt is more important", "style transfer"]],
                },
                ["MODEL"],
            )
        return info

    # ----------------------------------------------------------------- validation

    def validate(self, graph: Any) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """(error, node_errors) the way ComfyUI's ``validate_prompt`` reports them."""
        info = self.object_info()
        if not isinstance(graph, dict) or not graph:
            return _err("invalid_prompt", "Invalid prompt", "not a graph"), {}
        for node_id, node in graph.items():
            ctype = node.get("class_type") if isinstance(node, dict) else None
            if ctype not in info:
                message = f"Node '{ctype}' not found. The custom node may not be installed."
                return _err("missing_node_type", message, f"Node ID '#{node_id}'"), {}
        if not any(info[n["class_type"]]["output_node"] for n in graph.values()):
            return _err("prompt_no_outputs", "Prompt has no outputs", ""), {}
        node_errors: dict[str, Any] = {}
        for node_id, node in graph.items():
            errors = self._node_errors(graph, node, info)
            if errors:
                node_errors[node_id] = {
                    "errors": errors,
                    "dependent_outputs": [],
                    "class_type": node["class_type"],
                }
        if node_errors:
            return _err(
                "prompt_outputs_failed_validation", "Prompt outputs failed validation", ""
            ), node_errors
        return None, {}

    def _node_errors(self, graph: dict[str, Any], node: dict[str, Any], info: dict[str, Any]):
        spec = info[node["class_type"]]["input"]
        inputs = node.get("inputs") or {}
        errors = []
        every = {**spec.get("required", {}), **spec.get("optional", {})}
        for name in spec.get("required", {}):
            if name not in inputs:
                errors.append(
                    _item("required_input_missing", "Required input is missing", name, name)
                )
        for name, value in inputs.items():
            if name not in every:
                continue  # ComfyUI ignores inputs a node does not declare
            problem = _check_value(graph, info, every[name], value)
            if problem:
                kind, details = problem
                errors.append(_item(kind, details, f"{name}: {details}", name))
        return errors

    # ---------------------------------------------------------------- routes

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/object_info", self._object_info, name="object_info")
        app.router.add_get("/system_stats", self._system_stats, name="system_stats")
        app.router.add_post("/prompt", self._prompt, name="prompt")
        app.router.add_get("/queue", self._queue, name="queue")
        app.router.add_post("/queue", self._queue_post, name="queue_post")
        app.router.add_post("/interrupt", self._interrupt_post, name="interrupt")
        app.router.add_post("/upload/image", self._upload, name="upload")
        app.router.add_get("/history/{prompt_id}", self._history, name="history")
        app.router.add_get("/view", self._view, name="view")
        app.router.add_get("/ws", self._ws, name="ws")

    async def start(self) -> FakeComfyUI:
        await super().start()
        self._worker = asyncio.get_running_loop().create_task(self._work_loop())
        return self

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        await self.close_sockets()
        await super().close()

    async def _object_info(self, request: web.Request) -> web.Response:
        return web.json_response(self.object_info())

    async def _system_stats(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "system": {"os": "posix", "comfyui_version": "0.3.99", "python_version": "3.11"},
                "devices": [
                    {
                        "name": "cuda:0 Fake GPU",
                        "type": "cuda",
                        "vram_total": 8 << 30,
                        "vram_free": 6 << 30,
                    }
                ],
            }
        )

    async def _prompt(self, request: web.Request) -> web.Response:
        body = await request.json()
        graph = body.get("prompt")
        error, node_errors = self.validate(graph)
        if error is not None:
            return web.json_response({"error": error, "node_errors": node_errors}, status=400)
        prompt_id = str(body.get("prompt_id") or f"p{len(self.accepted)}")
        self._number += 1
        self.accepted.append(prompt_id)
        self.graphs[prompt_id] = graph
        self.pending.append(Job(self._number, prompt_id, graph, str(body.get("client_id") or "")))
        self._work.set()
        await self._broadcast_status()
        return web.json_response(
            {"prompt_id": prompt_id, "number": self._number, "node_errors": {}}
        )

    async def _queue(self, request: web.Request) -> web.Response:
        def row(job: Job) -> list[Any]:
            return [job.number, job.prompt_id, job.graph, {"client_id": job.client_id}, ["7"]]

        running = [row(self.running)] if self.running else []
        return web.json_response(
            {"queue_running": running, "queue_pending": [row(j) for j in self.pending]}
        )

    async def _queue_post(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("clear"):
            self.pending.clear()
        for pid in body.get("delete") or []:
            self.deleted.append(pid)
            self.pending = [j for j in self.pending if j.prompt_id != pid]
        return web.Response(status=200)

    async def _interrupt_post(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        self.interrupts.append(body)
        wanted = (body or {}).get("prompt_id")
        if self.running is not None and wanted in (None, self.running.prompt_id):
            self._interrupt = True
        return web.Response(status=200)

    async def _upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        field_ = form.get("image")
        if not isinstance(field_, web.FileField):
            return web.Response(status=400)
        data = field_.file.read()
        name = field_.filename
        stem, dot, ext = name.rpartition(".")
        n = 0
        while name in self.inputs and self.inputs[name] != data:
            n += 1
            name = f"{stem} ({n}).{ext}" if dot else f"{field_.filename} ({n})"
        self.inputs[name] = data
        return web.json_response({"name": name, "subfolder": "", "type": "input"})

    async def _history(self, request: web.Request) -> web.Response:
        pid = request.match_info["prompt_id"]
        return web.json_response({pid: self.history[pid]} if pid in self.history else {})

    async def _view(self, request: web.Request) -> web.Response:
        name = request.query.get("filename", "")
        kind = request.query.get("type", "output")
        data = (self.files if kind == "output" else self.inputs).get(name)
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="image/png")

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        cid = request.query.get("clientId") or f"anon{self.socket_opens}"
        self.socket_opens += 1
        self.sockets.setdefault(cid, []).append(ws)
        await ws.send_json({"type": "status", "data": self._status() | {"sid": cid}})
        async for _msg in ws:  # the studio sends nothing; keep the socket until it closes
            pass
        with contextlib.suppress(ValueError):
            self.sockets.get(cid, []).remove(ws)
        return ws

    # ---------------------------------------------------------------- faults

    def drop_sockets_after(self, events: int) -> None:
        self.inject.drop_after = self.events_sent + events

    async def close_sockets(self) -> None:
        for sockets in list(self.sockets.values()):
            for ws in list(sockets):
                await ws.close(code=WSCloseCode.GOING_AWAY)
        self.sockets.clear()

    async def restart(self) -> None:
        """ComfyUI restarted: queue and running prompt forgotten, history and files kept."""
        self.pending.clear()
        self.running = None
        self._interrupt = True  # whatever was running never finishes
        await self.close_sockets()

    # ---------------------------------------------------------------- execution

    def _status(self) -> dict[str, Any]:
        remaining = len(self.pending) + (1 if self.running else 0)
        return {"status": {"exec_info": {"queue_remaining": remaining}}}

    async def _broadcast_status(self) -> None:
        for cid in list(self.sockets):
            await self._send(cid, "status", self._status())

    async def _send(self, cid: str, kind: str, data: dict[str, Any]) -> None:
        sockets = list(self.sockets.get(cid, []))
        if not sockets:
            return
        self.events_sent += 1
        for ws in sockets:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_json({"type": kind, "data": data})
        drop = self.inject.drop_after
        if drop is not None and self.events_sent >= drop:
            self.inject.drop_after = None
            await self.close_sockets()

    async def _work_loop(self) -> None:
        while True:
            if self.paused or not self.pending:
                self._work.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._work.wait(), 0.02)
                continue
            job = self.pending.pop(0)
            self.running, self._interrupt = job, False
            await self._execute(job)
            if self.running is job:
                self.running = None
            await self._broadcast_status()

    async def _execute(self, job: Job) -> None:
        self.executions += 1
        nth, cid, pid = self.executions, job.client_id, job.prompt_id
        messages: list[Any] = [["execution_start", {"prompt_id": pid}]]
        await self._send(cid, "execution_start", {"prompt_id": pid, "timestamp": 0})
        await self._send(cid, "execution_cached", {"nodes": [], "prompt_id": pid})
        sampler = next(k for k, n in job.graph.items() if n["class_type"] == "KSampler")
        for node_id, node in job.graph.items():
            await self._send(
                cid, "executing", {"node": node_id, "display_node": node_id, "prompt_id": pid}
            )
            if node_id == sampler:
                steps = min(3, int(node["inputs"]["steps"]))
                for step in range(1, steps + 1):
                    await asyncio.sleep(self.step_delay)
                    if self._interrupt:
                        break
                    await self._send(
                        cid,
                        "progress",
                        {"value": step, "max": steps, "prompt_id": pid, "node": node_id},
                    )
                if nth in self.inject.error_on:
                    await self._fail(job, node_id, self.inject.error_on[nth], messages)
                    return
                if self._interrupt or nth in self.inject.interrupt_on:
                    if self.running is not job:  # restarted: forgotten, no history
                        return
                    data = {
                        "prompt_id": pid,
                        "node_id": node_id,
                        "node_type": "KSampler",
                        "executed": [],
                    }
                    await self._send(cid, "execution_interrupted", data)
                    self._write(pid, "error", {}, [*messages, ["execution_interrupted", data]])
                    await self._send(cid, "executing", {"node": None, "prompt_id": pid})
                    return
        outputs = {}
        for node_id, node in job.graph.items():
            if node["class_type"] == "SaveImage":
                name = f"{node['inputs'].get('filename_prefix', 'ComfyUI')}_{nth:05}_.png"
                self.files[name] = make_png(pid, self._size(job.graph))
                outputs[node_id] = {
                    "images": [{"filename": name, "subfolder": "", "type": "output"}]
                }
                await self._send(
                    cid, "executed", {"node": node_id, "output": outputs[node_id], "prompt_id": pid}
                )
        await self._send(cid, "execution_success", {"prompt_id": pid, "timestamp": 0})
        self._write(pid, "success", outputs, [*messages, ["execution_success", {"prompt_id": pid}]])
        await self._send(cid, "executing", {"node": None, "prompt_id": pid})

    async def _fail(self, job: Job, node_id: str, oom: bool, messages: list[Any]) -> None:
        pid = job.prompt_id
        data = {
            "prompt_id": pid,
            "node_id": node_id,
            "node_type": "KSampler",
            "executed": [],
            "exception_type": "torch.OutOfMemoryError" if oom else "RuntimeError",
            "exception_message": "CUDA out of memory. Tried to allocate 2.00 GiB"
            if oom
            else "mat1 and mat2 shapes cannot be multiplied",
            "traceback": [],
        }
        await self._send(job.client_id, "execution_error", data)
        self._write(pid, "error", {}, [*messages, ["execution_error", data]])
        await self._send(job.client_id, "executing", {"node": None, "prompt_id": pid})

    def _write(self, pid: str, status: str, outputs: dict[str, Any], messages: list[Any]) -> None:
        self.history[pid] = {
            "prompt": [0, pid, self.graphs.get(pid, {}), {}, []],
            "outputs": outputs,
            "status": {
                "status_str": status,
                "completed": status == "success",
                "messages": messages,
            },
        }

    @staticmethod
    def _size(graph: dict[str, Any]) -> tuple[int, int]:
        for node in graph.values():
            if node["class_type"] == "EmptyLatentImage":
                return max(8, node["inputs"]["width"] // 8), max(8, node["inputs"]["height"] // 8)
        return 64, 64


def _err(kind: str, message: str, details: str) -> dict[str, Any]:
    return {"type": kind, "message": message, "details": details, "extra_info": {}}


def _item(kind: str, message: str, details: str, name: str) -> dict[str, Any]:
    return {
        "type": kind,
        "message": message,
        "details": details,
        "extra_info": {"input_name": name},
    }


def _check_value(graph: dict[str, Any], info: dict[str, Any], spec: list[Any], value: Any):
    """(error type, details) when ``value`` does not fit ``spec``, else None."""
    kind = spec[0]
    opts = spec[1] if len(spec) > 1 and isinstance(spec[1], dict) else {}
    if isinstance(value, list):  # a link [node id, output index]
        if len(value) != 2 or not isinstance(value[1], int) or str(value[0]) not in graph:
            return "bad_linked_input", f"link {value!r} points at no node"
        source = graph[str(value[0])]["class_type"]
        outputs = info[source]["output"]
        if not 0 <= value[1] < len(outputs):
            return "bad_linked_input", f"{source} has no output {value[1]}"
        wanted = "COMBO" if isinstance(kind, list) else kind
        if outputs[value[1]] != wanted and "*" not in (wanted, outputs[value[1]]):
            return "return_type_mismatch", f"{source} gives {outputs[value[1]]}, needs {wanted}"
        return None
    if isinstance(kind, list) or kind == "COMBO":
        options = kind if isinstance(kind, list) else opts.get("options", [])
        if value not in options:
            return "value_not_in_list", f"'{value}' not in {options}"
        return None
    if kind in ("INT", "FLOAT"):
        ok = isinstance(value, int) if kind == "INT" else isinstance(value, int | float)
        if not ok or isinstance(value, bool):
            return "invalid_input_type", f"{value!r} is not {kind}"
        if "min" in opts and value < opts["min"]:
            return "value_smaller_than_min", f"{value} < {opts['min']}"
        if "max" in opts and value > opts["max"]:
            return "value_bigger_than_max", f"{value} > {opts['max']}"
        return None
    if kind == "STRING" and not isinstance(value, str):
        return "invalid_input_type", f"{value!r} is not STRING"
    if kind not in ("INT", "FLOAT", "STRING", "BOOLEAN"):  # a typed input given a constant
        return "invalid_input_type", f"{kind} must be a link, got {value!r}"
    return None
