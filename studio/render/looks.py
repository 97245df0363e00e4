"""A character's stable look (colours, garments, build) derived from its name and dress words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.core.models import Character
from studio.render.canvas import RGB, mix, stable_int

COLOURS: dict[str, RGB] = {
    "red": (214, 64, 60),
    "crimson": (180, 30, 50),
    "blue": (62, 110, 200),
    "navy": (40, 56, 110),
    "teal": (40, 150, 150),
    "cyan": (70, 190, 215),
    "green": (70, 158, 86),
    "orange": (242, 138, 36),
    "purple": (136, 78, 180),
    "violet": (150, 100, 210),
    "yellow": (246, 206, 56),
    "gold": (222, 176, 40),
    "pink": (240, 138, 182),
    "black": (44, 44, 52),
    "white": (246, 246, 240),
    "brown": (138, 92, 56),
    "grey": (150, 150, 158),
    "gray": (150, 150, 158),
    "silver": (190, 194, 204),
    "beige": (222, 204, 170),
}
_HAIR: dict[str, RGB] = {
    "blonde": (240, 204, 110),
    "blond": (240, 204, 110),
    "ginger": (200, 92, 40),
    "red": (190, 70, 40),
    "brown": (110, 70, 40),
    "black": (36, 32, 36),
    "white": (236, 236, 236),
    "grey": (180, 180, 184),
    "gray": (180, 180, 184),
    "silver": (200, 204, 212),
    "pink": (238, 140, 180),
    "blue": (80, 120, 210),
    "green": (90, 170, 100),
    "purple": (140, 90, 180),
}
_SKINS: list[RGB] = [
    (255, 221, 190),
    (240, 196, 158),
    (214, 160, 118),
    (170, 116, 80),
    (120, 80, 56),
]
_HAIR_DEFAULT: list[RGB] = [
    (60, 44, 36),
    (110, 70, 40),
    (36, 32, 36),
    (226, 186, 100),
    (160, 84, 44),
]
_GARMENTS: list[RGB] = [COLOURS[c] for c in ("red", "blue", "green", "orange", "purple", "teal")]

_TOP = {"robe", "cloak", "dress", "gown", "suit", "jacket", "coat", "shirt", "sweater", "hoodie"}
_TOP |= {"tunic", "top", "blouse", "uniform", "vest", "jumper", "armor", "armour", "kimono"}
_BOTTOM = {"pants", "jeans", "trousers", "skirt", "shorts", "leggings"}
_HAT = {"hat", "cap", "hood", "beanie", "crown", "helmet", "bonnet"}
_CHILD = {"child", "kid", "boy", "girl", "toddler", "baby", "young", "little", "teen", "teenager"}
_OLD = {"old", "elderly", "grandma", "grandpa", "grandmother", "grandfather", "aged", "senior"}
_FEMALE = {"female", "woman", "girl", "she", "her", "lady", "grandma", "grandmother", "mother"}
_FEMALE |= {"f", "queen", "princess", "witch", "aunt", "mum", "mom"}
_MALE = {"male", "man", "boy", "he", "him", "gentleman", "grandpa", "grandfather", "father"}
_MALE |= {"m", "king", "prince", "wizard", "uncle", "dad"}


@dataclass(frozen=True)
class Look:
    """Everything needed to draw a character the same way in every panel."""

    name: str
    skin: RGB
    hair: RGB
    top: RGB  # the dominant dress colour
    bottom: RGB
    hat_colour: RGB
    garment: str  # "robe" | "dress" | "suit" | "shirt"
    hat: str  # "" | "pointy" | "brim" | "cap" | "crown"
    cape: RGB | None
    glasses: bool
    long_hair: bool
    beard: bool
    height: float  # world units, an adult is 0.5
    child: bool


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _garment_colours(words: list[str]) -> dict[str, RGB]:
    """Colour words bound to the garment noun that follows them (``red cape`` → cape: red)."""
    found: dict[str, RGB] = {}
    loose: list[RGB] = []
    for i, w in enumerate(words):
        if w not in COLOURS:
            continue
        nxt = words[i + 1 : i + 4]
        if nxt and nxt[0] in ("hair", "eyes", "beard"):
            continue
        noun = next((n for n in nxt if n in _TOP | _BOTTOM | _HAT | {"cape"}), "")
        slot = (
            "top"
            if noun in _TOP
            else "bottom"
            if noun in _BOTTOM
            else "hat"
            if noun in _HAT
            else noun
        )
        if slot and slot not in found:
            found[slot] = COLOURS[w]
        elif not slot:
            loose.append(COLOURS[w])
    for slot in ("top", "bottom"):
        if slot not in found and loose:
            found[slot] = loose.pop(0)
    return found


def _hair_colour(words: list[str], old: bool, h: int) -> RGB:
    for i, w in enumerate(words[:-1]):
        if words[i + 1] in ("hair", "haired") and w in _HAIR:
            return _HAIR[w]
    if "blonde" in words or "blond" in words:
        return _HAIR["blonde"]
    if old:
        return (214, 214, 218)
    return _HAIR_DEFAULT[h % len(_HAIR_DEFAULT)]


def _age_flags(age: str, words: set[str]) -> tuple[bool, bool]:
    num = re.search(r"\d+", age)
    years = int(num.group()) if num else None
    child = bool(words & _CHILD) or (years is not None and years < 13)
    old = bool(words & _OLD) or (years is not None and years >= 65)
    return child and not old, old


def character_look(character: Character) -> Look:
    """The deterministic look of ``character``: same name and words → same drawing."""
    h = stable_int("look", character.name.strip().lower())
    dress = _words(character.dress)
    about = set(_words(f"{character.age} {character.gender} {character.dress}"))
    child, old = _age_flags(character.age, about)
    female = bool(about & _FEMALE) or (not about & _MALE and h % 2 == 0)
    colours = _garment_colours(dress)
    top = colours.get("top", _GARMENTS[(h >> 8) % len(_GARMENTS)])
    bottom = colours.get("bottom", mix(top, (40, 40, 60), 0.55))
    wizard = bool({"wizard", "witch", "mage", "sorcerer"} & set(dress))
    garment = _garment_kind(set(dress), wizard)
    hat = _hat_kind(set(dress), wizard)
    cape = colours.get("cape", shade_cape(top)) if "cape" in dress or "cloak" in dress else None
    return Look(
        name=character.name,
        skin=_SKINS[(h >> 4) % len(_SKINS)],
        hair=_hair_colour(dress + _words(character.age), old, h >> 12),
        top=top,
        bottom=bottom,
        hat_colour=colours.get("hat", top if hat == "pointy" else mix(bottom, (30, 30, 30), 0.3)),
        garment=garment,
        hat=hat,
        cape=cape,
        glasses="glasses" in dress or "spectacles" in dress,
        long_hair=female,
        beard=(old and not female) or "beard" in dress,
        height=0.34 if child else (0.47 if old else 0.5),
        child=child,
    )


def shade_cape(top: RGB) -> RGB:
    return mix(top, (120, 20, 40), 0.5)


def _garment_kind(dress: set[str], wizard: bool) -> str:
    if wizard or dress & {"robe", "cloak", "gown", "kimono"}:
        return "robe"
    if "dress" in dress:
        return "dress"
    if dress & {"suit", "tuxedo"}:
        return "suit"
    return "shirt"


def _hat_kind(dress: set[str], wizard: bool) -> str:
    if wizard or "pointy" in dress:
        return "pointy"
    if "crown" in dress:
        return "crown"
    if dress & {"cap", "beanie", "helmet"}:
        return "cap"
    if "hat" in dress:
        return "brim"
    return ""
