"""Headings decide pages and panels: ``Page 1``, ``PAGE ONE``, ``## Page 2``, ``Panel 3:``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studio.story.text import _CLOSERS, _TERMINATORS

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_HEADING = re.compile(
    rf"\b(?P<kind>page|panel|scene)[ \t]+(?P<num>\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})(?!\w)", re.I
)
_HEADING_TAIL = re.compile(r"[ \t*_]*(?P<sep>[:.)\-–—,])?[ \t]*")
_MARKUP_TAIL = re.compile(r"[*_]+[ \t]*")
# "1. Leo runs." / "2) Mia follows." at a line start: a numbered list of panels.
_LIST_ITEM = re.compile(r"^[ \t]*(?P<num>\d{1,3})[.)][ \t]+(?=\S)", re.M)


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
        after_sentence = mid and (sep in tuple(":-–—") or (sep == "." and into_panel))
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


def _list_headings(text: str) -> list[_Heading]:
    """A numbered list (``1.`` / ``1)`` at line starts, counting up from 1) as panel headings."""
    found: list[_Heading] = []
    for m in _LIST_ITEM.finditer(text):
        if int(m.group("num")) == len(found) + 1:
            found.append(_Heading("panel", m.start(), m.end(), int(m.group("num"))))
    return found if len(found) >= 2 else []


def find_headings(text: str) -> list[_Heading]:
    """Page/panel headings, else the items of a numbered list; [] for plain prose."""
    return _find_headings(text) or _list_headings(text)


def heading_drafts(text: str) -> list[_PageDraft]:
    headings = find_headings(text)
    return _drafts(text, headings) if headings else []
