"""Safe reading of StoryMint's book ZIP: known members only, no traversal, links or bombs."""

from __future__ import annotations

import io
import logging
import re
import stat
import zipfile
from dataclasses import dataclass, field

from studio.providers.errors import MalformedResponse

logger = logging.getLogger("studio.providers.storymint")

MAX_ZIP_BYTES = 300 * 1024 * 1024
MAX_MEMBER_BYTES = 60 * 1024 * 1024
MAX_TOTAL_BYTES = 400 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed: higher is a zip bomb
MAX_MEMBERS = 2000
_PAGE = re.compile(r"^(?:[^/]+/)?pages/page_(\d{1,4})\.(?:png|jpe?g|webp)$", re.I)
_NAMED = re.compile(r"^(?:[^/]+/)?(cover\.jpe?g|cover\.png|book\.pdf|metadata\.json)$", re.I)


@dataclass
class BookPackage:
    """The members of a book ZIP the studio uses; ``skipped`` names what was refused."""

    cover: bytes | None = None
    pdf: bytes | None = None
    metadata: bytes | None = None
    pages: dict[int, bytes] = field(default_factory=dict)  # page_num (one-based) → image
    skipped: list[str] = field(default_factory=list)


def read_package(data: bytes) -> BookPackage:
    """Read the ZIP in memory. Unsafe or oversized members are skipped, never extracted.

    Refused: absolute paths, drive letters, backslashes, ``..`` parts, symlinks, members
    over ``MAX_MEMBER_BYTES`` or with a compression ratio over ``MAX_RATIO``, and anything
    past ``MAX_TOTAL_BYTES`` in all. Sizes are enforced while reading, not only from the
    (forgeable) headers. Raises MalformedResponse when the bytes are not a ZIP.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise MalformedResponse(f"StoryMint's download is not a readable ZIP ({exc}).") from exc
    package = BookPackage()
    total = 0
    with archive:
        for info in infos[:MAX_MEMBERS]:
            name = info.filename
            if info.is_dir():
                continue
            problem = _unsafe(info)
            if problem or not (_PAGE.match(name) or _NAMED.match(name)):
                package.skipped.append(f"{name[:80]} ({problem or 'not used'})")
                continue
            content = _read_member(archive, info, MAX_TOTAL_BYTES - total)
            if content is None:
                package.skipped.append(f"{name[:80]} (too large)")
                continue
            total += len(content)
            _store(package, name, content)
    if package.skipped:
        logger.info("book ZIP: skipped %d member(s)", len(package.skipped))
    return package


def _unsafe(info: zipfile.ZipInfo) -> str:
    name = info.filename
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or re.match(r"^[A-Za-z]:", name) or "\0" in name:
        return "absolute or odd path"
    if any(part in ("..", "") for part in parts):
        return "path traversal"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symbolic link"
    if info.file_size > MAX_MEMBER_BYTES:
        return "too large"
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(1, info.compress_size):
        return "compression ratio of a zip bomb"
    return ""


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes | None:
    """The member's bytes, or None when it grows past its declared size, the cap or budget."""
    limit = min(info.file_size, MAX_MEMBER_BYTES, budget)
    if limit < info.file_size:
        return None
    try:
        with archive.open(info) as member:
            content = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
        logger.info("book ZIP: unreadable member (%s)", type(exc).__name__)
        return None
    return None if len(content) > limit else content


def _store(package: BookPackage, name: str, content: bytes) -> None:
    page = _PAGE.match(name)
    if page:
        package.pages.setdefault(int(page.group(1)), content)
        return
    base = name.rsplit("/", 1)[-1].lower()
    if base.startswith("cover"):
        package.cover = package.cover or content
    elif base == "book.pdf":
        package.pdf = content
    elif base == "metadata.json":
        package.metadata = content
