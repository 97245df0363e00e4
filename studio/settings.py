"""Typed user settings (not secrets) in a small JSON file in the user's config dir."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "comic-studio"


def config_dir() -> Path:
    override = os.environ.get("COMIC_STUDIO_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    override = os.environ.get("COMIC_STUDIO_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


@dataclass
class ProviderSettings:
    base_url: str = ""  # "" = the provider's documented default
    requests_per_minute: float = 0  # 0 = the provider's documented default
    max_concurrent: int = 0
    checkpoint: str = ""  # ComfyUI: the model to draw with ("" = the server's first)
    workflow_file: str = ""  # ComfyUI: an API-format workflow with {{placeholders}}


@dataclass
class ScriptWriterSettings:
    """The language model that may write scripts (an OpenAI-compatible endpoint).

    Empty base URL or model: not configured, scripts are written offline. The key is in
    the OS keyring under "llm" (studio.secrets), never here.
    """

    base_url: str = ""  # e.g. http://localhost:11434/v1 (Ollama)
    model: str = ""  # e.g. llama3.1

    @property
    def configured(self) -> bool:
        return bool(self.base_url.strip() and self.model.strip())


@dataclass
class Settings:
    default_provider: str = "local"
    providers: dict[str, ProviderSettings] = field(default_factory=dict)
    recent_files: list[str] = field(default_factory=list)
    show_lettering: bool = True
    page_size: str = "comic"
    script_writer: ScriptWriterSettings = field(default_factory=ScriptWriterSettings)

    def provider(self, provider_id: str) -> ProviderSettings:
        return self.providers.setdefault(provider_id, ProviderSettings())

    def add_recent(self, path: str, limit: int = 10) -> None:
        path = str(Path(path).resolve())
        self.recent_files = [path, *[p for p in self.recent_files if p != path][: limit - 1]]


def _merge(raw: dict[str, Any]) -> Settings:
    settings = Settings()
    for key in ("default_provider", "show_lettering", "page_size"):
        if key in raw and isinstance(raw[key], type(getattr(settings, key))):
            setattr(settings, key, raw[key])
    recent = raw.get("recent_files")
    if isinstance(recent, list):
        settings.recent_files = [str(p) for p in recent if isinstance(p, str)][:10]
    writer = raw.get("script_writer")
    if isinstance(writer, dict):
        for key in ("base_url", "model"):
            if isinstance(writer.get(key), str):
                setattr(settings.script_writer, key, writer[key].strip()[:500])
    providers = raw.get("providers")
    if isinstance(providers, dict):
        for pid, values in providers.items():
            if not isinstance(values, dict):
                continue
            ps = ProviderSettings()
            if isinstance(values.get("base_url"), str):
                ps.base_url = values["base_url"].strip()
            if isinstance(values.get("requests_per_minute"), int | float):
                ps.requests_per_minute = float(values["requests_per_minute"])
            if isinstance(values.get("max_concurrent"), int):
                ps.max_concurrent = values["max_concurrent"]
            for key in ("checkpoint", "workflow_file"):
                if isinstance(values.get(key), str):
                    setattr(ps, key, values[key].strip())
            settings.providers[str(pid)] = ps
    return settings


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings() -> Settings:
    """Defaults merged with whatever valid values the file holds; a broken file is ignored."""
    try:
        raw = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    return _merge(raw) if isinstance(raw, dict) else Settings()


def save_settings(settings: Settings) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
    tmp.replace(path)
