"""The offline renderer draws the shot: every action, expression, prop, setting, framing,
time, weather and style gives a visibly different picture; same shot + seed → same bytes."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageStat

from studio.core.models import Character, ScriptPanel
from studio.core.shot import ACTIONS, EXPRESSIONS, FRAMINGS, Figure, Shot
from studio.providers.local import LocalProvider, slot_size
from studio.render.offline import render_image, render_panel
from studio.render.offline.catalogue import PROPS
from studio.render.offline.settings import NAMES, setting_of

CAST = [
    Character("Mira", age="10", gender="girl", dress="orange wizard robe"),
    Character("Tom", age="40", gender="man", dress="blue suit"),
]
SIZE = 96


def _img(shot: Shot, w: int = SIZE, h: int = SIZE, **kw: object) -> Image.Image:
    return render_image(ScriptPanel("", shot=shot), CAST, [], w, h, **kw)[0]  # type: ignore[arg-type]


def _diff(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels that differ noticeably."""
    d = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 24 else 0)
    return ImageStat.Stat(d).mean[0] / 255


def test_same_shot_and_seed_give_the_same_bytes_and_another_seed_may_move_people() -> None:
    shot = Shot(
        "wide",
        setting="forest",
        time="night",
        weather="snow",
        figures=[Figure("Mira", "walk", "happy", holding=["lantern"])],
        props=["cabin"],
    )
    panel = ScriptPanel("x", shot=shot)
    a = render_panel(panel, CAST, [], 160, 120, seed=3, index=1)
    b = render_panel(panel, CAST, [], 160, 120, seed=3, index=1)
    assert a.png == b.png and a.anchors == b.anchors
    assert render_panel(panel, CAST, [], 160, 120, seed=4, index=1).png != a.png


def test_the_same_setting_is_the_same_place_in_every_panel() -> None:
    shot = Shot("wide", setting="library")
    pngs = {
        render_panel(ScriptPanel(f"p{i}", shot=shot), CAST, [], 120, 90, seed=i, index=i).png
        for i in range(4)
    }
    assert len(pngs) == 1


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "stand"])
def test_each_action_is_a_distinct_pose(action: str) -> None:
    base = _img(Shot("medium", setting="park", figures=[Figure("Tom", "stand")]))
    posed = _img(Shot("medium", setting="park", figures=[Figure("Tom", action)]))
    assert _diff(base, posed) > 0.01, action


def test_actions_differ_from_each_other() -> None:
    pngs = {
        render_panel(
            ScriptPanel("", shot=Shot("wide", setting="park", figures=[Figure("Tom", a)])),
            CAST,
            [],
            SIZE,
            SIZE,
        ).png
        for a in ACTIONS
        if a not in ("lie", "sleep")  # one pose, the face differs
    }
    assert len(pngs) == len(ACTIONS) - 2


@pytest.mark.parametrize("expression", [e for e in EXPRESSIONS if e != "neutral"])
def test_each_expression_reads_in_a_close_up(expression: str) -> None:
    base = _img(Shot("close-up", setting="library", figures=[Figure("Mira", "stand")]), 160, 160)
    face = _img(
        Shot("close-up", setting="library", figures=[Figure("Mira", "stand", expression)]), 160, 160
    )
    assert _diff(base, face) > 0.002, expression


@pytest.mark.parametrize("name", sorted(PROPS))
def test_each_prop_is_drawn_placed_and_held(name: str) -> None:
    empty = _img(Shot("wide", setting="park", figures=[Figure("Tom", "hold")]))
    placed = _img(Shot("wide", setting="park", figures=[Figure("Tom", "hold")], props=[name]))
    assert _diff(empty, placed) > 0.002, name
    hands = _img(Shot("medium", setting="park", figures=[Figure("Tom", "hold")]), 160, 160)
    held = _img(
        Shot("medium", setting="park", figures=[Figure("Tom", "hold", holding=[name])]), 160, 160
    )
    assert _diff(hands, held) > 0.002, name


def test_at_least_thirty_props_and_an_unknown_noun_is_a_labelled_object() -> None:
    assert len(PROPS) >= 30
    empty = _img(Shot("medium", setting="park"))
    violin = _img(Shot("medium", setting="park", props=["violin"]))
    harp = _img(Shot("medium", setting="park", props=["harp"]))
    assert _diff(empty, violin) > 0.01 and _diff(violin, harp) > 0.0005  # the label differs


def test_every_setting_is_distinct() -> None:
    assert len(NAMES) >= 20
    images = {n: _img(Shot("wide", setting=n)) for n in NAMES}
    names = list(images)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert _diff(images[a], images[b]) > 0.05, (a, b)


def test_free_setting_words_map_to_known_places() -> None:
    assert setting_of("the dark woods") == "forest"
    assert setting_of("a sandy shore") == "beach"
    assert setting_of("", "Grandma's kitchen") == "kitchen"
    assert setting_of("a moonlit rooftop over the city") == "rooftop"


@pytest.mark.parametrize("framing", [f for f in FRAMINGS if f != "medium"])
def test_framings_differ(framing: str) -> None:
    two = [Figure("Mira", "talk"), Figure("Tom")]
    base = _img(Shot("medium", setting="street", figures=two))
    assert _diff(base, _img(Shot(framing, setting="street", figures=two))) > 0.1, framing


@pytest.mark.parametrize("angle", ["low", "high", "birds-eye"])
def test_angles_differ(angle: str) -> None:
    one = [Figure("Tom")]
    base = _img(Shot("wide", setting="street", figures=one))
    assert _diff(base, _img(Shot("wide", angle, setting="street", figures=one))) > 0.1


def test_times_weathers_and_glow() -> None:
    def mean(img: Image.Image) -> float:
        return ImageStat.Stat(img.convert("L")).mean[0]

    day = _img(Shot("wide", setting="park"))
    night = _img(Shot("wide", setting="park", time="night"))
    assert mean(night) < mean(day) - 40
    for t in ("dawn", "dusk"):
        assert _diff(day, _img(Shot("wide", setting="park", time=t))) > 0.3
    for w in ("rain", "snow", "fog", "storm"):
        assert _diff(day, _img(Shot("wide", setting="park", weather=w))) > 0.1, w
    lantern = _img(Shot("wide", setting="park", time="night", props=["lantern"]))
    assert mean(lantern) > mean(night) + 1  # the lantern lights its surroundings


def test_styles_storyboard_grey_manga_black_and_white() -> None:
    shot = Shot("wide", setting="park", figures=[Figure("Mira", "wave", "happy")])
    flat = _img(shot, style="flat")
    board = _img(shot, style="storyboard")
    manga = _img(shot, style="manga")
    assert board.mode == "L" and len(board.getcolors() or []) > 8  # grey tones
    assert manga.mode == "1"  # black and white, the mid tones as screentone dots
    assert 0.1 < ImageStat.Stat(manga.convert("L")).mean[0] / 255 < 0.95
    assert len(flat.getcolors(SIZE * SIZE) or []) > 50
    assert _img(shot, style="japanese_manga").tobytes() == manga.tobytes()


def test_a_panel_without_a_shot_gets_its_characters_and_place_from_its_words() -> None:
    panel = ScriptPanel("A snowy forest at night", ["Mira", "Tom"])
    result = render_panel(panel, CAST, [], 160, 160)
    assert set(result.anchors) == {"Mira", "Tom"}
    snow = render_image(panel, CAST, [], 160, 160)[0]
    clear = render_image(ScriptPanel("A forest", ["Mira", "Tom"]), CAST, [], 160, 160)[0]
    assert _diff(snow, clear) > 0.2


@pytest.mark.parametrize("size", [(300, 900), (900, 300), (640, 480)])
def test_art_is_drawn_at_the_slot_shape_with_everyone_inside(size: tuple[int, int]) -> None:
    shot = Shot("wide", setting="street", figures=[Figure("Mira", "talk"), Figure("Tom")])
    result = render_panel(ScriptPanel("", shot=shot), CAST, [], *size)
    image = Image.open(io.BytesIO(result.png))
    assert image.size == size
    for x, y in result.anchors.values():
        assert 0.02 < x < 0.98 and 0.02 < y < 0.98


def test_local_provider_renders_at_each_slot_aspect() -> None:
    assert slot_size(1024, 1024, None) == (1024, 1024)
    w, h = slot_size(1024, 1024, 0.5)
    assert abs(w / h - 0.5) < 0.01 and abs(w * h - 1024 * 1024) < 0.01 * 1024 * 1024
    from studio.core.models import JobKind, Script, ScriptPage, Story
    from studio.providers.base import GenerationRequest
    from studio.render.layout import layout_for

    story = Story()
    panels = [ScriptPanel(f"p{i}") for i in range(3)]
    request = GenerationRequest(JobKind.create, story, script=Script([ScriptPage(panels)]))
    slots = [s for *_, s in LocalProvider._panels(request)]
    rects = layout_for(3, story.book_format, rtl=story.rtl)
    assert slots == pytest.approx([r.w / r.h for r in rects])
