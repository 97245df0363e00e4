"""Tests for deriving a script from a story prompt and writing it back as text."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from studio.core.models import (
    Character,
    DialogueLine,
    Layout,
    Location,
    Script,
    ScriptPage,
    ScriptPanel,
    Story,
)
from studio.core.validation import ValidationError
from studio.render.lettering.auto import classify
from studio.story import derive_script, script_to_text, validate_script

CAST = [Character("Leo"), Character("Mia"), Character("Old Tom")]
PLACES = [Location("Park"), Location("Harbor Cafe")]


def derive(
    prompt: str,
    *,
    pages: int = 1,
    per_page: int = 4,
    cast: list[Character] | None = None,
    locations: list[Location] | None = None,
) -> Script:
    story = Story(prompt=prompt, layout=Layout(pages=pages, panels_per_page=per_page))
    return derive_script(
        story, CAST if cast is None else cast, PLACES if locations is None else locations
    )


def without_shots(script: Script) -> Script:
    """The script with its derived shots taken out (for comparing with a hand-made one)."""
    for page in script.pages:
        for panel in page.panels:
            panel.shot = None
    return script


def panels(script: Script) -> list[ScriptPanel]:
    return [panel for page in script.pages for panel in page.panels]


def descriptions(script: Script) -> list[str]:
    return [panel.description for panel in panels(script)]


def only_panel(prompt: str, **kwargs) -> ScriptPanel:
    result = panels(derive(prompt, per_page=1, **kwargs))
    assert len(result) == 1
    return result[0]


# --------------------------------------------------------------------------- directions


def test_page_and_panel_directions_are_honoured():
    script = derive(
        "Page 1\n"
        "Panel 1: Leo opens the book.\n"
        "Panel 2 - Mia reads over his shoulder.\n"
        "PAGE TWO:\n"
        "Scene 3: Old Tom laughs.\n"
        "panel 4: The end.",
        per_page=6,
    )
    assert [len(page.panels) for page in script.pages] == [2, 2]
    assert descriptions(script) == [
        "Leo opens the book.",
        "Mia reads over his shoulder.",
        "Old Tom laughs.",
        "The end.",
    ]


def test_panel_directions_without_pages_are_spread_over_the_pages():
    # Issue 13: explicit panels without pages are spread evenly over the requested pages
    # (enough pages for panels_per_page); was chunked [3, 3, 1].
    prompt = "\n".join(f"Panel {i}: Leo waves {i}." for i in range(1, 8))
    script = derive(prompt, pages=1, per_page=3)
    assert [len(page.panels) for page in script.pages] == [3, 2, 2]
    prompt = "\n".join(f"Panel {i}: Leo waves {i}." for i in range(1, 9))
    assert [len(p.panels) for p in derive(prompt, pages=2, per_page=4).pages] == [4, 4]
    assert descriptions(script)[-1] == "Leo waves 7."


def test_fewer_directions_than_the_layout_keeps_the_directions_count():
    script = derive("Panel 1: Leo runs.\nPanel 2: Mia runs.", pages=2, per_page=4)
    assert descriptions(script) == ["Leo runs.", "Mia runs."]


def test_directions_in_markdown_bullets_and_mid_line():
    script = derive("**Panel 1:** Leo runs. Panel 2: Mia follows.\n- Panel 3 - Tom sleeps.")
    assert descriptions(script) == ["Leo runs.", "Mia follows.", "Tom sleeps."]


def test_page_and_panel_on_one_line_share_the_page():
    script = derive("Page 1, Panel 1: Leo.\nPage 1, Panel 2: Mia.\nPage 2, Panel 1: Tom.")
    assert [[p.description for p in page.panels] for page in script.pages] == [
        ["Leo.", "Mia."],
        ["Tom."],
    ]


def test_page_without_panel_directions_is_spread_over_panels_per_page():
    script = derive("Page 1\nLeo runs. Mia runs. Tom runs.\nPage 2\nThe end.", per_page=3)
    assert descriptions(script)[:3] == ["Leo runs.", "Mia runs.", "Tom runs."]
    assert len(script.pages[1].panels) == 3
    assert all(panel.description for panel in script.pages[1].panels)


def test_mentions_of_pages_inside_sentences_are_not_directions():
    script = derive("Leo turns page 2 of the book. Mia reads panel 4 aloud.", per_page=2)
    assert descriptions(script) == ["Leo turns page 2 of the book.", "Mia reads panel 4 aloud."]


def test_page_note_sets_the_scene_but_is_not_a_panel():
    script = derive("Page 1: At the park.\nPanel 1: Leo sits.\nPanel 2: Mia sits.")
    assert descriptions(script) == ["Leo sits.", "Mia sits."]
    assert [panel.location for panel in panels(script)] == ["Park", "Park"]


# --------------------------------------------------------------------------- spreading

MARKERS = r"Alpha|Bravo|Charlie|Delta|Echo|Foxtrot|Golf|Hotel|India|Juliet|Kilo|Lima"
PROMPTS = [
    "Alpha walks in. Bravo looks up! Charlie laughs? Delta sits down. Echo leaves.",
    "Alpha arrives, Bravo follows, then Charlie waves and then Delta shouts.",
    "Alpha.\nBravo\nCharlie… Delta! Echo? Foxtrot. Golf. Hotel. India. Juliet. Kilo. Lima.",
    '"Hello!" said Alpha. Bravo nods. Charlie whispers "Quiet, please." Delta grins.',
    "Alpha sees a dog",
]


@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("count", range(1, 21))
def test_sentences_spread_over_exact_panel_count_in_order(prompt, count):
    script = derive(prompt, per_page=count)
    result = panels(script)
    assert len(result) == count
    assert all(panel.description.strip() for panel in result)
    markers = re.findall(MARKERS, prompt)
    # A bare speech tag ("Charlie whispers") leaves the description (issue 13): the
    # speaker is still in the panel, as the line's speaker.
    shown = [p.description + " ".join(d.speaker for d in p.dialogue) for p in result]
    firsts = [next(i for i, p in enumerate(shown) if m in p) for m in markers]
    assert firsts == sorted(firsts)


def test_pages_times_panels_per_page_and_overrides():
    story = Story(prompt="One. Two. Three. Four. Five. Six.", layout=Layout(2, 3))
    assert [len(p.panels) for p in derive_script(story, CAST, PLACES).pages] == [3, 3]
    script = derive_script(story, CAST, PLACES, pages=1, panels_per_page=2)
    assert descriptions(script) == ["One. Two. Three.", "Four. Five. Six."]


def test_more_sentences_than_panels_gives_earlier_panels_the_extra():
    script = derive("A1. A2. A3. A4. A5.", per_page=2)
    assert descriptions(script) == ["A1. A2. A3.", "A4. A5."]


def test_fewer_sentences_than_panels_splits_at_commas_and_then():
    script = derive("Leo walks in, looks around, then sits down.", per_page=3)
    # Issue 13: each beat names who acts (was "looks around" / "then sits down.").
    assert descriptions(script) == ["Leo walks in.", "Leo looks around.", "Leo then sits down."]


def test_text_running_out_is_expanded_into_distinct_beats():
    # Issue 13: was the closing sentence repeated behind camera labels.
    script = derive("Leo looks at the sky.", per_page=3, locations=[])
    result = descriptions(script)
    assert "Leo looks at the sky." in result
    assert len(set(result)) == 3
    assert sum("Leo looks at the sky" in d for d in result) == 1


def test_quotes_and_abbreviations_do_not_split_sentences():
    script = derive('"Stop! Now!" said Leo. Mr. Smith waves.', per_page=2)
    assert descriptions(script) == ["Leo speaking.", "Mr. Smith waves."]  # no bare "said Leo"
    assert panels(script)[0].dialogue == [DialogueLine("Leo", "Stop! Now!")]


def test_speech_lines_stay_with_their_action():
    script = derive('Leo enters.\nLeo: "Hi!"\nMia: Hello there.\nMia sits.', per_page=2)
    first, second = panels(script)
    assert first.description == "Leo enters."
    assert first.dialogue == [DialogueLine("Leo", "Hi!"), DialogueLine("Mia", "Hello there.")]
    assert second.description == "Mia sits."


# --------------------------------------------------------------------------- dialogue


def test_quote_goes_to_the_named_character_and_is_removed():
    panel = only_panel('"Hello!" said Leo.')
    assert panel.description == "Leo speaking."  # issue 13: the bare tag "said Leo" goes
    assert panel.dialogue == [DialogueLine("Leo", "Hello!")]
    assert panel.characters == ["Leo"]


def test_two_characters_in_one_sentence_nearest_wins():
    panel = only_panel('Leo waves at Mia, who shouts "Over here!"')
    assert panel.dialogue == [DialogueLine("Mia", "(shout) Over here!")]
    panel = only_panel('"Wait!" Leo yells at Mia.')
    assert panel.dialogue == [DialogueLine("Leo", "(shout) Wait!")]
    assert panel.characters == ["Leo", "Mia"]


def test_two_quotes_in_one_sentence_each_to_its_speaker():
    panel = only_panel('Leo says "Hi" and Mia replies "Hello".')
    assert panel.dialogue == [DialogueLine("Leo", "Hi"), DialogueLine("Mia", "Hello")]
    assert panel.description == "Leo and Mia speaking."  # issue 13: bare tags go


def test_curly_single_and_corner_quotes():
    panel = only_panel("Mia smiles. “Let’s go,” says Leo.")
    assert panel.dialogue == [DialogueLine("Leo", "Let’s go")]
    panel = only_panel("'Don't go,' begs Mia.")
    assert panel.dialogue == [DialogueLine("Mia", "Don't go")]
    panel = only_panel("Old Tom: 「こんにちは」")
    assert panel.dialogue == [DialogueLine("Old Tom", "こんにちは")]


def test_possessive_names_count_as_mentions():
    panel = only_panel('Leo\'s dog barks. "Woof," it says.')
    assert panel.characters == ["Leo"]
    assert panel.dialogue[0].speaker == "Leo"


def test_speaker_from_preceding_text_or_narrator():
    script = derive('Panel 1: Mia enters.\nPanel 2: "Anyone here?"')
    assert panels(script)[1].dialogue == [DialogueLine("Mia", "Anyone here?")]
    assert panels(script)[1].characters == ["Mia"]
    panel = only_panel('The door creaks. "Who is there?"')
    assert panel.dialogue == [DialogueLine("", "Who is there?")]
    assert panel.characters == []


def test_narrator_lines_and_non_cast_labels():
    panel = only_panel('Leo sleeps.\nNarrator: "Long ago..."\nCrowd: "Boo!"')
    assert panel.dialogue == [
        DialogueLine("Narrator", "Long ago..."),
        DialogueLine("Crowd", "Boo!"),
    ]
    assert panel.caption == ""
    assert panel.characters == ["Leo", "Crowd"]  # the narrator is nobody in the scene
    assert classify("Narrator", "Long ago...").kind == "caption"  # lettered as a caption box
    voice = only_panel('Voice: "Who is there?"')  # the label for a line nobody says
    assert voice.dialogue == [DialogueLine("", "Who is there?")]


def test_quoted_caption_ends_at_its_quote_and_the_sentence_reads_on():
    panel = only_panel('Caption: "The lighthouse was dark." Mia says "Is anyone up there?"')
    assert panel.caption == "The lighthouse was dark."
    assert panel.dialogue == [DialogueLine("Mia", "Is anyone up there?")]
    assert panel.description == "Mia speaking."  # issue 13: no dangling "Mia says"
    assert only_panel('Caption: "And the ship was saved."').caption == "And the ship was saved."
    quoted = Script([ScriptPage([ScriptPanel("Sea.", caption='"Go," he said.')])])
    assert without_shots(derive(script_to_text(quoted), per_page=1)) == quoted


@pytest.mark.parametrize(
    ("prompt", "text", "kind"),
    [
        ('Mia thinks "Maybe the keeper left it."', "((Maybe the keeper left it.))", "thought"),
        ('Mia wonders, "Who lit it?"', "((Who lit it?))", "thought"),
        ('Mia whispers "Don\'t wake it."', "(whisper) Don't wake it.", "whisper"),
        ('"Over here," Mia whispers.', "(whisper) Over here", "whisper"),
        ('Mia shouts "Run!"', "(shout) Run!", "shout"),
        ('Mia yells at Leo, "Run!"', "(shout) Run!", "shout"),
        ('Mia screams "No!"', "(shout) No!", "shout"),
        ('Mia says "Run!"', "Run!", "speech"),
        ('Mia shouts at the dog, then says "Hi."', "Hi.", "speech"),
    ],
)
def test_the_verb_sets_how_a_line_is_lettered(prompt: str, text: str, kind: str) -> None:
    panel = only_panel(prompt)
    assert [(d.speaker, d.text) for d in panel.dialogue] == [("Mia", text)]
    assert classify("Mia", panel.dialogue[0].text).kind == kind
    again = derive(script_to_text(Script([ScriptPage([panel])])), per_page=1)
    assert panels(again) == [panel]


def test_each_quote_takes_its_own_verb():
    panel = only_panel('Mia whispers "Hide." Leo shouts "Where?"')
    assert panel.dialogue == [
        DialogueLine("Mia", "(whisper) Hide."),
        DialogueLine("Leo", "(shout) Where?"),
    ]


def test_quote_only_panel_gets_a_description():
    panel = only_panel('Leo: "Hi!"')
    assert panel.description == "Leo speaking."
    assert panel.dialogue == [DialogueLine("Leo", "Hi!")]


# --------------------------------------------------------------------------- names, places


def test_names_and_locations_match_case_insensitively_as_whole_words():
    panel = only_panel("LEO and old tom meet at the harbor cafe. Leonardo and Miami stay home.")
    assert panel.characters[:2] == ["Leo", "Old Tom"]
    assert "Mia" not in panel.characters  # Miami may be a new (automatic) person, never Mia
    assert panel.location == "Harbor Cafe"


def test_location_carries_over_then_changes():
    script = derive("Leo runs in the park. Mia follows. They reach the Harbor Cafe. Tom waits.")
    assert [panel.location for panel in panels(script)] == [
        "Park",
        "Park",
        "Harbor Cafe",
        "Harbor Cafe",
    ]


def test_location_defaults():
    assert only_panel("Leo runs.", locations=[Location("Moon")]).location == "Moon"
    assert only_panel("Leo runs.").location is None
    assert only_panel("Leo runs.", locations=[]).location is None
    assert only_panel("Leo runs.\nLocation: the park").location == "Park"


# --------------------------------------------------------------------------- captions


def test_caption_in_a_direction():
    prompt = "Panel 1: Leo sits.\nPanel 2: Leo opens the book. Caption: The adventure begins."
    script = derive(prompt)
    second = panels(script)[1]
    assert second.description == "Leo opens the book."
    assert second.caption == "The adventure begins."


def test_caption_and_narrator_in_prose_attach_to_the_next_sentence():
    script = derive("Leo sleeps.\nCaption: Later that day.\nMia wakes him.", per_page=2)
    first, second = panels(script)
    assert (first.caption, second.caption) == ("", "Later that day.")
    assert second.description == "Mia wakes him."
    panel = only_panel("Narrator: It was a dark night. Leo sleeps.")
    assert panel.caption == "It was a dark night. Leo sleeps."


# --------------------------------------------------------------------------- text round trip


def test_script_to_text_format():
    script = Script(
        [
            ScriptPage(
                [
                    ScriptPanel(
                        "Leo waves.",
                        ["Leo"],
                        "Park",
                        "Morning.",
                        [DialogueLine("Leo", "Hi!"), DialogueLine("", 'He said "go"')],
                    )
                ]
            ),
            ScriptPage([ScriptPanel("The end.", location="Harbor Cafe")]),
        ]
    )
    assert script_to_text(script) == (
        "Page 1\n"
        "Panel 1: Leo waves.\n"
        "Location: Park\n"
        "Caption: Morning.\n"
        'Leo: "Hi!"\n'
        'Voice: “He said "go"”\n'
        "\n"
        "Page 2\n"
        "Panel 1: The end.\n"
        "Location: Harbor Cafe"
    )
    back = derive(script_to_text(script), per_page=1)
    assert without_shots(back) == script


ROUND_TRIP_PROMPTS = [
    'Leo walks into the park. "Hello!" said Leo. Mia waves back, then they sit at the cafe.',
    "Page 1\nPanel 1: Leo opens the book. Caption: It begins.\nPanel 2: 'Wow,' says Mia.\n"
    "Page 2\nPanel 1: Old Tom naps in the Harbor Cafe.",
    "Caption: Long ago.\nLeo sleeps.\nNarrator: \"Shh.\"\nCrowd: 'Boo!'\nMia leaves, then returns.",
    "A dark and stormy night.",
]


@pytest.mark.parametrize("prompt", ROUND_TRIP_PROMPTS)
@pytest.mark.parametrize("count", [1, 3, 7])
def test_round_trip(prompt, count):
    script = derive(prompt, per_page=count)
    again = derive(script_to_text(script), per_page=count)
    assert again == script
    assert script_to_text(again) == script_to_text(script)


def test_deterministic():
    prompt = ROUND_TRIP_PROMPTS[0] + " " + ROUND_TRIP_PROMPTS[2]
    results = {repr(derive(prompt, pages=2, per_page=5)) for _ in range(5)}
    assert len(results) == 1


# --------------------------------------------------------------------------- errors


def test_derive_rejects_empty_prompt_and_bad_layout():
    with pytest.raises(ValidationError):
        derive("   ")
    with pytest.raises(ValidationError):
        derive("Leo runs.", per_page=0)
    with pytest.raises(ValidationError):
        derive_script(Story(prompt="Leo runs."), CAST, PLACES, panels_per_page=21)


def test_validate_script():
    panel = ScriptPanel("Leo runs.")
    validate_script(Script([ScriptPage([panel] * 20)] * 200))
    for bad in (
        Script(),
        Script([ScriptPage([])]),
        Script([ScriptPage([panel] * 21)]),
        Script([ScriptPage([panel])] * 201),
    ):
        with pytest.raises(ValidationError):
            validate_script(bad)


# --------------------------------------------------------------------------- property


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(text=st.text(min_size=1, max_size=300), count=st.integers(min_value=1, max_value=20))
def test_any_text_gives_exactly_the_requested_panels(text, count):
    assume(text.strip())
    assume(not re.search(r"(?i)page|panel|scene", text))
    script = derive(text, per_page=count)
    assert script.panel_count == count
    assert all(panel.description.strip() for panel in panels(script))
    validate_script(script)


@pytest.mark.parametrize(
    ("prompt", "speaker"),
    [
        ('The fog rolls in. Mia says "A ship!"', "Mia"),
        ('"Hello," says Captain Reed.', "Captain Reed"),
        ('Old Tom shouts "Run!"', "Old Tom"),
        ('She says "Hi."', ""),  # a pronoun with nobody named before: no guess
    ],
)
def test_a_name_outside_the_cast_still_speaks(prompt: str, speaker: str) -> None:
    panel = only_panel(prompt, cast=[])
    assert [d.speaker for d in panel.dialogue] == [speaker]
