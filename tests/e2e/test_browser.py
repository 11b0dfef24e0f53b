"""Every page in a real browser: it finishes running, shows no exception and no console
error, draws its charts and map, and is saved as a screenshot to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    # url path, heading, plotly charts at least, deck.gl map expected
    ("", "Översikt", 0, False),  # the default page lives at the root
    ("lagesbild", "Lägesbild", 0, True),
    ("trender", "Trender", 2, False),
    ("aktiviteter", "Aktiviteter", 1, False),
    ("veckan", "Veckan", 1, False),
    ("rapport", "Rapport", 2, False),
    ("data", "Data", 0, False),
    ("loftet", "Löftet", 0, False),
    ("skriv-lagesbild", "Skriv lägesbild", 0, False),
    ("handelsetyper", "Händelsetyper", 0, False),
    ("kom-igang", "Kommuner", 0, False),
]


def layout_script(name: str) -> str:
    """A layout check (``name``, an arrow function in tests/e2e) with the shared word check
    (words.js) in scope, for ``page.evaluate``."""
    here = Path(__file__).parent
    words = (here / "words.js").read_text(encoding="utf-8")
    check = (here / name).read_text(encoding="utf-8")
    return f"() => {{\n{words}\nreturn ({check})();\n}}"


def wait_for_streamlit(page, timeout: float = 60_000) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_timeout(800)  # let a rerun start
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0", timeout=timeout)


def _base_path_probe(message) -> bool:
    """Streamlit's frontend finds its base path by asking ``<page path>/_stcore/health`` and
    ``…/host-config`` first; on a page's own URL those two answer 404 before it tries the root.
    Only exactly those two resource errors are ignored."""
    url = (message.location or {}).get("url", "")
    return (
        message.text.startswith("Failed to load resource")
        and re.search(r"/[^/]+/_stcore/(health|host-config)$", url) is not None
    )


def open_page(browser, url: str, width: int = 1600, height: int = 2400):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="sv-SE", timezone_id="Europe/Stockholm"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" and not _base_path_probe(m) else None,
    )
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.goto(url)
    wait_for_streamlit(page)
    return context, page, errors


@pytest.mark.parametrize(("path", "heading", "charts", "has_map"), PAGES)
def test_page_renders_in_chromium(server, browser, screenshots, path, heading, charts, has_map):
    context, page, errors = open_page(browser, f"{server}/{path}")
    try:
        assert page.locator("h1").filter(has_text=heading).count() >= 1
        assert page.locator("[data-testid='stException']").count() == 0
        if charts:
            page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
            assert page.locator("[data-testid='stPlotlyChart']").count() >= charts
        if has_map:
            page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=30_000)
        page.wait_for_timeout(1500)  # let charts and the map finish drawing
        page.screenshot(path=str(screenshots / f"{path or 'oversikt'}.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


def test_deep_link_restores_the_filters(server, browser, screenshots):
    url = f"{server}/trender?fran=2022-03-01&till=2022-06-30&fokus=narkotika&omrade=0499-02"
    context, page, errors = open_page(browser, url)
    try:
        caption = page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first.inner_text()
        assert "1 mars – 30 juni 2022" in caption
        assert "Stationsområdet" in caption
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.get_by_text("Narkotika med fokus på unga").count() >= 1
        assert sidebar.get_by_text("Trafiksäkerhet").count() == 0
        assert "fokus=narkotika" in page.url and "omrade=0499-02" in page.url
        page.screenshot(path=str(screenshots / "deeplink-trender.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


def test_navigation_keeps_the_filters(server, browser):
    context, page, errors = open_page(browser, f"{server}/?fokus=trafik")
    try:
        page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Aktiviteter").click()
        wait_for_streamlit(page)
        page.wait_for_url("**/aktiviteter**")
        assert "fokus=trafik" in page.url
        assert page.locator("[data-testid='stException']").count() == 0
        assert errors == []
    finally:
        context.close()
