"""A camera over a world of 1 unit high and an ink-and-flat-colour drawing surface."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from PIL import Image, ImageDraw

RGB = tuple[int, int, int]
Point = tuple[float, float]

INK: RGB = (28, 26, 34)

SKIES: dict[str, tuple[RGB, RGB]] = {
    "day": ((104, 168, 228), (206, 232, 246)),
    "night": ((14, 20, 48), (52, 64, 116)),
    "sunrise": ((122, 142, 206), (255, 196, 152)),
    "sunset": ((84, 62, 132), (252, 152, 92)),
    "dawn": ((122, 142, 206), (255, 196, 152)),
    "dusk": ((84, 62, 132), (252, 152, 92)),
}
TINTS: dict[str, tuple[RGB, float]] = {
    "day": ((255, 255, 255), 0.0),
    "night": ((26, 32, 74), 0.42),
    "sunrise": ((255, 170, 170), 0.12),
    "sunset": ((200, 90, 90), 0.18),
    "dawn": ((255, 170, 170), 0.12),
    "dusk": ((200, 90, 90), 0.18),
    "indoor-night": ((40, 34, 64), 0.4),
}


def stable_int(*parts: object) -> int:
    """A process-independent integer hash of ``parts`` (``hash()`` is salted per run)."""
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(c: RGB, t: float = 0.22) -> RGB:
    """A darker, slightly cooler tone of ``c`` for flat cel shading."""
    return mix(c, (40, 36, 70), t)


def lit(c: RGB, light: str) -> RGB:
    """``c`` as seen under the scene's light (night darkens and cools)."""
    tint, amount = TINTS.get(light, TINTS["day"])
    return mix(c, tint, amount) if amount else c


@dataclass(frozen=True)
class Camera:
    """Maps world units (ground near y = 0.9, sky above y = 0) to canvas pixels."""

    width: int
    height: int
    zoom: float = 1.0
    cx: float = 0.5
    cy: float = 0.5

    @property
    def scale(self) -> float:
        """Pixels per world unit: at zoom 1 the shorter side spans one unit."""
        return self.zoom * min(self.width, self.height)

    @property
    def world_w(self) -> float:
        """The width of the world scenes are laid out in (at least 1 unit)."""
        return max(1.0, self.width / self.height)

    @property
    def half_view(self) -> tuple[float, float]:
        """Half the visible width and height, in world units."""
        return (self.width / (2 * self.scale), self.height / (2 * self.scale))

    def pt(self, x: float, y: float) -> Point:
        s = self.scale
        return ((x - self.cx) * s + self.width / 2, (y - self.cy) * s + self.height / 2)

    def to_world(self, px: float, py: float) -> Point:
        s = self.scale
        return ((px - self.width / 2) / s + self.cx, (py - self.height / 2) / s + self.cy)


class Canvas:
    """Draws world-space shapes with ink outlines through a :class:`Camera`."""

    def __init__(self, image: Image.Image, camera: Camera, line: float) -> None:
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.cam = camera
        self.lw = max(1, round(line))

    def view_top(self) -> float:
        """The world height at the top edge of the canvas."""
        return self.cam.to_world(0, 0)[1]

    def width_for(self, width: float | None) -> int:
        return self.lw if width is None else max(1, round(width))

    def poly(
        self,
        pts: list[Point],
        fill: RGB | None,
        outline: RGB | None = INK,
        width: float | None = None,
    ) -> None:
        xy = [self.cam.pt(x, y) for x, y in pts]
        if fill is not None:
            self.draw.polygon(xy, fill=fill)
        if outline is not None:
            # a closed line, not polygon(width=...): that builds a full-canvas mask per call
            self.draw.line(
                [*xy, xy[0], xy[1]], fill=outline, width=self.width_for(width), joint="curve"
            )

    def ellipse(
        self,
        cx: float,
        cy: float,
        rx: float,
        ry: float,
        fill: RGB | None,
        outline: RGB | None = INK,
        width: float | None = None,
    ) -> None:
        x0, y0 = self.cam.pt(cx - rx, cy - ry)
        x1, y1 = self.cam.pt(cx + rx, cy + ry)
        if x1 - x0 < 1 or y1 - y0 < 1:
            return
        self.draw.ellipse((x0, y0, x1, y1), fill=fill, outline=outline, width=self.width_for(width))

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: RGB | None,
        outline: RGB | None = INK,
        width: float | None = None,
    ) -> None:
        a = self.cam.pt(x0, y0)
        b = self.cam.pt(x1, y1)
        if b[0] - a[0] < 1 or b[1] - a[1] < 1:
            return
        self.draw.rectangle((a, b), fill=fill, outline=outline, width=self.width_for(width))

    def line(self, pts: list[Point], fill: RGB = INK, width: float | None = None) -> None:
        xy = [self.cam.pt(x, y) for x, y in pts]
        self.draw.line(xy, fill=fill, width=self.width_for(width), joint="curve")

    def limb(self, pts: list[Point], fill: RGB, width: float, outline: RGB | None = INK) -> None:
        """A thick stroke with an ink outline and round ends (arms, legs, poles)."""
        xy = [self.cam.pt(x, y) for x, y in pts]
        w = max(1.0, width * self.cam.scale)
        if outline is not None:
            self._stroke(xy, outline, w + 2 * self.lw)
        self._stroke(xy, fill, w)

    def _stroke(self, xy: list[Point], fill: RGB, w: float) -> None:
        self.draw.line(xy, fill=fill, width=max(1, round(w)), joint="curve")
        r = w / 2
        for x, y in (xy[0], xy[-1]):
            self.draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def arc(
        self,
        cx: float,
        cy: float,
        r: float,
        start: float,
        end: float,
        width: float | None = None,
        ry: float | None = None,
        fill: RGB = INK,
    ) -> None:
        x0, y0 = self.cam.pt(cx - r, cy - (r if ry is None else ry))
        x1, y1 = self.cam.pt(cx + r, cy + (r if ry is None else ry))
        if x1 - x0 < 2 or y1 - y0 < 1:
            return
        self.draw.arc((x0, y0, x1, y1), start, end, fill=fill, width=self.width_for(width))

    def chord(
        self, cx: float, cy: float, rx: float, ry: float, start: float, end: float, fill: RGB
    ) -> None:
        x0, y0 = self.cam.pt(cx - rx, cy - ry)
        x1, y1 = self.cam.pt(cx + rx, cy + ry)
        if x1 - x0 < 2:
            return
        self.draw.chord((x0, y0, x1, y1), start, end, fill=fill, outline=INK, width=self.lw)

    def gradient(
        self,
        top: RGB,
        bottom: RGB,
        y0: float,
        y1: float,
        x0: float | None = None,
        x1: float | None = None,
    ) -> None:
        """Fill the world box ``x0..x1`` × ``y0..y1`` (default: full width) with a gradient."""
        ax, ay = self.cam.pt(0 if x0 is None else x0, y0)
        bx, by = self.cam.pt(0 if x1 is None else x1, y1)
        if x0 is None:
            ax, bx = 0, self.cam.width
        px0, px1 = max(0, round(ax)), min(self.cam.width, round(bx))
        py0, py1 = max(0, round(ay)), min(self.cam.height, round(by))
        if px1 - px0 < 1 or py1 - py0 < 1:
            return
        steps = max(1, min(64, (py1 - py0) // 3))
        span = by - ay or 1.0
        for k in range(steps):
            y0p = py0 + (py1 - py0) * k // steps
            y1p = py0 + (py1 - py0) * (k + 1) // steps
            t = min(1.0, max(0.0, ((y0p + y1p) / 2 - ay) / span))
            self.draw.rectangle((px0, y0p, px1 - 1, y1p - 1), fill=mix(top, bottom, t))
