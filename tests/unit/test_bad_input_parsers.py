"""Every provider's response parser on arbitrary JSON and on mutated real answers.

The rule: a parser returns a sane result (bounded strings, finite numbers, URLs that
``httpx`` can request) or raises a :class:`ProviderError` with a message. Nothing else.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.providers.animus import parse as ap
from studio.providers.cartoonicate import parse as cp
from studio.providers.depicta import parse as dp
from studio.providers.errors import ProviderError
from studio.providers.llamagen import parse as lp
from studio.providers.storymint import parse as sp

MB = 1_000_000
MAX_TEXT = 20_000  # the longest text any parser hands on (a StoryMint page's text)
MAX_ID = 200
BASE = httpx.URL("https://api.example.test/v1/")

# ---------------------------------------------------------------- real answers
# Shapes as the providers document them (shared/providers/CONTRACTS.md) and the fakes serve.
LLAMAGEN = [
    {"id": "gen_1", "status": "PROCESSING", "usage": {"amount": 450}},
    {
        "id": "gen_1",
        "status": "PROCESSED",
        "comics": [
            {
                "page": 0,
                "panels": [
                    {"panel": 0, "caption": "Night.", "assetUrl": "https://cdn.test/a.png?s=1"},
                    {"panel": 1, "caption": "", "imageUrl": "/files/b.png"},
                ],
            }
        ],
    },
    {"artwork": {"id": "gen_2", "status": "PROCESSED", "output": ["https://cdn.test/o.png"]}},
    {"id": "gen_3", "comicData": json.dumps([{"page": 0, "assetUrl": "https://cdn.test/c.png"}])},
    {"id": "gen_4", "status": "FAILED", "error": {"message": "nsfw"}},
    {"data": {"url": "https://cdn.test/upload.png"}},
    {"status": "PROCESSED", "panel": {"page": 0, "panel": 1, "assetUrl": "https://cdn.test/p"}},
    {"id": "gen_5", "comics": [{"videoUrl": "https://cdn.test/v.mp4"}]},
]
STORYMINT = [
    {"job_id": "job-1", "status": "running"},
    {"status": "running", "step": "drawing", "msg": "page 2", "pct": 40},
    {"status": "done", "pct": 100, "can_download": True},
    {"status": "error", "msg": "out of ideas"},
    {
        "title": "Leo",
        "cover_url": "https://sm.test/cover.png",
        "can_download": True,
        "pages": [
            {"page_num": 1, "text": "Once.", "image_url": "https://sm.test/p1.png"},
            {"page_num": "2", "text": "Twice.", "image": "/img/p2.png"},
        ],
    },
    {"assistant_message": "Done.", "pages": [{"page_num": 1, "image_url": "/p1.png"}]},
    {"status": "ok", "tier": "free", "books_this_month": 2, "books_limit": 5},
]
ANIMUS = [
    {"batch_id": "b-1", "generation_ids": ["g-1", "g-2"], "group_id": "grp"},
    {"generation_id": "g-1", "status": "completed", "result_urls": ["https://an.test/1.png"]},
    {"id": "g-2", "status": "failed", "error": {"message": "face not found"}, "progress": 100},
    {"generations": [{"id": "g-1", "status": "processing", "progress": 50}], "completed": 1,
     "total": 2},
    {"groups": [{"group_id": "grp", "title": "Leo", "generation_count": 2}]},
]  # fmt: skip
DEPICTA = [
    {"job_id": "job-9", "status": "queued"},
    {
        "job_id": "job-9",
        "status": "completed",
        "scenes_completed": 2,
        "scenes_total": 2,
        "result": {
            "scenes": [
                {"image_url": "https://dp.test/s1.png"},
                {"images": {"webp": "https://dp.test/s2.webp"}},
                {"formats": {"png": {"url": "/s3.png"}}},
            ],
            "characters": [{"name": "Leo", "reference_url": "https://dp.test/leo.png"}],
            "cost_eur": "0.40",
        },
    },
    {"status": "failed", "error": {"code": "content_policy", "message": "no"}},
    {"models": [{"id": "story-1", "supports_multiturn": True, "can_generate": True}]},
    {"user": {"balance_eur": "12.50", "held_eur": "0.40"}},
    {"generations": [{"job_id": "job-9", "status": "completed", "created_at": "2026-01-01"}]},
    {"upload_url": "https://dp.test/up.png"},
]
CARTOONICATE = [
    {"cartoon": {"id": 7, "render_ids": [1, 2], "status": "queued"}},
    {
        "cartoon": {
            "id": 7,
            "status": "rendering",
            "renders": [
                {"id": 1, "status": "ready", "preview_url": "https://ct.test/1.png"},
                {"id": 2, "status": "failed", "error": "blocked"},
            ],
            "summary": {"total": 2, "ready": 1, "complete": False},
        }
    },
    {"cartoons": [{"id": 7, "metadata": {"studio_job_id": 3, "studio_request": "tok"}}]},
    {"animation": {"id": 4, "status": "ready", "preview_url": "https://ct.test/a.mp4"}},
    {"plan": {"max_variants": 4}},
]


def _llamagen(data: Any) -> list[Any]:
    return [
        lp.generation_id(data),
        lp.credits_of(data),
        lp.status_of(data),
        lp.error_message_of(data),
        lp.upload_url_of(data),
        lp.pages_of(data),
        lp.video_url_of(data),
        lp.single_panel_url(data, 0, 1),
    ]


def _storymint(data: Any) -> list[Any]:
    out: list[Any] = [sp.pages_of(data)]
    for parse in (sp.job_id_of, sp.step_of, sp.book_of, sp.chat_of, sp.ping_of):
        out.append(_guarded(parse, data))
    try:
        text = json.dumps(data)
    except (ValueError, RecursionError):
        text = "{"
    out.append(sp.event_of(text))
    return out


def _animus(data: Any) -> list[Any]:
    return [
        ap.submitted_id(data),
        ap.text(data, "id"),
        ap.number(data, "progress", "total"),
        ap.generation_ids(data),
        ap.generation_of(data),
        ap.generations_of(data),
        ap.error_of(data),
        ap.progress_of(data),
        ap.counts(data),
        ap.groups_of(data),
    ]


def _depicta(data: Any) -> list[Any]:
    return [
        dp.job_id_of(data),
        dp.story_state(data),
        dp.image_url_of(data),
        dp.sync_url_of(data),
        dp.references_of(data, "characters"),
        dp.error_fields(data.get("error") if isinstance(data, Mapping) else data),
        dp.euros(data),
        dp.cost_of(data),
        dp.story_model(data),
        dp.profile_of(data),
        dp.jobs_of(data),
        dp.upload_url_of(data),
    ]


def _cartoonicate(data: Any) -> list[Any]:
    out: list[Any] = [cp.listed_ids(data, 3, "tok"), cp.listed_ids(data, None, "tok")]
    for parse in (cp.created_of, cp.animation_of, cp.max_variants):
        out.append(_guarded(parse, data))
    cartoon = _guarded(cp.cartoon_of, data)
    out += [cartoon, cp.finished(cartoon) if isinstance(cartoon, cp.Cartoon) else None]
    return out


PARSERS: dict[str, tuple[Callable[[Any], list[Any]], list[Any]]] = {
    "llamagen": (_llamagen, LLAMAGEN),
    "storymint": (_storymint, STORYMINT),
    "animus": (_animus, ANIMUS),
    "depicta": (_depicta, DEPICTA),
    "cartoonicate": (_cartoonicate, CARTOONICATE),
}


def _guarded(parse: Callable[[Any], Any], data: Any) -> Any:
    """The parser's result, or the ProviderError it raised (which must carry a message)."""
    try:
        return parse(data)
    except ProviderError as exc:
        assert exc.message.strip() and exc.user_message().strip()
        return None


# --------------------------------------------------------------- the judgement
URL_FIELDS = {"url", "image_url", "cover_url", "scene_urls", "urls"}


def assert_sane(value: Any, *, field: str = "", depth: int = 0) -> None:
    """Bounded strings, finite numbers, requestable URLs, no raw JSON objects left over."""
    assert depth < 12, "result nests too deep"
    if isinstance(value, ProviderError):
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            assert_sane(getattr(value, f.name), field=f.name, depth=depth + 1)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            assert_sane(key, depth=depth + 1)
            assert_sane(item, field=field, depth=depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            assert_sane(item, field=field, depth=depth + 1)
    elif isinstance(value, str):
        assert len(value) <= MAX_TEXT, f"{field or 'a string'} of {len(value):,} characters"
        if field in URL_FIELDS and value:
            assert_requestable(value)
    elif isinstance(value, float):
        assert math.isfinite(value), f"{field or 'a number'} is {value}"
    else:
        assert value is None or isinstance(value, bool | int), type(value)


def assert_requestable(url: str) -> None:
    assert url.startswith(("https://", "http://", "/")), url[:80]
    resolved = BASE.join(url)  # raises httpx.InvalidURL for what httpx cannot send
    assert resolved.scheme in ("http", "https")


def check_all(data: Any) -> None:
    for run, _samples in PARSERS.values():
        for result in run(data):
            assert_sane(result)
    plain_urls = (
        lp.upload_url_of(data),
        lp.video_url_of(data),
        lp.single_panel_url(data, 0, 1),
        dp.image_url_of(data),
        dp.sync_url_of(data),
        dp.upload_url_of(data),
        *dp.references_of(data, "characters").values(),
    )
    for url in plain_urls:
        if url is not None:
            assert_requestable(url)
    for value in (
        lp.generation_id(data),
        sp.job_id_of(data) if _guarded(sp.job_id_of, data) else None,
        ap.submitted_id(data),
        dp.job_id_of(data),
    ):
        assert value is None or (0 < len(value) <= MAX_ID and value.isprintable())


# ------------------------------------------------------------------ strategies
HUGE = "x" * MB
NASTY_LEAVES = st.sampled_from(
    [
        HUGE,
        "https://cdn.test/" + "a" * MB,
        "https://cdn.test/a b\x00c.png",
        "https://exa mple.test/\x7f",
        "/" + "p" * 70_000,
        "javascript:alert(1)",
        "file:///etc/passwd",
        "",
        "   ",
        "\x00\x1b[31m",
        10**400,
        -(10**400),
        -1,
        2**63,
        float("nan"),
        float("inf"),
        -float("inf"),
        True,
        None,
        [],
        {},
        "1" * 5000,
    ]
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=16),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=10,
)
NASTY = NASTY_LEAVES | JSON


@st.composite
def mutated(draw: st.DrawFn, sample: Any) -> Any:
    """``sample`` with 1–4 edits: a field dropped, retyped, or made huge, at any depth."""
    value = sample
    for _ in range(draw(st.integers(1, 4))):
        value = _edit(draw, value)
    return value


def _edit(draw: st.DrawFn, value: Any) -> Any:
    if isinstance(value, dict) and value and draw(st.integers(0, 4)):
        key = draw(st.sampled_from(sorted(value)))
        out = dict(value)
        op = draw(st.sampled_from(("drop", "descend", "replace")))
        if op == "drop":
            del out[key]
        elif op == "descend":
            out[key] = _edit(draw, value[key])
        else:
            out[key] = draw(NASTY)
        return out
    if isinstance(value, list) and value and draw(st.integers(0, 4)):
        index = draw(st.integers(0, len(value) - 1))
        out = list(value)
        op = draw(st.sampled_from(("drop", "descend", "replace", "repeat")))
        if op == "drop":
            out.pop(index)
        elif op == "descend":
            out[index] = _edit(draw, value[index])
        elif op == "replace":
            out[index] = draw(NASTY)
        else:
            out = out * 50  # many duplicates (page numbers, ids)
        return out
    if isinstance(value, str) and value.startswith("[") and draw(st.booleans()):
        return value[: draw(st.integers(0, len(value)))]  # a JSON string cut short
    return draw(NASTY)


ALL_SAMPLES = [(name, s) for name, (_run, samples) in PARSERS.items() for s in samples]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(JSON, NASTY_LEAVES))
def test_arbitrary_json_gives_a_sane_result_or_a_provider_error(data: Any) -> None:
    check_all(data)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.sampled_from(ALL_SAMPLES).flatmap(lambda item: mutated(item[1])))
def test_mutated_real_answers_give_a_sane_result_or_a_provider_error(data: Any) -> None:
    check_all(data)


@pytest.mark.parametrize(("provider", "sample"), ALL_SAMPLES)
def test_real_answers_parse_to_something(provider: str, sample: Any) -> None:
    """The samples are real shapes: each yields at least one non-empty value."""
    run, _samples = PARSERS[provider]
    results = run(sample)
    for result in results:
        assert_sane(result)
    assert any(r not in (None, "", [], {}, ()) and r is not False for r in results), provider


# ------------------------------------------------------------ hand-written cases


def _deep(levels: int, key: str = "artwork") -> Any:
    value: Any = {"id": "x"}
    for _ in range(levels):
        value = {key: value, "data": value} if levels < 20 else {key: value}
    return value


@pytest.mark.parametrize("key", ["artwork", "data", "file", "error", "upload", "result"])
def test_deeply_nested_answers_do_not_exhaust_the_stack(key: str) -> None:
    check_all(_deep(5000, key))
    check_all(json.dumps(_deep(400, key)))


def test_comic_data_string_nested_past_the_json_limit() -> None:
    """``comicData`` is JSON inside JSON: a string nested 100 000 deep is just no data."""
    data = {"id": "g", "status": "PROCESSED", "comicData": "[" * 100_000 + "]" * 100_000}
    assert lp.pages_of(data) == []
    assert lp.video_url_of(data) is None
    assert sp.event_of("[" * 100_000) is None
    assert sp.event_of('{"status": ' * 50_000) is None


@pytest.mark.parametrize("big", [10**400, -(10**400), float("inf"), float("nan")])
def test_absurd_numbers_are_ignored(big: float) -> None:
    assert lp.credits_of({"usage": {"amount": big}}) is None
    assert ap.number({"progress": big}, "progress") is None
    assert ap.counts({"completed": big, "total": big}) == (None, None)
    assert dp.euros(big) is None
    assert dp.profile_of({"user": {"balance_eur": big}}) == {}
    assert sp.step_of({"status": "running", "pct": big}).pct is None


def test_huge_strings_are_bounded_or_dropped() -> None:
    data = {
        "id": HUGE,
        "status": HUGE,
        "error": HUGE,
        "comics": [{"page": 0, "panels": [{"caption": HUGE, "assetUrl": "https://c.test/x"}]}],
    }
    assert lp.generation_id(data) is None  # an id nobody could poll with
    assert len(lp.error_message_of(data)) <= 300
    assert len(lp.status_of(data)) <= MAX_ID
    (panel,) = lp.pages_of(data)[0]
    assert panel.url == "https://c.test/x" and len(panel.caption) <= 2000
    with pytest.raises(ProviderError, match="no job id"):
        sp.job_id_of({"job_id": HUGE})
    assert ap.generation_of({"id": HUGE, "status": HUGE, "created_at": HUGE}).id == ""
    assert dp.job_id_of({"job_id": HUGE}) is None
    assert dp.story_state({"status": HUGE, "error": {"code": HUGE, "message": HUGE}}).status == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.test/" + "a" * MB,
        "https://cdn.test/\x00.png",
        "https://[::1/a.png",
        "http://",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://cdn.test/a.png",
    ],
)
def test_unrequestable_urls_count_as_missing(url: str) -> None:
    assert lp.upload_url_of({"url": url}) is None
    assert lp.pages_of({"output": url}) == []
    assert sp.book_of({"cover_url": url}).cover_url == ""
    assert ap.generation_of({"result_urls": [url]}).urls == []
    assert dp.image_url_of({"image_url": url}) is None
    assert dp.upload_url_of({"upload_url": url}) is None
    cartoon = cp.cartoon_of({"cartoon": {"id": 1, "renders": [{"id": 2, "preview_url": url}]}})
    assert cartoon.renders[0].url == ""


@pytest.mark.parametrize("data", [None, [], "text", 7, [{"cartoon": {"id": 1}}]])
def test_cartoonicate_parsers_take_any_json(data: Any) -> None:
    assert cp.listed_ids(data, None, "tok") == []
    assert cp.max_variants(data) is None
    for parse in (cp.created_of, cp.cartoon_of, cp.animation_of):
        with pytest.raises(ProviderError) as caught:
            parse(data)
        assert caught.value.message


def test_duplicate_and_out_of_range_page_numbers() -> None:
    pages = [{"page_num": n, "image_url": f"/p{i}.png"} for i, n in enumerate([1, 1, -5, 10**9])]
    found = sp.pages_of(pages)
    assert [p.page_num for p in found] == sorted({p.page_num for p in found})
    assert all(0 < p.page_num < 100_000 for p in found)


# ------------------------------------------- the shared client's JSON decoding


@pytest.mark.parametrize("billable", [False, True])
async def test_an_answer_nested_past_the_decoder_is_a_provider_error(billable: bool) -> None:
    """JSON nested 100 000 deep makes ``json.loads`` raise RecursionError, which is not a
    ValueError: it must still end as a ProviderError (for a billable request one that says
    the work may have been billed), never as an internal error."""
    from studio.providers.http import ProviderClient as ApiClient
    from studio.providers.http import RetryPolicy

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"[" * 100_000, headers={"Content-Type": "json"})

    client = ApiClient(
        "Test",
        "https://api.example.test/v1",
        {"Authorization": "Bearer test-key-not-real"},
        requests_per_minute=6000,
        transport=httpx.MockTransport(answer),
        retry=RetryPolicy(attempts=1),
    )
    try:
        with pytest.raises(ProviderError) as caught:
            if billable:
                await client.send_billable("POST", "/comics", json={"prompt": "x"})
            else:
                await client.get_json("/comics/1")
    finally:
        await client.aclose()
    assert caught.value.message and "not JSON" in caught.value.message
