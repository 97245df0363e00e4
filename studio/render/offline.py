"""The offline renderer: one clean, text-free storyboard image per script panel."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from PIL import Image

from studio.core.models import Character, Location, ScriptPanel
from studio.render.canvas import Camera, Canvas, stable_int
from studio.render.compose import encode_png
from studio.render.figures import Pose, draw_figure
from studio.render.looks import Look, character_look
from studio.render.scenes import GROUND_Y, draw_scene, light_of, scene_kind

SUPERSAMPLE = 2  # draw at 2× and box-reduce: anti-aliased ink lines at flat-colour speed
_MAX_INTERNAL_SIDE = 4096
_SHOTS = ("wide", "medium", "close", "medium")
_CLOSE_WORDS = ("close-up", "closeup", "close up", "face", "closely", "portrait")
_WIDE_WORDS = ("wide", "establishing", "panorama", "landscape", "aerial", "long shot", "crowd")


@dataclass
class RenderedPanel:
    """A rendered panel: PNG bytes plus each character's head position (0..1) by name."""

    png: bytes
    anchors: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Actor:
    look: Look
    pose: Pose


def render_panel(
    panel: ScriptPanel,
    cast: list[Character],
    locations: list[Location],
    width: int,
    height: int,
    *,
    seed: int = 0,
    index: int = 0,
) -> RenderedPanel:
    """Draw ``panel`` as clean art (no text) at ``width`` × ``height``; deterministic."""
    image, anchors = render_image(panel, cast, locations, width, height, seed=seed, index=index)
    return RenderedPanel(png=encode_png(image), anchors=anchors)


def render_image(
    panel: ScriptPanel,
    cast: list[Character],
    locations: list[Location],
    width: int,
    height: int,
    *,
    seed: int = 0,
    index: int = 0,
) -> tuple[Image.Image, dict[str, tuple[float, float]]]:
    """Like :func:`render_panel` but returns the RGB image (no PNG encoding)."""
    if width < 8 or height < 8:
        raise ValueError(f"panel size must be at least 8×8 pixels, got {width}×{height}")
    ss = max(1, min(SUPERSAMPLE, _MAX_INTERNAL_SIDE // max(width, height)))
    location = _find_location(panel.location, locations)
    place_text = f"{location.name} {location.description}" if location else ""
    # A panel that names its own kind of place ("they land on a beach") wins over a
    # location carried over from earlier panels.
    kind = scene_kind(panel.description)
    if kind == "default":
        kind = scene_kind(place_text)
    light = light_of(panel.description, place_text)
    rng = random.Random(stable_int("panel", seed, index, panel.description, kind))
    actors = _cast_actors(panel, cast, rng, max(1.0, width / height))
    cam = _camera(_shot(panel, seed, index), actors, width * ss, height * ss)
    image = Image.new("RGB", (width * ss, height * ss), (255, 255, 255))
    line = max(1.5, min(width, height) / 1024 * 3.0) * ss * (1 + 0.22 * (cam.zoom - 1))
    cv = Canvas(image, cam, line)
    scene_rng = random.Random(stable_int("scene", seed, kind, place_text.lower()))
    ground = draw_scene(cv, kind, light, scene_rng)
    anchors: dict[str, tuple[float, float]] = {}
    for actor in actors:
        hx, hy = draw_figure(cv, actor.look, actor.pose, ground)
        px, py = cam.pt(hx, hy)
        anchors[actor.look.name] = (
            min(1.0, max(0.0, px / cam.width)),
            min(1.0, max(0.0, py / cam.height)),
        )
    if ss > 1:
        image = image.reduce(ss)
    return image, anchors


def _find_location(name: str | None, locations: list[Location]) -> Location | None:
    if not name:
        return None
    key = name.strip().lower()
    found = next((loc for loc in locations if loc.name.strip().lower() == key), None)
    return found or Location(name=name)


def _cast_actors(
    panel: ScriptPanel, cast: list[Character], rng: random.Random, world_w: float
) -> list[_Actor]:
    by_name = {c.name.strip().lower(): c for c in cast}
    names = list(dict.fromkeys(n for n in panel.characters if n.strip()))
    speakers = [d.speaker.strip().lower() for d in panel.dialogue]
    k = len(names)
    actors: list[_Actor] = []
    for i, name in enumerate(names):
        character = by_name.get(name.strip().lower()) or Character(name=name)
        look = character_look(character)
        spread = 0.4 if k == 2 else (0.6 if k == 3 else 0.76)
        x = 0.5 if k == 1 else 0.5 - spread / 2 + spread * i / (k - 1)
        facing = (1 if x < 0.5 else -1) if k > 1 else rng.choice((-1, 1))
        talking = name.strip().lower() in speakers
        gesture = "talk" if talking and rng.random() < 0.7 else rng.choice(("idle", "idle", "wave"))
        depth = rng.uniform(-0.015, 0.015)
        x += (world_w - 1) / 2 + rng.uniform(-0.04, 0.04)
        actors.append(_Actor(look, Pose(x, GROUND_Y + depth, facing, gesture, talking)))
    return actors


def _shot(panel: ScriptPanel, seed: int, index: int) -> str:
    text = panel.description.lower()
    if any(w in text for w in _CLOSE_WORDS):
        return "close"
    if any(w in text for w in _WIDE_WORDS):
        return "wide"
    if re.search(r"\bmedium\b", text):
        return "medium"
    return _SHOTS[(index + seed) % len(_SHOTS)]


def _camera(shot: str, actors: list[_Actor], width: int, height: int) -> Camera:
    """Frame the shot, then keep the view inside the drawn world."""
    base = Camera(width, height)
    world_w = base.world_w
    if not actors:
        zoom, cx, cy = (1.0, world_w / 2, 0.5) if shot == "wide" else (1.4, world_w / 2, 0.6)
    elif shot == "close":
        focus = next((a for a in actors if a.pose.talking), actors[0])
        zoom, cx, cy = 2.5, focus.pose.x, focus.pose.y - focus.look.height * 0.78
    elif shot == "medium":
        xs = [a.pose.x for a in actors]
        fit = width / min(width, height) / (max(xs) - min(xs) + 0.4)
        zoom, cx, cy = max(1.15, min(1.7, fit)), (min(xs) + max(xs)) / 2, 0.6
    else:  # wide; tall panels zoom in a little so figures don't drown in sky
        zoom, cx, cy = min(1.5, max(1.0, 1 + 0.4 * (height / width - 1))), world_w / 2, 0.5
    cam = Camera(width, height, zoom, cx, cy)
    hx, hy = cam.half_view
    cx = world_w / 2 if hx * 2 >= world_w else min(max(cam.cx, hx), world_w - hx)
    bottom = 1.0 - hy
    cy = bottom if hy * 2 >= 1 else min(max(cam.cy, hy), bottom)
    return Camera(width, height, zoom, cx, cy)
