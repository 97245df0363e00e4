"""Story → script: headings, beats, automatic cast, shots, and the writers (offline, or a
language model over `studio.net`). May import `studio.core` and `studio.net`; no Qt.

The one entry point is :func:`write_script`; :func:`derive_script` is the script alone.
"""

from __future__ import annotations

from studio.story.book import add_automatic_cast, book_shots, ensure_shots
from studio.story.scripttext import MAX_SCRIPT_PAGES, script_to_text, validate_script
from studio.story.shots import derive_shots
from studio.story.writer import ScriptResult, derive_script, write_script

__all__ = [
    "MAX_SCRIPT_PAGES",
    "ScriptResult",
    "add_automatic_cast",
    "book_shots",
    "derive_script",
    "derive_shots",
    "ensure_shots",
    "script_to_text",
    "validate_script",
    "write_script",
]
