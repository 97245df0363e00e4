"""Plain domain dataclasses: story, cast, locations, script, pages, panels, versions, jobs."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from studio.core.shot import Shot


class ReadingDirection(enum.Enum):
    ltr = "ltr"
    rtl = "rtl"


class Upscale(enum.Enum):
    none = ""
    x2k = "2K"
    x4k = "4K"


@dataclass
class Layout:
    """Either N panels on one page (``pages == 1`` and ``paginated`` false) or P × N."""

    pages: int = 1
    panels_per_page: int = 4
    paginated: bool = False

    @property
    def total_panels(self) -> int:
        return self.pages * self.panels_per_page


MAX_PANELS_PER_PAGE = 20
"""The most panels one page holds (layout templates exist for 1 to 20)."""

PAGE_SIZE_NAMES: tuple[str, ...] = ("comic", "a4", "square", "webtoon")
"""Page sizes a book can have; pixel sizes and print resolutions live in render/layout.py."""


@dataclass
class BookFormat:
    """How every page of one book is laid out and printed.

    ``margin`` and ``gutter`` are fractions of the page's short side (so they scale with
    the page size: 0.04 on a comic page of 6.625 in is about 0.27 in); ``bleed`` is in
    inches added on each side of the trim of a print PDF (0 = no bleed; 0.125 in is the
    usual print-shop value). Page images, CBZ and PNG exports never include the bleed.
    """

    page_size: str = "comic"  # one of PAGE_SIZE_NAMES
    margin: float = 0.04
    gutter: float = 0.02
    bleed: float = 0.0

    MARGIN_MAX = 0.2
    GUTTER_MAX = 0.1
    BLEED_MAX = 0.5

    def clamped(self) -> BookFormat:
        """A copy with every value in range; an unknown page size becomes "comic"."""
        size = self.page_size.lower() if self.page_size.lower() in PAGE_SIZE_NAMES else "comic"
        return BookFormat(
            page_size=size,
            margin=min(max(0.0, float(self.margin)), self.MARGIN_MAX),
            gutter=min(max(0.0, float(self.gutter)), self.GUTTER_MAX),
            bleed=min(max(0.0, float(self.bleed)), self.BLEED_MAX),
        )


@dataclass
class Story:
    title: str = "Untitled comic"
    prompt: str = ""
    style: str = "neutral"
    size: str = "1024x1024"
    layout: Layout = field(default_factory=Layout)
    language: str = "en"
    upscale: Upscale = Upscale.none
    direction: ReadingDirection = ReadingDirection.ltr
    provider: str = "local"
    author: str = ""
    seed: int = 0
    book_format: BookFormat = field(default_factory=BookFormat)

    @property
    def width(self) -> int:
        return int(self.size.lower().split("x")[0])

    @property
    def height(self) -> int:
        return int(self.size.lower().split("x")[1])

    @property
    def rtl(self) -> bool:
        return self.direction is ReadingDirection.rtl


@dataclass
class Character:
    name: str
    age: str = ""
    gender: str = ""
    dress: str = ""
    image_asset: str | None = None  # SHA-256 of a stored reference image
    image_url: str | None = None  # a remote reference (URL) given by the user or a provider
    provider_refs: dict[str, str] = field(default_factory=dict)  # e.g. {"animus": "char_123"}
    id: int | None = None
    auto: bool = False  # added by the studio from the story's names; the user may edit it


@dataclass
class Location:
    name: str
    description: str = ""
    image_asset: str | None = None
    image_url: str | None = None
    id: int | None = None


@dataclass
class DialogueLine:
    speaker: str
    text: str


@dataclass
class ScriptPanel:
    description: str = ""
    characters: list[str] = field(default_factory=list)
    location: str | None = None
    caption: str = ""
    dialogue: list[DialogueLine] = field(default_factory=list)
    shot: Shot | None = None  # what the panel shows; None until derived (studio.story)
    shot_edited: bool = False  # a person edited the shot: it no longer follows the text


@dataclass
class ScriptPage:
    panels: list[ScriptPanel] = field(default_factory=list)


@dataclass
class Script:
    pages: list[ScriptPage] = field(default_factory=list)

    @property
    def panel_count(self) -> int:
        return sum(len(p.panels) for p in self.pages)

    def panel(self, page: int, panel: int) -> ScriptPanel:
        return self.pages[page].panels[panel]


class VersionKind(enum.Enum):
    image = "image"
    video = "video"


@dataclass
class Version:
    """One image (or clip) of a panel and where it came from."""

    id: int
    panel_id: int
    asset: str  # SHA-256 of the stored bytes
    provider: str
    job_id: int | None
    prompt: str
    created_at: float
    kind: VersionKind = VersionKind.image
    source_url: str = ""  # provenance only; never fetched again with a key
    watermarked: bool = False
    width: int = 0
    height: int = 0


@dataclass
class Panel:
    """A panel in the project: its script text plus the versions drawn for it."""

    id: int
    page_id: int
    index: int
    script: ScriptPanel
    current_version: int | None = None  # Version.id
    remote_page: int | None = None  # the provider's own page/panel index, when it differs
    remote_panel: int | None = None


@dataclass
class Page:
    id: int
    index: int
    template: str = ""  # layout template name; "" = the default for its panel count
    panels: list[Panel] = field(default_factory=list)


@dataclass(frozen=True)
class PanelMove:
    """What ``Project.move_panel`` did, enough to put the panel back.

    ``removed_page`` is ``(index, template)`` of the source page when the move emptied
    it and it was removed; ``to_page`` is the destination's index after that removal.
    """

    panel_id: int
    from_page: int
    from_index: int
    to_page: int
    to_index: int
    removed_page: tuple[int, str] | None = None


class JobKind(enum.Enum):
    create = "create"
    redraw = "redraw"
    continue_ = "continue"
    video = "video"
    edit = "edit"
    script = "script"  # the script written from the story (offline or by a language model)


class JobState(enum.Enum):
    draft = "draft"
    submitting = "submitting"
    queued = "queued"
    running = "running"
    downloading = "downloading"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"
    unknown = "unknown"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_STATES

    @property
    def active(self) -> bool:
        return not self.terminal


TERMINAL_STATES = frozenset(
    {JobState.succeeded, JobState.failed, JobState.cancelled, JobState.unknown}
)

_ALLOWED: dict[JobState, frozenset[JobState]] = {
    # draft → failed: preparing the request failed before anything billable was sent
    JobState.draft: frozenset({JobState.submitting, JobState.failed, JobState.cancelled}),
    # submitting → draft: a 429 refused the request before any work; it waits to be resent
    JobState.submitting: frozenset(
        {JobState.queued, JobState.running, JobState.failed, JobState.unknown, JobState.cancelled}
        | {JobState.draft}
    ),
    JobState.queued: frozenset(
        {JobState.running, JobState.downloading, JobState.failed, JobState.cancelled}
        | {JobState.succeeded, JobState.unknown}
    ),
    JobState.running: frozenset(
        {JobState.running, JobState.downloading, JobState.succeeded, JobState.failed}
        | {JobState.cancelled, JobState.unknown}
    ),
    JobState.downloading: frozenset(
        {JobState.downloading, JobState.succeeded, JobState.failed, JobState.cancelled}
        | {JobState.running, JobState.unknown}  # e.g. one page of a batch lost its answer
    ),
    # "unknown" may be resolved by the user (checked on the provider) or by a later poll.
    JobState.unknown: frozenset(
        {JobState.running, JobState.downloading, JobState.succeeded, JobState.failed}
        | {JobState.cancelled}
    ),
    # A failed or cancelled job that already has a remote id can be resumed (polled again).
    JobState.failed: frozenset({JobState.running, JobState.queued}),
    JobState.cancelled: frozenset({JobState.running, JobState.queued}),
    JobState.succeeded: frozenset(),
}


class IllegalTransition(ValueError):
    pass


def check_transition(old: JobState, new: JobState) -> None:
    """Raise :class:`IllegalTransition` unless ``old → new`` is an allowed job transition."""
    if new is old and old in (JobState.running, JobState.downloading):
        return
    if new not in _ALLOWED[old]:
        raise IllegalTransition(f"a job cannot go from {old.value} to {new.value}")


@dataclass
class Job:
    id: int
    provider: str
    kind: JobKind
    state: JobState = JobState.draft
    remote_id: str | None = None
    progress: float | None = None  # 0..1, None when the provider gives none
    message: str = ""
    credits: float | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    error: str = ""
    error_kind: str = ""
    request: dict = field(default_factory=dict)  # what was asked (JSON-able, never a key)
    handle: dict = field(default_factory=dict)  # provider state needed to resume
    target_page: int | None = None
    target_panel: int | None = None
    trace_id: str = ""
