"""Automatic lettering: script markup, reading order, off-centre placement, tails, sizes."""

from __future__ import annotations

import itertools
import math

import pytest

from studio.core.lettering import CAPTION_FILLS, DEFAULT_SIZE, Lettering
from studio.core.models import DialogueLine, ScriptPanel
from studio.render.fonts import parse_words
from studio.render.lettering.auto import SFX_FILL, caption_fill, classify
from studio.render.lettering.draw import auto_lettering, render_item

SHORT = 1000.0
LONG = (
    "I told you a hundred times that the red book does not belong on the top shelf, "
    "because the top shelf is where the dragon sleeps, and a dragon that wakes up under "
    "a heavy book is a dragon that remembers, and believe me, it always remembers who did it!"
)


def _px(item: Lettering, frame: tuple[int, int]) -> tuple[float, float, float, float]:
    return (item.x * frame[0], item.y * frame[1], item.box[2] * frame[0], item.box[3] * frame[1])


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(
    ("speaker", "text", "kind", "who", "words"),
    [
        ("Ann", "Hello.", "speech", "Ann", "Hello."),
        ("SFX", "BOOM", "sfx", "", "BOOM"),
        ("sfx", "crash", "sfx", "", "crash"),
        ("Ann", "SFX: thud", "sfx", "", "thud"),
        ("Ann", "((Odd...))", "thought", "Ann", "Odd..."),
        ("Ann (thinks)", "Odd...", "thought", "Ann", "Odd..."),
        ("Bo (Thought)", "Hmm.", "thought", "Bo", "Hmm."),
        ("Bo", "(whispers) Over here.", "whisper", "Bo", "Over here."),
        ("Bo", "(Whisper)psst", "whisper", "Bo", "psst"),
        ("Bo", "LOOK OUT!", "shout", "Bo", "LOOK OUT!"),
        ("Bo", "(shout) Look out.", "shout", "Bo", "Look out."),
        ("Bo", "(shout)", "speech", "Bo", "(shout)"),
        ("Bo", "LOOK OUT.", "speech", "Bo", "LOOK OUT."),
        ("Bo", "Look out!", "speech", "Bo", "Look out!"),
        ("Bo", "ПОМОГИТЕ!", "shout", "Bo", "ПОМОГИТЕ!"),
        ("Bo", "助けて!", "speech", "Bo", "助けて!"),
        ("Narrator", "Later.", "caption", "", "Later."),
        ("Caption", "Later.", "caption", "", "Later."),
        ("Ann (caption)", "I knew.", "caption", "Ann", "I knew."),
    ],
)
def test_script_markup_decides_the_kind(
    speaker: str, text: str, kind: str, who: str, words: str
) -> None:
    entry = classify(speaker, text)
    assert (entry.kind, entry.speaker, entry.text) == (kind, who, words)


def test_objects_come_in_reading_order_with_kinds_and_defaults() -> None:
    panel = ScriptPanel(
        caption="Meanwhile...",
        dialogue=[
            DialogueLine("Ann", "Hi *there*."),
            DialogueLine("SFX", "KRASH"),
            DialogueLine("Bo (thinks)", "Uh oh."),
            DialogueLine("Bo", "(whispers) Run."),
            DialogueLine("Ann", "WAIT!"),
            DialogueLine("Ann", "   "),
        ],
    )
    items = auto_lettering(panel, {}, (900, 900), SHORT)
    assert [i.kind for i in items] == ["caption", "speech", "sfx", "thought", "whisper", "shout"]
    assert [i.text for i in items][:3] == ["Meanwhile...", "Hi *there*.", "KRASH"]
    assert all(i.auto for i in items)
    assert len({i.id for i in items}) == len(items)
    assert auto_lettering(panel, {}, (900, 900), SHORT) == items  # same script, same objects
    sfx = items[2]
    assert sfx.fill == SFX_FILL and sfx.rotation != 0 and sfx.tail is None and sfx.face == "display"
    assert items[0].tail is None and all(i.tail is not None for i in items[3:])


def test_empty_panel_has_no_lettering() -> None:
    assert auto_lettering(ScriptPanel(description="x"), None, (500, 500), SHORT) == []


@pytest.mark.parametrize("rtl", [False, True])
def test_reading_order_caption_first_then_each_balloon_after_the_last(rtl: bool) -> None:
    panel = ScriptPanel(
        caption="Later.",
        dialogue=[
            DialogueLine("A", "First line here."),
            DialogueLine("B", "Second one."),
            DialogueLine("A", "And the third."),
        ],
    )
    anchors = {"A": (0.8, 0.6), "B": (0.2, 0.6)}
    frame = (800, 800)
    items = auto_lettering(panel, anchors, frame, SHORT, rtl=rtl)
    boxes = [_px(i, frame) for i in items]
    assert boxes[0][1] == min(b[1] for b in boxes)  # the caption is on top…
    assert (boxes[0][0] < 400) != rtl  # …in the corner where reading starts
    for before, after in itertools.pairwise(boxes[1:]):
        lower = after[1] >= before[3]
        along = after[1] >= before[1] and (after[2] <= before[0] if rtl else after[0] >= before[2])
        assert lower or along, (before, after)


@pytest.mark.parametrize("rtl", [False, True])
def test_balloons_keep_off_the_centre(rtl: bool) -> None:
    panel = ScriptPanel(
        caption="The hall.",
        dialogue=[DialogueLine("A", "Short."), DialogueLine("B", "Also short.")],
    )
    frame = (800, 800)
    items = auto_lettering(panel, {"A": (0.3, 0.6), "B": (0.7, 0.6)}, frame, SHORT, rtl=rtl)
    centre = (0.35 * 800, 0.35 * 800, 0.65 * 800, 0.65 * 800)
    for item in items:
        assert not _overlap(_px(item, frame), centre), item


def test_tails_point_towards_their_speakers_and_stop_short() -> None:
    anchors = {"Ann": (0.2, 0.7), "Bo": (0.85, 0.6)}
    panel = ScriptPanel(dialogue=[DialogueLine("ann", "Where is it?"), DialogueLine("Bo", "Here!")])
    frame = (600, 600)
    for item, name in zip(auto_lettering(panel, anchors, frame, SHORT), ["Ann", "Bo"], strict=True):
        assert item.tail is not None
        cx, cy = item.centre
        tx, ty = anchors[name]
        v1, v2 = (item.tail[0] - cx, item.tail[1] - cy), (tx - cx, ty - cy)
        cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (math.hypot(*v1) * math.hypot(*v2))
        assert cos > 0.99
        assert math.hypot(tx - item.tail[0], ty - item.tail[1]) < math.hypot(*v2)
        assert item.box[3] <= ty  # the balloon sits above the speaker's head


def test_without_anchors_tails_point_down_spread_in_speaking_order() -> None:
    panel = ScriptPanel(dialogue=[DialogueLine("A", "One."), DialogueLine("B", "Two.")])
    items = auto_lettering(panel, None, (500, 500), SHORT)
    assert all(i.tail is not None and i.tail[1] > i.box[3] for i in items)
    assert items[0].tail[0] < items[1].tail[0]  # type: ignore[index]


def test_crowded_panel_fits_without_overlaps_and_text_fits_its_boxes() -> None:
    panel = ScriptPanel(
        caption=LONG, dialogue=[DialogueLine(f"S{i}", LONG[: 80 + 40 * i]) for i in range(4)]
    )
    frame = (500, 500)
    items = auto_lettering(panel, None, frame, SHORT)
    assert len(items) == 5
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            assert not _overlap(_px(a, frame), _px(b, frame))
    for item in items:
        sprite = render_item(item, frame, SHORT)
        assert sprite.box == pytest.approx(item.box, abs=1e-6)  # no growth needed


def test_auto_boxes_hold_their_text_at_full_size() -> None:
    panel = ScriptPanel(
        caption="At the library.",
        dialogue=[DialogueLine("A", "Have you seen the *red* book?"), DialogueLine("B", "NO!")],
    )
    for frame in [(400, 700), (900, 500)]:
        for item in auto_lettering(panel, None, frame, SHORT):
            assert item.size == DEFAULT_SIZE  # one size for every panel of the page
            sprite = render_item(item, frame, SHORT)
            assert not sprite.shrunk and not sprite.grown


def test_each_narrator_gets_a_caption_colour_of_their_own() -> None:
    panel = ScriptPanel(
        caption="Once upon a time.",
        dialogue=[
            DialogueLine("Narrator", "Really."),
            DialogueLine("Ann (caption)", "I was there."),
            DialogueLine("Bo (caption)", "So was I."),
        ],
    )
    items = auto_lettering(panel, None, (900, 900), SHORT)
    fills = [i.fill_colour for i in items]
    assert fills[0] == fills[1] == CAPTION_FILLS[0]
    assert len({fills[0], fills[2], fills[3]}) == 3
    assert caption_fill("Ann", set()) == caption_fill("ann", set())  # stable across panels
    assert caption_fill("Ann", {caption_fill("Ann", set())}) != caption_fill("Ann", set())


def test_emphasis_markup_keeps_touching_punctuation() -> None:
    assert parse_words("a *big* deal *two words*") == [
        ("a", False),
        ("big", True),
        ("deal", False),
        ("two", True),
        ("words", True),
    ]
    assert parse_words("Hey, *you*! (*yes*)") == [("Hey,", False), ("you!", True), ("(yes)", True)]


@pytest.mark.parametrize("anchor", [(0.5, 0.32), (0.3, 0.4), (0.75, 0.5)])
def test_balloons_and_tails_keep_clear_of_the_speakers_head(anchor: tuple[float, float]) -> None:
    frame = (550, 720)
    panel = ScriptPanel(dialogue=[DialogueLine("Mia", "Maybe the keeper left it here.")])
    (item,) = auto_lettering(panel, {"Mia": anchor}, frame, SHORT)
    head = (anchor[0] * frame[0], anchor[1] * frame[1])
    r = 0.16 * min(frame)  # the head and hair around the face anchor
    box = _px(item, frame)
    nearest = (min(max(head[0], box[0]), box[2]), min(max(head[1], box[1]), box[3]))
    assert math.dist(nearest, head) >= r  # the balloon is off the hair
    assert item.tail is not None
    tip = (item.tail[0] * frame[0], item.tail[1] * frame[1])
    assert math.dist(tip, head) >= 0.85 * r  # the tail points at the head, never into it


@pytest.mark.parametrize("text", ["Don't wake it.", "Is anyone up there?", "Hi!"])
def test_short_lines_sit_on_one_wide_line(text: str) -> None:
    frame = (550, 720)
    panel = ScriptPanel(dialogue=[DialogueLine("Mia", text)])
    (item,) = auto_lettering(panel, {"Mia": (0.5, 0.7)}, frame, SHORT)
    sprite = render_item(item, frame, SHORT)
    assert len(sprite.text_boxes) == 1
    if len(text) > 5:
        assert item.w * frame[0] > item.h * frame[1] * 1.5  # a wide balloon, not a round one
    narrow = (260, 500)  # no room for one line: two at most, still full size
    (item,) = auto_lettering(panel, None, narrow, SHORT)
    sprite = render_item(item, narrow, SHORT)
    assert len(sprite.text_boxes) <= 2 and not sprite.shrunk
