"""The offline renderer: draws each panel's shot (figures, props, place, light) as clean art."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from PIL import Image

from studio.core.models import Character, Location, ScriptPanel
from studio.core.shot import Figure, Shot
from studio.render.canvas import RGB, Camera, Canvas, stable_int
from studio.render.compose import encode_png
from studio.render.looks import character_look
from studio.render.offline import props_more as pm
from studio.render.offline import settings, sky
from studio.render.offline import style as _style
from studio.render.offline.body import Placement, draw_figure
from studio.render.offline.catalogue import prop
from studio.render.offline.fallback import fallback_shot
from studio.render.offline.pose import skeleton
from studio.render.offline.props import Glow, Prop
from studio.render.offline.stage import FORESHORTEN, HORIZONS, Actor, camera, figure_scale, stage
from studio.render.offline.stage import place as place_props

SUPERSAMPLE = 2  # draw at 2× and box-reduce: anti-aliased ink lines at flat-colour speed
_MAX_INTERNAL_SIDE = 4096
STYLES = _style.STYLES


@dataclass
class RenderedPanel:
    """A rendered panel: PNG bytes plus each character's head position (0..1) by name."""

    png: bytes
    anchors: dict[str, tuple[float, float]] = field(default_factory=dict)


def render_panel(
    panel: ScriptPanel,
    cast: list[Character],
    locations: list[Location],
    width: int,
    height: int,
    *,
    seed: int = 0,
    index: int = 0,
    style: str = "",
) -> RenderedPanel:
    """Draw ``panel`` as clean art (no lettering) at ``width`` × ``height``; deterministic."""
    image, anchors = render_image(
        panel, cast, locations, width, height, seed=seed, index=index, style=style
    )
    return RenderedPanel(png=encode_png(image), anchors=anchors)


def shot_of(panel: ScriptPanel, locations: list[Location]) -> tuple[Shot, str]:
    """The panel's shot (a minimal one from its words when it has none) and its setting."""
    location = _find_location(panel.shot.location if panel.shot else panel.location, locations)
    shot = panel.shot or fallback_shot(panel, location)
    place = f"{location.name} {location.description}" if location else ""
    setting = settings.setting_of(shot.setting, place, panel.description) or "park"
    return shot, setting


def render_image(
    panel: ScriptPanel,
    cast: list[Character],
    locations: list[Location],
    width: int,
    height: int,
    *,
    seed: int = 0,
    index: int = 0,
    style: str = "",
) -> tuple[Image.Image, dict[str, tuple[float, float]]]:
    """Like :func:`render_panel` but returns the RGB image (no PNG encoding)."""
    if width < 8 or height < 8:
        raise ValueError(f"panel size must be at least 8×8 pixels, got {width}×{height}")
    ss = max(1, min(SUPERSAMPLE, _MAX_INTERNAL_SIDE // max(width, height)))
    shot, setting = shot_of(panel, locations)
    indoor = settings.is_indoor(setting)
    rng = random.Random(stable_int("panel", seed, index, panel.description))
    W = Camera(width, height).world_w
    scale = figure_scale(shot.framing)
    looks = {c.name.strip().lower(): character_look(c) for c in cast}
    figures = [
        (
            f,
            looks.get(f.name.strip().lower()) or character_look(Character(f.name)),
            _action(f, panel),
        )
        for f in shot.figures
    ]
    ots = shot.framing == "over-the-shoulder" and len(figures) >= 2
    front = figures[0] if ots else None
    held = {h for f in shot.figures for h in f.holding[:2]}
    loose = [prop(n) for n in dict.fromkeys(shot.props) if n not in held]
    shift = -0.2 * W if any(p.place == "big" for _, p in loose) else 0.0
    jitter = rng.uniform(-0.05, 0.05) * 0.5 * scale + shift
    actors = stage(figures[1:] if ots else figures, W, scale, shot.framing, jitter)
    horizon = HORIZONS.get(shot.angle, HORIZONS["eye-level"])[1 if indoor else 0]
    items = place_props(_seated(loose, actors), actors, W, scale, horizon)
    focus = next((i for i, a in enumerate(actors) if a.action == "talk"), 0)
    cam = camera(width * ss, height * ss, shot.framing, shot.angle, actors, items, focus)
    image = Image.new("RGB", (width * ss, height * ss), (255, 255, 255))
    line = max(1.5, min(width, height) / 1024 * 3.0) * ss * (1 + 0.15 * (min(cam.zoom, 6) - 1))
    cv = Canvas(image, cam, line)
    scene_rng = random.Random(stable_int("scene", setting, (shot.location or "").lower()))
    sc = sky.Scene(cv, shot.time, shot.weather, scene_rng, horizon, indoor)
    ground = settings.paint(setting, sc)
    glows: list[Glow] = []
    behind = [i for i in items if i.prop.place in ("big", "floor", "wall")]
    front_items = [i for i in items if i not in behind]
    for it in behind + [i for i in front_items if i.prop.place == "table"]:
        glows += it.prop.draw(cv, it.x, it.base, it.h)
    anchors: dict[str, tuple[float, float]] = {}
    head, leg = FORESHORTEN.get(shot.angle, (1.0, 1.0))
    for a in actors:
        glows += _draw_actor(cv, a, ground, head, leg, anchors)
    for it in front_items:
        if it.prop.place != "table":
            glows += it.prop.draw(cv, it.x, it.base, it.h)
    sky.weather_over(sc)
    if front is not None:
        H = front[1].height * 2.1
        x = (actors[0].x - 0.55 * actors[0].size) if actors else W / 2
        at = Actor(front[0], front[1], "stand", x, actors[0].y + 0.75 * H, H, 0, True)
        glows += _draw_actor(cv, at, ground, 1.0, 1.0, anchors, shadow=False)
    for name, (px, py) in list(anchors.items()):
        anchors[name] = (min(1.0, max(0.0, px / cam.width)), min(1.0, max(0.0, py / cam.height)))
    if ss > 1:
        image = image.reduce(ss)
    image = sky.tint(image, sc)
    sky.fog(image, cv, sc, ss)
    dark = shot.time in ("night", "dusk") or shot.weather == "storm"
    for x, y, r in glows:
        if r > 0.3 * 0.5 or dark or indoor:
            sky.glow(image, cv, x, y, r, dark, ss)
    return _style.apply(image, _style.style_of(style)), anchors


def _find_location(name: str | None, locations: list[Location]) -> Location | None:
    if not name:
        return None
    key = name.strip().lower()
    found = next((loc for loc in locations if loc.name.strip().lower() == key), None)
    return found or Location(name=name)


def _action(f: Figure, panel: ScriptPanel) -> str:
    if f.action == "look":
        text = panel.description.lower()
        for way in ("up", "down"):
            if f" {way}" in text:
                return f"look-{way}"
        return "look-aside"
    if f.action == "stand" and f.expression == "thinking":
        return "think"
    return f.action


def _seated(loose: list[tuple[str, Prop]], actors: list[Actor]) -> list[tuple[str, Prop]]:
    """Give sitters the chair or bench and sleepers the bed of the shot (drawn under them)."""
    out = list(loose)
    for a in actors:
        wants = (
            ("bed",)
            if a.action in ("lie", "sleep")
            else ("chair", "bench")
            if a.action == "sit"
            else ()
        )
        got = next((x for x in out if x[0] in wants), None)
        if got:
            out.remove(got)
            a.seat = got[0]
        elif a.action == "sit":
            a.seat = "chair"
    return out


def _draw_actor(
    cv: Canvas,
    a: Actor,
    ground: RGB,
    head: float,
    leg: float,
    anchors: dict[str, tuple[float, float]],
    *,
    shadow: bool = True,
) -> list[Glow]:
    sk = skeleton(a.action)
    f = a.facing or 1
    y, S = a.y, a.size
    glows: list[Glow] = []
    if a.seat == "chair":
        pm.chair(cv, a.x - f * 0.02 * S, y, 0.54 * S, f)
    elif a.seat == "bench":
        pm.bench(cv, a.x, y, 0.45 * S)
    elif a.seat == "bed":
        pm.bed(cv, a.x, y, 0.45 * S)
        y -= 0.2 * S
    if a.action == "climb":
        pm.ladder(cv, a.x + f * 0.15 * S, a.y, 1.2 * S)
    at = Placement(a.x, y, S, a.facing, a.back, head, leg)
    talking = a.action == "talk"
    d = draw_figure(
        cv,
        a.look,
        sk,
        at,
        a.figure.expression,
        ground,
        talking=talking,
        shadow=shadow and a.seat != "bed",
    )
    if a.action in ("run", "fall", "jump"):
        sky.motion_lines(cv, a.x, a.y - sk.lift * S, S, f)
    holding = list(a.figure.holding[:2])
    if a.action == "read" and not any(prop(h)[0] == "book" for h in holding):
        holding = ["open book"]
    for k, name in enumerate(holding):
        word, p = prop(name)
        if word == "book" and a.action == "read":
            word, p = prop("open book")
        h = min(max(p.size, 0.14) * S, 0.6 * S)
        hand = d.hand_near if k == 0 else d.hand_far
        if word == "open book":
            hand = ((d.hand_near[0] + d.hand_far[0]) / 2, max(d.hand_near[1], d.hand_far[1]))
            h = 0.16 * S
        glows += p.draw(cv, hand[0], hand[1] + p.grip * h, h)
        cv.ellipse(hand[0], hand[1], 0.038 * S, 0.038 * S, a.look.skin)
    anchors[a.figure.name] = cv.cam.pt(*d.head)
    return glows
