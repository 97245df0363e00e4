"""Prose over panels: sentences as beats, split, merged or expanded along a story arc."""

from __future__ import annotations

import re

from studio.core.models import ScriptPanel
from studio.story.beats import expand
from studio.story.dialogue import (
    _build_panel,
    _remove_quotes,
)
from studio.story.text import (
    _COMMA_SPLIT,
    _OPENERS,
    _THEN_SPLIT,
    _Ctx,
    _inside,
    _quote_spans,
    _Seg,
    _segments,
)

# --------------------------------------------------------------------------- spreading


def _is_pure_quote(seg: _Seg) -> bool:
    if seg.kind != "text":
        return False
    return not re.search(r"\w", _remove_quotes(seg.raw, _quote_spans(seg.raw), tags=False))


def _units(text: str, ctx: _Ctx) -> list[list[_Seg]]:
    """Sentences as spreading units: captions/locations join the next sentence, speech the last."""
    units: list[list[_Seg]] = []
    forward: list[_Seg] = []
    for seg in _segments(text, ctx):
        speech = seg.kind == "dialogue" or _is_pure_quote(seg)
        if seg.kind in ("caption", "location") or (speech and not units):
            forward.append(seg)
        elif speech:
            units[-1].append(seg)
        else:
            units.append([*forward, seg])
            forward = []
    if forward and units:
        units[-1].extend(forward)
    elif forward:
        units.append(forward)
    return units


def _split_points(raw: str) -> list[tuple[int, int]]:
    spans = _quote_spans(raw)
    points = []
    for regex in (_THEN_SPLIT, _COMMA_SPLIT):
        for m in regex.finditer(raw):
            left, right = raw[: m.start()], raw[m.end() :]
            if _inside(m.start(), spans) or _inside(m.end() - 1, spans):
                continue
            if right[:1] in _OPENERS or not (re.search(r"\w", left) and re.search(r"\w", right)):
                continue
            points.append((m.start(), m.end()))
    return points


def _split_once(units: list[list[_Seg]]) -> bool:
    """Split the longest splittable unit at the comma/"then" nearest its middle."""
    order = sorted(range(len(units)), key=lambda i: (-sum(len(s.raw) for s in units[i]), i))
    for i in order:
        for p, seg in enumerate(units[i]):
            points = _split_points(seg.raw) if seg.kind == "text" else []
            if not points:
                continue
            mid = len(seg.raw) / 2
            start, end = min(points, key=lambda pt: (abs(pt[0] - mid), pt[0]))
            left_text = seg.raw[:start].rstrip(" ,;")
            right_text = seg.raw[end:].lstrip(" ,;")
            subject = _SUBJECT.match(seg.raw) or _SUBJECT_ING.match(seg.raw)
            if subject and right_text[:1].islower() and subject.group(1).lower() not in _NO_SUBJECT:
                joint = ", " if re.match(r"\w+ing\b", right_text) else " "
                right_text = f"{subject.group(1).strip()}{joint}{right_text}"
                if left_text[-1:].isalnum():
                    left_text += "."
            left = _Seg("text", left_text)
            right = _Seg("text", right_text)
            units[i : i + 1] = [[*units[i][:p], left], [right, *units[i][p + 1 :]]]
            return True
    return False


def _and_split(units: list[list[_Seg]], ctx: _Ctx) -> bool:
    """Split "Mira explores the library and finds a door." into two beats, the subject
    repeated: "Mira explores the library." / "Mira finds a door."."""
    for i, unit in enumerate(units):
        for p, seg in enumerate(unit):
            if seg.kind != "text" or _quote_spans(seg.raw):
                continue
            m = _AND_VERB.search(seg.raw)
            subject = _SUBJECT.match(seg.raw)
            if not m or not subject or subject.group(1).lower() in _NO_SUBJECT:
                continue
            left = seg.raw[: m.start()].rstrip(" ,;") + "."
            right = f"{subject.group(1)} {seg.raw[m.end() :].lstrip()}"
            units[i : i + 1] = [
                [*unit[:p], _Seg("text", left)],
                [_Seg("text", right), *unit[p + 1 :]],
            ]
            return True
    return False


_SUBJECT = re.compile(r"\s*((?:[A-Z][\w'’-]*\s+){1,2}?|He\s+|She\s+|They\s+)(?=[a-z]+s\b)")
_AND_VERB = re.compile(r",?\s+and\s+(?=[a-z]{3,}(?:s|es)\s)")
_SUBJECT_ING = re.compile(r"\s*((?:[A-Z][\w'’-]*\s+){1,2}?|He\s+|She\s+|They\s+)(?=[a-z]+)")
_NO_SUBJECT = frozenset({"the ", "a ", "an ", "it ", "this ", "that "})


def spread(text: str, count: int, ctx: _Ctx) -> tuple[list[ScriptPanel], str]:
    """Exactly ``count`` non-empty panels from prose, in order, and how: "spread",
    "merged" (more beats than panels) or "expanded" (beats written along the arc)."""
    units = _units(text, ctx) or [[_Seg("text", " ".join(text.split()) or "…")]]
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    if len(paragraphs) >= max(2, count):  # blank-line paragraphs: a beat each, never split
        units = [[seg for unit in _units(p, ctx) for seg in unit] for p in paragraphs]
        units = [unit for unit in units if unit]
    while len(units) < count and (_and_split(units, ctx) or _split_once(units)):
        pass
    how = "merged" if len(units) > count else "spread"
    groups: list[list[_Seg]] = []
    size, extra = divmod(len(units), count)
    index = 0
    for g in range(min(count, len(units))):
        take = size + (1 if g < extra else 0)
        groups.append([seg for unit in units[index : index + take] for seg in unit])
        index += take
    texts = ["\n".join(seg.raw for seg in group) for group in groups]
    if len(texts) < count:
        texts = expand(texts, count, text, ctx)
        how = "expanded"
    return [_build_panel(t, ctx) for t in texts], how
