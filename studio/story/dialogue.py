"""One panel from its text: dialogue and who says it, captions, description, characters."""

from __future__ import annotations

import bisect
import re

from studio.core.models import DialogueLine, ScriptPanel
from studio.story.text import (
    _COLON,
    _MANNER_AFTER,
    _MANNER_BEFORE,
    _MANNER_VERBS,
    _MARKED,
    _MARKUP,
    _NAME_THEN_VERB,
    _NOT_CHARACTERS,
    _PRONOUNS,
    _PROPER,
    _SAYS_AFTER,
    _SAYS_BEFORE,
    _TERMINATORS,
    _VERB,
    _clean_line,
    _Ctx,
    _inside,
    _Mention,
    _mentions,
    _quote_spans,
    _segments,
)

# --------------------------------------------------------------------------- panels


def _speaker(body: str, quote: tuple[int, int], mentions: list[_Mention], ctx: _Ctx) -> str:
    """Who says ``body[quote]``: a ``Name says`` / ``says Name`` pattern, else the nearest."""
    start, end = quote
    before = [m for m in mentions if m.end <= start]
    after = [m for m in mentions if m.start >= end]
    for m in reversed(before):
        if _SAYS_BEFORE.fullmatch(body, m.end, start) or _COLON.fullmatch(body, m.end, start):
            return m.name
    if after:
        m = after[0]
        gap = body[end : m.start]
        if _SAYS_AFTER.fullmatch(gap) or (
            re.fullmatch(r"[\s,—–-]*", gap) and _NAME_THEN_VERB.match(body, m.end)
        ):
            return m.name
    if not before:
        unknown = _unknown_speaker(body, start, end)
        if unknown:
            return unknown
    scored = [(start - m.end, 0, m.name) for m in before]
    scored += [(m.start - end, 1, m.name) for m in after]
    return min(scored)[2] if scored else ctx.last_named


def _unknown_speaker(body: str, start: int, end: int) -> str:
    """``Mia says "…"`` / ``"…" says Mia`` where Mia is in no cast list yet: the
    capitalised name, else ""."""
    for m in reversed(list(_PROPER.finditer(body, 0, start))):
        if _SAYS_BEFORE.fullmatch(body, m.end(), start) or _COLON.fullmatch(body, m.end(), start):
            name = m.group(0)
            return "" if name.split()[0].lower() in _PRONOUNS else name
    verb = _SAYS_AFTER.match(body, end)
    if verb:
        m = _PROPER.match(body, verb.end())
        if m and m.group(0).split()[0].lower() not in _PRONOUNS:
            return m.group(0)
    return ""


def _manner(body: str, spans: list[tuple[int, int]], k: int) -> str:
    """``thought`` / ``whisper`` / ``shout`` when the verb that goes with quote ``k`` says
    so (``Mia thinks "…"``, ``"…" Mia whispers``), else ""."""
    start, end = spans[k]
    lo = spans[k - 1][1] if k else 0
    found = _MANNER_BEFORE.search(body, lo, start)
    if found is None and not re.search(rf"\b{_VERB}", body[lo:start], re.I):
        hi = spans[k + 1][0] if k + 1 < len(spans) else len(body)
        found = _MANNER_AFTER.match(body[:hi], end)
    if found is None:
        return ""
    return next(kind for kind, _ in _MANNER_VERBS if found.group(kind))


def _with_manner(text: str, manner: str) -> str:
    """``text`` in lettering markup for ``manner`` (unchanged when already marked up)."""
    if not manner or not text or _MARKED.match(text):
        return text
    return _MARKUP[manner].format(text)


# A bare speech tag left behind by a removed quote: "Mia says", "said Leo", "who shouts",
# "then whispers". Tags with an object ("Leo yells at Mia") are actions and stay.
_WHO = r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|I|[Ww]e|[Ww]ho)"
_LEAD = r"(?:(?:and|then|but)\s+)*"
_TAG_BEFORE = re.compile(
    rf"(?:^|(?<=[\s,;:.!?…—–-]))(?i:{_LEAD})(?:{_WHO}\s+)?(?:\w+ly\s+)?(?i:{_VERB})"
    rf"(?:\s+back)?[\s,:—–-]*$"
)
_TAG_AFTER = re.compile(
    rf"[\s,—–-]*(?:(?i:{_VERB})\s+{_WHO}|{_WHO}\s+(?:\w+ly\s+)?(?i:{_VERB}))(?:\s+back)?"
    r"(?=\s*(?:[.!?…,;]|$))"
)


def _drop_tags(body: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Blank the bare speech tags next to quotes (same length, so spans stay valid)."""
    chars = list(body)
    for k, (start, end) in enumerate(spans):
        lo = spans[k - 1][1] if k else 0
        before = _TAG_BEFORE.search(body, lo, start)
        if before and before.group().strip():
            chars[before.start() : start] = " " * (start - before.start())
        hi = spans[k + 1][0] if k + 1 < len(spans) else len(body)
        after = _TAG_AFTER.match(body[:hi], end)
        if after and after.group().strip():
            chars[end : after.end()] = " " * (after.end() - end)
    return "".join(chars), spans


def _remove_quotes(body: str, spans: list[tuple[int, int]], *, tags: bool = True) -> str:
    if spans and tags:
        body, spans = _drop_tags(body, spans)
    out, last = [], 0
    for start, end in spans:
        out.append(body[last:start])
        inner, rest = body[start + 1 : end - 1].rstrip(), body[end:].lstrip()
        prior = "".join(out).rstrip()
        ends_sentence = inner[-1:] in _TERMINATORS and prior and prior[-1] not in _TERMINATORS
        out.append(". " if ends_sentence and rest[:1].isupper() else " ")
        last = end
    out.append(body[last:])
    text = " ".join("".join(out).split())
    if spans:
        text = re.sub(r"\s+([,.;:!?…])", r"\1", text)
        text = re.sub(r"[,;:]+([.!?…])", r"\1", text)
        text = re.sub(r"([.!?…])[,;:]+", r"\1", text)
        text = re.sub(r"^[\s,;:.!?…—–-]+", "", text)
        text = re.sub(r"([,;:—–-]\s*)+$", ".", text).strip(" ,;:—–-")
        text = re.sub(r"(?i)^(?:and|then|but)\b\s*$", "", text)
        if text and text[0].islower() and text.split()[0].lower() in ("and", "then", "but"):
            text = text.split(None, 1)[1] if len(text.split()) > 1 else ""
        if text[:1].islower():
            text = text[0].upper() + text[1:]
        text = re.sub(r"(?<![.])\.\.(?![.])", ".", text)
        if text and not re.search(r"\w", text):
            text = ""
    return text


def _build_panel(text: str, ctx: _Ctx) -> ScriptPanel:
    """One panel from its text: description, caption, dialogue, characters and location."""
    captions: list[str] = []
    events: list[tuple[int, int, DialogueLine]] = []
    location: str | None = None
    parts: list[str] = []
    offsets: list[int] = []
    owners: list[int] = []
    for i, seg in enumerate(_segments(text, ctx)):
        if seg.kind == "caption":
            captions.append(" ".join(seg.value.split()))
        elif seg.kind == "location":
            location = _resolve_location(seg.value, ctx) or location
        elif seg.kind == "dialogue":
            events.append((i, 0, DialogueLine(seg.speaker, seg.value)))
        else:
            offsets.append(sum(len(p) + 1 for p in parts))
            owners.append(i)
            parts.append(seg.raw)
    body = " ".join(parts)
    spans = _quote_spans(body)
    mentions = [m for m in _mentions(body, ctx.name_re, ctx.names) if not _inside(m.start, spans)]
    for k, span in enumerate(spans):
        owner = owners[bisect.bisect_right(offsets, span[0]) - 1]
        said = _with_manner(_clean_line(body[span[0] + 1 : span[1] - 1]), _manner(body, spans, k))
        events.append((owner, span[0], DialogueLine(_speaker(body, span, mentions, ctx), said)))
    dialogue = [line for _, _, line in sorted(events, key=lambda e: (e[0], e[1]))]
    caption = " ".join(c for c in captions if c)
    return _finish(_remove_quotes(body, spans), caption, dialogue, location, ctx)


def _resolve_location(value: str, ctx: _Ctx) -> str | None:
    found = _mentions(value, ctx.place_re, ctx.places)
    if found:
        return found[0].name
    value = " ".join(value.split()).strip(" .,;:")
    return value or None


def _fallback_description(dialogue: list[DialogueLine], location: str | None) -> str:
    speakers = [d.speaker for d in dialogue if d.speaker.lower() not in _NOT_CHARACTERS]
    speakers = list(dict.fromkeys(s for s in speakers if s))
    if speakers:
        return f"{' and '.join(speakers)} speaking."
    if dialogue:
        return "A voice speaks."
    return f"Establishing shot: {location}." if location else "Establishing shot."


def _finish(
    description: str,
    caption: str,
    dialogue: list[DialogueLine],
    location: str | None,
    ctx: _Ctx,
) -> ScriptPanel:
    """Resolve location (with carry-over), fill an empty description, list the characters."""
    if location is None:
        seen = _mentions(description, ctx.place_re, ctx.places)
        seen += _mentions(caption, ctx.place_re, ctx.places)
        location = seen[0].name if seen else (ctx.location or ctx.only_place)
    if not description:
        description = _fallback_description(dialogue, location)
    named = [m.name for m in _mentions(description, ctx.name_re, ctx.names)]
    named += [m.name for m in _mentions(caption, ctx.name_re, ctx.names)]
    if named:
        ctx.last_named = named[-1]
    ctx.location = location
    voices = [d.speaker for d in dialogue if d.speaker.strip().lower() not in _NOT_CHARACTERS]
    characters = list(dict.fromkeys(named + [v for v in voices if v]))
    return ScriptPanel(description, characters, location, caption, dialogue)


def _absorb(text: str, ctx: _Ctx) -> None:
    """Text that is not a panel (a page heading's note, a preamble) still sets the scene."""
    for seg in _segments(text, ctx):
        if seg.kind == "location":
            ctx.location = _resolve_location(seg.value, ctx) or ctx.location
            continue
        if seg.kind not in ("text", "caption"):
            continue
        plain = _remove_quotes(seg.raw, _quote_spans(seg.raw))
        named = _mentions(plain, ctx.name_re, ctx.names)
        places = _mentions(plain, ctx.place_re, ctx.places)
        ctx.last_named = named[-1].name if named else ctx.last_named
        ctx.location = places[-1].name if places else ctx.location
