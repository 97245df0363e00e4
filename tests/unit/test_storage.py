"""The project file: round trip, migrations, and files that must not be touched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from studio.core.models import (
    Character,
    DialogueLine,
    IllegalTransition,
    JobKind,
    JobState,
    Layout,
    Location,
    ReadingDirection,
    Script,
    ScriptPage,
    ScriptPanel,
    Story,
)
from studio.storage import NewerProject, NotAProject, Project, ProjectError, schema
from tests.helpers import png


def _story() -> Story:
    return Story(
        title="Leo",
        prompt="Leo finds a book.",
        layout=Layout(pages=2, panels_per_page=3, paginated=True),
        direction=ReadingDirection.rtl,
        seed=7,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "book.comic"
    with Project.create(path, _story()) as project:
        project.set_characters([Character("Leo", age="10", dress="orange robe")])
        project.set_locations([Location("Library", "tall shelves")])
        page = project.append_page(
            [ScriptPanel("Leo reads", ["Leo"], "Library", "Night.", [DialogueLine("Leo", "Hi")])]
        )
        version = project.add_version(
            page.panels[0].id, png(), provider="local", prompt="p", anchors={"Leo": (0.4, 0.3)}
        )
        job = project.create_job("local", JobKind.create, {"prompt": "x"})
        project.update_job(job, state=JobState.submitting, message="sending")
    with Project.open(path) as project:
        story = project.story
        assert (story.title, story.seed, story.rtl, story.layout.pages) == ("Leo", 7, True, 2)
        assert project.characters()[0].dress == "orange robe"
        assert project.locations()[0].description == "tall shelves"
        panel = project.panel_at(0, 0)
        assert panel.script.dialogue == [DialogueLine("Leo", "Hi")]
        assert panel.current_version == version.id
        assert project.asset(version.asset) == png()
        assert project.version_anchors(version.id) == {"Leo": (0.4, 0.3)}
        assert [j.state for j in project.unfinished_jobs()] == [JobState.submitting]
        assert [e["state"] for e in project.job_events(job.id)] == ["draft", "submitting"]
        assert project.integrity() == "ok"


def test_illegal_transition_is_refused_and_not_written(tmp_path: Path) -> None:
    with Project.create(tmp_path / "a.comic", _story()) as project:
        job = project.create_job("local", JobKind.create, {})
        with pytest.raises(IllegalTransition):
            project.update_job(job, state=JobState.succeeded)
        assert project.job(job.id).state is JobState.draft


def test_set_script_keeps_panels_with_versions(tmp_path: Path) -> None:
    with Project.create(tmp_path / "a.comic", _story()) as project:
        project.set_script(Script([ScriptPage([ScriptPanel("a"), ScriptPanel("b")])]))
        kept = project.panel_at(0, 1)
        project.add_version(kept.id, png(), provider="local")
        project.set_script(Script([ScriptPage([ScriptPanel("A")])]))
        panels = project.page(0).panels
        assert [p.script.description for p in panels] == ["A", "b"]  # b has an image: kept
        assert len(project.versions(kept.id)) == 1


def test_versions_switch_and_move(tmp_path: Path) -> None:
    with Project.create(tmp_path / "a.comic", _story()) as project:
        project.set_script(Script([ScriptPage([ScriptPanel("a"), ScriptPanel("b")])]))
        project.append_page([ScriptPanel("c")])
        first = project.panel_at(0, 0)
        v1 = project.add_version(first.id, png("red"), provider="local")
        v2 = project.add_version(first.id, png("blue"), provider="local")
        assert project.panel(first.id).current_version == v2.id
        project.set_current_version(first.id, v1.id)
        assert project.panel(first.id).current_version == v1.id
        project.move_panel(first.id, 1, 0)
        assert [p.script.description for p in project.page(1).panels] == ["a", "c"]
        assert [p.script.description for p in project.page(0).panels] == ["b"]
        assert len(project.versions(first.id)) == 2


def test_migration_from_first_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.comic"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, target=1)
    conn.execute("INSERT INTO meta(key, value) VALUES ('story', '{\"title\": \"Old\"}')")
    conn.execute("INSERT INTO pages(idx) VALUES (0)")
    conn.execute("INSERT INTO panels(page_id, idx, description) VALUES (1, 0, 'old panel')")
    conn.close()
    with Project.open(path) as project:
        assert project.story.title == "Old"
        assert project.panel_at(0, 0).script.description == "old panel"
        assert project.lettering(project.panel_at(0, 0).id) is None
        version = project._one("PRAGMA user_version")[0]
        assert version == schema.CURRENT_VERSION
    assert (tmp_path / "old.comic.v1.bak").exists()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", NotAProject),
        (b"PK\x03\x04 this is a zip file" * 10, NotAProject),
        (b"\x00\xff" * 5000, NotAProject),
    ],
)
def test_foreign_files_are_refused_and_untouched(tmp_path: Path, content: bytes, error) -> None:
    path = tmp_path / "x.comic"
    path.write_bytes(content)
    with pytest.raises(error):
        Project.open(path)
    assert path.read_bytes() == content


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.comic"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NotAProject, match="not a Comic Studio project"):
        Project.open(path)
    assert _digest(path) == before


def test_newer_project_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.comic"
    Project.create(path, _story()).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 5}")
    conn.close()
    before = _digest(path)
    with pytest.raises(NewerProject, match="newer Comic Studio"):
        Project.open(path)
    assert _digest(path) == before


def test_truncated_project_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "t.comic"
    with Project.create(path, _story()) as project:
        for i in range(30):
            page = project.append_page([ScriptPanel(f"p{i}")])
            project.add_version(page.panels[0].id, png((i, 0, 0), (200, 200)), provider="local")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = _digest(path)
    with pytest.raises(ProjectError):
        Project.open(path)
    assert _digest(path) == before


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        Project.open(tmp_path / "nope.comic")


def test_non_image_asset_is_refused(tmp_path: Path) -> None:
    with Project.create(tmp_path / "a.comic", _story()) as project:
        with pytest.raises(ProjectError, match="not stored"):
            project.put_asset(b"<html>not an image</html>", "image/png")
        assert project.thumbnail(project.put_asset(png())).startswith(b"\xff\xd8")
