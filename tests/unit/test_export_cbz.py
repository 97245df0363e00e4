"""CBZ export: archive layout and ComicInfo.xml (schema v2.0 order and values)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.export import export_cbz
from studio.export.cbz import cbz_page_name, comic_info_xml
from studio.export.samples import sample_book
from studio.export.source import MemorySource

# The xs:sequence of anansi-project ComicInfo.xsd v2.0 (schema/v2.0/ComicInfo.xsd in
# github.com/anansi-project/comicinfo), copied here on purpose. The v2.1 draft adds
# Translator, Tags, StoryArcNumber, MainCharacterOrTeam, Review and GTIN in between; the
# exporter writes none of them, so its output is in order for both.
SCHEMA_ORDER = [
    "Title", "Series", "Number", "Count", "Volume", "AlternateSeries", "AlternateNumber",
    "AlternateCount", "Summary", "Notes", "Year", "Month", "Day", "Writer", "Penciller", "Inker",
    "Colorist", "Letterer", "CoverArtist", "Editor", "Publisher", "Imprint", "Genre", "Web",
    "PageCount", "LanguageISO", "Format", "BlackAndWhite", "Manga", "Characters", "Teams",
    "Locations", "ScanInformation", "StoryArc", "SeriesGroup", "AgeRating", "Pages",
    "CommunityRating",
]  # fmt: skip


def _info(archive: zipfile.ZipFile) -> ET.Element:
    return ET.fromstring(archive.read("ComicInfo.xml"))


@pytest.fixture
def book() -> MemorySource:
    return sample_book(5, rtl=True, has_cover=True, jpeg_pages=(3,))


@pytest.fixture
def archive(book: MemorySource, tmp_path: Path) -> Iterator[zipfile.ZipFile]:
    with zipfile.ZipFile(export_cbz(book, tmp_path / "book.cbz")) as archive:
        yield archive


def test_archive_layout(book: MemorySource, archive: zipfile.ZipFile) -> None:
    assert archive.testzip() is None
    expected = ["ComicInfo.xml", "0001.png", "0002.png", "0003.png", "0004.jpg", "0005.png"]
    assert archive.namelist() == expected
    for index, name in enumerate(expected[1:]):
        assert archive.read(name) == book.page_png(index)
        assert archive.getinfo(name).compress_type == zipfile.ZIP_STORED


def test_comic_info_elements_in_schema_order(archive: zipfile.ZipFile) -> None:
    tags = [child.tag for child in _info(archive)]
    assert tags == sorted(tags, key=SCHEMA_ORDER.index)
    assert {"Title", "Summary", "Notes", "Writer", "LanguageISO", "Manga", "PageCount"} <= set(tags)


def test_comic_info_values(book: MemorySource, archive: zipfile.ZipFile) -> None:
    raw = archive.read("ComicInfo.xml")
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' in raw
    info = _info(archive)
    assert info.findtext("Title") == "The Lighthouse & the <Storm>"
    assert info.findtext("Summary") == book.summary
    assert info.findtext("Writer") == "Ana Łukasz"
    assert "Comic Studio 0.1.0" in (info.findtext("Notes") or "")
    assert info.findtext("PageCount") == "5"
    assert info.findtext("LanguageISO") == "ja"
    assert info.findtext("Manga") == "YesAndRightToLeft"
    assert info.findtext("Characters") == "Mira, Old Tom"
    assert info.findtext("Locations") == "Lighthouse, Harbour"


def test_pages_element(book: MemorySource, archive: zipfile.ZipFile) -> None:
    pages = _info(archive).findall("Pages/Page")
    assert [page.get("Image") for page in pages] == ["0", "1", "2", "3", "4"]
    assert [page.get("Type") for page in pages] == ["FrontCover"] + ["Story"] * 4
    for index, page in enumerate(pages):
        width, height = book.page_size(index)
        assert (page.get("ImageWidth"), page.get("ImageHeight")) == (str(width), str(height))


def test_left_to_right_book_without_cover() -> None:
    info = ET.fromstring(comic_info_xml(sample_book(2, rtl=False, has_cover=False)))
    assert info.findtext("Manga") == "No"
    assert [page.get("Type") for page in info.findall("Pages/Page")] == ["Story", "Story"]


def test_page_names_widen_for_big_books() -> None:
    assert cbz_page_name(7, 200) == "0007.png"
    assert cbz_page_name(7, 12000) == "00007.png"


@settings(max_examples=60, deadline=None)
@given(title=st.text(), characters=st.lists(st.text(min_size=1), max_size=3))
def test_any_text_gives_well_formed_xml(title: str, characters: list[str]) -> None:
    book = MemorySource(pages=[], title=title, characters=characters)
    info = ET.fromstring(comic_info_xml(book))
    assert info.findtext("PageCount") == "0"
    if title.isprintable():
        assert (info.findtext("Title") or "") == title


def test_a_project_cbz_names_writer_cast_places_and_its_cover(tmp_path: Path) -> None:
    """ComicInfo of a real project: the story's author, cast, locations, page 1 the cover."""
    from studio.core.models import Character, Location, Script, ScriptPage, ScriptPanel, Story
    from studio.render.book import ProjectBook
    from studio.storage import Project

    story = Story(title="Leo", author="Ana Łukasz")
    with Project.create(tmp_path / "b.comic", story) as project:
        project.set_script(Script([ScriptPage([ScriptPanel("a")]), ScriptPage([ScriptPanel("b")])]))
        project.set_characters([Character("Leo"), Character("Mia")])
        project.set_locations([Location("Attic"), Location("Beach")])
        path = export_cbz(ProjectBook(project), tmp_path / "b.cbz")
    with zipfile.ZipFile(path) as archive:
        info = _info(archive)
    tags = [child.tag for child in info]
    assert all(tag in SCHEMA_ORDER for tag in tags)
    assert tags == sorted(tags, key=SCHEMA_ORDER.index)
    assert info.findtext("Writer") == "Ana Łukasz"
    assert info.findtext("Characters") == "Leo, Mia"
    assert info.findtext("Locations") == "Attic, Beach"
    pages = info.findall("Pages/Page")
    assert [page.get("Type") for page in pages] == ["FrontCover", "Story"]
    assert {(page.get("ImageWidth"), page.get("ImageHeight")) for page in pages} == {
        ("1325", "2050")
    }
