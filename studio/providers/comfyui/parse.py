"""Reading ComfyUI's answers: ``/prompt`` (and its ``node_errors``), ``/history``, ``/queue``,
WebSocket events and execution errors, into plain values and the ProviderError family."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from studio.providers.errors import (
    GenerationFailed,
    MalformedResponse,
    NotSupported,
    ProviderError,
    ValidationRefused,
)

MODEL_INPUTS = ("ckpt_name", "lora_name", "vae_name", "unet_name", "clip_name", "preset")
_OOM = ("out of memory", "outofmemory", "allocation on device", "cuda error: out of mem")


def _text(value: Any, limit: int = 300) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def accepted(answer: Any) -> tuple[str, float | None]:
    """(prompt id, queue number) of a ``POST /prompt`` answer."""
    if not isinstance(answer, dict) or not isinstance(answer.get("prompt_id"), str):
        raise MalformedResponse("ComfyUI accepted the prompt but its answer has no prompt_id.")
    number = answer.get("number")
    return answer["prompt_id"], float(number) if isinstance(number, int | float) else None


def prompt_error(body: Any) -> ProviderError | None:
    """A clear error for ComfyUI's ``{"error": {...}, "node_errors": {...}}`` (HTTP 400)."""
    if not isinstance(body, dict):
        return None
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    kind = str(error.get("type") or "")
    message = _text(error.get("message"))
    details = _text(error.get("details"))
    if kind == "missing_node_type" or (kind == "invalid_prompt" and "does not exist" in message):
        return NotSupported(
            f"ComfyUI refused the workflow: {message} ({details}). Install the custom nodes "
            "that provide it and restart ComfyUI.",
            code="node_missing",
        )
    nodes = body.get("node_errors") if isinstance(body.get("node_errors"), dict) else {}
    for node_id, entry in nodes.items():
        if not isinstance(entry, dict):
            continue
        class_type = _text(entry.get("class_type"), 80)
        for item in entry.get("errors") or []:
            if not isinstance(item, dict):
                continue
            extra = item.get("extra_info") if isinstance(item.get("extra_info"), dict) else {}
            name = str(extra.get("input_name") or "")
            what = _text(item.get("details") or item.get("message"))
            if item.get("type") == "value_not_in_list" and name in MODEL_INPUTS:
                return ValidationRefused(
                    f"ComfyUI does not have the model for {class_type} (node {node_id}, "
                    f"{name}): {what}. Put it in ComfyUI's models folder or choose another "
                    "in Settings → Providers.",
                    code="model_missing",
                )
            where = f"{class_type} (node {node_id})" + (f", input {name!r}" if name else "")
            return ValidationRefused(
                f"ComfyUI refused the workflow at {where}: {what}.", code="node_error"
            )
    if message:
        return ValidationRefused(
            f"ComfyUI refused the workflow: {message}" + (f" ({details})" if details else "."),
            code=kind,
        )
    return None


# ------------------------------------------------------------------ executions


def is_oom(data: dict[str, Any]) -> bool:
    text = f"{data.get('exception_type', '')} {data.get('exception_message', '')}".lower()
    return any(word in text for word in _OOM)


def execution_error(data: Any, where: str) -> ProviderError:
    """A GenerationFailed naming the node and what went wrong (out of memory said plainly)."""
    data = data if isinstance(data, dict) else {}
    node = f"{_text(data.get('node_type'), 80) or 'a node'} (node {data.get('node_id', '?')})"
    if is_oom(data):
        return GenerationFailed(
            f"ComfyUI ran out of GPU memory in {node} while drawing {where}. Close other GPU "
            "programs, pick a smaller checkpoint, or lower the story's size.",
            code="out_of_memory",
        )
    message = _text(data.get("exception_message")) or "no reason given"
    return GenerationFailed(
        f"ComfyUI failed in {node} while drawing {where}: {message}", code="execution_error"
    )


@dataclass
class HistoryState:
    """One prompt in ``/history``: absent, running, or ended with its images or error."""

    status: str = "absent"  # absent | success | error | interrupted
    images: list[dict[str, str]] = field(default_factory=list)
    error: dict[str, Any] = field(default_factory=dict)


def history_state(data: Any, prompt_id: str) -> HistoryState:
    entry = data.get(prompt_id) if isinstance(data, dict) else None
    if not isinstance(entry, dict):
        return HistoryState()
    status = entry.get("status") if isinstance(entry.get("status"), dict) else {}
    messages = status.get("messages") if isinstance(status.get("messages"), list) else []
    for item in messages:
        if isinstance(item, list | tuple) and len(item) == 2:
            if item[0] == "execution_error":
                return HistoryState("error", error=item[1] if isinstance(item[1], dict) else {})
            if item[0] == "execution_interrupted":
                return HistoryState("interrupted")
    if status.get("status_str") == "error":
        return HistoryState("error", error={"exception_message": "ComfyUI reported an error"})
    images = output_images(entry.get("outputs"))
    if status and not status.get("completed", True):
        return HistoryState("error", error={"exception_message": "the prompt did not complete"})
    return HistoryState("success", images=images)


def output_images(outputs: Any) -> list[dict[str, str]]:
    """Saved images of a prompt's outputs (type "output" first, then previews)."""
    found: list[dict[str, str]] = []
    if not isinstance(outputs, dict):
        return found
    for node_output in outputs.values():
        images = node_output.get("images") if isinstance(node_output, dict) else None
        for image in images if isinstance(images, list) else []:
            if isinstance(image, dict) and isinstance(image.get("filename"), str):
                found.append(
                    {
                        "filename": image["filename"],
                        "subfolder": str(image.get("subfolder") or ""),
                        "type": str(image.get("type") or "output"),
                    }
                )
    found.sort(key=lambda i: i["type"] != "output")
    return found


def view_path(image: dict[str, str]) -> str:
    """A relative ``view?…`` URL (relative, so a base path such as /comfy is kept)."""
    return "view?" + urlencode(
        {"filename": image["filename"], "subfolder": image["subfolder"], "type": image["type"]}
    )


def queue_ids(data: Any) -> tuple[list[str], list[str]]:
    """(running prompt ids, pending prompt ids in queue order) from ``GET /queue``."""

    def ids(items: Any) -> list[tuple[float, str]]:
        out = []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, list | tuple) and len(item) > 1 and isinstance(item[1], str):
                number = item[0] if isinstance(item[0], int | float) else 0
                out.append((float(number), item[1]))
        return sorted(out)

    data = data if isinstance(data, dict) else {}
    running = [pid for _, pid in ids(data.get("queue_running"))]
    pending = [pid for _, pid in ids(data.get("queue_pending"))]
    return running, pending


def event(message: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(type, data) of a WebSocket message."""
    data = message.get("data")
    return str(message.get("type") or ""), data if isinstance(data, dict) else {}
