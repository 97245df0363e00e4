"""The prop catalogue: every known prop, its synonyms, and the labelled crate for the rest."""

from __future__ import annotations

from studio.render.offline import props as p
from studio.render.offline.props import Prop
from studio.render.offline.props_more import (
    ball,
    bed,
    bench,
    bicycle,
    bird,
    boat,
    campfire,
    car,
    cat,
    chair,
    computer,
    dog,
    flower,
    house,
    ladder,
    rock,
    table,
    tree,
    window,
)

PROPS: dict[str, Prop] = {
    "key": Prop(p.key, 0.12, 0.5, "table", 0.2),
    "door": Prop(p.door, 1.15, 0.5, "floor"),
    "book": Prop(p.book, 0.12, 0.76, "table"),
    "lantern": Prop(p.lantern, 0.2, 0.55, "ground", 1.0),
    "lamp": Prop(p.lamp, 0.3, 0.6, "table", 0.2),
    "candle": Prop(p.candle, 0.14, 0.6, "table", 0.3),
    "letter": Prop(p.letter, 0.1, 1.5, "table"),
    "phone": Prop(p.phone, 0.12, 0.56, "table", 0.4),
    "cup": Prop(p.cup, 0.1, 1.0, "table"),
    "umbrella": Prop(p.umbrella, 0.8, 1.24, "ground", 0.06),
    "bag": Prop(p.bag, 0.2, 1.1, "ground", 0.95),
    "map": Prop(p.map_, 0.2, 1.4, "table"),
    "sword": Prop(p.sword, 0.55, 0.26, "ground", 0.12),
    "shield": Prop(p.shield, 0.34, 0.84, "ground"),
    "crown": Prop(p.crown, 0.1, 1.4, "table"),
    "chest": Prop(p.chest, 0.3, 1.4, "floor"),
    "clock": Prop(p.clock, 0.16, 0.8, "table"),
    "computer": Prop(computer, 0.18, 1.4, "table"),
    "table": Prop(table, 0.42, 1.6, "floor"),
    "chair": Prop(chair, 0.55, 0.6, "floor"),
    "bed": Prop(bed, 0.45, 2.8, "floor"),
    "window": Prop(window, 0.45, 0.8, "wall"),
    "flower": Prop(flower, 0.2, 0.4, "ground", 0.15),
    "ball": Prop(ball, 0.12, 1.0, "ground"),
    "cat": Prop(cat, 0.22, 1.0, "ground"),
    "dog": Prop(dog, 0.3, 1.4, "ground"),
    "bird": Prop(bird, 0.1, 1.3, "air"),
    "car": Prop(car, 0.6, 2.2, "big"),
    "bicycle": Prop(bicycle, 0.5, 1.6, "floor"),
    "boat": Prop(boat, 0.9, 2.0, "big"),
    "house": Prop(house, 1.5, 1.3, "big"),
    "tree": Prop(tree, 1.6, 0.6, "big"),
    "ladder": Prop(ladder, 1.0, 0.3, "floor"),
    "rock": Prop(rock, 0.3, 1.8, "floor"),
    "campfire": Prop(campfire, 0.25, 1.0, "ground"),
    "bench": Prop(bench, 0.4, 2.4, "floor"),
    "open book": Prop(p.open_book, 0.1, 1.4, "table"),
}
_SYNONYMS = {
    "keys": "key",
    "gate": "door",
    "books": "book",
    "notebook": "book",
    "diary": "book",
    "torch": "lantern",
    "lanterns": "lantern",
    "light": "lamp",
    "candles": "candle",
    "envelope": "letter",
    "note": "letter",
    "mobile": "phone",
    "smartphone": "phone",
    "mug": "cup",
    "coffee": "cup",
    "tea": "cup",
    "glass": "cup",
    "parasol": "umbrella",
    "backpack": "bag",
    "suitcase": "bag",
    "purse": "bag",
    "satchel": "bag",
    "blade": "sword",
    "knife": "sword",
    "dagger": "sword",
    "treasure": "chest",
    "treasure chest": "chest",
    "box": "chest",
    "watch": "clock",
    "laptop": "computer",
    "desk": "table",
    "stool": "chair",
    "seat": "chair",
    "sofa": "bench",
    "couch": "bench",
    "flowers": "flower",
    "rose": "flower",
    "kitten": "cat",
    "puppy": "dog",
    "crow": "bird",
    "owl": "bird",
    "taxi": "car",
    "truck": "car",
    "bike": "bicycle",
    "ship": "boat",
    "cabin": "house",
    "cottage": "house",
    "hut": "house",
    "pine": "tree",
    "fire": "campfire",
    "stone": "rock",
    "boulder": "rock",
    "scroll": "map",
    "tiara": "crown",
}


def prop(name: str) -> tuple[str, Prop]:
    """The catalogue entry for a noun; an unknown noun is a labelled crate, never dropped."""
    word = name.strip().lower()
    word = _SYNONYMS.get(word, word)
    if word not in PROPS and word.endswith("s"):
        word = _SYNONYMS.get(word[:-1], word[:-1])
    if word in PROPS:
        return word, PROPS[word]
    return word, Prop(p.generic(name.strip().lower()), 0.22, 1.0, "floor")


GLOWING = {"lantern", "lamp", "candle", "campfire"}
