"""Reading story text: quotes, sentences, labels (``Caption:``, ``Mia:``) and name lookup."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.core.models import Character, Location

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
