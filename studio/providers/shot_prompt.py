"""One panel's prompt in natural language, written from its shot (shared by every provider).

The shot (``studio.core.shot``) says what a panel shows: framing and angle, the figures with
what they do and feel, the place, time, weather and props. Providers are sent this text, with
each figure's looks from the cast, instead of the panel's raw sentence; the sentence is kept
at the end when it adds something. A panel without a shot falls back to its description,
the looks of its characters and its location.

Provider-neutral: no provider package may be imported here (they import this module).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from studio.core.models import Character, Location, ScriptPanel
from studio.core.shot import Figure, Shot

FRAMING_WORDS = {
    "extreme-close-up": "Extreme close-up",
    "close-up": "Close-up",
    "medium": "Medium shot",
    "wide": "Wide shot",
    "establishing": "Establishing shot",
    "over-the-shoulder": "Over-the-shoulder shot",
}
ANGLE_WORDS = {"low": "low angle", "high": "high angle", "birds-eye": "bird's-eye view"}
ACTION_WORDS = {
    "stand": "standing",
    "walk": "walking",
    "run": "running",
    "sit": "sitting",
    "lie": "lying down",
    "sleep": "sleeping",
    "point": "pointing",
    "wave": "waving",
    "hold": "holding something",
    "reach": "reaching out",
    "hug": "hugging",
    "fight": "fighting",
    "fall": "falling",
    "jump": "jumping",
    "climb": "climbing",
    "read": "reading",
    "look": "looking",
    "talk": "talking",
}
EXPRESSION_WORDS = {
    "happy": "happy",
    "laughing": "laughing",
    "sad": "sad",
    "crying": "crying",
    "angry": "angry",
    "surprised": "surprised",
    "scared": "scared",
    "thinking": "thinking",
    "sleeping": "asleep",
}
TIME_WORDS = {"dawn": "at dawn", "day": "in daylight", "dusk": "at dusk", "night": "at night"}
WEATHER_WORDS = {
    "rain": "in the rain",
    "snow": "in the snow",
    "fog": "in fog",
    "storm": "in a storm",
}
MAX_PROMPT = 1500
_WORD = re.compile(r"[a-z0-9']{3,}")
_STOP = frozenset(
    "the and with from into onto over under then they them their there this that she her "
    "his him for are was were has have had not but its it's".split()
)


def _article(noun: str) -> str:
    noun = noun.strip()
    if not noun or noun.endswith("s") or noun.split()[0] in ("a", "an", "the", "some"):
        return noun
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _and(items: Iterable[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def looks(name: str, character: Character | None) -> str:
    """``Mira, a 10-year-old girl wearing an orange wizard robe`` (as far as the cast says)."""
    if character is None:
        return name
    age, gender = character.age.strip(), character.gender.strip()
    who = " ".join(p for p in (f"{age}-year-old" if age.isdigit() else age, gender) if p)
    text = f"{name}, {_article(who)}" if who else name
    if character.dress.strip():
        text += f" wearing {character.dress.strip()}"
    return text


def figure_text(figure: Figure, character: Character | None) -> str:
    """A figure with its looks, what it does and feels, its facing and what it holds."""
    parts = [looks(figure.name, character)]
    if figure.action != "hold" or not figure.holding:
        parts.append(ACTION_WORDS.get(figure.action, figure.action))
    if figure.expression in EXPRESSION_WORDS:
        parts.append(EXPRESSION_WORDS[figure.expression])
    if figure.facing in ("left", "right"):
        parts.append(f"facing {figure.facing}")
    elif figure.facing == "back":
        parts.append("seen from behind")
    if figure.holding:
        parts.append(f"holding {_and(_article(h) for h in figure.holding)}")
    return ", ".join(parts)


def framing_text(shot: Shot) -> str:
    """``Close-up, low angle`` (eye level is not said)."""
    text = FRAMING_WORDS.get(shot.framing, shot.framing.capitalize())
    if shot.angle in ANGLE_WORDS:
        text += f", {ANGLE_WORDS[shot.angle]}"
    return text


def place_text(shot: Shot, locations: list[Location]) -> str:
    """``in the Old Mill (a ruined mill by the river)``, or ``in a kitchen``; "" when unknown."""
    places = {loc.name.casefold(): loc for loc in locations}
    place = places.get((shot.location or "").casefold())
    if place is not None:
        detail = place.description.strip().rstrip(".")
        return f"at {place.name}" + (f" ({detail})" if detail else "")
    if shot.location:
        return f"at {shot.location}"
    if shot.setting:
        return f"in {_article(shot.setting)}"
    return ""


def when_text(shot: Shot) -> str:
    """``at night, in the rain`` (clear weather is not said)."""
    words = (TIME_WORDS.get(shot.time, ""), WEATHER_WORDS.get(shot.weather, ""))
    return ", ".join(w for w in words if w)


def shown_names(panel: ScriptPanel, cast: list[Character] | None = None) -> list[str]:
    """Who the panel shows: its shot's figures, else its listed characters; with ``cast``,
    spelled as the cast spells them."""
    shot = panel.shot
    names = [f.name for f in shot.figures] if shot is not None else list(panel.characters)
    if cast:
        spelled = {c.name.casefold(): c.name for c in cast}
        names = [spelled.get(n.casefold(), n) for n in names]
    return list(dict.fromkeys(names))


def adds_something(description: str, text: str) -> bool:
    """Whether ``description`` says a word (three letters or more, not a filler) that
    ``text`` does not."""
    said = set(_WORD.findall(text.lower()))
    return any(w not in said and w not in _STOP for w in _WORD.findall(description.lower()))


def shot_sentences(panel: ScriptPanel, cast: list[Character], locations: list[Location]) -> str:
    """The shot as sentences, without the description and style ("" without a shot)."""
    shot = panel.shot
    if shot is None:
        return ""
    by_name = {c.name.casefold(): c for c in cast}
    figures = [figure_text(f, by_name.get(f.name.casefold())) for f in shot.figures]
    head = framing_text(shot)
    sentences = [f"{head}: {'; '.join(figures)}" if figures else head]
    where = ", ".join(p for p in (place_text(shot, locations), when_text(shot)) if p)
    if where:
        sentences.append(where[0].upper() + where[1:])
    held = {h for f in shot.figures for h in f.holding}
    props = [p for p in shot.props if p not in held]
    if props:
        sentences.append(f"With {_and(_article(p) for p in props)}")
    return ". ".join(sentences) + "."


def fallback_sentences(panel: ScriptPanel, cast: list[Character], locations: list[Location]) -> str:
    """A panel without a shot: its description, its characters' looks, its location."""
    by_name = {c.name.casefold(): c for c in cast}
    parts = [panel.description.strip().rstrip(".") or "A comic panel"]
    people = [looks(n, by_name.get(n.casefold())) for n in panel.characters]
    if people:
        parts.append("; ".join(people))
    if panel.location:
        place = next((p for p in locations if p.name.casefold() == panel.location.casefold()), None)
        detail = place.description.strip().rstrip(".") if place else ""
        parts.append(f"At {panel.location}" + (f" ({detail})" if detail else ""))
    return ". ".join(parts)


def shot_prompt(
    panel: ScriptPanel,
    cast: list[Character],
    locations: list[Location],
    style: str = "",
    *,
    description: str | None = None,
    limit: int = MAX_PROMPT,
) -> str:
    """The panel's prompt in natural language: ``Close-up, low angle: Mira, a 10-year-old
    girl wearing an orange wizard robe, standing, crying, holding a lantern. At the Old Mill
    (a ruined mill), at night, in the rain. She weeps by the mill.`` Built from the shot;
    the description (``description`` overrides the panel's) is appended when it adds
    something, and a style other than "neutral" is named last. Without a shot, the
    description with the cast's looks and the location."""
    text_of = panel.description if description is None else description
    desc = text_of.strip()
    if panel.shot is None:
        if description is not None:
            panel = ScriptPanel(
                description=desc, characters=panel.characters, location=panel.location
            )
        text = fallback_sentences(panel, cast, locations)
    else:
        text = shot_sentences(panel, cast, locations)
        if desc and adds_something(desc, text):
            text += f" {desc if desc[-1] in '.!?' else desc + '.'}"
    if style.strip() and style.strip().lower() != "neutral":
        text += f" Style: {style.strip()}."
    return text[:limit]
