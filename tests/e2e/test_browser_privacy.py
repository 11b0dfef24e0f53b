"""The privacy rules and hostile text in a real browser: pages loaded from a database whose every
importable text is hostile, and pages opened through hostile links. Nothing may become a link, an
image, a formula, emphasis, a heading or a list; no script may run; no exception box or internals;
and no page may grow by more than a screen, or sideways, because of one value. Map tooltips are
hovered for real."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hostile import HOSTILE, WIDE
from test_browser import PAGES, open_page

pytestmark = pytest.mark.browser

PATHS = [path for path, *_ in PAGES] + ["anvandare"]
WIDTH, HEIGHT = 1600, 900
#: what a rendered hostile value would leave in the page
RENDERED = """() => {
  const root = document.querySelector('[data-testid="stApp"]');
  const bad = [];
  const text = (el) => el.textContent.trim();
  // an anchor on the page itself carries the page's own address, hostile query and all
  for (const a of root.querySelectorAll('a[href]'))
    if (/evil/.test(a.hostname) || a.protocol === 'mailto:') bad.push('link ' + a.href);
  for (const img of root.querySelectorAll('img')) {
    const src = img.getAttribute('src') || '';
    if (/evil/.test(src) || src === 'x') bad.push('image ' + src);
  }
  if (root.querySelector('.katex, math')) bad.push('formula');
  for (const el of root.querySelectorAll('strong, b')) if (text(el) === 'fet') bad.push('bold');
  for (const el of root.querySelectorAll('em, i')) if (text(el) === 'kursiv') bad.push('italic');
  for (const el of root.querySelectorAll('h1, h2, h3, h4, h5, h6')) if (text(el) === 'Rubrik') bad.push('heading');
  for (const el of root.querySelectorAll('li')) if (text(el) === 'lista') bad.push('list');
  for (const el of root.querySelectorAll('[data-testid="stMarkdownColoredText"], .stMarkdownColoredText'))
    if (text(el) === 'röd') bad.push('colour');
  if (/Traceback|sqlalchemy|OperationalError|File "\\//.test(root.innerText)) bad.push('internals');
  return bad;
}"""
SIZE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return {height: main.scrollHeight, width: main.scrollWidth, view: main.clientWidth};
}"""


def visit(browser, url: str) -> tuple[list[str], dict[str, int], list[str]]:
    context, page, errors = open_page(browser, url, width=WIDTH, height=HEIGHT)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.wait_for_timeout(800)
        assert page.locator("[data-testid='stException']").count() == 0, url
        bad = page.evaluate(RENDERED)
        size = page.evaluate(SIZE)
        return bad, size, errors + [f"dialog: {m}" for m in dialogs]
    finally:
        context.close()


_clean: dict[str, dict[str, int]] = {}


def clean_size(browser, url: str) -> dict[str, int]:
    """The page's size on the clean sample with the same address: what a hostile value may not
    grow by more than a screen."""
    if url not in _clean:
        _clean[url] = visit(browser, url)[1]
    return _clean[url]


def assert_fits(path: str, size: dict[str, int], clean: dict[str, int]) -> None:
    assert size["width"] <= size["view"] + 2, f"{path} scrolls sideways: {size}"
    assert size["height"] <= clean["height"] + HEIGHT, f"{path} grew from {clean['height']} to {size['height']}"


@pytest.mark.parametrize("path", PATHS)
def test_hostile_texts_from_files_stay_text(hostile_server, server, browser, path):
    query = "?" + urlencode({"fran": "2021-10-01", "till": "2022-10-16"}) if path != "anvandare" else ""
    bad, size, errors = visit(browser, f"{hostile_server}/{path}{query}")
    assert bad == [] and errors == [], (bad, errors)
    assert_fits(path, size, clean_size(browser, f"{server}/{path}{query}"))


#: every parameter at once: Markdown, LaTeX, HTML, icons, autolinks, list and heading starts, and
#: values of 5 000 characters (with and without spaces)
LINK = {key: value for key, value in zip(
    ["fran", "till", "fokus", "omrade", "kalla", "agare", "status", "niva", "per", "lager", "upplosning", "kartfokus",
     "min", "vecka", "period", "kommun", "lofte"],
    [HOSTILE[0], HOSTILE[2], HOSTILE[1], "x" * 5000, HOSTILE[4], HOSTILE[5], HOSTILE[6], HOSTILE[7], HOSTILE[8],
     HOSTILE[3], "99", "ord " * 1250, "1", HOSTILE[0], HOSTILE[1], HOSTILE[5], WIDE], strict=True)}  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_hostile_links_stay_text(server, browser, path):
    bad, size, errors = visit(browser, f"{server}/{path}?{urlencode(LINK)}")
    assert bad == [] and errors == [], (bad, errors)
    assert_fits(path, size, clean_size(browser, f"{server}/{path}"))


def test_map_tooltips_show_hostile_names_as_text(hostile_server, browser, screenshots):
    """Hover the whole map of the month with the hostile types; every tooltip is text."""
    url = f"{hostile_server}/lagesbild?fran=2022-03-01&till=2022-03-31"
    context, page, errors = open_page(browser, url, width=WIDTH, height=HEIGHT)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
        canvas.wait_for(timeout=30_000)
        page.wait_for_timeout(2000)
        box = canvas.bounding_box()
        shown: list[str] = []
        hovered = None
        for i in range(1, 17):
            for j in range(1, 10):
                point = (box["x"] + box["width"] * i / 17, box["y"] + box["height"] * j / 10)
                page.mouse.move(*point)
                page.wait_for_timeout(15)
                tip = page.locator(".deck-tooltip")
                if tip.count() and tip.first.is_visible():
                    shown.append(tip.first.inner_html())
                    hovered = hovered or point
        assert shown, "no tooltip appeared anywhere on the map"
        for html in shown:
            assert "<img" not in html and "<a " not in html and "<script" not in html, html
        page.mouse.move(*hovered)
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshots / "fientlig-lagesbild.png"))
        assert dialogs == [] and errors == []
    finally:
        context.close()
