"""Text from data or a link, put into an element that renders Markdown, reads as typed."""

from __future__ import annotations

import pytest

from lofte_metrics.formatting import md_text

JOINER = "\u2060"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("[Klicka](https://evil.example)", f"\\[Klicka\\]\\(https\\:{JOINER}//evil.example\\)"),
        ("![x](y.png)", "\\!\\[x\\]\\(y.png\\)"),
        ("$\\frac{1}{2}$", "\\$\\\\frac\\{1\\}\\{2\\}\\$"),
        (":material/home: :red[röd]", f"\\:{JOINER}material/home\\:{JOINER} \\:{JOINER}red\\[röd\\]"),
        ("**fet** _kursiv_ `kod` ~streck~", "\\*\\*fet\\*\\* \\_kursiv\\_ \\`kod\\` \\~streck\\~"),
        ("# Rubrik", "\\# Rubrik"),
        ("- lista", "\\- lista"),
        ("1. lista", "1\\. lista"),
        ("<b>fet</b>", "\\<b\\>fet\\</b\\>"),
        ("Torget | Centrum", "Torget \\| Centrum"),
    ],
)  # fmt: skip
def test_markdown_is_escaped(value, shown):
    assert md_text(value) == shown


def test_autolinks_are_broken_by_an_invisible_joiner():
    """GFM finds www., https:// and e-mail addresses after escapes are undone: a joiner stops it."""
    shown = md_text("www.evil.example evil@evil.example https://evil.example")
    assert "www." not in shown and "://" not in shown and "@e" not in shown
    assert shown.replace(JOINER, "").replace("\\", "") == "www.evil.example evil@evil.example https://evil.example"


def test_control_and_bidi_characters_go_and_lines_become_one():
    assert md_text("Torg\x00\x07\x1bet\u202e\ufeff\u200b\n\nCentrum\t x") == "Torget Centrum x"


def test_a_limit_shortens_with_an_ellipsis():
    assert md_text("x" * 100_000, limit=300) == "x" * 299 + "…"
    assert md_text("kort", limit=300) == "kort"


def test_plain_swedish_is_unchanged():
    assert md_text("Björkdals centrum, Sjöängens skola") == "Björkdals centrum, Sjöängens skola"
