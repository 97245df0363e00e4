"""PDF export: page order, lossless images, RTL viewer preference, document info."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest
from PIL import Image

from studio.export import export_pdf, pngchunks
from studio.export.samples import sample_book, solid_image
from studio.export.source import MemorySource, PrintSetup


def _idat(png: bytes) -> bytes:
    """The concatenated IDAT payload of a PNG: what img2pdf embeds as the Flate stream."""
    position, payload = 8, b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        if png[position + 4 : position + 8] == b"IDAT":
            payload += png[position + 8 : position + 8 + length]
        position += length + 12
    return payload


def _pixels(data: bytes) -> tuple[tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size, image.convert("RGB").tobytes()


@pytest.fixture
def book() -> MemorySource:
    return sample_book(7, jpeg_pages=(2, 5))


@pytest.fixture
def pdf_path(book: MemorySource, tmp_path: Path) -> Path:
    return export_pdf(book, tmp_path / "book.pdf")


def test_pages_in_reading_order_with_the_same_pixels(book: MemorySource, pdf_path: Path) -> None:
    reader = pypdf.PdfReader(pdf_path)
    assert len(reader.pages) == book.page_count()
    for index, page in enumerate(reader.pages):
        (image,) = page.images
        expected_size, expected = _pixels(book.page_png(index))
        assert image.image.size == expected_size
        if index not in (2, 5):  # JPEG decoders may differ by a level; bytes are checked below
            assert image.image.convert("RGB").tobytes() == expected


def test_images_are_not_reencoded(book: MemorySource, pdf_path: Path) -> None:
    with pikepdf.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            image = page.Resources.XObject["/Im0"]
            raw = image.read_raw_bytes()
            data = book.page_png(index)
            if index in (2, 5):
                assert image.Filter == "/DCTDecode"
                assert raw == data  # JPEG embedded byte for byte
            else:
                assert image.Filter == "/FlateDecode"
                assert raw == _idat(data)  # PNG data re-wrapped, not re-compressed
            assert (int(image.Width), int(image.Height)) == book.page_size(index)


def test_file_is_well_formed(pdf_path: Path) -> None:
    with pikepdf.open(pdf_path) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) == 7


def test_document_info(book: MemorySource, pdf_path: Path) -> None:
    info = pypdf.PdfReader(pdf_path).metadata
    assert info is not None
    assert info.title == book.title
    assert info.author == book.writer
    assert info.creator == book.app_name


@pytest.mark.parametrize("rtl", [True, False])
def test_right_to_left_viewer_preference(tmp_path: Path, rtl: bool) -> None:
    path = export_pdf(sample_book(2, rtl=rtl), tmp_path / "book.pdf")
    root = pypdf.PdfReader(path).trailer["/Root"]
    if rtl:
        assert root["/ViewerPreferences"]["/Direction"] == "/R2L"
    else:
        assert "/ViewerPreferences" not in root


def test_progress_per_page(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export_pdf(
        sample_book(3), tmp_path / "book.pdf", lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_png_with_alpha_still_exports(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 50), (10, 20, 30, 128)).save(buffer, "PNG")
    path = export_pdf(MemorySource(pages=[buffer.getvalue()]), tmp_path / "alpha.pdf")
    assert len(pypdf.PdfReader(path).pages) == 1


def test_exif_orientation_is_still_honoured(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (1, 2, 3)).save(buffer, "PNG", exif=exif)
    plain = sample_book(1).page_png(0)
    path = export_pdf(MemorySource(pages=[buffer.getvalue(), plain]), tmp_path / "exif.pdf")
    assert [page.rotation for page in pypdf.PdfReader(path).pages] == [90, 0]


def test_png_with_many_idat_chunks(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 80).convert("RGB").save(buffer, "PNG")
    data = buffer.getvalue()
    assert data.count(b"IDAT") > 2  # Pillow splits its output in 64 KB chunks
    path = export_pdf(MemorySource(pages=[data]), tmp_path / "noise.pdf")
    with pikepdf.open(path) as pdf:
        assert pdf.pages[0].Resources.XObject["/Im0"].read_raw_bytes() == _idat(data)
    (image,) = pypdf.PdfReader(path).pages[0].images
    assert image.image.convert("RGB").tobytes() == _pixels(data)[1]


def _png(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


def _gradient(mode: str) -> Image.Image:
    base = Image.linear_gradient("L").resize((64, 48))
    if mode == "RGB":
        return Image.merge("RGB", (base, base.transpose(Image.Transpose.ROTATE_180), base))
    if mode == "P":
        return base.convert("RGB").quantize(16)
    return base.convert(mode)


@pytest.mark.parametrize("mode", ["RGB", "L", "P", "1", "I;16"])
def test_png_kinds_embedded_as_they_are(tmp_path: Path, mode: str) -> None:
    data = _png(_gradient(mode))
    path = export_pdf(MemorySource(pages=[data]), tmp_path / f"{mode}.pdf")
    with pikepdf.open(path) as pdf:
        image = pdf.pages[0].Resources.XObject["/Im0"]
        assert image.read_raw_bytes() == _idat(data)
        decoded = pikepdf.PdfImage(image).as_pil_image()
        with Image.open(io.BytesIO(data)) as original:
            assert decoded.size == original.size
            if mode in ("RGB", "L", "P"):
                assert decoded.convert("RGB").tobytes() == original.convert("RGB").tobytes()


@pytest.mark.parametrize(
    "kind", ["alpha", "transparent-palette", "exif", "icc-palette", "jpeg", "interlaced"]
)
def test_other_images_take_img2pdf_own_path(tmp_path: Path, kind: str) -> None:
    image = _gradient("RGB")
    match kind:
        case "alpha":
            data = _png(image.convert("RGBA"))
        case "transparent-palette":
            data = _png(_gradient("P"), transparency=0)
        case "exif":
            exif = Image.Exif()
            exif[0x0112] = 1
            data = _png(image, exif=exif)
        case "icc-palette":
            data = _png(_gradient("P"), icc_profile=b"not a real profile")
        case "jpeg":
            data = solid_image((10, 200, 30), (64, 48), "JPEG")
        case "interlaced":
            plain = bytearray(_png(image))
            plain[28] = 1  # only the flag: this path must not rely on the pixel data
            data = bytes(plain)
    assert pngchunks.split_pixels(data) is None
    if kind in ("interlaced", "icc-palette"):
        return  # img2pdf rejects these (broken on purpose); the split is what matters here
    path = export_pdf(MemorySource(pages=[data]), tmp_path / f"{kind}.pdf")
    (page,) = pypdf.PdfReader(path).pages
    assert page.images[0].image.size == (64, 48)


def _page_image(size: tuple[int, int]) -> Image.Image:
    """A white page with a red band along its left edge and a black one along the top."""
    image = Image.new("RGB", size, (255, 255, 255))
    image.paste((220, 20, 20), (0, 0, 12, size[1]))
    image.paste((0, 0, 0), (12, 0, size[0], 8))
    return image


def test_print_bleed_sets_trim_and_bleed_boxes(tmp_path: Path) -> None:
    width, height, bleed, dpi = 265, 410, 25, 40.0  # 6.625 × 10.25 in, 0.625 in bleed
    source = MemorySource(
        pages=[_png(_page_image((width, height)))] * 2,
        print_setup=PrintSetup(dpi=dpi, bleed=bleed),
    )
    path = export_pdf(source, tmp_path / "print.pdf")
    points = 72.0 / dpi
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []
        for page in pdf.pages:
            media = [float(v) for v in page.MediaBox]
            trim = [float(v) for v in page.TrimBox]
            assert media == pytest.approx(
                [0, 0, (width + 2 * bleed) * points, (height + 2 * bleed) * points]
            )
            assert [float(v) for v in page.BleedBox] == pytest.approx(media)
            assert trim == pytest.approx(
                [
                    bleed * points,
                    bleed * points,
                    (width + bleed) * points,
                    (height + bleed) * points,
                ]
            )
            assert (trim[2] - trim[0]) / 72 == pytest.approx(6.625)
            assert (trim[3] - trim[1]) / 72 == pytest.approx(10.25)
            image = pikepdf.PdfImage(page.Resources.XObject["/Im0"]).as_pil_image().convert("RGB")
            assert image.size == (width + 2 * bleed, height + 2 * bleed)
            inside = image.crop((bleed, bleed, bleed + width, bleed + height))
            assert inside.tobytes() == _page_image((width, height)).tobytes()
            # the edges are mirrored outwards: the red and black bands go on past the trim
            assert image.getpixel((bleed - 3, height // 2)) == (220, 20, 20)
            assert image.getpixel((width // 2, bleed - 3)) == (0, 0, 0)
            assert image.getpixel((width + bleed + 3, height // 2)) == (255, 255, 255)


def test_without_a_print_setup_a_page_is_its_image_at_its_own_dpi(tmp_path: Path) -> None:
    pages = [_png(_page_image((60, 90)))]
    plain = export_pdf(MemorySource(pages=pages), tmp_path / "plain.pdf")
    with pikepdf.open(plain) as pdf:
        page = pdf.pages[0]
        assert "/TrimBox" not in page and "/BleedBox" not in page
        assert [float(v) for v in page.MediaBox] == pytest.approx([0, 0, 45, 67.5])  # 96 dpi


def test_a_print_setup_without_bleed_still_sizes_the_page(tmp_path: Path) -> None:
    pages = [_png(_page_image((60, 90)))]
    source = MemorySource(pages=pages, print_setup=PrintSetup(dpi=200, bleed=0))
    with pikepdf.open(export_pdf(source, tmp_path / "z.pdf")) as pdf:
        page = pdf.pages[0]
        trim = [0, 0, 60 * 72 / 200, 90 * 72 / 200]
        for box in (page.MediaBox, page.TrimBox, page.BleedBox):
            assert [float(v) for v in box] == pytest.approx(trim, abs=0.01)
        assert page.Resources.XObject["/Im0"].read_raw_bytes() == _idat(pages[0])


TRIM_PT = {
    "comic": (477.0, 738.0),  # 6.625 × 10.25 in
    "a4": (595.28, 841.89),  # 210 × 297 mm
    "square": (720.0, 720.0),  # 10 × 10 in (1600 px at the nominal 160 dpi)
    "webtoon": (360.0, 1152.0),  # 5 × 16 in (800 × 2560 px at 160 dpi)
}


@pytest.mark.parametrize("bleed", [0.0, 0.125])
@pytest.mark.parametrize("size", sorted(TRIM_PT))
def test_pdf_pages_measure_the_book_format(tmp_path: Path, size: str, bleed: float) -> None:
    """A project's PDF pages are the trim size on paper, plus the bleed where there is one."""
    from studio.core.models import BookFormat, Script, ScriptPage, ScriptPanel, Story
    from studio.render.book import ProjectBook
    from studio.storage import Project

    fmt = BookFormat(page_size=size, bleed=bleed)
    with Project.create(tmp_path / "b.comic", Story(title="T", book_format=fmt)) as project:
        project.set_script(Script([ScriptPage([ScriptPanel("a")]), ScriptPage([ScriptPanel("b")])]))
        path = export_pdf(ProjectBook(project), tmp_path / "b.pdf")
    width, height = TRIM_PT[size]
    b = bleed * 72
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            media = [float(v) for v in page.MediaBox]
            assert media == pytest.approx([0, 0, width + 2 * b, height + 2 * b], abs=0.01)
            assert [float(v) for v in page.BleedBox] == pytest.approx(media, abs=0.01)
            trim = [float(v) for v in page.TrimBox]
            assert trim == pytest.approx([b, b, b + width, b + height], abs=0.01)


def test_cbz_and_png_pages_never_carry_the_bleed(tmp_path: Path) -> None:
    from studio.export import export_cbz, export_png

    page = _png(_page_image((60, 90)))
    source = MemorySource(pages=[page], print_setup=PrintSetup(dpi=200, bleed=25))
    (png_file,) = export_png(source, tmp_path / "pngs")
    assert _pixels(png_file.read_bytes()) == _pixels(page)
    assert _idat(png_file.read_bytes()) == _idat(page)
    with zipfile.ZipFile(export_cbz(source, tmp_path / "b.cbz")) as archive:
        assert archive.read("0001.png") == png_file.read_bytes()
