"""Every page as a projector shows it (1280×720) and at 1920×1080: no word broken over two lines in
headings, figures or verdicts, no text cut with an ellipsis, and tables that show all their rows
and columns without a scroll inside them, and controls that show all their options. Screenshots to look at."""

from __future__ import annotations

import pytest
from test_browser import PAGES, layout_script, open_page

pytestmark = pytest.mark.browser

LAYOUT = layout_script("projector_layout.js")


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", [p for p, *_ in PAGES])
def test_page_reads_on_a_projector(server, browser, screenshots, path, size):
    width, height = size
    context, page, errors = open_page(browser, f"{server}/{path}", width=width, height=height)
    try:
        page.wait_for_timeout(1200)
        found = page.evaluate(LAYOUT)
        if width == 1280:
            page.screenshot(path=str(screenshots / f"projektor-{path or 'oversikt'}.png"))
        assert page.locator("[data-testid='stException']").count() == 0
        assert found["broken"] == [], f"words broken over two lines: {found['broken']}"
        assert found["ellipsis"] == [], f"text cut with an ellipsis: {found['ellipsis']}"
        assert found["tables"] == [], found["tables"]
        assert found["controls"] == [], f"options hidden behind a sideways scroll: {found['controls']}"
        assert errors == []
    finally:
        context.close()


def test_the_file_uploader_speaks_swedish(server, browser):
    context, page, errors = open_page(browser, f"{server}/data", width=1600, height=1000)
    try:
        zone = page.locator("[data-testid='stFileUploaderDropzone']").first
        zone.wait_for(timeout=30_000)
        said = page.evaluate("""() => {
          const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
          const after = (el) => el ? getComputedStyle(el, '::after').content : '';
          return [after(zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > div > span')),
                  after(zone.querySelector('button'))];
        }""")
        assert said == ['"Dra och släpp filen här"', '"Välj fil"'], said
        assert errors == []
    finally:
        context.close()
