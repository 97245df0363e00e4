"""ComfyUI API-format graphs built in code (text-to-image, image-to-image, IP-Adapter) and a
user's own API-format workflow with ``{{placeholders}}``."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.providers.comfyui.discover import (
    IMG2IMG_NODES,
    INPAINT_NODES,
    IPADAPTER_NODES,
    TXT2IMG_NODES,
    ServerInfo,
)
from studio.providers.errors import NotSupported, ValidationRefused

Graph = dict[str, dict[str, Any]]
PLACEHOLDER = re.compile(r"\{\{\s*(prompt|negative|seed|width|height|reference_image)\s*\}\}")
MAX_WORKFLOW_BYTES = 2 * 1024 * 1024


@dataclass
class Params:
    """What one panel's graph needs."""

    checkpoint: str
    positive: str
    negative: str
    seed: int
    width: int
    height: int
    steps: int = 24
    cfg: float = 6.5
    sampler: str = "euler_ancestral"
    scheduler: str = "normal"
    denoise: float = 1.0
    source_image: str | None = None  # an uploaded input image: image-to-image
    reference_image: str | None = None  # an uploaded character reference: IP-Adapter
    mask_image: str | None = None  # an uploaded mask (with source_image): inpainting
    ipadapter_weight: float = 0.8
    prefix: str = "comic-studio"


def round_size(width: float, height: float, area: int, multiple: int = 64) -> tuple[int, int]:
    """A width × height with the aspect of ``width``/``height``, about ``area`` pixels, each
    side a multiple of ``multiple`` (at least one multiple)."""
    aspect = max(0.1, min(10.0, width / max(1.0, height)))
    h = (area / aspect) ** 0.5
    w = h * aspect

    def snap(v: float) -> int:
        return max(multiple, round(v / multiple) * multiple)

    return snap(w), snap(h)


def _node(class_type: str, **inputs: Any) -> dict[str, Any]:
    return {"class_type": class_type, "inputs": inputs}


def builtin_graph(p: Params) -> Graph:
    """Checkpoint → prompts → (empty latent | encoded source) → KSampler → decode → save.

    With ``reference_image`` the model passes through IP-Adapter first."""
    graph: Graph = {
        "1": _node("CheckpointLoaderSimple", ckpt_name=p.checkpoint),
        "2": _node("CLIPTextEncode", text=p.positive, clip=["1", 1]),
        "3": _node("CLIPTextEncode", text=p.negative, clip=["1", 1]),
        "6": _node("VAEDecode", samples=["5", 0], vae=["1", 2]),
        "7": _node("SaveImage", images=["6", 0], filename_prefix=p.prefix),
    }
    if p.source_image and p.mask_image:
        graph["10"] = _node("LoadImage", image=p.source_image)
        graph["14"] = _node("LoadImageMask", image=p.mask_image, channel="red")
        graph["4"] = _node(
            "VAEEncodeForInpaint", pixels=["10", 0], vae=["1", 2], mask=["14", 0], grow_mask_by=6
        )
    elif p.source_image:
        graph["10"] = _node("LoadImage", image=p.source_image)
        graph["4"] = _node("VAEEncode", pixels=["10", 0], vae=["1", 2])
    else:
        graph["4"] = _node("EmptyLatentImage", width=p.width, height=p.height, batch_size=1)
    model: list[Any] = ["1", 0]
    if p.reference_image:
        graph["11"] = _node("LoadImage", image=p.reference_image)
        graph["12"] = _node("IPAdapterUnifiedLoader", model=model, preset="PLUS (high strength)")
        graph["13"] = _node(
            "IPAdapter",
            model=["12", 0],
            ipadapter=["12", 1],
            image=["11", 0],
            weight=p.ipadapter_weight,
            start_at=0.0,
            end_at=1.0,
            weight_type="standard",
        )
        model = ["13", 0]
    graph["5"] = _node(
        "KSampler",
        model=model,
        positive=["2", 0],
        negative=["3", 0],
        latent_image=["4", 0],
        seed=p.seed,
        steps=p.steps,
        cfg=p.cfg,
        sampler_name=p.sampler,
        scheduler=p.scheduler,
        denoise=p.denoise,
    )
    return dict(sorted(graph.items(), key=lambda kv: int(kv[0])))


def needed_nodes(p: Params) -> tuple[str, ...]:
    nodes = TXT2IMG_NODES
    if p.source_image:
        nodes += INPAINT_NODES if p.mask_image else IMG2IMG_NODES
    if p.reference_image:
        nodes += ("LoadImage", *IPADAPTER_NODES)
    return nodes


def adapt(graph: Graph, info: ServerInfo) -> Graph:
    """Fit a built-in graph to the server: a combo value the server lacks (sampler,
    scheduler, preset) becomes its first option; a required input left out gets the
    server's default. Model names are never swapped (see :func:`check_models`)."""
    for node in graph.values():
        specs = info.inputs(node["class_type"])
        for name, spec in specs.items():
            value = node["inputs"].get(name)
            options = info.options(node["class_type"], name)
            keep = name in ("ckpt_name", "lora_name", "image")
            if options and not keep and value is not None and value not in options:
                node["inputs"][name] = options[0]
            if name not in node["inputs"] and name in info.required(node["class_type"]):
                default = _default(spec, options)
                if default is not None:
                    node["inputs"][name] = default
    return graph


def _default(spec: Any, options: list[str] | None) -> Any:
    if options:
        return options[0]
    if isinstance(spec, list) and len(spec) > 1 and isinstance(spec[1], dict):
        return spec[1].get("default")
    return None


def check_nodes(graph: Graph, info: ServerInfo, what: str) -> None:
    """Refuse, naming them, the node classes the server lacks."""
    lacking = sorted({n["class_type"] for n in graph.values()} - set(info.nodes))
    if lacking:
        raise NotSupported(
            f"The ComfyUI server lacks the node(s) {', '.join(lacking)} needed for {what}; "
            "install the custom nodes that provide them (ComfyUI-Manager can) and restart it."
        )


def check_models(graph: Graph, info: ServerInfo) -> None:
    """Refuse a checkpoint or LoRA the server does not have, naming it and what it has."""
    for node_id, node in graph.items():
        for name in ("ckpt_name", "lora_name"):
            value = node["inputs"].get(name)
            options = info.options(node["class_type"], name)
            if isinstance(value, str) and options is not None and value not in options:
                have = ", ".join(options[:5]) or "none"
                raise ValidationRefused(
                    f"The model {value!r} ({node['class_type']}, node {node_id}) is not on the "
                    f"ComfyUI server; it has: {have}. Choose one in Settings → Providers.",
                    code="model_missing",
                )


# ---------------------------------------------------------------- user workflows


def load_workflow(path: str) -> Graph:
    """A user's API-format workflow (ComfyUI: "Export (API)"), checked for shape."""
    file = Path(path).expanduser()
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ValidationRefused(f"The ComfyUI workflow {path} cannot be read ({exc}).") from exc
    if len(raw) > MAX_WORKFLOW_BYTES:
        raise ValidationRefused(f"The ComfyUI workflow {path} is larger than 2 MB.")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ValidationRefused(f"The ComfyUI workflow {path} is not JSON ({exc}).") from exc
    if isinstance(data, dict) and isinstance(data.get("nodes"), list):
        raise ValidationRefused(
            f'{path} is a ComfyUI UI workflow; save it with "Export (API)" instead.'
        )
    if (
        not isinstance(data, dict)
        or not data
        or not all(
            isinstance(n, dict)
            and isinstance(n.get("class_type"), str)
            and isinstance(n.get("inputs"), dict)
            for n in data.values()
        )
    ):
        raise ValidationRefused(
            f"{path} is not an API-format ComfyUI workflow (node id → class_type, inputs)."
        )
    text = json.dumps(data)
    if "{{prompt}}" not in text.replace(" ", ""):
        raise ValidationRefused(f"The ComfyUI workflow {path} has no {{{{prompt}}}} placeholder.")
    return {str(k): v for k, v in data.items()}


def uses_reference(graph: Graph) -> bool:
    return "reference_image" in json.dumps(graph)


def fill_workflow(template: Graph, p: Params) -> Graph:
    """The template with every placeholder replaced: a value that is only a placeholder takes
    the value's type (``"{{seed}}"`` → an int); inside longer text it is substituted."""
    values: dict[str, Any] = {
        "prompt": p.positive,
        "negative": p.negative,
        "seed": p.seed,
        "width": p.width,
        "height": p.height,
        "reference_image": p.reference_image,
    }

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            whole = PLACEHOLDER.fullmatch(value.strip())
            if whole:
                found = values[whole.group(1)]
                if found is None:
                    raise ValidationRefused(
                        "The ComfyUI workflow needs a reference image ({{reference_image}}), "
                        "but no character in this panel has one."
                    )
                return found
            return PLACEHOLDER.sub(lambda m: str(values[m.group(1)] or ""), value)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    graph = copy.deepcopy(template)
    for node in graph.values():
        node["inputs"] = fill(node["inputs"])
    return graph
