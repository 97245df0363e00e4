"""Derive a page/panel script from a story prompt, render it as editable text, and check it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from studio.core.models import (
    Character,
    DialogueLine,
    Layout,
    Location,
    Script,
    ScriptPage,
    ScriptPanel,
    Story,
)
from studio.core.validation import MAX_PANELS, ValidationError, validate_layout, validate_prompt

__all__ = [
    "FRAMINGS",
    "MAX_SCRIPT_PAGES",
    "derive_script",
    "script_to_text",
    "validate_script",
]

MAX_SCRIPT_PAGES = 200
# Framing hints for panels that re-use the closing sentence when the text runs out.
FRAMINGS = (
    "Close-up",
    "Wide shot",
    "Reaction shot",
    "Low angle",
    "High angle",
    "Over-the-shoulder shot",
    "Detail shot",
    "Silhouette",
)

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_HEADING = re.compile(
    rf"\b(?P<kind>page|panel|scene)[ \t]+(?P<num>\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})(?!\w)", re.I
)
_HEADING_TAIL = re.compile(r"[ \t*_]*(?P<sep>[:.)\-–—,])?[ \t]*")
_MARKUP_TAIL = re.compile(r"[*_]+[ \t]*")
_TERMINATORS = ".!?…。！？"
_CLOSERS = "\"'”’」』»)"
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "vs", "mt"})
_PAIRED = {"“": "”", "„": "“", "「": "」", "『": "』", "«": "»", "‘": "’"}
_OPENERS = "\"'“‘„「『«"
_LABEL = re.compile(r"(?P<label>[^\W\d_][^:\n\"“”「」]{0,39}?)[ \t]*:[ \t]*")
_VERB = (
    r"(?:say|said|ask|shout|yell|whisper|repl|answer|cr[iy]|scream|call|mutter|exclaim|add"
    r"|tell|told|sigh|laugh|gasp|murmur|snap|growl|shriek|respond|announce|explain|insist"
    r"|warn|continu|think|thought|wonder|declar|mumbl|grumbl|hiss|roar)\w*"
)
_SAYS_BEFORE = re.compile(
    rf"\s+(?:\w+ly\s+)?{_VERB}(?:\s+(?:back\s+)?(?:to|at)\s+[\w'’]+(?:\s+[\w'’]+)?)?[\s,:—–-]*",
    re.I,
)
_SAYS_AFTER = re.compile(rf"[\s,—–-]*{_VERB}\s+", re.I)
_NAME_THEN_VERB = re.compile(rf"\s+(?:\w+ly\s+)?{_VERB}\b", re.I)
_COLON = re.compile(r"\s*:\s*")
# A capitalised name the cast does not know yet, right before "says …" ("Mia says").
_PROPER = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?")
_PRONOUNS = frozenset("i he she they it we you someone everyone nobody the a an".split())
# Labels that are nobody in the cast: a quoted narrator line keeps "Narrator" (a caption
# when lettered); "Voice" is the label script_to_text writes for a line nobody says.
_NARRATOR = {"narrator": "Narrator", "voice": ""}
_NOT_CHARACTERS = frozenset({"narrator", "caption", "sfx"})
# How a verb before/after a quote letters it: lettering markup added to the line's text.
_MANNER_VERBS = (
    ("thought", r"think|thought|wonder|ponder"),
    ("whisper", r"whisper"),
    ("shout", r"shout|yell|scream|roar"),
)
_MANNER = "|".join(rf"(?P<{kind}>(?i:{verbs})\w*)" for kind, verbs in _MANNER_VERBS)
_MANNER_BEFORE = re.compile(
    rf"\b(?:{_MANNER})(?i:\s+(?:to|at|back|\w+ly|[\w'’]+self)\b(?:\s+[\w'’]+)?)?[\s,:—–-]*$"
)
_MANNER_AFTER = re.compile(rf"[\s,—–-]*(?:[A-Z][\w'’-]*\s+){{0,2}}(?:\w+ly\s+)?(?:{_MANNER})\b")
_MARKUP = {"thought": "(({}))", "whisper": "(whisper) {}", "shout": "(shout) {}"}
_MARKED = re.compile(r"^\s*(?:\(\(|\((?:whispers?|shout)\))", re.I)
_THEN_SPLIT = re.compile(r"[,;]?\s+(?:and\s+)?(?=then\b)", re.I)
_COMMA_SPLIT = re.compile(r"[,;]\s+")


# --------------------------------------------------------------------------- context


@dataclass
class _Mention:
    start: int
    end: int
    name: str


@dataclass
class _Ctx:
    """Cast/location lookup plus the carry-over state while panels are built in order."""

    names: dict[str, str]
    name_re: re.Pattern[str] | None
    places: dict[str, str]
    place_re: re.Pattern[str] | None
    only_place: str | None
    last_named: str = ""
    location: str | None = None


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _lookup(names: list[str]) -> tuple[dict[str, str], re.Pattern[str] | None]:
    table: dict[str, str] = {}
    for name in names:
        if name.strip():
            table.setdefault(_norm(name), " ".join(name.split()))
    if not table:
        return table, None
    alternatives = sorted(table, key=lambda key: (-len(key), key))
    pattern = "|".join(r"\s+".join(map(re.escape, key.split())) for key in alternatives)
    return table, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.I)


def _make_ctx(cast: list[Character], locations: list[Location]) -> _Ctx:
    names, name_re = _lookup([c.name for c in cast])
    places, place_re = _lookup([loc.name for loc in locations])
    only = next(iter(places.values())) if len(places) == 1 else None
    return _Ctx(names, name_re, places, place_re, only)


def _mentions(text: str, regex: re.Pattern[str] | None, table: dict[str, str]) -> list[_Mention]:
    if regex is None:
        return []
    found = []
    for m in regex.finditer(text):
        name = table.get(_norm(m.group()))
        if name is not None:
            found.append(_Mention(m.start(), m.end(), name))
    return found


# --------------------------------------------------------------------------- quotes


def _single_opens(line: str, i: int) -> bool:
    before = line[i - 1] if i else " "
    after = line[i + 1] if i + 1 < len(line) else ""
    return not before.isalnum() and bool(after) and not after.isspace()


def _find_single_close(line: str, start: int, closer: str) -> int:
    for k in range(start, len(line)):
        word_goes_on = k + 1 < len(line) and line[k + 1].isalnum()
        if line[k] == closer and not line[k - 1].isspace() and not word_goes_on:
            return k
    return -1


def _quote_spans(line: str) -> list[tuple[int, int]]:
    """``(start, end)`` of quoted speech on one line, quote marks included."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(line):
        ch, j = line[i], -1
        if ch == '"':
            j = line.find('"', i + 1)
        elif ch == "‘":
            j = _find_single_close(line, i + 1, "’")
        elif ch in _PAIRED:
            j = line.find(_PAIRED[ch], i + 1)
        elif ch == "'" and _single_opens(line, i):
            j = _find_single_close(line, i + 1, "'")
        if j > i and line[i + 1 : j].strip():
            spans.append((i, j + 1))
            i = j + 1
            continue
        i += 1
    return spans


def _strip_quotes(value: str) -> str:
    if len(value) >= 2:
        closer = _PAIRED.get(value[0], value[0] if value[0] in "\"'" else "")
        if closer and value[-1] == closer:
            return value[1:-1].strip()
    return value


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


# --------------------------------------------------------------------------- segments


@dataclass
class _Seg:
    """One sentence or label line: ``text``, ``caption``, ``location`` or ``dialogue``."""

    kind: str
    raw: str
    value: str = ""
    speaker: str = ""


def _is_abbreviation(line: str, i: int) -> bool:
    m = re.search(r"(\w+)$", line[max(0, i - 8) : i])
    if not m:
        return False
    word = m.group(1)
    return word.casefold() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _sentence_end(line: str, pos: int, spans: list[tuple[int, int]]) -> int:
    span_ends = dict(spans)
    i, n = pos, len(line)
    while i < n:
        if i in span_ends:
            i = span_ends[i]
            continue
        if line[i] in _TERMINATORS:
            j = i
            while j < n and line[j] in _TERMINATORS:
                j += 1
            while j < n and line[j] in ")]":
                j += 1
            single_dot = line[i] == "." and j == i + 1
            if (j >= n or line[j].isspace()) and not (single_dot and _is_abbreviation(line, i)):
                return j
            i = j
            continue
        i += 1
    return n


def _looks_like_label(label: str) -> bool:
    words = label.split()
    return (
        1 <= len(words) <= 4
        and all(w[0].isupper() or w[0].isdigit() for w in words)
        and not any(ch in label for ch in ".,;!?")
    )


def _label_at(
    line: str, pos: int, spans: list[tuple[int, int]], first: bool, ctx: _Ctx
) -> tuple[_Seg, int] | None:
    """A ``Caption:`` / ``Location:`` / ``Name:`` label starting at ``pos``, and where it ends.

    At the start of a line a label runs to the end of the line; later on, to its sentence end.
    """
    m = _LABEL.match(line, pos)
    if not m:
        return None
    label, key, vpos = m.group("label").strip(), _norm(m.group("label")), m.end()
    quote = next((sp for sp in spans if sp[0] == vpos), None)
    end = len(line) if first else _sentence_end(line, pos, spans)
    value = line[vpos:end].strip()
    if key in ("caption", "narration") or (key == "narrator" and quote is None):
        if quote is not None:  # Caption: "…" Mia says "…": the quote only, the rest reads on
            end, value = quote[1], line[quote[0] + 1 : quote[1] - 1]
        return _Seg("caption", line[pos:end].strip(), value), end
    if key in ("location", "setting"):
        return _Seg("location", line[pos:end].strip(), value), end
    if key in _NARRATOR and key not in ctx.names:
        speaker: str | None = _NARRATOR[key]
    else:
        speaker = ctx.names.get(key)
    if speaker is None:
        if quote is None or not _looks_like_label(label):
            return None
        speaker = label
    if quote is not None:
        end, value = quote[1], line[quote[0] + 1 : quote[1] - 1]
    else:
        value = _strip_quotes(value)
    return _Seg("dialogue", line[pos:end].strip(), _clean_line(value), speaker), end


def _segments(text: str, ctx: _Ctx) -> list[_Seg]:
    """Split text into sentences (quotes kept whole) and label lines."""
    segs: list[_Seg] = []
    for line in text.splitlines():
        spans = _quote_spans(line)
        pos, first = len(line) - len(line.lstrip()), True
        while pos < len(line):
            found = _label_at(line, pos, spans, first, ctx)
            if found is not None:
                seg, end = found
            else:
                end = _sentence_end(line, pos, spans)
                seg = _Seg("text", line[pos:end].strip())
            if seg.raw:
                segs.append(seg)
            pos, first = end + len(line[end:]) - len(line[end:].lstrip()), False
    return segs


def _clean_line(text: str) -> str:
    text = " ".join(text.split())
    return text.rstrip(", ") or text


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


def _remove_quotes(body: str, spans: list[tuple[int, int]]) -> str:
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
        text = text.strip(" ,;:—–-")
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
    speakers = list(dict.fromkeys(d.speaker for d in dialogue if d.speaker))
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


# --------------------------------------------------------------------------- spreading


def _is_pure_quote(seg: _Seg) -> bool:
    if seg.kind != "text":
        return False
    return not re.search(r"\w", _remove_quotes(seg.raw, _quote_spans(seg.raw)))


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
            left = _Seg("text", seg.raw[:start].rstrip(" ,;"))
            right = _Seg("text", seg.raw[end:].lstrip(" ,;"))
            units[i : i + 1] = [[*units[i][:p], left], [right, *units[i][p + 1 :]]]
            return True
    return False


def _spread(text: str, count: int, ctx: _Ctx) -> list[ScriptPanel]:
    """Exactly ``count`` non-empty panels from prose, in order."""
    units = _units(text, ctx) or [[_Seg("text", " ".join(text.split()))]]
    while len(units) < count and _split_once(units):
        pass
    groups: list[list[_Seg]] = []
    size, extra = divmod(len(units), count)
    index = 0
    for g in range(min(count, len(units))):
        take = size + (1 if g < extra else 0)
        groups.append([seg for unit in units[index : index + take] for seg in unit])
        index += take
    panels = [_build_panel("\n".join(seg.raw for seg in group), ctx) for group in groups]
    closing = panels[-1]
    for i in range(count - len(panels)):
        description = f"{FRAMINGS[i % len(FRAMINGS)]}: {closing.description}"
        panels.append(_finish(description, "", [], closing.location, ctx))
    return panels


# --------------------------------------------------------------------------- directions


@dataclass
class _Heading:
    kind: str  # "page" or "panel"
    start: int
    end: int
    number: int


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS.index(word.casefold()) + 1


@dataclass
class _PageDraft:
    explicit: bool
    number: int = 0
    pre: list[str] = field(default_factory=list)
    panels: list[str] = field(default_factory=list)


def _find_headings(text: str) -> list[_Heading]:
    """``Page N`` / ``Panel N`` / ``Scene N`` at a line start, after a heading, or mid-line
    after a sentence end when followed by a colon or dash."""
    found: list[_Heading] = []
    for m in _HEADING.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        lead = text[line_start : m.start()]
        at_line = not lead.strip(" \t*#>_-")
        chained = bool(found) and not text[found[-1].end : m.start()].strip(" \t,;:-–—*_")
        mid = lead.rstrip(" \t*_").rstrip(_CLOSERS)[-1:] in tuple(_TERMINATORS)
        tail = _HEADING_TAIL.match(text, m.end())
        sep, end = tail.group("sep") or "", tail.end()
        markup = _MARKUP_TAIL.match(text, end)
        if markup and any(ch in lead for ch in "*_"):  # **Panel 1:** text
            end = markup.end()
        eol = text[end : end + 1] in ("", "\n", "\r")
        kind = "page" if m.group("kind").lower() == "page" else "panel"
        into_panel = kind == "page" and _HEADING.match(text, end) is not None
        good_sep = sep in tuple(":.)-–—") or (not sep and eol)
        after_sentence = mid and sep in tuple(":-–—")
        number = _number(m.group("num"))
        if (at_line or chained) and (good_sep or into_panel):
            found.append(_Heading(kind, line_start if at_line else m.start(), end, number))
        elif after_sentence:
            found.append(_Heading(kind, m.start(), end, number))
    return found


def _drafts(text: str, headings: list[_Heading]) -> list[_PageDraft]:
    pages = [_PageDraft(explicit=False, pre=[text[: headings[0].start]])]
    for i, heading in enumerate(headings):
        stop = headings[i + 1].start if i + 1 < len(headings) else len(text)
        segment = text[heading.end : stop]
        current = pages[-1]
        if heading.kind == "panel":
            current.panels.append(segment)
        elif current.explicit and current.number == heading.number:  # "Page 1, Panel 2: …"
            current.pre.append(segment)
        elif current.explicit or current.panels:
            pages.append(_PageDraft(explicit=True, number=heading.number, pre=[segment]))
        else:  # the first Page heading takes over the preamble
            current.explicit, current.number = True, heading.number
            current.pre.append(segment)
    return pages


def _from_directions(drafts: list[_PageDraft], per_page: int, ctx: _Ctx) -> list[ScriptPage]:
    pages: list[ScriptPage] = []
    for draft in drafts:
        texts = [t for t in draft.panels if t.strip()]
        if texts:
            for pre in draft.pre:
                _absorb(pre, ctx)
            panels = [_build_panel(t, ctx) for t in texts]
            size = MAX_PANELS if draft.explicit else per_page
        else:
            body = "\n".join(draft.pre)
            if not body.strip():
                continue
            panels, size = _spread(body, per_page, ctx), per_page
        pages.extend(ScriptPage(panels[i : i + size]) for i in range(0, len(panels), size))
    return pages


# --------------------------------------------------------------------------- public API


def derive_script(
    story: Story,
    cast: list[Character],
    locations: list[Location],
    *,
    pages: int | None = None,
    panels_per_page: int | None = None,
) -> Script:
    """A deterministic script from ``story.prompt``.

    With ``Page N`` / ``Panel N`` / ``Scene N`` directions in the prompt the directions win
    (their count, never padded). Otherwise the sentences are spread over exactly
    ``pages × panels_per_page`` panels (the overrides, else ``story.layout``).
    Raises :class:`ValidationError` for an empty prompt or an out-of-range layout.
    """
    prompt = (story.prompt or "").strip()
    if not prompt:  # no length limit here: a long script's own text must read back
        validate_prompt(prompt)
    layout = validate_layout(
        Layout(
            pages=story.layout.pages if pages is None else pages,
            panels_per_page=story.layout.panels_per_page
            if panels_per_page is None
            else panels_per_page,
        )
    )
    per_page = layout.panels_per_page
    headings = _find_headings(prompt)
    if headings:
        result = _from_directions(_drafts(prompt, headings), per_page, _make_ctx(cast, locations))
        if result:
            return Script(result)
    panels = _spread(prompt, layout.total_panels, _make_ctx(cast, locations))
    return Script([ScriptPage(panels[i : i + per_page]) for i in range(0, len(panels), per_page)])


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    if '"' not in text:
        return f'"{text}"'
    if "”" not in text:
        return f"“{text}”"
    return f"「{text}」"


def script_to_text(script: Script) -> str:
    """Editable text of a script; :func:`derive_script` reads it back to the same script.

    Per panel: ``Panel N: description``, then ``Location: …`` (when set), ``Caption: …``
    (when set) and one ``Speaker: "line"`` per dialogue line (``Voice:`` for no speaker;
    ``Narrator:`` lines are the narrator's, lettered as captions).
    """
    lines: list[str] = []
    for page_no, page in enumerate(script.pages, 1):
        if lines:
            lines.append("")
        lines.append(f"Page {page_no}")
        for panel_no, panel in enumerate(page.panels, 1):
            lines.append(f"Panel {panel_no}: {' '.join(panel.description.split())}".rstrip())
            if panel.location:
                lines.append(f"Location: {' '.join(panel.location.split())}")
            caption = " ".join(panel.caption.split())
            if caption:
                quoted = caption[0] in _OPENERS or caption[-1] in _CLOSERS
                lines.append(f"Caption: {_quoted(caption) if quoted else caption}")
            for line in panel.dialogue:
                speaker = " ".join(line.speaker.split()) or "Voice"
                lines.append(f"{speaker}: {_quoted(line.text)}")
    return "\n".join(lines)


def validate_script(script: Script) -> None:
    """Raise :class:`ValidationError` unless the script has 1–200 pages of 1–20 panels each."""
    if not script.pages:
        raise ValidationError("The script has no pages: write at least one panel.", "script")
    if len(script.pages) > MAX_SCRIPT_PAGES:
        raise ValidationError(
            f"The script has {len(script.pages)} pages; the limit is {MAX_SCRIPT_PAGES}.",
            "script",
        )
    for number, page in enumerate(script.pages, 1):
        if not page.panels:
            raise ValidationError(f"Page {number} of the script has no panels.", "script")
        if len(page.panels) > MAX_PANELS:
            raise ValidationError(
                f"Page {number} of the script has {len(page.panels)} panels; "
                f"the limit is {MAX_PANELS} per page.",
                "script",
            )
