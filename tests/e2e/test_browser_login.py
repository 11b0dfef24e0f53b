"""Login through a real OpenID Connect provider started by the tests, as each role, and a screen
link for a wall screen: each sees and may do exactly what the role allows."""

from __future__ import annotations

import re

import pytest
from test_browser import open_page, wait_for_streamlit

pytestmark = pytest.mark.browser


def login(browser, base: str, who: str):
    context, page, errors = open_page(browser, base, width=1400, height=1100)
    assert page.get_by_role("button", name="Logga in").count() == 1  # nothing else before signing in
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_selector(f"button[name='sub'][value='{who}']", timeout=30_000)
    page.locator(f"button[name='sub'][value='{who}']").click()
    page.wait_for_url(re.compile(r"^http://localhost:\d+/"), timeout=30_000)
    wait_for_streamlit(page)
    # The provider's own page loads a stylesheet from the internet, which this machine cannot
    # reach: what counts is what the app logs from here on.
    errors.clear()
    return context, page, errors


def nav(page) -> list[str]:
    """The page names in the navigation, also when the wall view hides the sidebar (no icon names)."""
    names = []
    for link in page.locator("[data-testid='stSidebarNav'] a").all():
        icons = "".join(icon.text_content() or "" for icon in link.locator("[data-testid='stIconMaterial']").all())
        names.append((link.text_content() or "").replace(icons, "", 1).strip())
    return names


def go(page, base: str, path: str) -> str:
    page.goto(f"{base}/{path}")
    wait_for_streamlit(page)
    return page.locator("[data-testid='stMain']").inner_text()


def test_each_role_sees_and_may_do_what_it_allows(auth_server, browser, screenshots):
    base = auth_server.base
    # läsare: every page, nothing to change
    context, page, errors = login(browser, base, "lasse")
    try:
        assert "Inloggad som Lasse" in page.locator("[data-testid='stSidebar']").inner_text()
        assert "Användare" not in nav(page) and "Löftet" in nav(page)
        text = go(page, base, "loftet")
        assert "Du kan läsa löftet men inte ändra det" in text
        assert page.get_by_role("button", name="Spara löftet").count() == 0
        assert "Läs in data" not in go(page, base, "data")
        page.screenshot(path=str(screenshots / "login-lasare-data.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
    # redaktör: edits, imports, reports; no users page
    context, page, errors = login(browser, base, "rut")
    try:
        assert "Användare" not in nav(page)
        go(page, base, "loftet")
        assert page.get_by_role("button", name="Spara löftet").count() == 1
        text = go(page, base, "data")
        assert "Läs in data" in text and "Logg: vem ändrade vad" in text
        go(page, base, "aktiviteter")
        assert page.get_by_text("Rapportera genomförande").count() == 1
        page.screenshot(path=str(screenshots / "login-redaktor-aktiviteter.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
    # nobody: signed in, but no role anywhere
    context, page, errors = login(browser, base, "nils")
    try:
        assert "har ingen roll i någon av kommunerna här" in page.locator("[data-testid='stMain']").inner_text()
        assert page.locator("[data-testid='stMetric']").count() == 0
        page.screenshot(path=str(screenshots / "login-ingen-roll.png"), full_page=True)
    finally:
        context.close()


def test_an_administrator_makes_a_screen_link_that_shows_its_pages_until_revoked(auth_server, browser, screenshots):
    base = auth_server.base
    context, page, errors = login(browser, base, "ada")
    try:
        assert "Användare" in nav(page)
        go(page, base, "anvandare")
        page.get_by_label("Skärmens namn").fill("Styrgruppsrummet")
        page.get_by_role("button", name="Skapa skärmlänk").click()
        wait_for_streamlit(page)
        token = page.locator("[data-testid='stCode']").inner_text().strip().removeprefix("?skarm=")
        page.screenshot(path=str(screenshots / "login-admin-skarmlank.png"), full_page=True)

        screen, wall, wall_errors = open_page(browser, f"{base}/?skarm={token}", width=1920, height=1080)
        try:
            assert nav(wall) == ["Översikt", "Lägesbild", "Trender"]
            wall.wait_for_selector(".lw-head", timeout=30_000)  # the link opens the wall view
            assert wall.locator(".lw-title").first.inner_text() == "Översikt"
            assert wall.locator(".lw-card").count() >= 3
            assert wall.get_by_role("button", name="Logga in").count() == 0
            go(wall, base, f"loftet?skarm={token}")  # a page the link does not give: the main page instead
            assert "Löftet" not in [h.inner_text() for h in wall.locator("h1").all()]
            assert wall_errors == ["error: The page that you have requested does not seem to exist. Running the app's "
                                   "main page."]  # fmt: skip
            wall_errors.clear()
            wall.screenshot(path=str(screenshots / "skarmlank.png"), full_page=True)
            assert wall_errors == []

            go(page, base, "anvandare")
            page.get_by_role("button", name="Återkalla").click()
            wait_for_streamlit(page)
            text = go(wall, base, f"?skarm={token}")
            assert "Skärmlänken är återkallad" in text
        finally:
            screen.close()
        assert errors == []
    finally:
        context.close()
