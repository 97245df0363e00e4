"""Bad user input: a clear sentence (ValidationError, or exit code 2 from the command
line) and nothing lost — no file created, an existing project byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.models import Character, Layout, Location, Story
from studio.core.validation import (
    MAX_PROMPT_CHARS,
    ValidationError,
    clean_name,
    parse_size,
    validate_cast,
    validate_layout,
    validate_locations,
    validate_prompt,
    validate_reference_image,
    validate_size,
    validate_story,
)
from tests.helpers import png

HUNDRED_KB = "Leo walks. " * 9310  # 102 410 characters


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    env.update(
        COMIC_STUDIO_CONFIG_DIR=str(tmp_path / "config"),
        COMIC_STUDIO_DATA_DIR=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return subprocess.run(
        [sys.executable, "-m", "studio.cli", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(out: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2, one human sentence on stderr (no traceback), nothing on stdout."""
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr and out.stdout == ""
    message = out.stderr.strip()
    assert message.startswith("comic-studio: ") and len(message) < 400, message
    for word in words:
        assert word in message, message
    return message


# ---------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("prompt", "text"),
    [("", "empty"), ("   \n\t ", "empty"), (HUNDRED_KB, "the limit is 20,000")],
)
def test_prompt_limits(prompt: str, text: str) -> None:
    with pytest.raises(ValidationError, match=text) as caught:
        validate_prompt(prompt)
    assert caught.value.field == "prompt"


def test_a_prompt_at_the_limit_is_accepted() -> None:
    assert len(validate_prompt("a" * MAX_PROMPT_CHARS)) == MAX_PROMPT_CHARS


@pytest.mark.parametrize(
    "layout",
    [Layout(1, 21), Layout(1, 0), Layout(21, 4, True), Layout(0, 4), Layout(1, -3)],
)
def test_layout_out_of_range(layout: Layout) -> None:
    with pytest.raises(ValidationError, match="out of range"):
        validate_layout(layout)


@pytest.mark.parametrize(
    ("size", "text"),
    [
        ("", "Unknown size"),
        ("big", "Unknown size"),
        ("1024", "Unknown size"),
        ("1024x", "Unknown size"),
        ("1024x1024x3", "Unknown size"),
        ("-512x512", "Unknown size"),
        ("99999x99999", "out of range"),
        ("64x64", "out of range"),
    ],
)
def test_unknown_or_absurd_sizes(size: str, text: str) -> None:
    with pytest.raises(ValidationError, match=text):
        parse_size(size)


def test_size_not_offered_by_the_provider() -> None:
    assert validate_size(" 1024X768 ") == "1024x768"
    assert validate_size("１０２４x７６８") == "1024x768"  # full-width digits, normalised
    with pytest.raises(ValidationError, match="this provider supports 1024x1024"):
        validate_size("768x512", ("1024x1024",))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Le\x00o", "Leo"),
        ("\x1b[31mLeo\x1b[0m", "[31mLeo[0m"),
        ("Leo\r\nDROP TABLE", "LeoDROP TABLE"),
        ("\u202eoeL", "oeL"),  # a right-to-left override cannot reorder the UI
        ("Le\u200bo", "Leo"),  # zero-width space
        ("  Mía  ", "Mía"),
    ],
)
def test_control_characters_are_removed_from_names(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean
    cast = [Character(raw)]
    validate_cast(cast)
    assert cast[0].name == clean


@pytest.mark.parametrize("raw", ["\x00\x07\x1b", "\u202e\u200b", "", "   "])
def test_a_name_of_only_control_characters_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="needs a name"):
        validate_cast([Character(raw)])
    with pytest.raises(ValidationError, match="A location needs a name"):
        validate_locations([Location(raw)])


def test_names_that_differ_only_by_control_characters_collide() -> None:
    with pytest.raises(ValidationError, match="Two characters are called 'LEO'"):
        validate_cast([Character("Leo"), Character("L\x00EO")])


def test_overlong_name() -> None:
    with pytest.raises(ValidationError, match="too long"):
        clean_name("x" * 81)


@pytest.mark.parametrize(
    "data", [b"", b"<html>", b"%PDF-1.4", b"RIFF\x00\x00\x00\x00WAVEfmt ", b"GIF"]
)
def test_reference_image_bytes_that_are_not_images(data: bytes) -> None:
    with pytest.raises(ValidationError, match="reference image") as caught:
        validate_reference_image(data, source="ref.png")
    assert caught.value.field == "image"


def test_story_validation_normalises_what_it_accepts() -> None:
    story = validate_story(Story(title="  ", prompt="  Leo.  ", size="1024X768"))
    assert (story.title, story.prompt, story.size) == ("Untitled comic", "Leo.", "1024x768")


# --------------------------------------------------------- the command line


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--prompt", ""], ["prompt is empty"]),
        (["--prompt", HUNDRED_KB], ["102,409 characters", "20,000"]),
        (["--prompt", "x", "--panels", "21"], ["21 panels per page", "1 to 20"]),
        (["--prompt", "x", "--pages", "21"], ["21 pages"]),
        (["--prompt", "x", "--size", "huge"], ["Unknown size 'huge'"]),
        (["--prompt", "x", "--size", "99999x99999"], ["out of range"]),
        (["--prompt", "x", "--size", "100000x100000"], ["Unknown size"]),
        (["--prompt", "x", "--character", "name=\x07\x1b"], ["needs a name"]),
        (["--prompt", "x", "--character", "age=3"], ["no name"]),
        (["--prompt", "x", "--character", "name=Leo;image=missing.png"], ["missing.png", "exist"]),
        (["--prompt", "x", "--location", "name=Pier;image=/nope/pier.png"], ["does not exist"]),
        (["--prompt", "x", "--provider", "nope"], ["Unknown provider"]),
    ],
)
def test_new_refuses_bad_input_and_creates_no_file(
    tmp_path: Path, args: list[str], words: list[str]
) -> None:
    _refused(_cli(tmp_path, "new", "book.comic", *args), *words)
    assert not (tmp_path / "book.comic").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("book.comic")]


def test_a_reference_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.png").write_text("<html>not really</html>")
    out = _cli(tmp_path, "new", "b.comic", "--prompt", "x", "--character", "name=L;image=notes.png")
    _refused(out, "not an image")
    assert not (tmp_path / "b.comic").exists()


def test_control_characters_in_a_name_are_cleaned_not_stored(tmp_path: Path) -> None:
    out = _cli(tmp_path, "new", "b.comic", "--prompt", "x", "--character", "name=Le\x1bo\u202e")
    assert out.returncode == 0, out.stderr
    from studio.storage import Project

    with Project.open(tmp_path / "b.comic") as project:
        assert [c.name for c in project.characters()] == ["Leo"]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    assert (
        _cli(tmp_path, "new", "b.comic", "--prompt", "Leo reads.", "--panels", "2").returncode == 0
    )
    return tmp_path / "b.comic"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["continue", "--prompt", ""], ["continue prompt is empty"]),
        (["continue", "--prompt", HUNDRED_KB], ["20,000"]),
        (["continue", "--prompt", "x", "--panels", "21"], ["out of range"]),
        (["redraw", "--page", "0", "--panel", "0", "--image", "gone.png"], ["does not exist"]),
        (["redraw", "--page", "0", "--panel", "7"], ["no panel 7"]),
        (["redraw", "--page", "9", "--panel", "0"], ["no page 9"]),
        (["redraw", "--page", "0", "--panel", "0", "--prompt", "  "], ["redraw prompt is empty"]),
        (["redraw", "--page", "0", "--panel", "0", "--prompt", HUNDRED_KB], ["20,000"]),
        (["use-version", "--page", "0", "--panel", "0", "--version", "99"], ["99"]),
    ],
)
def test_bad_input_leaves_an_existing_project_unchanged(
    book: Path, args: list[str], words: list[str]
) -> None:
    before = _digest(book)
    _refused(_cli(book.parent, args[0], book.name, *args[1:]), *words)
    assert _digest(book) == before
    assert not book.with_name(book.name + "-wal").exists()


def test_reference_image_that_is_a_folder(book: Path) -> None:
    before = _digest(book)
    (book.parent / "folder.png").mkdir()
    _refused(_cli(book.parent, "redraw", book.name, "--page", "0", "--panel", "0",
                  "--image", "folder.png"), "does not exist")  # fmt: skip
    assert _digest(book) == before


def test_png_reference_is_accepted(book: Path) -> None:
    """The positive control for the refusals above: a real image is taken."""
    (book.parent / "leo.png").write_bytes(png("orange"))
    out = _cli(
        book.parent, "new", "c.comic", "--prompt", "x", "--character", "name=Leo;image=leo.png"
    )
    assert out.returncode == 0, out.stderr
