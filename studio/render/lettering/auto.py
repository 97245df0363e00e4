"""Automatic lettering: a panel's caption and dialogue turned into placed lettering objects.

Script markup decides each object's kind (checked in this order):

* speaker ``SFX`` (any case), or text starting ``SFX:`` → sound effect (the prefix is dropped);
* speaker ``Caption`` or ``Narrator``, or ending ``(caption)`` → caption box; the panel's own
  caption is a caption too. Each narrator gets its own box colour (the panel caption and
  ``Narrator`` the first colour, other names a stable colour of their own);
* text wrapped in ``(( ))``, or a speaker ending ``(thinks)`` / ``(thought)`` → thought balloon
  (the script writes ``Mia thinks "…"`` / ``Mia wonders "…"`` this way);
* text starting ``(whisper)`` or ``(whispers)`` → whisper balloon (the marker is dropped;
  ``Mia whispers "…"`` in a script gives it, as ``Mia shouts/yells/screams "…"`` gives
  ``(shout)``);
* text starting ``(shout)`` (the marker is dropped), or whose letters are all capitals and
  that contains ``!`` → shout (burst balloon);
* anything else → speech balloon. ``*word*`` is emphasis (bold italic) in every kind.

Objects come back in reading order (caption first, then the script's order), placed off the
centre of the frame, with tails ending near the speaker's anchor when one is known, else
pointing down, spread across the frame in speaking order.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from dataclasses import dataclass, replace

from studio.core.lettering import CAPTION_FILLS, DEFAULT_SIZE, MIN_SIZE, TAILED, Lettering, clamp
from studio.core.models import ScriptPanel
from studio.render.lettering.fit import natural_box
from studio.render.placement import Box, awkward, head_radius, place_all

SFX_SIZE = DEFAULT_SIZE * 2.6
SFX_FILL = "#ffd21f"
SFX_ROTATION = -8.0
_SHRINK_FOR_LOOKS = 0.8
_THINKS = re.compile(r"\s*\((thinks|thought)\)\s*$", re.IGNORECASE)
_CAPTION_SPEAKER = re.compile(r"\s*\(caption\)\s*$", re.IGNORECASE)
_WHISPER = re.compile(r"^\s*\(whispers?\)\s*", re.IGNORECASE)
_SHOUT = re.compile(r"^\s*\(shouts?\)\s*", re.IGNORECASE)
_SFX_TEXT = re.compile(r"^\s*sfx\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One piece of script text after markup: its kind, who says it and the words."""

    kind: str
    speaker: str
    text: str


def classify(speaker: str, text: str) -> Entry:
    """The kind of one dialogue line, with markers removed (see the module docstring)."""
    who, words = speaker.strip(), text.strip()
    if who.lower() == "sfx" or _SFX_TEXT.match(words):
        return Entry("sfx", "", _SFX_TEXT.sub("", words, count=1))
    if who.lower() in ("caption", "narrator"):
        return Entry("caption", "", words)
    if _CAPTION_SPEAKER.search(who):
        return Entry("caption", _CAPTION_SPEAKER.sub("", who), words)
    if words.startswith("((") and words.endswith("))") and len(words) > 4:
        return Entry("thought", _THINKS.sub("", who), words[2:-2].strip())
    if _THINKS.search(who):
        return Entry("thought", _THINKS.sub("", who), words)
    if _WHISPER.match(words):
        return Entry("whisper", who, _WHISPER.sub("", words, count=1))
    if _SHOUT.match(words) and _SHOUT.sub("", words, count=1):
        return Entry("shout", who, _SHOUT.sub("", words, count=1))
    letters = [c for c in words if c.isalpha()]
    if "!" in words and any(c.isupper() for c in letters) and not any(c.islower() for c in letters):
        return Entry("shout", who, words)
    return Entry("speech", who, words)


def entries(panel: ScriptPanel) -> list[Entry]:
    """The panel's lettering in reading order: its caption, then each dialogue line."""
    out = [Entry("caption", "", panel.caption.strip())] if panel.caption.strip() else []
    out += [classify(d.speaker, d.text) for d in panel.dialogue]
    return [e for e in out if e.text]


def caption_fill(narrator: str, taken: set[str]) -> str:
    """A narrator's caption colour: stable per name, distinct from ``taken`` when possible."""
    if narrator.strip().lower() in ("", "narrator"):
        return CAPTION_FILLS[0]
    rest = CAPTION_FILLS[1:]
    start = zlib.crc32(narrator.strip().lower().encode()) % len(rest)
    for k in range(len(rest)):
        colour = rest[(start + k) % len(rest)]
        if colour not in taken:
            return colour
    return rest[start]


def auto_lettering(
    panel: ScriptPanel,
    anchors: dict[str, tuple[float, float]] | None,
    frame: tuple[int, int],
    page_short: float,
    *,
    rtl: bool = False,
) -> list[Lettering]:
    """Placed, automatic lettering objects for ``panel`` in a ``frame`` (pixels).

    ``anchors`` are speakers' head positions as fractions of the frame.
    """
    found = entries(panel)
    if not found:
        return []
    fw, fh = max(1, frame[0]), max(1, frame[1])
    lookup = {k.strip().lower(): v for k, v in (anchors or {}).items()}
    targets = _targets(found, lookup, (fw, fh))
    protos = _prototypes(found)
    best: tuple[int, list[Lettering], list[Box]] | None = None
    scale = 1.0
    while DEFAULT_SIZE * scale >= MIN_SIZE:  # crowded panels shrink as far as they must
        sized = [clamp(replace(p, size=p.size * scale)) if scale != 1.0 else p for p in protos]
        dims = [natural_box(p, page_short, (fw, fh)) for p in sized]
        kinds = [("caption" if p.kind == "caption" else "balloon") for p in sized]
        boxes = place_all(
            [(k, d[2], d[3]) for k, d in zip(kinds, dims, strict=True)],
            targets,
            (fw, fh),
            rtl=rtl,
        )
        if boxes is not None:
            bad = awkward(boxes, targets, (fw, fh))
            if best is None or bad < best[0]:
                best = (bad, sized, boxes)
            if bad == 0 or scale * 0.9 < _SHRINK_FOR_LOOKS:
                break  # up to 20 % smaller lettering to keep balloons off faces, no more
        scale *= 0.9
    if best is None:
        sized = protos
        best = (0, sized, _stacked([natural_box(p, page_short, (fw, fh)) for p in sized], (fw, fh)))
    _, sized, boxes = best
    out = [_finish(p, box, t, (fw, fh)) for p, box, t in zip(sized, boxes, targets, strict=True)]
    return [replace(item, id=_stable_id(i, item)) for i, item in enumerate(out)]


def _stable_id(index: int, item: Lettering) -> str:
    """The same script gives the same ids (and so the same drawing) on every render."""
    key = f"{index}\x1f{item.kind}\x1f{item.speaker}\x1f{item.text}".encode()
    return hashlib.sha1(key, usedforsecurity=False).hexdigest()[:12]


def _prototypes(found: list[Entry]) -> list[Lettering]:
    taken: set[str] = set()
    out: list[Lettering] = []
    for e in found:
        if e.kind == "caption":
            fill = caption_fill(e.speaker, taken)
            taken.add(fill)
            out.append(Lettering(kind="caption", text=e.text, speaker=e.speaker, fill=fill))
        elif e.kind == "sfx":
            out.append(
                Lettering(
                    kind="sfx", text=e.text, size=SFX_SIZE, fill=SFX_FILL, rotation=SFX_ROTATION
                )
            )
        else:
            out.append(Lettering(kind=e.kind, text=e.text, speaker=e.speaker))
    return out


def _targets(
    found: list[Entry], anchors: dict[str, tuple[float, float]], size: tuple[int, int]
) -> list[tuple[float, float] | None]:
    tailed = [i for i, e in enumerate(found) if e.kind in TAILED]
    out: list[tuple[float, float] | None] = []
    for i, e in enumerate(found):
        if e.kind not in TAILED:
            out.append(None)
            continue
        anchor = anchors.get(e.speaker.strip().lower())
        if anchor is not None:
            out.append((anchor[0] * size[0], anchor[1] * size[1]))
            continue
        order = tailed.index(i)
        out.append((size[0] * (order + 1) / (len(tailed) + 1), float(size[1])))
    return out


def _finish(
    proto: Lettering, box: Box, target: tuple[float, float] | None, size: tuple[int, int]
) -> Lettering:
    fw, fh = size
    tail = None
    if target is not None and proto.kind in TAILED:
        tip = _tail_tip(box, target, size)
        tail = (tip[0] / fw, tip[1] / fh)
    return clamp(
        Lettering(
            kind=proto.kind,
            text=proto.text,
            x=box[0] / fw,
            y=box[1] / fh,
            w=(box[2] - box[0]) / fw,
            h=(box[3] - box[1]) / fh,
            tail=tail,
            speaker=proto.speaker,
            size=proto.size,
            fill=proto.fill,
            rotation=proto.rotation,
            auto=True,
        )
    )


def _tail_tip(box: Box, target: tuple[float, float], size: tuple[int, int]) -> tuple[float, float]:
    """Where the tail ends: towards ``target``, stopping short of the speaker's face."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    a, b = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    dx, dy = target[0] - cx, target[1] - cy
    dist = math.hypot(dx, dy) or 1.0
    ux, uy = dx / dist, dy / dist
    edge = 1.0 / math.sqrt((ux / a) ** 2 + (uy / b) ** 2)
    short = min(size)
    free = dist - edge - head_radius(size)  # end at the edge of the head, not in it
    length = max(short * 0.03, min(free, short * 0.16))
    x, y = cx + ux * (edge + length), cy + uy * (edge + length)
    return (min(size[0], max(0.0, x)), min(size[1], max(0.0, y)))


def _stacked(dims: list[Box], size: tuple[int, int]) -> list[Box]:
    """Last resort: stack everything from the top, clamped inside the frame."""
    boxes: list[Box] = []
    y = 0.0
    for d in dims:
        w, h = min(d[2], size[0]), min(d[3], size[1])
        y = min(y, size[1] - h)
        boxes.append(((size[0] - w) / 2, y, (size[0] + w) / 2, y + h))
        y += h
    return boxes
