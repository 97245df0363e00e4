"""Provider ABC, Capabilities and the request/result types every adapter speaks."""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from studio.core.models import Character, JobKind, Location, Script, Story


@dataclass(frozen=True)
class Capabilities:
    """What a provider can do. ``reasons`` says why a missing capability is missing."""

    create_comic: bool = True
    multi_page: bool = True
    panel_redraw: bool = False
    inpaint: bool = False  # redraw only a marked region (GenerationRequest.mask)
    continue_write: bool = False
    character_refs: bool = False
    location_refs: bool = False
    uploads: bool = False
    video: bool = False
    usage: bool = False
    list_history: bool = False
    delete: bool = False
    cancel: bool = False  # cancel on the provider side (none of the remote APIs has it)
    needs_key: bool = True
    sizes: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()
    upscale: bool = False
    language: bool = False
    max_panels_per_page: int = 20
    max_pages: int = 20
    price_note: str = ""
    reasons: tuple[tuple[str, str], ...] = ()  # (capability name, why it is missing)

    def reason(self, capability: str) -> str:
        return dict(self.reasons).get(capability, "")

    def as_dict(self) -> dict[str, Any]:
        names = [
            "create_comic",
            "multi_page",
            "panel_redraw",
            "continue_write",
            "character_refs",
            "location_refs",
            "uploads",
            "video",
            "usage",
            "list_history",
            "delete",
            "cancel",
            "upscale",
            "language",
        ]
        return {name: getattr(self, name) for name in names}


@dataclass
class RefImage:
    """A reference image: stored bytes, a remote URL, or both."""

    name: str
    data: bytes | None = None
    url: str | None = None
    mime: str = "image/png"


@dataclass
class VideoOptions:
    duration: float = 5
    resolution: str = "720p"
    aspect_ratio: str = "16:9"
    generate_audio: bool = True
    seed: int | None = None
    first_frame: RefImage | None = None
    last_frame: RefImage | None = None


@dataclass
class GenerationRequest:
    """Everything a provider may need for one job. Providers take what they understand."""

    kind: JobKind
    story: Story
    cast: list[Character] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    script: Script = field(default_factory=Script)
    script_edited: bool = False  # the user wrote or edited the script: send it as directions
    prompt: str = ""  # continue prompt, or the new description for a redraw
    caption: str | None = None  # redraw
    dialogue: list[tuple[str, str]] | None = None  # redraw
    target_page: int | None = None  # redraw / video: the studio's indexes
    target_panel: int | None = None
    remote_page: int | None = None  # the provider's indexes of that panel, when known
    remote_panel: int | None = None
    pages: int = 1  # continue: how many pages to add
    panels_per_page: int = 4
    paginated: bool = False
    reference_images: list[RefImage] = field(default_factory=list)  # redraw / attachments
    character_images: dict[str, RefImage] = field(default_factory=dict)  # by character name
    location_images: dict[str, RefImage] = field(default_factory=dict)
    source_image: RefImage | None = None  # edit / video from a panel's image
    mask: RefImage | None = None  # redraw only the marked region (white = redraw)
    video: VideoOptions | None = None
    remote_project: dict[str, Any] = field(default_factory=dict)  # provider state per project
    job_id: int | None = None  # the studio's own job id (for provider metadata)
    seed: int = 0


@dataclass
class Submission:
    """What a billable submit returned: enough to poll and resume after a restart."""

    remote_id: str | None
    handle: dict[str, Any] = field(default_factory=dict)  # JSON-able
    credits: float | None = None
    message: str = ""
    trace_id: str = ""


@dataclass
class Progress:
    fraction: float | None = None
    message: str = ""
    state: str = "running"  # "queued" | "running" | "downloading"


@dataclass
class ResultPanel:
    """One downloaded image (or clip) and where it belongs."""

    page: int  # index in the result (for create/continue: relative to the first new page)
    panel: int
    data: bytes
    mime: str = "image/png"
    caption: str = ""
    source_url: str = ""
    watermarked: bool = False
    remote_page: int | None = None
    remote_panel: int | None = None
    kind: str = "image"  # "image" | "video"
    alternative: bool = False  # an extra variant: a further version of the same panel
    #: A redraw/edit changed this panel too, not the job's target: it is placed by its own
    #: ``remote_page``/``remote_panel`` (else ``page``/``panel``), never on the target.
    elsewhere: bool = False
    #: One image drawn for a whole page of ``page_panels`` panels (a strip that cannot be
    #: cut): the page becomes one panel holding it, instead of one filled and others empty.
    page_panels: int = 0
    anchors: dict[str, tuple[float, float]] = field(default_factory=dict)  # speaker positions


@dataclass
class GenerationResult:
    panels: list[ResultPanel] = field(default_factory=list)
    remote_project: dict[str, Any] = field(default_factory=dict)  # updated provider state
    credits: float | None = None
    character_refs: dict[str, bytes] = field(default_factory=dict)  # name → image bytes
    location_refs: dict[str, bytes] = field(default_factory=dict)
    extra_files: dict[str, bytes] = field(default_factory=dict)  # e.g. audiobook.mp3
    message: str = ""
    #: Non-empty when part of the work failed or is unknown: what is missing. The panels
    #: that did arrive are stored, and the job ends ``failed`` with this as its reason.
    missing: str = ""


ProgressCallback = Callable[[Progress], None]
HandleCallback = Callable[[dict[str, Any]], Awaitable[None]]


class Provider(abc.ABC):
    """One comic provider. Required methods are abstract; optional ones refuse honestly."""

    id: str = ""
    name: str = ""
    capabilities: Capabilities = Capabilities()
    #: Seconds between polls; the JobManager uses it for remote jobs.
    poll_interval: float = 5.0

    @abc.abstractmethod
    async def submit(self, request: GenerationRequest) -> Submission:
        """Send the billable request exactly once. Raise OutcomeUnknown when ambiguous."""

    @abc.abstractmethod
    async def wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None = None,
    ) -> GenerationResult:
        """Poll (or render) until the job ends; download every asset; return the result.

        Called again with the same submission after a restart, so it must be resumable.
        ``save_handle`` persists updated provider state (e.g. fresh asset URLs).
        """

    @classmethod
    def cost_words(cls, remote_project: dict[str, Any]) -> str:
        """The cost line in words, e.g. "Animus: 4 credits per image · 87 credits left".

        ``remote_project`` holds what the provider reported for this project (balances,
        charges); subclasses that get numbers put them in. "" when nothing is known."""
        note = cls.capabilities.price_note
        return f"{cls.name}: {note}" if note else ""

    async def usage(self) -> dict[str, Any]:
        from studio.providers.errors import NotSupported

        raise NotSupported(self.capabilities.reason("usage") or f"{self.name} reports no usage.")

    async def check(self) -> dict[str, Any]:
        """'Test connection': verify the key; return plan/quota where the API offers it."""
        return await self.usage()

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Close network clients."""


def validate_for(provider: Provider, request: GenerationRequest) -> None:
    """Refuse, with the reason, what the provider cannot do. Raises NotSupported."""
    from studio.providers.errors import NotSupported

    caps = provider.capabilities
    needed = {
        JobKind.redraw: "panel_redraw",
        JobKind.continue_: "continue_write",
        JobKind.video: "video",
        JobKind.create: "create_comic",
    }.get(request.kind)
    if needed and not getattr(caps, needed):
        why = caps.reason(needed) or "it is not part of its API"
        raise NotSupported(f"{provider.name} cannot do this: {why}.")
    if request.kind is JobKind.create and request.story.layout.pages > 1 and not caps.multi_page:
        why = caps.reason("multi_page") or "one page per job"
        raise NotSupported(f"{provider.name} makes a single page: {why}.")


BEFORE_BILLABLE: ContextVar[Callable[[], None] | None] = ContextVar("before_billable", default=None)
"""Set by the job manager around ``Provider.submit``: called once, just before the first
billable request leaves, so a crash during preparation (uploads, status reads) leaves the
job resumable instead of ``unknown``."""


def before_billable() -> None:
    """Run (and clear) the current task's before-billable hook, if any."""
    hook = BEFORE_BILLABLE.get()
    if hook is not None:
        BEFORE_BILLABLE.set(None)
        hook()
