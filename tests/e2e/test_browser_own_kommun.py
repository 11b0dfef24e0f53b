"""A real kommun, from an empty database, through the app alone in Chromium: choose Linköping, enter a
promise with two fokusområden, one åtagande and two activities, import the police's real feed sample,
change one type's mapping, write and approve a lägesbild, report a genomförande, and find each of
them on Översikt, Aktiviteter, Lägesbild and Rapport. A screenshot of every step."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import open_page, wait_for_streamlit

pytestmark = pytest.mark.browser

FEED = Path(__file__).resolve().parents[3] / "shared" / "data" / "polisen-events-sample.json"


def shot(page, screenshots: Path, name: str) -> None:
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshots / f"egen-{name}.png"), full_page=True)


def choose(page, label: str, option: str, scope=None) -> None:
    """Pick an option of a Streamlit selectbox by typing part of it (how a person searches)."""
    box = (scope or page).locator("[data-testid='stSelectbox']").filter(has_text=label).first
    box.locator("input").click()
    box.locator("input").fill(option)
    page.locator("[role='option']").filter(has_text=option).first.click()
    wait_for_streamlit(page)


def fill_date(page, label: str, value: str) -> None:
    """Streamlit's date field has one segment per part (year, month, day): type the digits."""
    group = page.get_by_role("group", name=label, exact=True)
    group.locator("[role='spinbutton']").first.click()
    page.keyboard.type(value.replace("-", ""))
    page.keyboard.press("Tab")


def open_expander(page, label: str) -> None:
    """Open an expander unless it is open already (Streamlit keeps it open across a rerun)."""
    details = page.locator("[data-testid='stExpander'] details").filter(has_text=label).first
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.wait_for_timeout(300)


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def no_errors(page, errors: list[str]) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, main_text(page)[:2000]
    assert errors == []


@pytest.mark.skipif(not FEED.is_file(), reason=f"the shared feed sample is not at {FEED}")
def test_a_real_kommun_from_an_empty_database(empty_server, browser, screenshots):
    base = empty_server.base
    context, page, errors = open_page(browser, base, width=1600, height=1400)
    try:
        # 1. Choose the kommun.
        assert page.locator("h1").filter(has_text="Kom igång").count() == 1
        shot(page, screenshots, "1-kom-igang")
        choose(page, "Kommun", "Linköping")
        page.get_by_label("Lokalpolisområde").fill("Lokalpolisområde Linköping")
        page.get_by_role("button", name="Följ kommunen").click()
        wait_for_streamlit(page)
        assert "Linköpings kommun (0580) i Östergötlands län följs nu" in main_text(page)
        shot(page, screenshots, "2-kommun-vald")
        no_errors(page, errors)

        # 2. The promise: two of the three proposed fokusområden.
        page.goto(f"{base}/loftet")
        wait_for_streamlit(page)
        page.get_by_label("Titel").fill("Medborgarlöfte Linköping 2025–2026")
        fill_date(page, "Gäller från", "2025-01-01")
        fill_date(page, "Gäller till", "2026-12-31")
        page.get_by_label("Undertecknat av (en per rad)").fill("Anna Andersson, kommunstyrelsens ordförande")
        page.get_by_role("button", name="Remove Narkotika bland unga").click()
        page.get_by_role("button", name="Skapa löftet").click()
        wait_for_streamlit(page)
        assert "Medborgarlöftet: sparat som importomgång" in main_text(page)
        shot(page, screenshots, "3-loftet-skapat")

        # 3. One åtagande, two aktiviteter, with the forms.
        page.get_by_role("tab", name="Åtaganden").click()
        open_expander(page, "Lägg till ett åtagande")
        choose(page, "Fokusområde", "Trafiksäkerhet")
        choose(page, "Ägare", "Gemensamt")
        page.get_by_label("Åtagande", exact=True).fill("Tillsammans lovar vi trafikkontroller vid skolorna.")
        page.get_by_label("Mål (antal)").fill("15")
        page.get_by_role("button", name="Lägg till åtagandet").click()
        wait_for_streamlit(page)
        assert "Åtagandet: sparat som importomgång" in main_text(page)
        for title, count in (("Trafikkontroller vid skolor", "10"), ("Hastighetskontroller väg 34", "5")):
            page.get_by_role("tab", name="Aktiviteter").click()
            open_expander(page, "Lägg till en aktivitet")
            page.get_by_label("Aktivitet", exact=True).fill(title)
            page.get_by_label("Planerat antal").fill(count)
            choose(page, "Status", "Pågår")
            page.get_by_role("button", name="Lägg till aktiviteten").click()
            wait_for_streamlit(page)
            assert "Aktiviteten: sparat som importomgång" in main_text(page)
        page.get_by_role("tab", name="Aktiviteter").click()
        shot(page, screenshots, "4-aktiviteter-inlagda")
        no_errors(page, errors)

        # 4. The police's feed, through the Data page.
        page.goto(f"{base}/data")
        wait_for_streamlit(page)
        choose(page, "Vad vill du läsa in?", "Polisens händelser")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(FEED))
        wait_for_streamlit(page)
        assert "händelser anger bara länet, inte kommunen" in main_text(page)
        page.get_by_role("button", name="Läs in", exact=True).click()
        wait_for_streamlit(page)
        assert "17 nya" in main_text(page)
        shot(page, screenshots, "5-polisens-handelser")

        # 5. One type's mapping: fires count towards trygghet in this kommun.
        page.goto(f"{base}/handelsetyper")
        wait_for_streamlit(page)
        choose(page, "Händelsetyp", "Brand")
        choose(page, "Fokusområde", "Trygghet i offentlig miljö")
        page.get_by_role("button", name="Spara", exact=True).click()
        wait_for_streamlit(page)
        assert "Brand: Trygghet i offentlig miljö" in main_text(page)
        shot(page, screenshots, "6-handelsetyp")

        # 6. The lägesbild for May 2025: drafted from the numbers, edited, approved.
        page.goto(f"{base}/skriv-lagesbild?period=2025-05")
        wait_for_streamlit(page)
        trafik = page.get_by_label("Trafiksäkerhet")
        assert "registrerades 1 händelse" in trafik.input_value()
        trafik.fill("Lugnt i trafiken i maj; kontrollerna vid skolorna fortsätter.")
        page.get_by_role("button", name="Spara och godkänn").click()
        wait_for_streamlit(page)
        assert "Lägesbilden för Maj 2025 är godkänd" in main_text(page)
        shot(page, screenshots, "7-lagesbild-godkand")

        # 7. A genomförande, with a new status.
        page.goto(f"{base}/aktiviteter")
        wait_for_streamlit(page)
        open_expander(page, "Rapportera genomförande")
        choose(page, "Aktivitet", "Trafikkontroller vid skolor")
        page.get_by_label("Antal").fill("2")
        page.get_by_label("Plats").fill("Vasaskolan")
        page.get_by_role("button", name="Spara genomförandet").click()
        wait_for_streamlit(page)
        assert "Genomförandet av A-001" in main_text(page)
        text = main_text(page)
        assert "2 av 15" in text  # Genomföranden: done against planned
        shot(page, screenshots, "8-genomforande")
        no_errors(page, errors)

        # 8. Each of them where the steering group looks.
        page.goto(base)
        wait_for_streamlit(page)
        text = main_text(page)
        assert "Medborgarlöfte Linköping 2025–2026" in text
        assert "Trafiksäkerhet" in text and "Narkotika bland unga" not in text
        assert "2 av 15" in text
        shot(page, screenshots, "9-oversikt")

        page.goto(f"{base}/lagesbild?fran=2025-05-01&till=2025-05-31")
        wait_for_streamlit(page)
        text = main_text(page)
        assert "Bara kommunens mittpunkt" in text
        assert "Lugnt i trafiken i maj" in text and "godkänd" in text
        shot(page, screenshots, "10-lagesbild")

        page.goto(f"{base}/rapport")
        wait_for_streamlit(page)
        text = main_text(page)
        assert "Medborgarlöfte Linköping 2025–2026: uppföljning" in text
        assert "2 av 15 planerade genomföranden är gjorda" in text  # written from the numbers
        assert "Styrgruppens lägesbild, Maj 2025" in text and "Lugnt i trafiken i maj" in text
        shot(page, screenshots, "11-rapport")

        page.goto(f"{base}/aktiviteter")
        wait_for_streamlit(page)
        text = main_text(page)
        assert "Tillsammans lovar vi trafikkontroller vid skolorna." in text  # the åtagande with its progress
        metric = page.locator("[data-testid='stMetric']").filter(has_text="Aktiviteter").first
        assert metric.locator("[data-testid='stMetricValue']").inner_text() == "2"
        shot(page, screenshots, "12-aktiviteter")
        no_errors(page, errors)
    finally:
        context.close()
