"""The scene context, skies by time of day, weather over the picture and glowing lights."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from studio.render.canvas import INK, RGB, SKIES, TINTS, Canvas, mix

GROUND_Y = 0.9  # where figures stand, in world units
_SNOW: RGB = (238, 242, 250)


@dataclass
class Scene:
    """What every setting painter needs: the canvas, the light, the weather, the eye level."""

    cv: Canvas
    time: str  # dawn | day | dusk | night
    weather: str  # clear | rain | snow | fog | storm
    rng: random.Random
    horizon: float  # world y of the horizon (eye level)
    indoor: bool = False

    @property
    def W(self) -> float:
        return self.cv.cam.world_w

    @property
    def light(self) -> str:
        if self.indoor and self.time in ("night", "dusk"):
            return "indoor-night"
        return self.time

    def c(self, colour: RGB) -> RGB:
        """``colour`` under this scene's light."""
        if self.weather in ("rain", "storm", "fog") and not self.indoor:
            colour = mix(colour, (120, 126, 140), 0.25)
        return colour

    def ground(self, colour: RGB) -> RGB:
        """The ground colour: snow covers it when it snows outside."""
        return self.c(_SNOW if self.weather == "snow" and not self.indoor else colour)


def sky(sc: Scene, bottom: float | None = None) -> None:
    """The sky down to ``bottom`` (default the horizon): gradient, sun or moon, clouds, stars."""
    cv, rng = sc.cv, sc.rng
    bottom = sc.horizon if bottom is None else bottom
    top, low = SKIES[sc.time]
    grey = sc.weather in ("rain", "storm", "fog", "snow")
    if grey:
        g = (70, 74, 90) if sc.weather == "storm" else (170, 176, 190)
        if sc.time == "night":
            g = mix(g, (20, 24, 50), 0.7)
        top, low = mix(top, g, 0.7), mix(low, g, 0.6)
    cv.gradient(top, low, min(cv.view_top(), -0.1) - 1, bottom + 0.01)
    W = sc.W
    if sc.time == "night":
        stars(cv, rng, 0, W, min(cv.view_top(), 0) - 0.1, bottom - 0.05, 0 if grey else 40)
        if not grey:
            cv.ellipse(W * 0.8, 0.14, 0.055, 0.055, (246, 240, 210), outline=None)
            cv.ellipse(W * 0.8 + 0.022, 0.13, 0.045, 0.045, top, outline=None)
    elif sc.time in ("dawn", "dusk") and not grey:
        cv.ellipse(
            W * (0.25 if sc.time == "dawn" else 0.75),
            bottom - 0.02,
            0.09,
            0.09,
            (255, 226, 150),
            outline=None,
        )
    elif not grey:
        cv.ellipse(W * 0.85, 0.12, 0.05, 0.05, (255, 240, 170), outline=None)
    if grey or sc.time == "day":
        cloud_c = mix(low, (255, 255, 255), 0.5) if not grey else mix(top, (90, 90, 100), 0.4)
        for _ in range(max(2, round(W * (5 if grey else 2.5)))):
            x, y = rng.uniform(0, W), rng.uniform(0.03, max(0.08, bottom - 0.2))
            w = rng.uniform(0.08, 0.16)
            for dx, dy, k in ((0, 0, 1.0), (-0.35, -0.12, 0.5), (0.3, -0.18, 0.55)):
                cv.ellipse(
                    x + dx * w, y + dy * w, w * k, w * (0.3 + k * 0.1), cloud_c, outline=None
                )
    if sc.weather == "storm":
        x = W * rng.uniform(0.2, 0.8)
        pts = [(x, -0.1), (x - 0.03, 0.08), (x + 0.02, 0.1), (x - 0.04, min(0.3, bottom))]
        cv.line(pts, (255, 250, 200), cv.lw * 3)


def stars(
    cv: Canvas, rng: random.Random, x0: float, x1: float, y0: float, y1: float, count: int
) -> None:
    for _ in range(count):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        s = rng.choice((0.0025, 0.0035, 0.005))
        cv.ellipse(x, y, s, s, (250, 246, 220), outline=None)


def weather_over(sc: Scene) -> None:
    """Rain, storm or snow falling in front of everything (outside only)."""
    if sc.indoor or sc.weather not in ("rain", "storm", "snow"):
        return
    cv = sc.cv
    rng = random.Random(sc.rng.random())
    x0, y0 = cv.cam.to_world(0, 0)
    x1, y1 = cv.cam.to_world(cv.cam.width, cv.cam.height)
    area = (x1 - x0) * (y1 - y0)
    n = min(400, round(area * (160 if sc.weather == "snow" else 220)))
    if sc.weather == "snow":
        for _ in range(n):
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            s = rng.uniform(0.004, 0.009) * (x1 - x0) ** 0.5
            cv.ellipse(x, y, s, s, (255, 255, 255), outline=(200, 206, 220), width=1)
        return
    streak = (y1 - y0) * 0.04
    colour = (200, 210, 230) if sc.weather == "rain" else (180, 190, 215)
    for _ in range(n):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        cv.line([(x, y), (x - streak * 0.25, y + streak)], colour, max(1, cv.lw * 0.6))


def fog(image: Image.Image, cv: Canvas, sc: Scene, ss: int) -> None:
    """Fog over the finished picture (``ss``: how much larger the canvas was), thickest at
    the horizon, thin over the figures in front."""
    if sc.weather != "fog":
        return
    top = round(cv.cam.pt(0, sc.horizon - 0.4)[1] / ss)
    low = round(cv.cam.pt(0, GROUND_Y + 0.1)[1] / ss)
    full = Image.new("L", image.size, 150)
    if low > top:
        full.paste(_ramp().resize((1, low - top)).resize((image.width, low - top)), (0, top))
    if low < image.height:
        full.paste(50, (0, max(0, low), image.width, image.height))
    image.paste((222, 226, 232), (0, 0, image.width, image.height), full)


@lru_cache(maxsize=1)
def _ramp() -> Image.Image:
    ramp = Image.new("L", (1, 64))
    ramp.putdata([round(190 - 150 * (i / 63) ** 1.2) for i in range(64)])
    return ramp


@lru_cache(maxsize=2)
def _blob(dark: bool) -> Image.Image:
    size = 96
    blob = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(blob)
    for i in range(32, 0, -1):
        v = round((190 if dark else 100) * (1 - i / 32) ** 1.6)
        r = size / 2 * i / 32
        d.ellipse((size / 2 - r, size / 2 - r, size / 2 + r, size / 2 + r), fill=v)
    return blob


def tint(image: Image.Image, sc: Scene) -> Image.Image:
    """The time of day over the whole picture (night darkens and cools, dusk warms)."""
    colour, amount = TINTS.get(sc.light, TINTS["day"])
    if not amount:
        return image
    lut = [round(v + (c - v) * amount) for c in colour for v in range(256)]
    return image.point(lut)


def glow(
    image: Image.Image, cv: Canvas, x: float, y: float, radius: float, dark: bool, ss: int = 1
) -> None:
    """Warm light around ``(x, y)`` (world), stronger in the dark; ``ss`` is how much larger
    the canvas was than ``image``."""
    px, py = cv.cam.pt(x, y)
    px, py = px / ss, py / ss
    r = max(2, round(radius * cv.cam.scale / ss))
    if r > 4 * max(image.size):
        return
    r = min(r, max(image.size) // 3)
    mask = _blob(dark).resize((2 * r, 2 * r), Image.Resampling.BILINEAR)
    image.paste((255, 214, 120), (round(px) - r, round(py) - r), mask)


def motion_lines(cv: Canvas, x: float, y: float, h: float, f: int) -> None:
    for k in range(3):
        yy = y - h * (0.3 + k * 0.2)
        cv.line([(x - f * h * 0.32, yy), (x - f * h * 0.55, yy)], INK, cv.lw)


def wavy(x0: float, x1: float, y: float, amp: float, n: int = 24) -> list[tuple[float, float]]:
    return [(x0 + (x1 - x0) * i / n, y + amp * math.sin(i * 1.3)) for i in range(n + 1)]
