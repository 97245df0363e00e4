"""StoryMint ZIP safety (traversal, absolute paths, symlinks, bombs) and parser robustness."""

from __future__ import annotations

import contextlib
import io
import json
import stat
import zipfile
from collections.abc import AsyncIterator

import pytest
from fake_base import make_png
from fake_storymint import FakeStoryMint, book_request, fast_storymint
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.providers.errors import MalformedResponse, ProviderError
from studio.providers.storymint import parse as sp
from studio.providers.storymint.archive import read_package


def _zip(*members: tuple[zipfile.ZipInfo | str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, data)
    return buffer.getvalue()


def _symlink(name: str, target: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


def test_safe_members_are_read() -> None:
    package = read_package(
        _zip(("book/cover.jpg", b"C"), ("book.pdf", b"%PDF"), ("pages/page_01.png", b"P1"))
    )
    assert (package.cover, package.pdf, package.pages) == (b"C", b"%PDF", {1: b"P1"})
    assert package.skipped == []


@pytest.mark.parametrize(
    "member",
    [
        ("../pages/page_01.png", b"evil"),
        ("pages/../../page_01.png", b"evil"),
        ("/pages/page_01.png", b"evil"),
        ("C:/pages/page_01.png", b"evil"),
        ("pages\\page_01.png", b"evil"),
        _symlink("pages/page_01.png", b"/etc/passwd"),
        ("pages/page_01.png", b"\0" * (3 * 1024 * 1024)),  # ratio far above 100
    ],
)
def test_unsafe_members_are_skipped(member: tuple[zipfile.ZipInfo | str, bytes]) -> None:
    package = read_package(_zip(member, ("book.pdf", b"%PDF")))
    assert package.pages == {} and package.pdf == b"%PDF"
    assert len(package.skipped) == 1


def test_lying_size_header_is_caught_while_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    from studio.providers.storymint import archive as storymint_zip

    monkeypatch.setattr(storymint_zip, "MAX_MEMBER_BYTES", 1000)
    package = read_package(_zip(("pages/page_01.png", b"x" * 5000)))
    assert package.pages == {}


def test_not_a_zip_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        read_package(b"<html>ngrok error</html>")


@pytest.fixture
async def fake() -> AsyncIterator[FakeStoryMint]:
    server = await FakeStoryMint().start()
    yield server
    await server.close()


async def test_book_with_a_hostile_zip_still_uses_the_safe_members(fake: FakeStoryMint) -> None:
    fake.zip_extra = [("../../evil.sh", b"rm -rf /"), _symlink("pages/page_09.png", b"/etc")]
    fake.expire_assets(forever=True)
    provider = fast_storymint(fake.url)
    try:
        request = book_request(pages=1)
        submission = await provider.submit(request)
        result = await provider.wait(submission, request, lambda _p: None)
    finally:
        await provider.aclose()
    assert [p.data for p in result.panels] == [make_png("zip-page1")]
    assert "2 unsafe or unused ZIP member(s) ignored" in result.message


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=8,
)
KEYS = st.sampled_from(
    ["job_id", "status", "step", "msg", "pct", "pages", "page_num", "text", "image_url",
     "cover_url", "title", "assistant_message", "tier", "can_download"]
)  # fmt: skip
SHAPED = st.dictionaries(KEYS, JSON | st.lists(st.dictionaries(KEYS, JSON), max_size=3))


@settings(max_examples=60, deadline=None)
@given(st.one_of(JSON, SHAPED))
def test_parsers_raise_only_provider_errors(data: object) -> None:
    for parse in (sp.job_id_of, sp.step_of, sp.book_of, sp.chat_of, sp.ping_of, sp.pages_of):
        with contextlib.suppress(ProviderError):
            parse(data)
    sp.event_of(json.dumps(data))  # never raises: non-objects are skipped
