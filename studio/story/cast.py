"""The automatic cast: people the story names (and speakers) the user has not defined yet.

A name is a run of capitalised words outside quotes that reads as a person: at a sentence
start only when a verb follows ("Mira explores"), elsewhere when no article comes before it
and it is no known place. Gender comes from the pronouns that follow its mentions. Looks
are picked from the name, so they stay the same from run to run.
"""

from __future__ import annotations

import hashlib
import re

from studio.core.models import Character, Location
from studio.story.text import _quote_spans
from studio.story.vocab import PROPS, SETTINGS, find_setting

_RUN = re.compile(r"(?<![\w'’])(?:[A-Z][a-z'’-]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z'’-]+))*")
_STOP = frozenset(
    """a an the he she they it i we you his her their its my our your this that these those
    then when while after before as at in on of and but or so if with without from to into
    page panel scene chapter caption narrator narration location setting sfx voice note
    next later suddenly meanwhile finally soon now there here what who why how where yes no
    oh hey hello hi okay ok wow meanwhile once one two three close wide medium establishing
    detail over above below from inside outside outside morning evening night day dawn dusk
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december god moments later extreme
    reaction low high bird birds birds-eye view shot angle end everyone someone nobody all
    both each every some many few more most other another such only just still even also
    mr mrs ms dr close-up extreme-close-up over-the-shoulder""".split()
)
_TITLES = frozenset("captain king queen prince princess lord lady sir doctor professor".split())
_PLACE_TAILS = frozenset(
    """street road avenue cafe café park library forest castle city town hall house school
    station river lake mountain island harbor harbour bay tower bridge inn tavern shop
    market church temple museum hospital palace""".split()
)
_VERB_AFTER = re.compile(
    r"\s+(?:[a-z]+ly\s+)?[a-z]{2,}(?:s|ed)\b|\s+(?:is|was|has|had|can|will)\b"
    r"|[’']s\b|\s+and\s+[A-Z][a-z'’-]+\s+[a-z]{2,}(?:s|ed)\b"
)
# Nature, weather, time and things: "Rain falls." names nobody.
_THINGS = (
    frozenset(
        """rain snow wind fog mist storm thunder lightning sun moon stars sky night darkness
    silence smoke fire water light shadows shadow time dawn dusk morning evening noon
    everything nothing something somebody anyone everybody""".split()
    )
    | frozenset(PROPS)
    | frozenset(w for ws in SETTINGS.values() for w in ws)
)
_WITH = re.compile(
    r"\b(?:to|with|and|at|for|behind|beside|follows?|meets?|sees?|hugs?|finds?|calls?|asks?"
    r"|tells?|helps?|joins?|kiss(?:es)?|greets?|watch(?:es)?)\s+$"
)
_MALE = re.compile(r"\b(?:he|him|his|himself)\b", re.I)
_FEMALE = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_SENTENCE = re.compile(r"[^.!?…。！？\n]+[.!?…。！？]*")
_DRESS = (
    "red jacket",
    "blue coat",
    "green sweater",
    "yellow raincoat",
    "grey hoodie",
    "purple dress",
    "brown leather jacket",
    "white shirt and dark trousers",
    "orange scarf",
    "striped shirt",
    "denim jacket",
    "black coat",
)
_AGES = ("child", "teenager", "young adult", "adult", "adult", "older adult")


def find_names(text: str, known: list[str], places: list[str]) -> list[str]:
    """Person names in ``text`` in order of first mention, except ``known`` and places."""
    skip = {k.casefold() for k in known} | {p.casefold() for p in places}
    setting_words = {p.casefold() for p in places for p in p.split()}
    found: dict[str, str] = {}
    acting: set[str] = set()  # names seen with a verb after them at least once
    for line in text.splitlines():
        label = re.match(r"\s*(?:[-*#>]+\s*)?([A-Z][\w'’ -]{0,30}):\s*[\"“'‘「]", line)
        if label and label.group(1).strip().casefold() not in _STOP:
            _add(found, " ".join(label.group(1).split()), skip)
            acting.add(" ".join(label.group(1).split()).casefold())
        spans = _quote_spans(line)
        for sent in _SENTENCE.finditer(line):
            for m in _RUN.finditer(line, sent.start(), sent.end()):
                if any(s <= m.start() < e for s, e in spans):
                    continue
                name = _person(line, m, sent.start(), setting_words)
                if name:
                    _add(found, name, skip)
                    lead = line[max(0, m.start() - 12) : m.start()].lower()
                    if _VERB_AFTER.match(line, m.end()) or _WITH.search(lead):
                        acting.add(name.casefold())
    return [name for key, name in found.items() if key in acting]


def _add(found: dict[str, str], name: str, skip: set[str]) -> None:
    key = name.casefold()
    if key in skip or key in found or any(key in k.split() for k in skip):
        return
    if any(key in k.split() for k in found):  # "Tom" after "Old Tom": the same person
        return
    found[key] = name


def _person(line: str, m: re.Match[str], sentence_start: int, places: set[str]) -> str | None:
    words = m.group().split()
    while words and words[0].casefold() in _STOP:
        words.pop(0)
    if not words or words[-1].casefold() in _PLACE_TAILS or words[-1].casefold() in places:
        return None
    if any(w.casefold() in _STOP for w in words) or (words[0].isupper() and len(words[0]) > 1):
        return None
    if len(words) == 1 and (words[0].casefold() in _TITLES or words[0].casefold() in _THINGS):
        return None
    before = line[max(0, m.start() - 12) : m.start()].lower()
    if re.search(r"\b(?:the|a|an)\s+$", before):
        return None
    lead = re.sub(r"^\s*[A-Za-z][\w -]{0,20}:\s*", "", line[sentence_start : m.start()])
    first = not lead.strip(" \t\"'“‘-*#>0123456789.)")
    if first and not _VERB_AFTER.match(line, m.end()):
        return None
    return " ".join(words)


def genders(text: str, names: list[str]) -> dict[str, str]:
    """``{name: "male" | "female"}`` from the pronouns after each name's mentions."""
    votes: dict[str, list[int]] = {n: [0, 0] for n in names}
    patterns = {n: re.compile(rf"\b{re.escape(n)}\b") for n in names}
    last: list[str] = []
    pending: list[tuple[list[str], int]] = []  # "Mia meets Leo. He laughs.": decided later
    for sent in _SENTENCE.finditer(text):
        s = sent.group()
        named = [n for n in names if patterns[n].search(s)]
        male, female = bool(_MALE.search(s)), bool(_FEMALE.search(s))
        pool = named if named else last
        if male != female and len(pool) == 1:
            votes[pool[0]][0 if male else 1] += 1
        elif male != female and len(pool) == 2:
            pending.append((pool, 0 if male else 1))
        if named:
            last = named
    for pool, side in pending:  # the one not already known as the other gender
        other = [n for n in pool if votes[n][1 - side] <= votes[n][side]]
        if len(other) == 1:
            votes[other[0]][side] += 1
    return {n: "male" if m > f else "female" for n, (m, f) in votes.items() if m != f}


def automatic_cast(
    text: str, cast: list[Character], locations: list[Location], speakers: list[str] = ()
) -> list[Character]:
    """New characters (marked ``auto``) for the people ``text`` names that ``cast`` lacks."""
    known = [c.name for c in cast]
    names = find_names(text, known, [loc.name for loc in locations])
    for speaker in speakers:
        key = speaker.casefold()
        if speaker and key not in {n.casefold() for n in names + known} and key not in _STOP:
            names.append(speaker)
    setting = find_setting(text)
    names = [n for n in names if not setting or n.casefold() != setting[0]]
    gender = genders(text, names)
    return [_looks(Character(name=n, gender=gender.get(n, ""), auto=True)) for n in names]


def _looks(character: Character) -> Character:
    digest = hashlib.sha256(character.name.casefold().encode()).digest()
    character.dress = _DRESS[digest[0] % len(_DRESS)]
    character.age = _AGES[digest[1] % len(_AGES)]
    return character
