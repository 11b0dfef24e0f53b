"""Text from the database or a link is text: escaped before it goes into an element that renders
Markdown (titles, captions, warnings, labels), so a name can never become a link, an image, a
formula or an icon."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:=^])")


def escape_md(value: object) -> str:
    """``[Klicka](https://x)`` -> ``\\[Klicka\\]\\(https\\://x\\)``: shown as typed, never rendered."""
    text = re.sub(r"\s+", " ", str(value)).strip()
    return _SPECIAL.sub(r"\\\1", text)
