"""The shot of every panel, from its text, carried forward from panel to panel.

Setting, location, time and weather hold until the text changes them ("Next morning",
"the storm breaks"); "he"/"she" is the last male/female figure, "they" everyone of the
panel before; a speaker is in the shot. Framing and angle come from the words
("Close-up:", "from below") or are chosen for rhythm. A shot a person edited is kept as
it is and carries its own time, weather and place forward.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studio.core.models import Character, Location, Script, ScriptPanel
from studio.core.shot import Figure, Shot
from studio.story.vocab import (
    ACTION_WORDS,
    ANGLE_WORDS,
    EXPRESSION_WORDS,
    FRAMING_WORDS,
    TIME_WORDS,
    WEATHER_WORDS,
    compile_table,
    find_props,
    find_setting,
    kinds_of_place,
)

_TIME = [(v, re.compile(rf"\b(?:{w})\b", re.I)) for v, w in TIME_WORDS]
_WEATHER = [(v, re.compile(rf"\b(?:{w})\b", re.I)) for v, w in WEATHER_WORDS]
_ACTION = compile_table(ACTION_WORDS)
_EXPRESSION = compile_table(EXPRESSION_WORDS)
_FRAMING = compile_table(FRAMING_WORDS)
_ANGLE = compile_table(ANGLE_WORDS)
_HE = re.compile(r"\b(?:he|him|his)\b", re.I)
_SHE = re.compile(r"\b(?:she|her|hers)\b", re.I)
_THEY = re.compile(r"\b(?:they|them|their|both|together)\b", re.I)
_BACK = re.compile(
    r"\b(?:walks? away|turns? away|from behind|leaves|back to (?:us|the viewer))", re.I
)
_HOLD = re.compile(
    r"\b(?:hold|holds|holding|held|carr\w+|clutch\w*|with|grabs?|picks? up|"
    r"takes?|raises?|lifts?|opens?|shows?|gives?|hands?|offers?)\s+(?:(?:a|an|the|his|her|their|its)\s+)?"
    r"(?:\w+\s+)?(?P<thing>\w+)",
    re.I,
)
# Props nobody carries: "opens the door" is not holding it.
_FIXED = frozenset(
    """door window gate house cabin tree table bed car boat bridge stairs fence bench sofa
    piano ship train bus plane statue fire horse dragon desk shelf clock computer tv""".split()
)
_NOT_PEOPLE = frozenset({"narrator", "caption", "sfx", "voice", ""})
_RHYTHM = ("medium", "wide", "close-up", "medium", "over-the-shoulder", "wide")


@dataclass
class _State:
    setting: str = ""
    location: str | None = None
    time: str = "day"
    weather: str = "clear"
    figures: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # the figures of the panel before
    last_male: str = ""
    last_female: str = ""
    framings: list[str] = field(default_factory=list)


def derive_shots(
    script: Script, cast: list[Character], locations: list[Location], *, force: bool = False
) -> None:
    """Give every panel of ``script`` its shot (kept where a person edited it)."""
    genders = {c.name.casefold(): c.gender.lower() for c in cast}
    places = {loc.name.casefold(): loc for loc in locations}
    state = _State()
    for page in script.pages:
        for index, panel in enumerate(page.panels):
            if panel.shot is not None and panel.shot_edited and not force:
                _carry(state, panel.shot, genders)
                continue
            panel.shot = shot_of(panel, state, genders, places, first_on_page=index == 0)
            if force:
                panel.shot_edited = False


def _carry(state: _State, shot: Shot, genders: dict[str, str]) -> None:
    state.setting, state.location = shot.setting, shot.location
    state.time, state.weather = shot.time, shot.weather
    state.figures = [f.name for f in shot.figures]
    state.framings.append(shot.framing)
    for name in state.figures:
        _remember(state, name, genders)


def _remember(state: _State, name: str, genders: dict[str, str]) -> None:
    gender = genders.get(name.casefold(), "")
    if gender.startswith(("m", "b")):
        state.last_male = name
    elif gender.startswith(("f", "g", "w")):
        state.last_female = name


def _first(table: list[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    best: tuple[int, str] | None = None
    for value, regex in table:
        m = regex.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), value)
    return best[1] if best else None


def shot_of(
    panel: ScriptPanel,
    state: _State,
    genders: dict[str, str],
    places: dict[str, Location],
    *,
    first_on_page: bool = False,
) -> Shot:
    """The shot of one panel; ``state`` carries forward to the next."""
    text = f"{panel.description} {panel.caption}".strip()
    setting = find_setting(text)
    location = panel.location
    if location and location.casefold() in places:
        kind = kind_of_location(places[location.casefold()])
        setting_kind = setting[0] if setting else (kind or state.setting)
    else:
        setting_kind = setting[0] if setting else state.setting
        if setting and places:  # "in the library" → the defined location that is one
            location = _location_of_kind(setting[0], places) or location
    changed_place = setting_kind != state.setting or location != state.location
    state.setting, state.location = setting_kind, location
    state.time = _last(_TIME, text) or state.time
    state.weather = _last(_WEATHER, text) or state.weather
    figures = _figures(panel, text, state, genders)
    props = [p for p, _ in find_props(panel.description)]
    props = [p for p in props if p != setting_kind and p not in (f.name.lower() for f in figures)]
    held = {h for f in figures for h in f.holding}
    placed = [p for p in props if p not in held]
    framing = _first(_FRAMING, text) or _rhythm(
        state, figures, first_on_page, changed_place, shows_things=bool(placed)
    )
    angle = _first(_ANGLE, text) or _angle(figures, framing)
    state.framings.append(framing)
    return Shot(
        framing=framing,
        angle=angle,
        setting=setting_kind,
        location=location,
        time=state.time,
        weather=state.weather,
        figures=figures,
        props=props[:8],
    )


def kind_of_location(loc: Location) -> str:
    """The kind of place a defined location is: the last place word of its name ("City
    Library" → library), else the first of its description; "" when neither says."""
    in_name = [find_setting(w) for w in loc.name.split()]
    named = [found[0] for found in in_name if found]
    if named:
        return named[-1]
    found = find_setting(loc.description)
    return found[0] if found else ""


def _location_of_kind(kind: str, places: dict[str, Location]) -> str | None:
    for loc in places.values():
        if kind in kinds_of_place(f"{loc.name} {loc.description}"):
            return loc.name
    return None


def _last(table: list[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    best: tuple[int, str] | None = None
    for value, regex in table:
        for m in regex.finditer(text):
            if best is None or m.start() >= best[0]:
                best = (m.start(), value)
    return best[1] if best else None


def _figures(panel: ScriptPanel, text: str, state: _State, genders: dict[str, str]) -> list[Figure]:
    names = [n for n in panel.characters if n.strip().lower() not in _NOT_PEOPLE]
    speakers = [d.speaker for d in panel.dialogue if d.speaker.strip().lower() not in _NOT_PEOPLE]
    desc = panel.description
    unknown = [n for n in state.figures if not genders.get(n.casefold())]
    for pronoun, last in ((_HE, state.last_male), (_SHE, state.last_female)):
        if pronoun.search(desc):
            who = last or (unknown[-1] if len(unknown) == 1 else "")
            if who and who not in names:
                names.append(who)
    if _THEY.search(desc) and len(names) < 2:
        around = state.figures if len(state.figures) > 1 else state.before + state.figures
        names += [n for n in dict.fromkeys(around) if n not in names]
    if not names and desc[:1].islower() and state.figures:  # "looks around": the same people
        names = list(state.figures)
    named = set(panel.characters)
    names = list(dict.fromkeys(names + speakers))[:10]
    figures = [
        _figure(name, desc, names, name in speakers, i, name not in named and name not in speakers)
        for i, name in enumerate(names)
    ]
    state.before, state.figures = state.figures, names
    for name in names:
        _remember(state, name, genders)
    return figures


def _clause(desc: str, name: str, names: list[str], pronoun: bool = False) -> str:
    """The words about ``name``: from its mention to the next name or sentence end (the
    whole description for someone a pronoun brought in: "They run")."""
    m = re.search(rf"\b{re.escape(name)}\b", desc, re.I)
    if not m:
        return desc if len(names) == 1 or pronoun else ""
    rest = desc[m.end() :]
    stops = [rest.find(n) for n in names if n != name and rest.find(n) > 0]
    stop = min([*stops, len(rest)])
    end = re.search(r"[.!?;]", rest[:stop])
    return rest[: end.start() if end else stop]


def _figure(
    name: str, desc: str, names: list[str], speaks: bool, index: int, pronoun: bool
) -> Figure:
    clause = _clause(desc, name, names, pronoun)
    action = _first(_ACTION, clause) or ("talk" if speaks else "stand")
    expression = _first(_EXPRESSION, clause) or "neutral"
    if action == "sleep":
        expression = "sleeping"
    holding = []
    for m in _HOLD.finditer(clause):
        holding += [p for p, _ in find_props(m.group("thing")) if p not in _FIXED]
    if _BACK.search(clause):
        facing = "back"
    elif len(names) >= 2:
        facing = "right" if index % 2 == 0 else "left"
    else:
        facing = "front"
    return Figure(name, action, expression, facing, list(dict.fromkeys(holding))[:4])


def _rhythm(
    state: _State, figures: list[Figure], first: bool, changed: bool, *, shows_things: bool = False
) -> str:
    """A framing for a panel whose text names none: establish a new place, follow movement,
    go close on a feeling, and never three alike in a row. A panel that shows things
    (a door found, a cabin ahead) is framed wide enough to show them."""
    if not state.framings or (changed and first):
        return "establishing" if not figures else "wide"
    if changed:
        return "wide"
    if any(f.action in ("walk", "run", "climb", "jump") for f in figures):
        choice = "wide" if state.framings[-1:] != ["wide"] else "medium"
    elif len(figures) == 1 and figures[0].expression not in ("neutral", "sleeping"):
        choice = "close-up" if state.framings[-1:] != ["close-up"] else "medium"
    elif len(figures) >= 3 or not figures:
        choice = "wide"
    else:
        choice = _RHYTHM[len(state.framings) % len(_RHYTHM)]
    if shows_things and choice in ("close-up", "extreme-close-up"):
        choice = "medium"
    if state.framings[-2:] == [choice, choice]:
        choice = "medium" if choice != "medium" else "wide"
    return choice


def _angle(figures: list[Figure], framing: str) -> str:
    if any(f.action in ("fall", "climb", "jump", "fight") for f in figures):
        return "low"
    if framing == "establishing":
        return "high"
    return "eye-level"
