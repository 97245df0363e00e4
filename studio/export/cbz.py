"""Export a CBZ: stored page images plus `ComicInfo.xml` (anansi-project schema v2.0)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from studio.export.common import (
    digits,
    image_extension,
    page_dpi,
    page_image,
    report,
    write_entry,
)
from studio.export.source import ExportSource, Progress

COMICINFO_ORDER: tuple[str, ...] = (
    "Title", "Series", "Number", "Count", "Volume", "AlternateSeries", "AlternateNumber",
    "AlternateCount", "Summary", "Notes", "Year", "Month", "Day", "Writer", "Penciller",
    "Inker", "Colorist", "Letterer", "CoverArtist", "Editor", "Publisher", "Imprint", "Genre",
    "Web", "PageCount", "LanguageISO", "Format", "BlackAndWhite", "Manga", "Characters",
    "Teams", "Locations", "ScanInformation", "StoryArc", "SeriesGroup", "AgeRating", "Pages",
    "CommunityRating",
)  # fmt: skip
"""The `xs:sequence` of ComicInfo v2.0: readers validating the file expect this order."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold at all, even escaped (control characters, lone surrogates)."""

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XSD = "http://www.w3.org/2001/XMLSchema"


def cbz_page_name(number: int, count: int, extension: str = ".png") -> str:
    """`0001.png` for the first page; names sort in reading order."""
    return f"{number:0{digits(count, 4)}d}{extension}"


def comic_info_xml(source: ExportSource) -> bytes:
    """ComicInfo.xml for the book, elements in schema order, UTF-8 with an XML declaration."""
    count = source.page_count()
    values: dict[str, str] = {
        "Title": source.title,
        "Summary": source.summary,
        "Notes": f"Made with {source.app_name}.",
        "Writer": source.writer,
        "PageCount": str(count),
        "LanguageISO": source.language,
        "Manga": "YesAndRightToLeft" if source.rtl else "No",
        "Characters": ", ".join(source.characters),
        "Locations": ", ".join(source.locations),
    }
    root = ET.Element("ComicInfo", {"xmlns:xsi": _XSI, "xmlns:xsd": _XSD})
    for name in COMICINFO_ORDER:
        if name == "Pages":
            root.append(_pages_element(source, count))
        elif values.get(name):
            ET.SubElement(root, name).text = _NOT_XML.sub("", values[name])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _pages_element(source: ExportSource, count: int) -> ET.Element:
    pages = ET.Element("Pages")
    for index in range(count):
        width, height = source.page_size(index)
        kind = "FrontCover" if index == 0 and source.has_cover else "Story"
        attributes = {"Image": str(index), "Type": kind}
        attributes |= {"ImageWidth": str(width), "ImageHeight": str(height)}
        ET.SubElement(pages, "Page", attributes)
    return pages


def export_cbz(source: ExportSource, out_path: Path, progress: Progress | None = None) -> Path:
    """Write the CBZ to `out_path`, adding each page to the archive as soon as it is read."""
    count = source.page_count()
    with zipfile.ZipFile(out_path, "w") as archive:
        write_entry(archive, "ComicInfo.xml", comic_info_xml(source), compress=True)
        dpi = page_dpi(source)
        for index in range(count):
            data = page_image(source, index, dpi)
            name = cbz_page_name(index + 1, count, image_extension(data))
            write_entry(archive, name, data, compress=False)
            report(progress, index + 1, count)
    return out_path
