"""Fuzzing: hostile and random values in every page's link parameters, and a hostile value in
every text a file can bring. No exception box, no traceback or database text, nothing rendered as
a link, an image, a formula, an icon or emphasis, and no element that one value makes huge.

(The browser half, which looks at the rendered page itself, is in tests/e2e/test_browser_privacy.py.)
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import streamlit as st
from hostile import HOSTILE, INTERNALS, RENDERED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
#: every parameter a page reads from its address
PARAMS = ["fran", "till", "fokus", "omrade", "kalla", "agare", "status", "niva", "per", "fjol", "aktiviteter",
          "lager", "upplosning", "kartfokus", "min", "vecka", "period", "kommun", "lofte", "skarm"]  # fmt: skip
#: elements whose text Streamlit renders as Markdown (labels included)
MARKDOWN = {"markdown", "caption", "title", "header", "subheader", "alert", "warning", "info", "error", "success",
            "toast", "metric", "expander", "tab", "button", "checkbox", "toggle", "radio", "selectbox",
            "multiselect", "number_input", "text_input", "text_area", "date_input", "button_group",
            "download_button", "form_submit_button", "slider", "select_slider", "link_button"}  # fmt: skip
#: widgets whose value is shown as plain text (their label is Markdown)
PLAIN_VALUES = {"text_input", "text_area", "selectbox", "number_input", "date_input", "multiselect", "slider"}
#: no single text element may be longer than this because of one value (a screen of text)
LONGEST = 3000


def texts(at: AppTest) -> list[tuple[str, bool, str]]:
    """(element type, renders Markdown, text) for everything the page drew."""
    found = []
    for block in (at.main, at.sidebar):
        for node in block:
            kind = str(getattr(node, "type", type(node).__name__)).lower()
            markdown = kind in MARKDOWN or type(node).__name__.lower() in MARKDOWN
            if kind == "html":  # the wall's own markup: its text is what a reader sees
                body = node.proto.body
                found.append((kind, False, html.unescape(re.sub(r"<style.*?</style>|<script.*?</script>|<[^>]+>", " ",
                                                                body, flags=re.S))))  # fmt: skip
                continue
            for attr in ("value", "label", "body", "help", "placeholder"):
                value = getattr(node, attr, None)
                if isinstance(value, str):
                    # a widget's value is what the user typed or chose, shown as plain text
                    rendered = markdown and (attr != "value" or kind not in PLAIN_VALUES)
                    found.append((kind, rendered, value))
            options = getattr(node, "options", None)
            if options and kind in ("radio", "button_group"):
                found += [(kind, True, str(o)) for o in options]
            elif options:
                found += [(kind, False, str(o)) for o in options]
    return found


def assert_safe(at: AppTest, context: object) -> None:
    assert not at.exception, (context, [e.value for e in at.exception])
    for kind, markdown, text in texts(at):
        for marker in INTERNALS:
            assert marker not in text, (context, kind, text[:300])
        assert len(text) <= LONGEST, (context, kind, len(text), text[:100])
        if markdown:
            for marker in RENDERED:
                assert marker not in text, (context, kind, marker, text[:300])


def use(url: str) -> None:
    import os

    os.environ["LOFTE_DATABASE_URL"] = url
    st.cache_data.clear()
    st.cache_resource.clear()


def run(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


@pytest.fixture
def sample_url(monkeypatch, sqlite_sample):
    monkeypatch.setenv("LOFTE_DATABASE_URL", str(sqlite_sample.url))
    use(str(sqlite_sample.url))
    yield str(sqlite_sample.url)
    st.cache_data.clear()


#: the hostile values, each put in every parameter at once (NUL cannot travel in an address)
LINK_VALUES = [v for v in HOSTILE if "\x00" not in v] + [HOSTILE[11].replace("\x00", "")]


@pytest.mark.parametrize("page", PAGES)
def test_hostile_values_in_every_parameter(sample_url, page):
    for value in LINK_VALUES:
        at = run(page, dict.fromkeys(PARAMS, value) | ({"skarm": ""} if page != "kom_igang" else {}))
        assert_safe(at, (page, value[:40]))


@pytest.mark.parametrize("page", PAGES)
def test_a_bad_screen_link_is_refused_in_plain_words(sample_url, page):
    for value in LINK_VALUES[:6]:
        at = run(page, {"skarm": value})
        assert_safe(at, (page, value[:40]))


_characters = s.characters(exclude_categories=("Cs",))
_values = s.one_of(s.sampled_from(LINK_VALUES), s.text(_characters, max_size=60),
                   s.dates().map(lambda d: d.isoformat()), s.integers().map(str), s.floats().map(str))  # fmt: skip


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=s.sampled_from(PAGES), params=s.dictionaries(s.sampled_from([p for p in PARAMS if p != "skarm"]),
                                                          _values, min_size=1, max_size=6))  # fmt: skip
def test_random_links(sample_url, page, params):
    assert_safe(run(page, params), (page, params))


@pytest.fixture
def hostile_url(monkeypatch, hostile_db):
    monkeypatch.setenv("LOFTE_DATABASE_URL", hostile_db)
    use(hostile_db)
    yield hostile_db
    st.cache_data.clear()


#: periods and views that reach the poisoned rows: the whole promise year, the month of the
#: hostile types, per type, and a week
VIEWS = [{}, {"fran": "2022-01-01", "till": "2022-12-31"}, {"fran": "2022-03-01", "till": "2022-03-31", "per": "typ"},
         {"vecka": "2022-W10"}, {"fran": "2021-10-01", "till": "2022-10-16", "niva": "manad"}]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_hostile_values_in_every_importable_text(hostile_url, page):
    for params in VIEWS:
        assert_safe(run(page, params), (page, params))


WALL_PAGES = ["oversikt", "lagesbild", "trender", "aktiviteter", "veckan", "rapport"]


@pytest.mark.parametrize("page", WALL_PAGES)
def test_hostile_values_on_the_wall_stay_text(sample_url, hostile_url_for_wall, page):
    """The wall writes its own HTML: every value from a link or the database in it is escaped."""
    for url, values in ((sample_url, LINK_VALUES[:8]), (hostile_url_for_wall, [""])):
        use(url)
        for value in values:
            params = dict.fromkeys(PARAMS, value) | {"skarm": "1", "bredd": value or "1280", "hojd": value or "720"}
            at = run(page, params)
            assert_safe(at, (page, value[:40]))
            html = "\n".join(h.proto.body for h in at.get("html"))
            for marker in ("<img src=x", "<a href='https://evil", "<b>fet</b>"):
                assert marker not in html, (page, value[:40], marker)
            assert '<h1 class="lw-title">' in html


@pytest.fixture
def hostile_url_for_wall(hostile_db):
    return hostile_db
