"""Word lists that turn story words into shot values: places, props, time, weather, verbs."""

from __future__ import annotations

import re

# Kind of place (lower case, as the shot's ``setting``) ← words that name it.
SETTINGS: dict[str, tuple[str, ...]] = {
    "library": ("library", "libraries", "bookshop", "bookstore"),
    "forest": ("forest", "woods", "wood", "jungle", "grove"),
    "beach": ("beach", "shore", "seaside", "coast"),
    "sea": ("sea", "ocean"),
    "city street": ("street", "city", "town", "alley", "road", "avenue", "downtown"),
    "park": ("park", "garden", "playground"),
    "kitchen": ("kitchen",),
    "bedroom": ("bedroom",),
    "living room": ("living room", "lounge"),
    "house": ("house", "home", "cottage", "cabin"),
    "castle": ("castle", "palace", "throne room", "tower"),
    "school": ("school", "classroom"),
    "office": ("office",),
    "cafe": ("cafe", "café", "coffee shop", "restaurant", "diner", "bar", "tavern", "inn"),
    "shop": ("shop", "store", "market"),
    "station": ("station", "platform", "airport"),
    "harbor": ("harbor", "harbour", "port", "dock", "pier"),
    "lighthouse": ("lighthouse",),
    "mountain": ("mountain", "mountains", "cliff", "peak", "hill"),
    "desert": ("desert", "dunes"),
    "field": ("field", "meadow", "farm"),
    "river": ("river", "lake", "pond", "stream"),
    "cave": ("cave", "cavern", "tunnel"),
    "space": ("space", "spaceship", "starship", "moon", "planet"),
    "lab": ("lab", "laboratory"),
    "hospital": ("hospital",),
    "museum": ("museum", "gallery"),
    "church": ("church", "temple", "chapel"),
    "ruins": ("ruins", "ruin", "tomb", "dungeon"),
    "attic": ("attic", "basement", "cellar"),
    "rooftop": ("rooftop", "roof"),
}

# Props: lower-case singular nouns ← the words (and plurals) that show them.
PROPS: tuple[str, ...] = (
    "key",
    "door",
    "book",
    "lantern",
    "lamp",
    "candle",
    "letter",
    "phone",
    "cup",
    "umbrella",
    "bag",
    "map",
    "sword",
    "shield",
    "crown",
    "treasure chest",
    "clock",
    "computer",
    "table",
    "chair",
    "bed",
    "window",
    "flower",
    "ball",
    "cat",
    "dog",
    "bird",
    "car",
    "bicycle",
    "boat",
    "cabin",
    "house",
    "tree",
    "box",
    "bottle",
    "mirror",
    "painting",
    "rope",
    "torch",
    "ring",
    "necklace",
    "hat",
    "backpack",
    "camera",
    "guitar",
    "piano",
    "bench",
    "fence",
    "gate",
    "bridge",
    "stairs",
    "ladder",
    "fire",
    "wand",
    "potion",
    "scroll",
    "coin",
    "gun",
    "knife",
    "shovel",
    "horse",
    "robot",
    "ship",
    "train",
    "bus",
    "plane",
    "telescope",
    "statue",
    "egg",
    "cake",
    "apple",
    "bread",
    "newspaper",
    "photo",
    "note",
    "envelope",
    "suitcase",
    "basket",
    "dragon",
    "ghost",
    "shelf",
    "desk",
    "sofa",
    "tv",
    "radio",
    "flashlight",
    "pen",
    "glasses",
)
_IRREGULAR = {"stairs": "stairs", "glasses": "glasses", "knives": "knife", "shelves": "shelf"}
_PROP_WORDS: dict[str, str] = {}
for _p in PROPS:
    _PROP_WORDS[_p] = _p
    _PROP_WORDS[_p + ("es" if _p.endswith(("s", "x", "ch", "sh")) else "s")] = _p
_PROP_WORDS.update(_IRREGULAR)
_PROP_WORDS.update(
    {
        "chest": "treasure chest",
        "treasure": "treasure chest",
        "bike": "bicycle",
        "cellphone": "phone",
        "laptop": "computer",
        "kitten": "cat",
        "puppy": "dog",
        "doorway": "door",
        "candles": "candle",
        "books": "book",
        "lanterns": "lantern",
    }
)

TIME_WORDS: tuple[tuple[str, str], ...] = (
    ("dawn", r"dawn|sunrise|daybreak|next morning|in the morning|early morning|morning"),
    ("dusk", r"dusk|sunset|twilight|evening|nightfall"),
    ("night", r"night|midnight|moonlight|moonlit|dark(?:ness)? falls|stars? (?:shine|glitter)"),
    ("day", r"noon|midday|afternoon|daylight|sunny|next day|the day|daytime|sun is high"),
)
WEATHER_WORDS: tuple[tuple[str, str], ...] = (
    (
        "clear",
        r"storm (?:ends|passes|is over)|rain stops|sky clears|skies clear|clears up"
        r"|sun comes out|fog lifts",
    ),
    ("storm", r"storms?|stormy|thunder\w*|lightning|gale|hurricane|blizzard"),
    ("rain", r"rain|rains|rained|raining|rainy|drizzl\w*|downpour|showers?"),
    ("snow", r"snow|snows|snowed|snowing|snowy|snowfall|snowflakes"),
    ("fog", r"fog|foggy|mist|misty|haze"),
)

# Action ← verb stems (matched at a word start, any ending).
ACTION_WORDS: tuple[tuple[str, str], ...] = (
    ("sleep", r"sleep|slept|dozes|naps?\b|asleep"),
    ("run", r"run|ran\b|rush|sprint|dash|flee|fled|chase|hurr"),
    ("jump", r"jump|leap|hop"),
    ("climb", r"climb|scal"),
    ("fall", r"fall|fell\b|trip|tumbl|collaps"),
    ("fight", r"fight|fought|punch|kick|attack|battl|strik|swing"),
    ("hug", r"hug|embrac|cuddl"),
    ("wave", r"wave|waving"),
    ("point", r"point"),
    ("reach", r"reach|grab|touch|open|push|pull|turn|knock|pick|tak"),
    ("read", r"read"),
    ("sit", r"sit|sat\b|seated"),
    ("lie", r"lie\b|lies|lying|lay\b"),
    ("hold", r"hold|held|carr|clutch|lift|rais|show|give|gave|hand|offer"),
    ("talk", r"talk|speak|spoke|say|said|ask|tell|told|shout|yell|whisper|call|answer|repl"),
    (
        "walk",
        r"walk|stroll|wander|step|enter|explor|go\b|goes|went|arriv|approach|head|leav"
        r"|follow|cross|return|come|came|march|sneak|creep",
    ),
    (
        "look",
        r"look|see|saw|watch|stare|gaz|glanc|notic|find|found|discover|spot|peer|search"
        r"|examin|stud",
    ),
    ("stand", r"stand|stood|wait"),
)
EXPRESSION_WORDS: tuple[tuple[str, str], ...] = (
    ("laughing", r"laugh|giggl|chuckl"),
    ("crying", r"cry|cries|cried|sob|weep|wept|tears"),
    ("sleeping", r"sleep|slept|asleep|dozes"),
    ("angry", r"angr|furious|rage|glar|scowl|frown|shout|yell"),
    ("scared", r"scare|afraid|fear|terrif|fright|trembl|shiver|panic|flee|fled"),
    ("surprised", r"surpris|gasp|shock|amaz|astonish|stun|wide-eyed|eyes wide|discover|find|found"),
    ("sad", r"sad|sorrow|gloom|sigh|lonely|miss"),
    ("thinking", r"think|thought|wonder|ponder|consider|puzzl|curious"),
    ("happy", r"smil|happy|grin|joy|cheer|delight|glad|hug|celebrat"),
)
FRAMING_WORDS: tuple[tuple[str, str], ...] = (
    ("extreme-close-up", r"extreme close[- ]?up|macro|detail shot|insert shot"),
    ("over-the-shoulder", r"over[- ]the[- ]shoulder|over (?:his|her|their) shoulder"),
    ("close-up", r"close[- ]?up|close on|closeup|face fills|reaction shot"),
    ("establishing", r"establishing|panorama|skyline|aerial"),
    ("wide", r"wide shot|wide view|long shot|full shot|in the distance|far away|landscape"),
    ("medium", r"medium shot|mid shot|waist up"),
)
ANGLE_WORDS: tuple[tuple[str, str], ...] = (
    ("birds-eye", r"bird'?s?[- ]eye|from (?:high )?above|top[- ]down|overhead"),
    ("low", r"low angle|from below|worm'?s?[- ]eye|looking up at|towers over|looms"),
    ("high", r"high angle|looking down (?:at|on)"),
    ("eye-level", r"eye[- ]level"),
)


def compile_table(table: tuple[tuple[str, str], ...]) -> list[tuple[str, re.Pattern[str]]]:
    return [(value, re.compile(rf"\b(?:{words})", re.I)) for value, words in table]


_SETTING_RE = re.compile(
    r"\b(?P<w>"
    + "|".join(sorted((re.escape(w) for ws in SETTINGS.values() for w in ws), key=len)[::-1])
    + r")\b",
    re.I,
)
_SETTING_OF = {w: kind for kind, words in SETTINGS.items() for w in words}
_PROP_RE = re.compile(
    r"\b(?P<w>" + "|".join(sorted(map(re.escape, _PROP_WORDS), key=len)[::-1]) + r")\b", re.I
)


def find_setting(text: str) -> tuple[str, str] | None:
    """``(kind, phrase)`` of the first place in ``text`` ("library", "old library"), or None."""
    for m in _SETTING_RE.finditer(text):
        word = m.group("w").lower()
        if word in ("wood",) and not re.search(r"\bthe wood\b", text, re.I):
            continue
        if _SEEN_FROM_AFAR.search(text[: m.start()]):
            continue  # "toward a cabin", "sees a castle": a thing in view, not the place
        before = re.search(r"(?:\b(?P<adj>[a-z]+)\s+)?$", text[: m.start()])
        adj = before.group("adj") if before else None
        phrase = f"{adj} {word}" if adj and adj not in _NOT_ADJECTIVES else word
        return _SETTING_OF[word], phrase
    return None


def kinds_of_place(text: str) -> set[str]:
    """Every kind of place ``text`` names ("City Library" → {"city street", "library"})."""
    return {_SETTING_OF[m.group("w").lower()] for m in _SETTING_RE.finditer(text)}


_SEEN_FROM_AFAR = re.compile(
    r"\b(?:toward|towards|approach(?:es|ing)?|sees?|spots?|notices?|heads? (?:for|to)|"
    r"heading (?:for|to))\s+(?:the |a |an |their |his |her )?"
    r"(?:[a-z]+ )?$",
    re.I,
)

_NOT_ADJECTIVES = frozenset(
    "a an the of in at to into on by his her their its my our your and or from through "
    "across around inside outside near behind toward towards this that".split()
)


def find_props(text: str) -> list[tuple[str, str]]:
    """``(prop, phrase)`` for each prop named in ``text``, in order, without repeats."""
    found: dict[str, str] = {}
    for m in _PROP_RE.finditer(text):
        prop = _PROP_WORDS[m.group("w").lower()]
        if prop in found:
            continue
        before = re.search(r"(?:\b(?P<adj>[a-z]+)\s+)?$", text[: m.start()])
        adj = before.group("adj") if before else None
        found[prop] = f"{adj} {prop}" if adj and adj not in _NOT_ADJECTIVES else prop
    return list(found.items())
