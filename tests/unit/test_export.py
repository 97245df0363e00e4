"""Export entry point: formats, PNG pages, ZIP package, atomic writes and errors."""

from __future__ import annotations

import errno
import io
import json
import zipfile
from pathlib import Path

import pypdf
import pytest

from studio.export import FORMATS, ExportError, export
from studio.export.png import page_file_name
from studio.export.samples import sample_book
from studio.export.source import ExportSource, MemorySource


class FailingSource(MemorySource):
    """A book whose page `fail_at` cannot be read."""

    fail_at: int = 2

    def page_png(self, index: int) -> bytes:
        if index == self.fail_at:
            raise RuntimeError("render failed")
        return super().page_png(index)


def _failing_book() -> FailingSource:
    book = sample_book(4)
    return FailingSource(pages=book.pages, title=book.title, has_cover=True)


def _target(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / ("pages" if fmt == "png" else f"book.{fmt}")


def test_memory_source_is_an_export_source() -> None:
    assert isinstance(sample_book(1), ExportSource)


def test_png_pages_are_numbered_and_unchanged(tmp_path: Path) -> None:
    book = sample_book(4, jpeg_pages=(1,))
    out = export(book, "png", tmp_path / "pages")
    names = sorted(path.name for path in out.iterdir())
    assert names == ["page_001.png", "page_002.jpg", "page_003.png", "page_004.png"]
    for index, name in enumerate(names):
        assert (out / name).read_bytes() == book.page_png(index)


def test_png_names_widen_for_big_books() -> None:
    assert page_file_name(7, 999) == "page_007.png"
    assert page_file_name(7, 1000) == "page_0007.png"


def test_png_into_empty_folder_but_not_a_full_one(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert len(list(export(sample_book(2), "png", tmp_path / "empty").iterdir())) == 2
    with pytest.raises(ExportError, match="not empty"):
        export(sample_book(2), "png", tmp_path / "empty")


def test_zip_package_contents(tmp_path: Path) -> None:
    book = sample_book(3, panels_per_page=2)
    with zipfile.ZipFile(export(book, "zip", tmp_path / "book.zip")) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[:2] == ["cover.png", "book.pdf"]
        assert names[-1] == "metadata.json"
        assert [n for n in names if n.startswith("pages/")] == [
            "pages/page_01.png",
            "pages/page_02.png",
            "pages/page_03.png",
        ]
        assert "panels/page_02_panel_01.png" in names
        assert "panels/clean/page_03_panel_02.png" in names
        assert len([n for n in names if n.startswith("panels/")]) == 3 * 2 * 2
        assert archive.read("panels/page_01_panel_02.png") == book.panel_pngs(0, lettered=True)[1]
        assert (
            archive.read("panels/clean/page_01_panel_01.png")
            == book.panel_pngs(0, lettered=False)[0]
        )
        assert archive.read("cover.png") == book.cover_png()
        with archive.open("book.pdf") as pdf:
            assert len(pypdf.PdfReader(pdf).pages) == 3
        metadata = json.loads(archive.read("metadata.json"))
    assert metadata["story"]["title"] == book.title
    assert metadata["script"] == [{"page": 1, "text": "Waves."}]
    assert metadata["export"]["app"] == "Comic Studio 0.1.0"
    assert metadata["export"]["exported_at"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_progress_reaches_the_total(tmp_path: Path, fmt: str) -> None:
    calls: list[tuple[int, int]] = []
    export(sample_book(3), fmt, _target(tmp_path, fmt), lambda d, t: calls.append((d, t)))
    total = 6 if fmt == "zip" else 3
    assert calls == [(done, total) for done in range(1, total + 1)]


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Unknown export format 'epub'"):
        export(sample_book(1), "epub", tmp_path / "book.epub")


def test_format_name_is_case_insensitive(tmp_path: Path) -> None:
    assert export(sample_book(1), "CBZ", tmp_path / "book.cbz").is_file()


@pytest.mark.parametrize("fmt", FORMATS)
def test_failed_export_leaves_nothing(tmp_path: Path, fmt: str) -> None:
    with pytest.raises(RuntimeError, match="render failed"):
        export(_failing_book(), fmt, _target(tmp_path, fmt))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["pdf", "cbz", "zip"])
def test_failed_export_keeps_the_previous_file(tmp_path: Path, fmt: str) -> None:
    target = _target(tmp_path, fmt)
    target.write_bytes(b"previous export")
    with pytest.raises(RuntimeError):
        export(_failing_book(), fmt, target)
    assert target.read_bytes() == b"previous export"
    assert list(tmp_path.iterdir()) == [target]


def test_cancel_from_progress_leaves_nothing(tmp_path: Path) -> None:
    def cancel(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export(sample_book(4), "cbz", tmp_path / "book.cbz", cancel)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist") as caught:
        export(sample_book(1), "pdf", tmp_path / "nowhere" / "book.pdf")
    assert str(tmp_path / "nowhere") in str(caught.value)


@pytest.mark.parametrize(
    ("code", "message"),
    [(errno.ENOSPC, "Not enough disk space"), (errno.EACCES, "No permission to write")],
)
def test_os_errors_become_export_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, message: str
) -> None:
    def broken_writestr(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, "simulated")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken_writestr)
    with pytest.raises(ExportError, match=message) as caught:
        export(sample_book(2), "cbz", tmp_path / "book.cbz")
    assert str(tmp_path) in str(caught.value)
    assert isinstance(caught.value.__cause__, OSError)
    assert list(tmp_path.iterdir()) == []


def test_empty_book(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no pages"):
        export(MemorySource(pages=[]), "pdf", tmp_path / "book.pdf")


def test_unembeddable_page_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="Page 1"):
        export(MemorySource(pages=[b"not an image"]), "pdf", tmp_path / "book.pdf")
    assert list(tmp_path.iterdir()) == []


PHYS_STEP = 0.0127
"""pHYs counts whole pixels per metre: a dpi is kept to ±0.5 px/m (150 dpi reads 150.012)."""


def _dpi(data: bytes) -> tuple[float, float] | None:
    from studio.export import pngchunks

    for kind, start, end in pngchunks.chunks(data):
        if kind == b"pHYs":
            body = data[start + 8 : end - 4]
            assert body[8] == 1  # unit: metre
            x, y = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            return x * 0.0254, y * 0.0254
    return None


@pytest.mark.parametrize("dpi", [200.0, 150.0, 160.0])
def test_png_pages_carry_their_dpi_in_every_export(tmp_path: Path, dpi: float) -> None:
    """PNG, CBZ and ZIP pages say their print resolution (pHYs); pixels stay the same."""
    from PIL import Image

    from studio.export.source import PrintSetup

    book = sample_book(3, jpeg_pages=(1,))
    book.print_setup = PrintSetup(dpi=dpi, bleed=12)
    pngs = sorted(export(book, "png", tmp_path / "pages").iterdir())
    with zipfile.ZipFile(export(book, "cbz", tmp_path / "b.cbz")) as cbz:
        cbz_pages = [cbz.read(n) for n in cbz.namelist() if n != "ComicInfo.xml"]
    with zipfile.ZipFile(export(book, "zip", tmp_path / "b.zip")) as package:
        names = sorted(n for n in package.namelist() if n.startswith("pages/"))
        zip_pages = [package.read(n) for n in names]
        cover = package.read("cover.png")
    for pages in ([p.read_bytes() for p in pngs], cbz_pages, zip_pages):
        assert len(pages) == 3
        for index, data in enumerate(pages):
            original = book.page_png(index)
            if index == 1:
                assert data == original  # JPEG: bytes as they came
                continue
            assert _dpi(data) == pytest.approx((dpi, dpi), abs=PHYS_STEP)
            with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(original)) as b:
                assert a.size == b.size and a.tobytes() == b.tobytes()  # no bleed, same pixels
    assert _dpi(cover) == pytest.approx((dpi, dpi), abs=PHYS_STEP)


def test_a_project_book_exports_pages_at_its_print_dpi(tmp_path: Path) -> None:
    from studio.core.models import BookFormat, Script, ScriptPage, ScriptPanel, Story
    from studio.render.book import ProjectBook
    from studio.storage import Project

    story = Story(title="T", book_format=BookFormat(page_size="a4"))
    with Project.create(tmp_path / "b.comic", story) as project:
        project.set_script(Script([ScriptPage([ScriptPanel("a")])]))
        (page,) = export(ProjectBook(project), "png", tmp_path / "pages").iterdir()
    assert _dpi(page.read_bytes()) == pytest.approx((150, 150), abs=PHYS_STEP)
