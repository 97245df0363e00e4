"""Cartoonicate parsing: the envelope and every parser on arbitrary JSON raise only
ProviderError; request-field helpers."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.providers.cartoonicate import parse as cp
from studio.providers.cartoonicate.client import unwrap
from studio.providers.errors import MalformedResponse, ProviderError

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=8,
)
KEYS = st.sampled_from(
    ["success", "data", "message", "cartoon", "cartoons", "id", "renders", "summary",
     "status", "preview_url", "error", "metadata", "studio_job_id", "animation", "plan",
     "max_variants", "render_ids", "total", "ready", "complete"]
)  # fmt: skip
SHAPED = st.recursive(
    JSON, lambda inner: st.dictionaries(KEYS, inner) | st.lists(inner, max_size=3), max_leaves=12
)


@settings(max_examples=60, deadline=None)
@given(st.one_of(JSON, SHAPED), st.integers(min_value=0, max_value=50) | st.none())
def test_parsers_raise_only_provider_errors(body: object, job_id: int | None) -> None:
    try:
        data = unwrap(body, "t-1")
    except ProviderError as exc:
        assert exc.trace_id == "t-1"
        data = body if isinstance(body, dict) else {}
    for parse in (cp.created_of, cp.cartoon_of, cp.animation_of, cp.max_variants):
        with contextlib.suppress(ProviderError):
            parse(data)
    cp.listed_ids(data, job_id, "tok")
    with contextlib.suppress(ProviderError):
        cp.finished(cp.cartoon_of(data))


def test_unwrap_shapes() -> None:
    assert unwrap({"success": True, "data": {"a": 1}}) == {"a": 1}
    with pytest.raises(ProviderError, match="nope"):
        unwrap({"success": False, "message": "nope", "data": None})
    with pytest.raises(MalformedResponse, match="billed"):
        unwrap({"success": True, "data": []}, billable=True)


@pytest.mark.parametrize(("asked", "sent"), [(1, 3), (3, 3), (4, 4), (5, 6), (7, 8), (20, 8)])
def test_panel_count_is_the_nearest_allowed_at_or_above(asked: int, sent: int) -> None:
    assert cp.panel_count(asked) == sent


@pytest.mark.parametrize(
    ("size", "ratio"),
    [("1024x1024", "1:1"), ("768x1024", "9:16"), ("1024x576", "16:9"), ("bad", "1:1")],
)
def test_aspect_ratio(size: str, ratio: str) -> None:
    assert cp.aspect_ratio(size) == ratio


def test_listed_ids_match_job_and_token() -> None:
    data = {
        "cartoons": [
            {"id": 1, "metadata": {"studio_job_id": 7, "studio_request": "other"}},
            {"id": 2, "metadata": {"studio_job_id": 7, "studio_request": "tok"}},
            {"id": 3, "metadata": None},
            "junk",
        ]
    }
    assert cp.listed_ids(data, 7, "tok") == [2]
    assert cp.listed_ids(data, None, "tok") == [2]
