"""Pure edits of a panel's lettering list: move, resize, re-aim, add, delete, reorder.

Everything works in fractions of the panel frame and returns new ``Lettering`` values
(marked ``auto=False`` through ``Lettering.edited``); the editor turns them into commands.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from studio.core.lettering import CAPTION_FILLS, MIN_BOX, TAILED, Lettering, new_id
from studio.render.placement import overlap_area

Point = tuple[float, float]
RESIZE_ROLES: tuple[str, ...] = ("nw", "n", "ne", "e", "se", "s", "sw", "w")
SFX_FILL = "#ffd23c"  # bright letters inside the dark outline
ADD_TEXT: dict[str, str] = {"balloon": "Text", "caption": "Meanwhile…", "sfx": "WHAM!"}


def moved(start: Lettering, dx: float, dy: float) -> Lettering:
    """``start`` shifted by (dx, dy); the tail keeps aiming at the same point."""
    return start.edited(x=start.x + dx, y=start.y + dy)  # edited() keeps it in the frame


def resized(start: Lettering, role: str, pointer: Point) -> Lettering:
    """``start`` with the edges named by ``role`` (n, e, s, w and corners) at ``pointer``."""
    px = min(1.0, max(0.0, pointer[0]))
    py = min(1.0, max(0.0, pointer[1]))
    x0, y0, x1, y1 = start.box
    if "w" in role:
        x0 = min(px, x1 - MIN_BOX)
    if "e" in role:
        x1 = max(px, x0 + MIN_BOX)
    if "n" in role:
        y0 = min(py, y1 - MIN_BOX)
    if "s" in role:
        y1 = max(py, y0 + MIN_BOX)
    return start.edited(x=x0, y=y0, w=x1 - x0, h=y1 - y0)


def re_aimed(start: Lettering, pointer: Point) -> Lettering:
    """A balloon whose tail aims at ``pointer`` (may reach a little past the frame)."""
    return start.edited(tail=(pointer[0], pointer[1]))


def default_tail(item: Lettering) -> Point:
    """Where a tail handle sits for a balloon that has no tail yet: just below its box."""
    return (item.x + item.w / 2, min(1.2, item.y + item.h + 0.12))


def usual_fill(kind: str, fill: str) -> bool:
    """True when ``fill`` is what a ``kind`` gets without anyone choosing a colour."""
    return (
        not fill
        or (kind == "caption" and fill in CAPTION_FILLS)
        or (kind == "sfx" and fill == SFX_FILL)
    )


def with_kind(item: Lettering, kind: str) -> Lettering:
    """``item`` as another kind; a balloon without a tail gets one (others keep but hide it).

    A fill that was only the old kind's usual (a caption's pastel, an SFX's yellow) becomes
    the new kind's usual (a caption turned speech is white); a colour chosen by hand stays.
    """
    tail = item.tail
    if kind in TAILED and tail is None:
        tail = default_tail(item)
    fill = item.fill
    if kind != item.kind and usual_fill(item.kind, fill):
        fill = SFX_FILL if kind == "sfx" else ""  # ink on ink is unreadable for SFX
    return item.edited(kind=kind, tail=tail, fill=fill)


def free_spot(
    size: Point, taken: list[tuple[float, float, float, float]], prefer_top: bool
) -> Point:
    """The top-left corner (frame fractions) of a ``size`` box that overlaps ``taken`` least.

    Candidates are a grid over the frame; ties go to the top (captions) or to the middle
    of the upper half (balloons, SFX), then to the left.
    """
    w, h = size
    best: tuple[float, float, float, float] | None = None
    spot = (0.03, 0.03)
    steps = 6
    for row in range(steps + 1):
        y = 0.03 + (0.94 - h) * row / steps
        for col in range(steps + 1):
            x = 0.03 + (0.94 - w) * col / steps
            overlap = sum(overlap_area((x, y, x + w, y + h), box) for box in taken)
            lean = y if prefer_top else abs(y + h / 2 - 0.35) + abs(x + w / 2 - 0.5) / 2
            key = (round(overlap, 4), lean, x, y)
            if best is None or key < best:
                best, spot = key, (x, y)
    return spot


def _footprint(item: Lettering) -> list[tuple[float, float, float, float]]:
    """The boxes an object covers: its own, and a strip around a shown tail."""
    boxes = [item.box]
    if item.kind in TAILED and item.tail is not None:
        tx, ty = item.tail
        cx, cy = item.x + item.w / 2, item.y + item.h / 2
        x0, x1 = sorted((cx, tx))
        y0, y1 = sorted((cy, ty))
        boxes.append((x0 - 0.03, y0, x1 + 0.03, y1))
    return boxes


def new_item(
    what: str, near: Point = (0.5, 0.5), existing: list[Lettering] | None = None
) -> Lettering:
    """A fresh object for "Add balloon/caption/SFX": centred near ``near``, or, when
    ``existing`` is given, in the free space they leave (captions towards the top)."""
    match what:
        case "caption":
            box = (0.03, 0.03, 0.45, 0.12)
            base = Lettering(kind="caption", text=ADD_TEXT["caption"])
        case "sfx":
            box = (near[0] - 0.15, near[1] - 0.08, 0.3, 0.16)
            base = Lettering(
                kind="sfx", text=ADD_TEXT["sfx"], all_caps=True, rotation=-8.0, fill=SFX_FILL
            )
        case _:
            box = (near[0] - 0.15, max(0.02, near[1] - 0.3), 0.3, 0.16)
            base = Lettering(kind="speech", text=ADD_TEXT["balloon"])
    x, y, w, h = box
    if existing is not None:
        taken = [box for i in existing for box in _footprint(i)]
        x, y = free_spot((w, h), taken, prefer_top=what == "caption")
    item = replace(base, x=x, y=y, w=w, h=h, id=new_id())
    if item.kind in TAILED:
        item = replace(item, tail=default_tail(item))
    return item.edited()


def replaced(items: list[Lettering], new: Lettering) -> list[Lettering]:
    """``items`` with the object of the same id swapped for ``new``."""
    return [new if i.id == new.id else i for i in items]


def updated(items: list[Lettering], ids: set[str], **changes: Any) -> list[Lettering]:
    """``items`` with ``changes`` applied (as a person's edit) to the objects in ``ids``."""
    out = []
    for item in items:
        if item.id not in ids:
            out.append(item)
        elif "kind" in changes:
            extra = {k: v for k, v in changes.items() if k != "kind"}
            out.append(with_kind(item, changes["kind"]).edited(**extra))
        else:
            out.append(item.edited(**changes))
    return out


def deleted(items: list[Lettering], ids: set[str]) -> list[Lettering]:
    return [i for i in items if i.id not in ids]


def reordered(items: list[Lettering], ids: set[str], step: int) -> list[Lettering]:
    """Move the objects in ``ids`` one place earlier (-1) or later (+1) in reading order."""
    out = list(items)
    indices = [n for n, i in enumerate(out) if i.id in ids]
    if step > 0:
        indices.reverse()
    for n in indices:
        m = n + step
        if 0 <= m < len(out) and out[m].id not in ids:
            out[n], out[m] = out[m], out[n]
    return [i if i.id not in ids else replace(i, auto=False) for i in out]


def nudged(items: list[Lettering], ids: set[str], dx: float, dy: float) -> list[Lettering]:
    return [moved(i, dx, dy) if i.id in ids else i for i in items]
