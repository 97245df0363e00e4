"""A script as editable text (``Page 1`` / ``Panel 1: …`` / ``Mia: "…"``) and its checks."""

from __future__ import annotations

from studio.core.models import Script
from studio.core.validation import MAX_PANELS, ValidationError
from studio.story.text import _CLOSERS, _OPENERS

MAX_SCRIPT_PAGES = 200


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    if '"' not in text:
        return f'"{text}"'
    if "”" not in text:
        return f"“{text}”"
    return f"「{text}」"


def script_to_text(script: Script) -> str:
    """Editable text of a script; :func:`derive_script` reads it back to the same script.

    Per panel: ``Panel N: description``, then ``Location: …`` (when set), ``Caption: …``
    (when set) and one ``Speaker: "line"`` per dialogue line (``Voice:`` for no speaker;
    ``Narrator:`` lines are the narrator's, lettered as captions).
    """
    lines: list[str] = []
    for page_no, page in enumerate(script.pages, 1):
        if lines:
            lines.append("")
        lines.append(f"Page {page_no}")
        for panel_no, panel in enumerate(page.panels, 1):
            lines.append(f"Panel {panel_no}: {' '.join(panel.description.split())}".rstrip())
            if panel.location:
                lines.append(f"Location: {' '.join(panel.location.split())}")
            caption = " ".join(panel.caption.split())
            if caption:
                quoted = caption[0] in _OPENERS or caption[-1] in _CLOSERS
                lines.append(f"Caption: {_quoted(caption) if quoted else caption}")
            for line in panel.dialogue:
                speaker = " ".join(line.speaker.split()) or "Voice"
                lines.append(f"{speaker}: {_quoted(line.text)}")
    return "\n".join(lines)


def validate_script(script: Script) -> None:
    """Raise :class:`ValidationError` unless the script has 1–200 pages of 1–20 panels each."""
    if not script.pages:
        raise ValidationError("The script has no pages: write at least one panel.", "script")
    if len(script.pages) > MAX_SCRIPT_PAGES:
        raise ValidationError(
            f"The script has {len(script.pages)} pages; the limit is {MAX_SCRIPT_PAGES}.",
            "script",
        )
    for number, page in enumerate(script.pages, 1):
        if not page.panels:
            raise ValidationError(f"Page {number} of the script has no panels.", "script")
        if len(page.panels) > MAX_PANELS:
            raise ValidationError(
                f"Page {number} of the script has {len(page.panels)} panels; "
                f"the limit is {MAX_PANELS} per page.",
                "script",
            )
