"""Too few beats for the panels: write the missing ones along a storytelling arc.

The arc is establish → approach → discover → react → act → consequence → resolve. Each beat
the story already has takes its place on the arc from its verbs; the missing places are
written from the story's own people, place and things, never the prompt repeated.
"""

from __future__ import annotations

import re

from studio.story.text import _Ctx, _mentions
from studio.story.vocab import find_props, find_setting

STAGES = ("establish", "approach", "discover", "react", "act", "consequence", "resolve")
_STAGE_VERBS = (
    (6, r"return|home|at last|finally|together again|the end|goes on|falls asleep"),
    (5, r"glow|shak|burst|collaps|appear|vanish|chang|reveal|swings open|opens|crash|explod"),
    (4, r"grab|take|took|reach|push|pull|fight|touch|turn|jump|pick|hold|climb|us(?:e|es)\b"),
    (3, r"gasp|stare|smil|laugh|cry|cries|scream|shock|surpris|fear|frown|shiver|wonder"),
    (2, r"find|found|discover|see|sees|saw|notic|spot|hear|meet|met|look"),
    (1, r"enter|walk|explor|go|went|arriv|approach|run|ran|step|wander|head|travel|search"),
)
_STAGE_RES = [(stage, re.compile(rf"\b(?:{words})", re.I)) for stage, words in _STAGE_VERBS]
_PRIORITY = (3, 0, 6, 4, 5, 1, 2)
_OPENS = {
    "door": "swings open",
    "gate": "swings open",
    "book": "falls open",
    "letter": "unfolds",
    "map": "unrolls",
    "lantern": "flares up",
    "candle": "flares up",
    "lamp": "flickers on",
    "treasure chest": "creaks open",
    "box": "creaks open",
    "key": "turns",
    "phone": "lights up",
    "clock": "strikes",
    "cat": "looks up",
    "dog": "looks up",
    "bird": "takes off",
    "horse": "rears up",
    "dragon": "wakes",
}
# Two variants per stage: {s} someone, {p} the place, {t} the thing, {n} " at night".
_WITH_SOMEONE = (
    ("Wide view of the {p}{n}, quiet and still.", "Establishing shot: the {p}{n}."),
    ("{s} steps into the {p} and looks around.", "{s} walks deeper into the {p}."),
    ("{s} notices the {t}.", "Over {s}'s shoulder: the {t}, half hidden."),
    ("Close-up: {s} stares, surprised.", "Close-up: {s} thinks it over."),
    ("{s} reaches for the {t}.", "{s} takes a breath and steps closer to the {t}."),
    ("The {t} {o}; {s} gasps.", "From above: the {p} around {s}, changed."),
    ("{s} smiles and goes on.", "Wide view: {s} and the {p}{n}, calm again."),
)
_WITHOUT_SOMEONE = (
    ("Wide view of the {p}{n}, quiet and still.", "Establishing shot: the {p}{n}."),
    ("Closer: the {p}{n}.", "Deeper into the {p}."),
    ("The {t} comes into view.", "Detail shot: the {t}."),
    ("Close-up: the {t}.", "Something moves near the {t}."),
    ("The {t}, close enough to touch.", "A shadow falls across the {t}."),
    ("The {t} {o}.", "From above: the {p}, changed."),
    ("Wide view: the {p}{n}, calm again.", "The {p} falls quiet."),
)


def stage_of(text: str, default: int) -> int:
    """Where a beat sits on the arc, from its verbs (``default`` when none says)."""
    best = None
    for stage, regex in _STAGE_RES:
        m = regex.search(text)
        if m and (best is None or m.start() < best[1]):
            best = (stage, m.start())
    return best[0] if best else default


def expand(texts: list[str], count: int, story: str, ctx: _Ctx) -> list[str]:
    """``texts`` (in order) plus written beats: ``count`` distinct beat texts along the arc."""
    stages: list[int] = []
    for i, text in enumerate(texts):
        stage = stage_of(text, 0 if i == 0 else (stages[-1] if stages else 0))
        stages.append(max(stage, stages[-1]) if stages else stage)
    words = _story_words(story, ctx)
    template = _WITH_SOMEONE if words["s"] else _WITHOUT_SOMEONE
    taken = set(stages)
    slots = [(s, 0) for s in _PRIORITY if s not in taken]
    slots += [(s, 1) for s in _PRIORITY]
    slots += [(s, 0) for s in _PRIORITY if s in taken]
    written: list[tuple[int, int, str]] = []
    seen = {" ".join(t.split()).lower() for t in texts}
    round_no = 0
    while len(texts) + len(written) < count:
        for stage, variant in slots:
            if len(texts) + len(written) >= count:
                break
            text = template[stage][variant].format(**words)
            if round_no:
                text = f"{('Moments later', 'Later', 'Then', 'Meanwhile')[round_no % 4]}: {text}"
            if " ".join(text.split()).lower() in seen:
                continue
            seen.add(" ".join(text.split()).lower())
            written.append((stage, 1, text))
        round_no += 1
    merged = [
        (stage, 0, i, text) for i, (stage, text) in enumerate(zip(stages, texts, strict=True))
    ]
    merged += [(stage, 1, len(texts) + k, text) for k, (stage, _, text) in enumerate(written)]
    merged.sort(key=lambda beat: (beat[0], beat[1], beat[2]))
    return [text for *_, text in merged]


def _story_words(story: str, ctx: _Ctx) -> dict[str, str]:
    names = list(dict.fromkeys(m.name for m in _mentions(story, ctx.name_re, ctx.names)))
    setting = find_setting(story)
    place = setting[1] if setting else ""
    place = place or ctx.only_place or ""
    props = [(p, phrase) for p, phrase in find_props(story) if p not in (setting or ("",))[0]]
    thing, opens = (props[-1][1], _OPENS.get(props[-1][0], "begins to glow")) if props else ("", "")
    night = re.search(r"\b(?:night|midnight|dark)\b", story, re.I)
    dusk = re.search(r"\b(?:dusk|evening|sunset)\b", story, re.I)
    return {
        "s": names[0] if names else "",
        "p": place or "scene",
        "t": thing or "strange light",
        "o": opens or "flickers",
        "n": " at night" if night else (" at dusk" if dusk else ""),
    }
