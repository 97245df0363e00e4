"""Which of the known places a shot's setting words name, and painting it."""

from __future__ import annotations

import re
from collections.abc import Callable

from studio.render.canvas import RGB
from studio.render.offline import indoors, outdoors, town
from studio.render.offline.sky import Scene

Painter = Callable[[Scene], RGB]

# (setting, indoor, painter, words); the first whose words match wins, so specific first
SETTINGS: list[tuple[str, bool, Painter, set[str]]] = [
    ("lighthouse", False, outdoors.lighthouse, {"lighthouse"}),
    (
        "spaceship",
        True,
        indoors.spaceship,
        {"spaceship", "spacecraft", "starship", "rocket", "cockpit", "space", "orbit", "planet"},
    ),
    ("train", True, indoors.train, {"train", "railway", "carriage", "subway", "metro", "tram"}),
    ("rooftop", False, town.rooftop, {"rooftop", "rooftops", "roof"}),
    (
        "library",
        True,
        indoors.library,
        {"library", "bookshop", "bookstore", "archive", "books", "study"},
    ),
    ("bedroom", True, indoors.bedroom, {"bedroom", "dormitory", "nursery", "bed"}),
    (
        "kitchen",
        True,
        indoors.kitchen,
        {"kitchen", "diner", "bakery", "cafe", "café", "restaurant", "canteen"},
    ),
    ("classroom", True, indoors.classroom, {"classroom", "school", "lecture", "lesson"}),
    (
        "office",
        True,
        indoors.office,
        {"office", "desk", "workplace", "cubicle", "lab", "laboratory", "bank"},
    ),
    (
        "shop",
        True,
        indoors.shop,
        {"shop", "store", "boutique", "supermarket", "market", "grocery", "stall"},
    ),
    (
        "castle",
        True,
        indoors.castle,
        {"castle", "throne", "palace", "dungeon", "hall", "fortress", "keep"},
    ),
    (
        "cave",
        True,
        indoors.cave,
        {"cave", "cavern", "tunnel", "mine", "underground", "grotto", "lair"},
    ),
    (
        "cabin",
        True,
        indoors.cabin,
        {
            "cabin",
            "hut",
            "cottage",
            "lodge",
            "tavern",
            "inn",
            "house",
            "home",
            "apartment",
            "room",
            "flat",
            "inside",
            "indoors",
            "living",
        },
    ),
    (
        "beach",
        False,
        outdoors.beach,
        {
            "beach",
            "sea",
            "ocean",
            "coast",
            "shore",
            "harbor",
            "harbour",
            "island",
            "lake",
            "bay",
            "pier",
            "seaside",
            "waves",
        },
    ),
    ("desert", False, outdoors.desert, {"desert", "dune", "dunes", "sand", "oasis", "canyon"}),
    (
        "mountains",
        False,
        outdoors.mountains,
        {"mountain", "mountains", "peak", "cliff", "hill", "hills", "summit", "valley", "alps"},
    ),
    (
        "forest",
        False,
        outdoors.forest,
        {"forest", "woods", "wood", "jungle", "trees", "grove", "woodland", "tree"},
    ),
    (
        "garden",
        False,
        outdoors.garden,
        {"garden", "yard", "backyard", "greenhouse", "orchard", "flowerbed"},
    ),
    ("park", False, outdoors.park, {"park", "playground", "meadow", "lawn", "picnic"}),
    (
        "street",
        False,
        town.street,
        {
            "city",
            "street",
            "town",
            "alley",
            "downtown",
            "avenue",
            "square",
            "station",
            "metropolis",
            "sidewalk",
            "crossroads",
        },
    ),
    (
        "road",
        False,
        outdoors.road,
        {
            "road",
            "countryside",
            "country",
            "lane",
            "path",
            "farm",
            "village",
            "highway",
            "fields",
            "field",
        },
    ),
    (
        "snowfield",
        False,
        outdoors.snowfield,
        {"snowfield", "snow", "tundra", "arctic", "ice", "glacier", "polar", "antarctic"},
    ),
]
NAMES: tuple[str, ...] = tuple(s[0] for s in SETTINGS)
_BY_NAME = {s[0]: s for s in SETTINGS}
_ALIAS = {
    "city street": "street",
    "beach/sea": "beach",
    "sea": "beach",
    "cabin interior": "cabin",
    "castle hall": "castle",
    "countryside road": "road",
    "countryside": "road",
}


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-zà-ÿ]+", text.lower()))


def setting_of(*texts: str) -> str:
    """The known setting the first telling text names ("woods" → forest), else ""."""
    for text in texts:
        key = text.strip().lower()
        if key in _BY_NAME:
            return key
        if key in _ALIAS:
            return _ALIAS[key]
        found = words(text)
        for name, _, _, keys in SETTINGS:
            if found & keys:
                return name
    return ""


def is_indoor(setting: str) -> bool:
    entry = _BY_NAME.get(setting)
    return bool(entry and entry[1])


def paint(setting: str, sc: Scene) -> RGB:
    """Paint ``setting`` (unknown: an open meadow); return the colour figures stand on."""
    entry = _BY_NAME.get(setting)
    return entry[2](sc) if entry else outdoors.park(sc)
