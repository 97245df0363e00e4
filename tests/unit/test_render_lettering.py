"""Lettering: text always inside its balloon, tails aim at speakers, reading order, emphasis."""

from __future__ import annotations

import math

import pytest
from PIL import Image

from studio.core.models import DialogueLine, ScriptPanel
from studio.render.fonts import parse_words
from studio.render.lettering import CAPTION, Placed, layout_lettering, letter_panel

LONG = (
    "I told you a hundred times that the red book does not belong on the top shelf, "
    "because the top shelf is where the dragon sleeps, and a dragon that wakes up under "
    "a heavy book is a dragon that remembers, and believe me, it always remembers who did it!"
)
TEXTS = {
    "short": "Hi!",
    "long": LONG[:300],
    "japanese": "こんにちは、図書館へようこそ。今日は何を探していますか？",
    "cyrillic": "Привет! Ты видел красную книгу? Она исчезла на прошлой неделе.",
    "emphasis": "That is *not* what I *meant* at all.",
    "unbroken": "A" * 120,
}


def _check_inside(placed: list[Placed], size: tuple[int, int]) -> None:
    for item in placed:
        x0, y0, x1, y1 = item.shape
        assert min(x0, y0) >= -1e-6 and x1 <= size[0] + 1e-6 and y1 <= size[1] + 1e-6
        assert len(item.text_boxes) == len(item.lines) >= 1
        for box in item.text_boxes:
            assert item.contains(box), (item.kind, item.text, box, item.shape)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("kind", sorted(TEXTS))
@pytest.mark.parametrize("size", [(512, 512), (300, 700), (900, 280)])
def test_every_line_inside_its_shape(kind: str, size: tuple[int, int]) -> None:
    panel = ScriptPanel(
        caption=TEXTS[kind],
        dialogue=[DialogueLine("Ann", TEXTS[kind]), DialogueLine("Bo", TEXTS["short"])],
    )
    anchors = {"Ann": (0.3, 0.6), "Bo": (0.75, 0.55)}
    placed = layout_lettering(size, panel, anchors)
    assert [p.kind for p in placed] == ["caption", "balloon", "balloon"]
    _check_inside(placed, size)
    source = "".join(TEXTS[kind].replace("*", "").split())
    for item in placed[:2]:
        assert "".join("".join(item.text).split()) == source  # nothing lost in wrapping


def test_crowded_panel_still_fits_by_shrinking() -> None:
    panel = ScriptPanel(
        caption=LONG, dialogue=[DialogueLine(f"S{i}", LONG[: 80 + 40 * i]) for i in range(5)]
    )
    placed = layout_lettering((400, 400), panel, None)
    assert len(placed) == 6
    _check_inside(placed, (400, 400))
    assert placed[0].font_size < 14  # shrank below the starting size
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            assert not _overlap(a.shape, b.shape)


def test_tail_points_toward_the_speaker() -> None:
    anchors = {"Ann": (0.2, 0.7), "Bo": (0.85, 0.6)}
    panel = ScriptPanel(dialogue=[DialogueLine("ann", "Where is it?"), DialogueLine("Bo", "Here!")])
    placed = layout_lettering((600, 600), panel, anchors)
    for item, name in zip(placed, ["Ann", "Bo"], strict=True):
        assert item.tail is not None
        cx, cy = (item.shape[0] + item.shape[2]) / 2, (item.shape[1] + item.shape[3]) / 2
        tx, ty = anchors[name][0] * 600, anchors[name][1] * 600
        v1, v2 = (item.tail[0] - cx, item.tail[1] - cy), (tx - cx, ty - cy)
        cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (math.hypot(*v1) * math.hypot(*v2))
        assert cos > 0.99
        assert math.hypot(tx - item.tail[0], ty - item.tail[1]) < math.hypot(*v2)


def test_without_anchors_tails_point_down_spread_by_order() -> None:
    panel = ScriptPanel(dialogue=[DialogueLine("A", "One."), DialogueLine("B", "Two.")])
    placed = layout_lettering((500, 500), panel, {})
    assert all(p.target is not None and p.target[1] == 500 for p in placed)
    assert placed[0].target[0] < placed[1].target[0]  # type: ignore[index]
    for p in placed:
        assert p.tail is not None and p.tail[1] > p.shape[3]


@pytest.mark.parametrize("rtl", [False, True])
def test_reading_order_first_speaker_higher_or_first_along(rtl: bool) -> None:
    panel = ScriptPanel(
        caption="Later.",
        dialogue=[DialogueLine("A", "First line here."), DialogueLine("B", "Second one.")],
    )
    anchors = {"A": (0.8, 0.6), "B": (0.2, 0.6)}
    cap, first, second = layout_lettering((600, 600), panel, anchors, rtl=rtl)
    assert cap.shape[1] == min(p.shape[1] for p in (cap, first, second))
    assert (cap.shape[0] < 300) != rtl  # caption in the corner where reading starts
    higher = second.shape[1] >= first.shape[3]
    along = second.shape[1] >= first.shape[1] and (
        second.shape[2] <= first.shape[0] if rtl else second.shape[0] >= first.shape[2]
    )
    assert higher or along


def test_balloons_avoid_the_centre_when_there_is_room() -> None:
    panel = ScriptPanel(dialogue=[DialogueLine("A", "Short."), DialogueLine("B", "Also short.")])
    for p in layout_lettering((800, 800), panel, {"A": (0.3, 0.6), "B": (0.7, 0.6)}):
        assert not (p.shape[0] < 480 and p.shape[2] > 320 and p.shape[1] < 480 and p.shape[3] > 320)


def test_emphasis_markup() -> None:
    assert parse_words("a *big* deal *two words*") == [
        ("a", False),
        ("big", True),
        ("deal", False),
        ("two", True),
        ("words", True),
    ]
    placed = layout_lettering((600, 600), ScriptPanel(dialogue=[DialogueLine("A", "*Now!*")]))
    assert placed[0].lines == ((("Now!", True),),)


def test_letter_panel_returns_a_new_image_with_caption_and_balloon() -> None:
    base = Image.new("RGB", (500, 400), (90, 140, 200))
    panel = ScriptPanel(caption="Meanwhile.", dialogue=[DialogueLine("A", "Hello *there*!")])
    out = letter_panel(base, panel, {"A": (0.5, 0.7)})
    assert out is not base and out.size == base.size
    assert base.getpixel((10, 10)) == (90, 140, 200)  # the original is untouched
    placed = layout_lettering(base.size, panel, {"A": (0.5, 0.7)})
    cap, balloon = placed
    inner = (round(cap.shape[0]) + 3, round(cap.shape[1]) + 3)
    assert out.getpixel(inner) == CAPTION
    bx, by = round((balloon.shape[0] + balloon.shape[2]) / 2), round(balloon.shape[1] + 4)
    assert out.getpixel((bx, by)) == (255, 255, 255)
    dark = sum(out.crop(balloon.shape).convert("L").histogram()[:50])
    assert dark > 30  # ink: outline and text


def test_non_latin_draws_without_crashing_and_empty_panel_is_a_copy() -> None:
    base = Image.new("RGB", (300, 300), "white")
    for text in (TEXTS["japanese"], TEXTS["cyrillic"], "مرحبا بالعالم", "🙂 ok"):
        letter_panel(base, ScriptPanel(dialogue=[DialogueLine("A", text)]))
    empty = letter_panel(base, ScriptPanel())
    assert empty is not base and empty.tobytes() == base.tobytes()


def test_font_px_sets_a_consistent_size() -> None:
    panel = ScriptPanel(dialogue=[DialogueLine("A", "Same size everywhere.")])
    small = layout_lettering((300, 900), panel, None, font_px=24)
    big = layout_lettering((900, 900), panel, None, font_px=24)
    assert small[0].font_size == big[0].font_size == 24
