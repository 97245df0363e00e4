"""What a ComfyUI server offers, read from ``GET /object_info`` and ``GET /system_stats``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The node classes each built-in feature needs (core ComfyUI unless noted).
TXT2IMG_NODES = (
    "CheckpointLoaderSimple",
    "CLIPTextEncode",
    "EmptyLatentImage",
    "KSampler",
    "VAEDecode",
    "SaveImage",
)
IMG2IMG_NODES = ("LoadImage", "VAEEncode")
IPADAPTER_NODES = ("IPAdapterUnifiedLoader", "IPAdapter")  # ComfyUI_IPAdapter_plus
INPAINT_NODES = ("LoadImage", "LoadImageMask", "VAEEncodeForInpaint")
LORA_NODES = ("LoraLoader",)

FEATURES: dict[str, tuple[tuple[str, ...], str]] = {
    "text_to_image": (TXT2IMG_NODES, "core ComfyUI"),
    "redraw": (TXT2IMG_NODES + IMG2IMG_NODES, "core ComfyUI"),
    "character_consistency": (IPADAPTER_NODES, "the ComfyUI_IPAdapter_plus custom nodes"),
    "inpaint": (INPAINT_NODES, "core ComfyUI"),
    "loras": (LORA_NODES, "core ComfyUI"),
}


def _options(spec: Any) -> list[str] | None:
    """The allowed values of a combo input (``[[...]]``, or ``["COMBO", {"options": ...}]``)."""
    if not isinstance(spec, list | tuple) or not spec:
        return None
    head = spec[0]
    if isinstance(head, list):
        return [str(v) for v in head]
    if head == "COMBO" and len(spec) > 1 and isinstance(spec[1], dict):
        values = spec[1].get("options")
        return [str(v) for v in values] if isinstance(values, list) else []
    return None


@dataclass
class ServerInfo:
    """Node classes with their input specs and output types, and the models on the server."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    checkpoints: list[str] = field(default_factory=list)
    loras: list[str] = field(default_factory=list)
    system: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, object_info: Any, system_stats: Any = None) -> ServerInfo:
        nodes = object_info if isinstance(object_info, dict) else {}
        nodes = {str(k): v for k, v in nodes.items() if isinstance(v, dict)}
        info = cls(nodes=nodes, system=system_stats if isinstance(system_stats, dict) else {})
        info.checkpoints = info.options("CheckpointLoaderSimple", "ckpt_name") or []
        info.loras = info.options("LoraLoader", "lora_name") or []
        return info

    def has(self, *classes: str) -> bool:
        return all(c in self.nodes for c in classes)

    def missing(self, *classes: str) -> list[str]:
        return [c for c in classes if c not in self.nodes]

    def inputs(self, class_type: str) -> dict[str, Any]:
        """Every input spec of a node class, required and optional, by name."""
        spec = self.nodes.get(class_type, {}).get("input") or {}
        found: dict[str, Any] = {}
        for group in ("required", "optional"):
            if isinstance(spec.get(group), dict):
                found.update(spec[group])
        return found

    def required(self, class_type: str) -> dict[str, Any]:
        spec = self.nodes.get(class_type, {}).get("input") or {}
        return dict(spec.get("required") or {})

    def outputs(self, class_type: str) -> list[str]:
        out = self.nodes.get(class_type, {}).get("output") or []
        return [str(o) for o in out] if isinstance(out, list) else []

    def options(self, class_type: str, name: str) -> list[str] | None:
        return _options(self.inputs(class_type).get(name))

    @property
    def ipadapter(self) -> bool:
        return self.has(*IPADAPTER_NODES)

    @property
    def inpaint(self) -> bool:
        return self.has(*INPAINT_NODES)

    def feature_gaps(self) -> dict[str, str]:
        """Feature → what is missing for it ("" when the server has everything)."""
        gaps: dict[str, str] = {}
        for feature, (classes, source) in FEATURES.items():
            lacking = self.missing(*classes)
            gaps[feature] = f"missing nodes {', '.join(lacking)} ({source})" if lacking else ""
        if not self.checkpoints:
            gaps["text_to_image"] = gaps["text_to_image"] or "no checkpoint in models/checkpoints"
        return gaps

    def summary(self) -> dict[str, Any]:
        """For ``check()``, the CLI and Settings: versions, GPU, models, feature gaps."""
        system = self.system.get("system") if isinstance(self.system, dict) else None
        devices = self.system.get("devices") if isinstance(self.system, dict) else None
        gpu = devices[0] if isinstance(devices, list) and devices else {}
        return {
            "ok": True,
            "comfyui_version": (system or {}).get("comfyui_version", ""),
            "device": gpu.get("name", "") if isinstance(gpu, dict) else "",
            "vram_free": gpu.get("vram_free") if isinstance(gpu, dict) else None,
            "checkpoints": list(self.checkpoints),
            "loras": list(self.loras),
            "node_classes": len(self.nodes),
            "missing": {k: v for k, v in self.feature_gaps().items() if v},
        }
