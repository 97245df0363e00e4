"""Lettering objects in a real project file: round trip, automatic refresh, book export."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from studio.core.lettering import KINDS, Lettering, all_auto, from_rows, to_rows
from studio.core.models import Character, DialogueLine, ScriptPanel, Story
from studio.export import export
from studio.render.book import ProjectBook, refresh_auto_lettering
from studio.render.compose import compose_page
from studio.render.offline import render_panel
from studio.storage import Project

SCRIPTS = [
    ScriptPanel(
        description="Ann and Bo in the library",
        characters=["Ann", "Bo"],
        caption="Meanwhile, at the library...",
        dialogue=[DialogueLine("Ann", "Where is the *red* book?"), DialogueLine("Bo", "No idea.")],
    ),
    ScriptPanel(
        description="A crash",
        characters=["Ann"],
        dialogue=[DialogueLine("SFX", "KRASH"), DialogueLine("Ann", "WHAT WAS THAT?!")],
    ),
]


def _project(path: Path, *, art: bool = True) -> Project:
    project = Project.create(path, Story(title="Letters"))
    page = project.append_page(SCRIPTS)
    cast = [Character(name="Ann"), Character(name="Bo")]
    if art:
        for panel, script in zip(page.panels, SCRIPTS, strict=True):
            drawn = render_panel(script, cast, [], 320, 320)
            project.add_version(panel.id, drawn.png, provider="local", anchors=drawn.anchors)
    return project


def _every_kind() -> list[Lettering]:
    items = []
    for i, kind in enumerate(KINDS):
        items.append(
            Lettering(
                kind=kind,
                text=f"{kind} *text* ñ",
                x=0.05 * i,
                y=0.1,
                w=0.3,
                h=0.2,
                tail=(0.4, 0.9) if kind != "caption" else None,
                speaker="Ann",
                font="display" if kind == "caption" else "",
                size=0.03,
                color="#112233",
                fill="#ffeedd",
                outline="#332211",
                all_caps=kind == "shout",
                rotation=-12.5 if kind == "sfx" else 0.0,
                auto=i % 2 == 0,
            )
        )
    return items


def test_every_kind_round_trips_through_the_project_file(tmp_path: Path) -> None:
    path = tmp_path / "book.comic"
    project = _project(path, art=False)
    panel = project.pages()[0].panels[0]
    items = _every_kind()
    project.set_lettering(panel.id, to_rows(items))
    project.close()
    reopened = Project.open(path)
    try:
        assert from_rows(reopened.lettering(panel.id)) == items
        other = reopened.pages()[0].panels[1]
        assert reopened.lettering(other.id) is None  # never stored: automatic
        reopened.set_lettering(other.id, [])
        assert from_rows(reopened.lettering(other.id)) == []  # "no lettering" is kept
    finally:
        reopened.close()


def test_refresh_places_automatic_lettering_and_leaves_edits_alone(tmp_path: Path) -> None:
    project = _project(tmp_path / "book.comic")
    try:
        first, second = project.pages()[0].panels
        assert refresh_auto_lettering(project) == 2
        stored = from_rows(project.lettering(first.id))
        assert stored and all_auto(stored)
        assert [i.kind for i in stored] == ["caption", "speech", "speech"]
        assert refresh_auto_lettering(project) == 0  # nothing changed: nothing written

        edited = [stored[0].edited(text="Hours later."), *stored[1:]]
        project.set_lettering(first.id, to_rows(edited))
        project.update_panel_script(second.id, replace(SCRIPTS[1], dialogue=[]))
        project.update_panel_script(first.id, replace(SCRIPTS[0], caption="Changed."))
        assert refresh_auto_lettering(project) == 1
        assert from_rows(project.lettering(first.id)) == edited  # a person's work is kept
        assert project.lettering(second.id) is None  # no text left: back to automatic

        project.update_panel_script(second.id, SCRIPTS[1])
        assert refresh_auto_lettering(project, [first.id]) == 0  # only the panels asked for
        assert refresh_auto_lettering(project, [second.id]) == 1
        again = from_rows(project.lettering(second.id))
        assert again is not None and [i.kind for i in again] == ["sfx", "shout"]

        project.set_lettering(second.id, [])  # a person deleted every object
        assert refresh_auto_lettering(project) == 0
        assert project.lettering(second.id) == []
    finally:
        project.close()


def test_refresh_keeps_object_ids_when_re_placing(tmp_path: Path) -> None:
    project = _project(tmp_path / "book.comic")
    try:
        panel = project.pages()[0].panels[0]
        refresh_auto_lettering(project)
        before = from_rows(project.lettering(panel.id))
        project.update_panel_script(panel.id, replace(SCRIPTS[0], caption="A much longer caption."))
        assert refresh_auto_lettering(project) == 1
        after = from_rows(project.lettering(panel.id))
        assert before and after and [i.id for i in after] == [i.id for i in before]
        assert after[0].text == "A much longer caption."
    finally:
        project.close()


def _pixels(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_book_pages_with_and_without_lettering(tmp_path: Path) -> None:
    project = _project(tmp_path / "book.comic")
    try:
        lettered, clean = ProjectBook(project), ProjectBook(project, lettered=False)
        page = project.pages()[0]
        with_text, without = _pixels(lettered.page_png(0)), _pixels(clean.page_png(0))
        assert with_text.tobytes() != without.tobytes()
        arts = [clean.art(p) for p in page.panels]
        expected = compose_page(arts, clean.frames(page), clean.size)
        assert without.tobytes() == expected.tobytes()  # clean = the plain composition
        assert clean.page_short == min(clean.size)
        assert len(clean.frames(page)) == 2

        # stored lettering wins over automatic, and an empty list letters nothing
        refresh_auto_lettering(project)
        assert _pixels(ProjectBook(project).page_png(0)).tobytes() == with_text.tobytes()
        for panel in page.panels:
            project.set_lettering(panel.id, [])
        blank = _pixels(ProjectBook(project).page_png(0))
        assert blank.tobytes() == without.tobytes()

        magenta = Lettering(kind="caption", text="Hi", x=0.0, y=0.0, w=0.5, h=0.3, fill="#ff00ff")
        project.set_lettering(page.panels[0].id, to_rows([magenta]))
        marked = _pixels(ProjectBook(project).page_png(0))
        frame = lettered.frames(page)[0]
        spot = (round(frame.x + frame.w * 0.45), round(frame.y + frame.h * 0.27))
        assert marked.getpixel(spot) == (255, 0, 255)
    finally:
        project.close()


def test_zip_package_keeps_clean_and_lettered_panels(tmp_path: Path) -> None:
    project = _project(tmp_path / "book.comic")
    try:
        out = export(ProjectBook(project), "zip", tmp_path / "book.zip")
        with zipfile.ZipFile(out) as archive:
            names = archive.namelist()
            lettered = [n for n in names if n.startswith("panels/page") and n.endswith(".png")]
            clean = [n for n in names if n.startswith("panels/clean/")]
            assert len(lettered) == len(clean) == 2
            for a, b in zip(sorted(lettered), sorted(clean), strict=True):
                assert archive.read(a) != archive.read(b)
            first_clean = _pixels(archive.read(sorted(clean)[0]))
        panel = project.pages()[0].panels[0]
        art = ProjectBook(project).art(panel)
        assert art is not None and first_clean.tobytes() == art.tobytes()  # untouched art
    finally:
        project.close()


@pytest.mark.parametrize("fmt", ["cbz", "pdf"])
def test_exports_differ_with_and_without_lettering(tmp_path: Path, fmt: str) -> None:
    project = _project(tmp_path / "book.comic")
    try:
        a = export(ProjectBook(project), fmt, tmp_path / f"a.{fmt}").read_bytes()
        b = export(ProjectBook(project, lettered=False), fmt, tmp_path / f"b.{fmt}").read_bytes()
        assert a != b
    finally:
        project.close()


async def test_a_redraw_replaces_untouched_lettering_and_keeps_edited(tmp_path) -> None:
    from studio.core.lettering import from_rows, to_rows
    from studio.core.models import Layout, Story
    from studio.jobs import JobManager, actions
    from studio.providers.local import LocalProvider
    from studio.render.book import refresh_auto_lettering
    from studio.storage import Project

    story = Story(
        prompt='Panel 1: Mia says "Hello there." Panel 2: Tom says "Hi!"', layout=Layout(1, 2)
    )
    project = Project.create(tmp_path / "r.comic", story)
    manager = JobManager(project, lambda _pid: LocalProvider())
    actions.generate(manager)
    await manager.wait()
    first, second = project.page(0).panels
    refresh_auto_lettering(project)
    assert project.lettering(first.id) is not None and project.lettering(second.id) is not None
    edited = [i.edited(text="Changed by hand") for i in from_rows(project.lettering(second.id))]
    project.set_lettering(second.id, to_rows(edited))
    for index in (0, 1):
        actions.redraw(manager, 0, index)
    await manager.wait()
    assert project.lettering(first.id) is None  # automatic: placed afresh at the next render
    assert from_rows(project.lettering(second.id)) == edited  # a person's edit stays
    project.close()


def test_forgetting_automatic_lettering_keeps_edits_and_explicit_none(tmp_path) -> None:
    from studio.core.models import Script, ScriptPage, ScriptPanel, Story
    from studio.storage import Project

    with Project.create(tmp_path / "f.comic", Story(title="F")) as project:
        project.set_script(Script([ScriptPage([ScriptPanel(t) for t in "abcd"])]))
        a, b, c, d = (p.id for p in project.page(0).panels)
        auto = Lettering(kind="speech", text="hi")
        project.set_lettering(a, to_rows([auto]))
        project.set_lettering(b, to_rows([auto, auto.edited(text="by hand")]))
        project.set_lettering(c, [])  # a person removed every object
        project.set_lettering(d, to_rows([auto]))
        assert project.forget_auto_lettering([a, b, c]) == [a]  # d is out of scope
        assert project.lettering(a) is None and project.lettering(d) is not None
        assert project.lettering(b) is not None and project.lettering(c) == []
        assert project.forget_auto_lettering() == [d]
