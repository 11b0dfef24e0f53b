"""Text from the database or a link is text: escaped before it goes into an element that renders
Markdown (titles, captions, warnings, labels), so a name can never become a link, an image, a
formula or an icon. (The escaping itself is ``formatting.md_text``.)"""

from __future__ import annotations

from ..formatting import md_text


def escape_md(value: object, limit: int | None = 300) -> str:
    """``[Klicka](https://x)`` -> ``\\[Klicka\\]\\(https\\://x\\)``: shown as typed, never rendered."""
    return md_text(value, limit)
