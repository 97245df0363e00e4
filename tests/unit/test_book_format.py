"""The per-book format in the project file, page templates and moving panels between pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core.models import BookFormat, Script, ScriptPage, ScriptPanel, Story
from studio.storage import Project, ProjectError
from studio.storage.codec import book_format_from_dict, story_from_dict, story_to_dict
from tests.helpers import png


def _book(path: Path, pages: list[list[str]]) -> Project:
    project = Project.create(path, Story(title="Moves"))
    project.set_script(Script([ScriptPage([ScriptPanel(t) for t in page]) for page in pages]))
    return project


def _texts(project: Project) -> list[list[str]]:
    return [[p.script.description for p in page.panels] for page in project.pages()]


def test_format_round_trips_through_the_codec() -> None:
    story = Story(book_format=BookFormat(page_size="a4", margin=0.05, gutter=0.01, bleed=0.125))
    again = story_from_dict(json.loads(json.dumps(story_to_dict(story))))
    assert again.book_format == BookFormat(page_size="a4", margin=0.05, gutter=0.01, bleed=0.125)


def test_a_story_saved_before_books_had_a_format_loads_with_defaults() -> None:
    old = {"title": "Old", "size": "1024x1024", "direction": "rtl", "layout": {"pages": 2}}
    story = story_from_dict(old)
    assert story.book_format == BookFormat()
    assert story.title == "Old" and story.rtl


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, BookFormat()),
        ("webtoon", BookFormat()),
        ({"page_size": "Square"}, BookFormat(page_size="square")),
        ({"page_size": "poster", "margin": "wide"}, BookFormat()),
        ({"margin": 3, "gutter": -1, "bleed": True}, BookFormat(margin=0.2, gutter=0.0)),
        ({"bleed": float("nan")}, BookFormat()),
    ],
)
def test_broken_stored_formats_become_usable_values(raw: object, expected: BookFormat) -> None:
    assert book_format_from_dict(raw) == expected


def test_format_is_stored_in_the_project_file(tmp_path: Path) -> None:
    path = tmp_path / "f.comic"
    fmt = BookFormat(page_size="webtoon", margin=0.0, gutter=0.05, bleed=0.25)
    with Project.create(path, Story(title="F", book_format=fmt)):
        pass
    with Project.open(path) as project:
        assert project.story.book_format == fmt


def test_an_old_project_file_opens_with_the_default_format(tmp_path: Path) -> None:
    path = tmp_path / "old.comic"
    with Project.create(path, Story(title="Old")) as project:
        raw = story_to_dict(project.story)
        del raw["book_format"]
        project.set_meta("story", json.dumps(raw))
    with Project.open(path) as project:
        assert project.story.book_format == BookFormat()
        assert project.story.title == "Old"


def test_page_template_is_stored_and_a_missing_page_is_a_clear_error(tmp_path: Path) -> None:
    with _book(tmp_path / "t.comic", [["a", "b", "c"]]) as project:
        project.set_page_template(0, "establishing")
        assert project.page(0).template == "establishing"
        with pytest.raises(ProjectError, match="no page 4"):
            project.set_page_template(3, "grid")


def test_move_within_a_page(tmp_path: Path) -> None:
    with _book(tmp_path / "m.comic", [["a", "b", "c", "d"]]) as project:
        a = project.panel_at(0, 0)
        move = project.move_panel(a.id, 0, 2)
        assert _texts(project) == [["b", "c", "a", "d"]]
        assert (move.from_page, move.from_index, move.to_page, move.to_index) == (0, 0, 0, 2)
        project.undo_move_panel(move)
        assert _texts(project) == [["a", "b", "c", "d"]]


def test_move_across_pages_keeps_versions_and_undo_restores(tmp_path: Path) -> None:
    with _book(tmp_path / "x.comic", [["a", "b"], ["c", "d"]]) as project:
        b = project.panel_at(0, 1)
        version = project.add_version(b.id, png("blue"), provider="local")
        move = project.move_panel(b.id, 1, 1)
        assert _texts(project) == [["a"], ["c", "b", "d"]]
        assert project.panel_at(1, 1).current_version == version.id
        project.undo_move_panel(move)
        assert _texts(project) == [["a", "b"], ["c", "d"]]


def test_moving_the_last_panel_out_removes_the_page_and_undo_brings_it_back(
    tmp_path: Path,
) -> None:
    with _book(tmp_path / "e.comic", [["a", "b"], ["c"], ["d", "e"]]) as project:
        project.set_page_template(1, "splash")
        c = project.panel_at(1, 0)
        move = project.move_panel(c.id, 2, 0)
        assert _texts(project) == [["a", "b"], ["c", "d", "e"]]
        assert move.removed_page == (1, "splash")
        assert move.to_page == 1  # the destination moved up into the removed page's place
        assert [p.index for p in project.pages()] == [0, 1]
        project.undo_move_panel(move)
        assert _texts(project) == [["a", "b"], ["c"], ["d", "e"]]
        assert project.page(1).template == "splash"


def test_a_full_page_refuses_a_twenty_first_panel(tmp_path: Path) -> None:
    full = [f"p{i}" for i in range(20)]
    with _book(tmp_path / "full.comic", [full, ["x", "y"]]) as project:
        x = project.panel_at(1, 0)
        with pytest.raises(ProjectError, match="already holds 20 panels"):
            project.move_panel(x.id, 0, 3)
        assert _texts(project) == [full, ["x", "y"]]  # nothing changed
        first = project.panel_at(0, 0)
        project.move_panel(first.id, 0, 19)  # reordering inside a full page is fine
        assert _texts(project)[0][-1] == "p0"


def test_insert_page_shifts_the_following_pages(tmp_path: Path) -> None:
    with _book(tmp_path / "i.comic", [["a"], ["b"]]) as project:
        page = project.insert_page(1, "grid")
        assert page.index == 1 and page.panels == [] and page.template == "grid"
        assert _texts(project) == [["a"], [], ["b"]]


def test_the_book_uses_its_own_format_for_frames_size_and_bleed(tmp_path: Path) -> None:
    from studio.render.book import ProjectBook

    with _book(tmp_path / "b.comic", [["a", "b", "c", "d"]]) as project:
        plain = ProjectBook(project)
        assert plain.size == (1325, 2050) and plain.print_setup is not None
        assert plain.print_setup.bleed == 0 and plain.print_setup.trim_pt == (477, 738)
        tight = plain.frames(project.page(0))
        story = project.story
        story.book_format = BookFormat(page_size="a4", margin=0.1, gutter=0.05, bleed=0.125)
        project.set_story(story)
        book = ProjectBook(project)
        assert book.size == (1240, 1754)
        assert book.print_setup is not None and book.print_setup.bleed > 0
        frames = book.frames(project.page(0))
        margin = round(1240 * 0.1)
        assert min(f.x for f in frames) >= margin - 1 and min(f.y for f in frames) >= margin - 1
        assert min(f.x for f in tight) < margin  # the default margin is smaller
        # panels of one row sit a gutter apart
        row = sorted((f for f in frames if abs(f.y - frames[0].y) < 1), key=lambda f: f.x)
        assert len(row) >= 2 and row[1].x - row[0].right >= round(1240 * 0.05) - 1
