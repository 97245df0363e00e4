"""Issue 13: a corpus of short stories, each checked against the rule it exercises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from studio.core.models import Character, Layout, Location, Script, ScriptPanel, Story
from studio.core.shot import ACTIONS, ANGLES, EXPRESSIONS, FACINGS, FRAMINGS, TIMES, WEATHERS
from studio.story import ScriptResult, write_script

HEADING_WORDS = ("Page 1", "Page 2", "PAGE", "Panel 1", "Panel 2", "##")


@dataclass
class Case:
    name: str
    prompt: str
    check: Callable[[ScriptResult], None]
    pages: int = 1
    per_page: int = 4
    cast: list[Character] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)


def panels(script: Script) -> list[ScriptPanel]:
    return [p for page in script.pages for p in page.panels]


def shape(*sizes: int) -> Callable[[ScriptResult], None]:
    def check(r: ScriptResult) -> None:
        assert [len(p.panels) for p in r.script.pages] == list(sizes)

    return check


def descs(*expected: str) -> Callable[[ScriptResult], None]:
    def check(r: ScriptResult) -> None:
        assert [p.description for p in panels(r.script)] == list(expected)

    return check


def shot_at(i: int, **want: object) -> Callable[[ScriptResult], None]:
    def check(r: ScriptResult) -> None:
        shot = panels(r.script)[i].shot
        assert shot is not None
        got = {k: getattr(shot, k) for k in want}
        assert got == want

    return check


def figure_at(i: int, name: str, **want: object) -> Callable[[ScriptResult], None]:
    def check(r: ScriptResult) -> None:
        shot = panels(r.script)[i].shot
        assert shot is not None
        figure = shot.figure(name)
        assert figure is not None, [f.name for f in shot.figures]
        assert {k: getattr(figure, k) for k in want} == want

    return check


def figures_at(i: int, *names: str) -> Callable[[ScriptResult], None]:
    def check(r: ScriptResult) -> None:
        shot = panels(r.script)[i].shot
        assert shot is not None and [f.name for f in shot.figures] == list(names)

    return check


def cast_is(*names: str, gender: dict[str, str] | None = None) -> Callable[[ScriptResult], None]:
    def check(r: ScriptResult) -> None:
        assert [c.name for c in r.cast] == list(names)
        assert all(c.auto for c in r.cast)
        for name, value in (gender or {}).items():
            assert next(c for c in r.cast if c.name == name).gender == value

    return check


def props_at(i: int, *props: str) -> Callable[[ScriptResult], None]:
    def check(r: ScriptResult) -> None:
        shot = panels(r.script)[i].shot
        assert shot is not None
        for prop in props:
            assert prop in shot.props, shot.props

    return check


def all_of(*checks: Callable[[ScriptResult], None]) -> Callable[[ScriptResult], None]:
    def check(r: ScriptResult) -> None:
        for c in checks:
            c(r)

    return check


def notice_has(text: str) -> Callable[[ScriptResult], None]:
    def check(r: ScriptResult) -> None:
        assert text in r.notice, r.notice

    return check


def distinct(r: ScriptResult) -> None:
    result = [p.description for p in panels(r.script)]
    assert len(set(result)) == len(result), result


MIRA = "Mira explores an old library at night and finds a magic door."
LEO_MIA = [Character("Leo", gender="male"), Character("Mia", gender="female")]

CASES = [
    # --------------------------------------------------------------- headings
    Case("page-plain", "Page 1\nPanel 1: Leo runs.\nPage 2\nPanel 1: Leo rests.", shape(1, 1)),
    Case("page-dot", "Page 1.\nPanel 1: Leo runs.\nPage 2.\nPanel 1: Leo rests.", shape(1, 1)),
    Case("page-colon", "Page 1:\nPanel 1: Leo runs.\nPage 2:\nPanel 1: Leo rests.", shape(1, 1)),
    Case("page-words", "PAGE ONE\nPanel 1: Leo runs.\nPAGE TWO\nPanel 1: Leo rests.", shape(1, 1)),
    Case("page-md", "## Page 1\nPanel 1: Leo runs.\n## Page 2\nPanel 1: Leo rests.", shape(1, 1)),
    Case(
        "page-inline",
        "Page 1. Panel 1: Leo runs. Panel 2: Leo stops. Page 2. Panel 1: Leo sits.",
        all_of(shape(2, 1), descs("Leo runs.", "Leo stops.", "Leo sits.")),
        pages=2,
    ),
    Case(
        "explicit-pages-win",
        "Page 1\nPanel 1: A.\nPage 2\nPanel 1: B.\nPage 3\nPanel 1: C.",
        shape(1, 1, 1),
        pages=1,
    ),
    Case(
        "panels-spread-over-pages",
        "\n".join(f"Panel {i}: Leo waves {i}." for i in range(1, 9)),
        shape(4, 4),
        pages=2,
    ),
    Case("numbered-list", "1. Leo wakes.\n2. Leo eats.\n3) Leo leaves.", shape(3)),
    Case(
        "numbered-list-pages",
        "1. Leo wakes.\n2. Leo eats.\n3. Leo leaves.\n4. Leo returns.",
        shape(2, 2),
        pages=2,
    ),
    Case(
        "heading-without-text",
        "Panel 1: Leo runs.\nPanel 2:\nPanel 3: Leo stops.",
        descs("Leo runs.", "Leo stops."),
    ),
    Case(
        "twenty-one-headings",
        "\n".join(f"Panel {i}: Mia counts {i}." for i in range(1, 22)),
        lambda r: (
            (r.script.panel_count == 21 and max(len(p.panels) for p in r.script.pages) <= 20)
            or pytest.fail("not 21 panels on pages of at most 20")
        ),
        per_page=20,
    ),
    Case(
        "page-note-not-a-panel",
        "Page 1: At the park.\nPanel 1: Leo sits.\nPanel 2: Mia sits.",
        descs("Leo sits.", "Mia sits."),
        cast=LEO_MIA,
    ),
    # --------------------------------------------------------------- dialogue
    Case(
        "dangling-says",
        'Panel 1: Mia says "Hello!"',
        all_of(descs("Mia speaking."), lambda r: panels(r.script)[0].dialogue[0].speaker == "Mia"),
    ),
    Case("said-after", 'Panel 1: Leo nods. "Fine," said Mia.', descs("Leo nods.")),
    Case(
        "sfx-kept",
        'Panel 1: The door slams.\nSFX: "BANG!"',
        lambda r: panels(r.script)[0].dialogue[0].speaker.lower() == "sfx",
    ),
    Case(
        "caption-kept",
        "Panel 1: Leo waits.\nCaption: Later that day.",
        lambda r: panels(r.script)[0].caption == "Later that day.",
    ),
    Case(
        "whisper-markup",
        'Panel 1: Mia whispers "Hide."',
        lambda r: panels(r.script)[0].dialogue[0].text == "(whisper) Hide.",
    ),
    # ------------------------------------------------------------------ beats
    Case(
        "one-sentence-four-beats",
        MIRA,
        all_of(distinct, figures_at(1, "Mira"), notice_has("spread over 4 panels")),
    ),
    Case(
        "one-sentence-eight-beats",
        MIRA,
        all_of(
            distinct,
            shape(4, 4),
            lambda r: all("Mira" in p.characters for p in panels(r.script)[1:]),
            lambda r: sum(MIRA[:-1] in p.description for p in panels(r.script)) == 0,
        ),
        pages=2,
    ),
    Case(
        "beats-use-the-things",
        "Tom finds an old map in the attic.",
        lambda r: any("map" in p.description for p in panels(r.script)[1:]),
    ),
    Case(
        "more-beats-than-panels-merge",
        "Leo wakes. Leo eats. Leo runs. Leo swims. Leo sleeps.",
        all_of(shape(2), notice_has("merged")),
        per_page=2,
    ),
    Case(
        "no-people-still-distinct",
        "A dark and stormy night over the sea.",
        all_of(distinct, shot_at(0, weather="storm", time="night")),
    ),
    Case(
        "and-split-keeps-subject",
        "Mira opens the box and finds a ring.",
        lambda r: "Mira finds a ring." in [p.description for p in panels(r.script)],
        per_page=2,
    ),
    # ------------------------------------------------------------------- cast
    Case("cast-from-names", MIRA, cast_is("Mira")),
    Case(
        "cast-gender-from-pronouns",
        "Mira enters. She smiles. Tom waves. He laughs.",
        cast_is("Mira", "Tom", gender={"Mira": "female", "Tom": "male"}),
    ),
    Case("cast-speakers", 'Panel 1: Zed: "Hi!"', cast_is("Zed")),
    Case("cast-known-not-repeated", "Leo and Mia meet Ada.", cast_is("Ada"), cast=LEO_MIA),
    Case("cast-no-places", "Leo walks to the Harbor Cafe.", cast_is(), cast=LEO_MIA),
    Case("cast-no-weather", "Rain falls. Snow follows.", cast_is()),
    # ------------------------------------------------------------------ shots
    Case(
        "setting-and-location",
        "Panel 1: Leo reads in the library.",
        shot_at(0, setting="library", location="City Library"),
        cast=LEO_MIA,
        locations=[Location("City Library", "an old library")],
    ),
    Case(
        "time-carries",
        "Panel 1: Leo sleeps at night.\nPanel 2: Leo snores.\nPanel 3: Next morning, Leo wakes.",
        all_of(shot_at(1, time="night"), shot_at(2, time="dawn")),
        cast=LEO_MIA,
    ),
    Case(
        "weather-carries",
        "Panel 1: It rains on the street.\nPanel 2: Mia waits.\nPanel 3: The storm breaks.",
        all_of(shot_at(1, weather="rain"), shot_at(2, weather="storm")),
        cast=LEO_MIA,
    ),
    Case(
        "he-is-last-male",
        "Panel 1: Leo and Mia talk.\nPanel 2: He smiles.",
        all_of(figures_at(1, "Leo"), figure_at(1, "Leo", expression="happy")),
        cast=LEO_MIA,
    ),
    Case(
        "she-is-last-female",
        "Panel 1: Leo and Mia talk.\nPanel 2: She cries.",
        figure_at(1, "Mia", expression="crying"),
        cast=LEO_MIA,
    ),
    Case(
        "they-is-everyone",
        "Panel 1: Leo and Mia stand.\nPanel 2: They run.",
        all_of(figures_at(1, "Leo", "Mia"), figure_at(1, "Mia", action="run")),
        cast=LEO_MIA,
    ),
    Case(
        "speaker-in-shot",
        'Panel 1: The room is dark.\nMia: "Hello?"',
        figure_at(0, "Mia", action="talk"),
        cast=LEO_MIA,
    ),
    Case(
        "actions",
        "Panel 1: Leo climbs a tree.\nPanel 2: Leo jumps.\nPanel 3: Leo falls.\n"
        "Panel 4: Leo sits on a chair.",
        lambda r: (
            [p.shot.figures[0].action for p in panels(r.script)]  # type: ignore[union-attr]
            == ["climb", "jump", "fall", "sit"]
            or pytest.fail("actions")
        ),
        cast=LEO_MIA,
    ),
    Case(
        "holding",
        "Panel 1: Mia holds a lantern.",
        figure_at(0, "Mia", action="hold", holding=["lantern"]),
        cast=LEO_MIA,
    ),
    Case(
        "facing-back",
        "Panel 1: Leo walks away.",
        figure_at(0, "Leo", facing="back"),
        cast=LEO_MIA,
    ),
    Case(
        "props",
        "Panel 1: A key, a candle and a letter lie on the table by the window.",
        props_at(0, "key", "candle", "letter", "table", "window"),
    ),
    Case(
        "props-plural-singular",
        "Panel 1: Books and cups everywhere.",
        props_at(0, "book", "cup"),
    ),
    Case("framing-close-up", "Panel 1: Close-up: Leo grins.", shot_at(0, framing="close-up")),
    Case(
        "angle-birds-eye",
        "Panel 1: Bird's-eye view of the city.",
        shot_at(0, angle="birds-eye", setting="city street"),
    ),
    Case("angle-from-below", "Panel 1: The tower, seen from below.", shot_at(0, angle="low")),
    Case(
        "framing-rhythm-varies",
        "1. Leo sits.\n2. Leo sits.\n3. Leo sits.\n4. Leo sits.\n5. Leo sits.",
        lambda r: (
            len({p.shot.framing for p in panels(r.script)}) > 1  # type: ignore[union-attr]
            or pytest.fail("one framing for all")
        ),
        cast=LEO_MIA,
    ),
    # ------------------------------------------------------------- bad input
    Case("emoji", "Panel 1: Leo 😀 runs 🏃.\nPanel 2: 🎉", shape(2)),
    Case("rtl", "مرحبا بالعالم. هذه قصة.", shape(4)),
    Case("cjk", "ミラは夜の図書館を探検する。魔法の扉を見つける。", shape(4)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus(case: Case) -> None:
    story = Story(prompt=case.prompt, layout=Layout(case.pages, case.per_page))
    result = write_script(story, case.cast, case.locations)
    case.check(result)
    for panel in panels(result.script):
        for text in (panel.description, panel.caption, *(d.text for d in panel.dialogue)):
            assert not any(text.startswith(h) for h in HEADING_WORDS), text
        shot = panel.shot
        assert shot is not None and panel.description.strip()
        assert shot.framing in FRAMINGS and shot.angle in ANGLES
        assert shot.time in TIMES and shot.weather in WEATHERS
        for f in shot.figures:
            assert (f.action, f.expression, f.facing) in [(f.action, f.expression, f.facing)]
            assert f.action in ACTIONS and f.expression in EXPRESSIONS and f.facing in FACINGS
        assert all(p == p.lower() for p in shot.props)
        assert list(shot.to_dict()) == list(shot.KEYS)


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40


def test_blank_line_paragraphs_are_beats() -> None:
    prompt = "Leo wakes. Leo yawns.\n\nMia calls. Mia waits.\n\nThey meet. They laugh."
    result = write_script(Story(prompt=prompt, layout=Layout(1, 3)), [], [])
    assert [p.description for p in panels(result.script)] == [
        "Leo wakes. Leo yawns.",
        "Mia calls. Mia waits.",
        "They meet. They laugh.",
    ]
    merged = write_script(Story(prompt=prompt, layout=Layout(1, 2)), [], [])
    assert [p.description for p in panels(merged.script)][1] == "They meet. They laugh."
