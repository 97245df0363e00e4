"""The offline renderer: determinism, sane images, consistent characters, scenes and light."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image, ImageStat

from studio.core.models import Character, DialogueLine, Location, ScriptPanel
from studio.render import COLOURS, character_look, render_panel
from studio.render.canvas import lit

CAST = [
    Character("Mira", age="10", gender="girl", dress="orange wizard robe"),
    Character("Tom", age="40", gender="man", dress="blue suit and glasses"),
]
PLACES = [
    Location("Old Library", "tall shelves of dusty books"),
    Location("Whispering Woods", "a deep forest"),
    Location("Downtown", "a busy city street"),
    Location("Bay", "a sandy beach by the sea"),
    Location("Orbit", "outer space"),
]


def _decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def _count(image: Image.Image, colour: tuple[int, int, int]) -> int:
    return sum(n for n, c in image.getcolors(image.width * image.height) or [] if c == colour)


def _panel(description: str = "they talk", where: str = "Old Library") -> ScriptPanel:
    return ScriptPanel(
        description=description,
        characters=["Mira", "Tom"],
        location=where,
        dialogue=[DialogueLine("Mira", "Hi!")],
    )


def test_same_input_same_bytes_and_seed_changes_them() -> None:
    panel = _panel()
    a = render_panel(panel, CAST, PLACES, 320, 240, seed=7, index=2)
    b = render_panel(panel, CAST, PLACES, 320, 240, seed=7, index=2)
    c = render_panel(panel, CAST, PLACES, 320, 240, seed=8, index=2)
    assert a.png == b.png and a.anchors == b.anchors
    assert a.png != c.png


def test_image_is_the_right_size_decodes_and_is_not_blank() -> None:
    result = render_panel(_panel(), CAST, PLACES, 400, 300)
    image = _decode(result.png)
    assert image.size == (400, 300)
    colours = image.getcolors(400 * 300) or []
    assert len(colours) > 50
    assert max(n for n, _ in colours) < 0.6 * 400 * 300  # no single colour dominates


def test_no_text_is_drawn_the_art_is_independent_of_dialogue() -> None:
    quiet = ScriptPanel("they talk", ["Mira", "Tom"], "Old Library")
    loud = ScriptPanel("they talk", ["Mira", "Tom"], "Old Library", caption="A caption")
    assert (
        render_panel(quiet, CAST, PLACES, 200, 200).png
        == render_panel(loud, CAST, PLACES, 200, 200).png
    )


def test_dress_colour_appears_in_every_panel_with_the_character() -> None:
    orange, blue = COLOURS["orange"], COLOURS["blue"]
    descriptions = ["wide shot", "close-up on Mira", "at night", "at sunset", "medium shot"]
    lights = ["day", "day", "night", "dusk", "day"]  # the time of day tints the whole picture
    for i, (desc, place) in enumerate(zip(descriptions, PLACES, strict=True)):
        panel = ScriptPanel(desc, ["Mira", "Tom"], place.name)
        image = _decode(render_panel(panel, CAST, PLACES, 256, 256, index=i).png)
        light = "indoor-night" if place.name in ("Old Library", "Orbit") else lights[i]
        seen = lit(orange, light) if lights[i] != "day" else orange
        assert _count(image, seen) > 0.004 * 256 * 256, (desc, place.name)
    alone = _decode(render_panel(ScriptPanel("", ["Tom"], "Bay"), CAST, PLACES, 256, 256).png)
    assert _count(alone, blue) > 0.004 * 256 * 256
    assert _count(alone, orange) < 0.001 * 256 * 256  # Mira is not in this panel


def test_looks_are_stable_and_follow_the_words() -> None:
    mira = character_look(CAST[0])
    again = character_look(Character("mira", age="10", gender="girl", dress=CAST[0].dress))
    assert replace(again, name="Mira") == mira
    assert mira.top == COLOURS["orange"] and mira.garment == "robe" and mira.hat == "pointy"
    assert mira.child and mira.height < character_look(CAST[1]).height
    tom = character_look(CAST[1])
    assert tom.garment == "suit" and tom.glasses
    gran = character_look(Character("Gran", age="old", gender="grandma", dress="red dress"))
    assert gran.top == COLOURS["red"] and gran.garment == "dress"
    assert min(gran.hair) > 180  # grey hair
    assert character_look(Character("Zed")) == character_look(Character("Zed"))


def test_unknown_characters_are_drawn_and_anchored() -> None:
    panel = ScriptPanel("", ["Mira", "Stranger"], "Downtown")
    result = render_panel(panel, CAST, PLACES, 300, 300)
    assert set(result.anchors) == {"Mira", "Stranger"}
    for x, y in result.anchors.values():
        assert 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0
    mira_x = result.anchors["Mira"][0]
    assert mira_x < result.anchors["Stranger"][0]  # in the order of panel.characters


def test_names_match_the_cast_case_insensitively() -> None:
    lower = render_panel(ScriptPanel("", ["mira"], "Bay"), CAST, PLACES, 200, 200)
    image = _decode(lower.png)
    assert _count(image, COLOURS["orange"]) > 0.004 * 200 * 200


def _mean(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    return ImageStat.Stat(image.crop(box).convert("L")).mean[0]


def test_night_is_darker_than_day_and_city_windows_light_up() -> None:
    day = _decode(render_panel(ScriptPanel("at noon", [], "Downtown"), CAST, PLACES, 256, 256).png)
    night = _decode(
        render_panel(ScriptPanel("at night", [], "Downtown"), CAST, PLACES, 256, 256).png
    )
    assert _mean(night, (0, 0, 256, 80)) < _mean(day, (0, 0, 256, 80)) - 60
    warm = sum(n for n, (r, g, b) in night.getcolors(256 * 256) or [] if r > 140 and r - b > 25)
    assert warm > 50  # lit windows


@pytest.mark.parametrize(
    "where",
    ["Old Library", "Whispering Woods", "Downtown", "Bay", "Orbit", "Nowhere", "Office", "Park"],
)
def test_every_scene_renders_distinctly(where: str) -> None:
    panel = ScriptPanel("wide shot", [], where)
    image = _decode(render_panel(panel, CAST, PLACES, 160, 160).png)
    assert len(image.getcolors(160 * 160) or []) > 8


def test_scenes_differ_by_place() -> None:
    pngs = {render_panel(ScriptPanel("wide", [], p.name), CAST, PLACES, 96, 96).png for p in PLACES}
    assert len(pngs) == len(PLACES)


def test_framing_follows_the_words_of_the_panel() -> None:
    # was: framing cycled with the panel index; now the shot (or its words) decides it
    heads = {
        render_panel(
            ScriptPanel(f"{w} shot", ["Mira", "Tom"], "Bay"), CAST, PLACES, 200, 200
        ).anchors["Mira"]
        for w in ("wide", "medium", "close-up", "establishing")
    }
    assert len(heads) == 4


def test_odd_sizes_and_bad_sizes() -> None:
    for w, h in [(800, 2560), (1600, 400), (33, 17)]:
        assert _decode(render_panel(_panel(), CAST, PLACES, w, h).png).size == (w, h)
    with pytest.raises(ValueError, match="at least 8"):
        render_panel(_panel(), CAST, PLACES, 0, 100)
