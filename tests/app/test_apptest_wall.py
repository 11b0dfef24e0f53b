"""Every follow-up page's wall view (AppTest): no controls, the header with title, place, period
and freshness, the page's own numbers; and the Rapport page's three downloads."""

from __future__ import annotations

import io

import pytest
import streamlit as st
from openpyxl import load_workbook
from pagetools import run_page

WALL_PAGES = ["oversikt", "lagesbild", "trender", "aktiviteter", "veckan", "rapport"]
CONTROLS = ["button", "selectbox", "multiselect", "date_input", "number_input", "text_input", "radio", "checkbox",
            "toggle", "slider", "button_group", "download_button"]  # fmt: skip


def wall_html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


@pytest.mark.parametrize("page", WALL_PAGES)
def test_the_wall_view_has_no_controls_and_says_what_it_shows(app_env, page):
    at = run_page(page, skarm="1", bredd="1280", hojd="720")
    for kind in CONTROLS:
        assert not at.main.get(kind), f"{page}: {kind} on the wall"
    html = wall_html(at)
    assert '<h1 class="lw-title">' in html
    assert "Ekvikens kommun</b> · 1 januari – 16 oktober 2022" in html
    assert "Data t.o.m. 16 oktober 2022 · uppdaterad kl." in html
    assert "html { font-size: 16.00px; }" in html  # 1 rem = 16 px at 1280×720


def test_the_overview_wall_holds_the_cards_numbers(app_env):
    html = wall_html(run_page("oversikt", skarm="1"))
    assert ">186</span>" in html and "av 264 genomföranden" in html  # trygghet's done of planned
    assert ">1\u00a0497</span>" in html and "mot 1\u00a0633 perioden innan – säkerställd minskning" in html
    assert "Löftet: aktiviteterna något efter plan" in html


def test_the_wall_follows_the_links_filters(app_env):
    html = wall_html(run_page("oversikt", skarm="1", fokus="trafik"))
    assert "Trafiksäkerhet" in html and "Narkotika med fokus på unga" not in html


def test_without_skarm_the_page_offers_its_wall(app_env):
    at = run_page("trender", fokus="narkotika")
    buttons = [b for b in at.sidebar.get("link_button") if b.proto.label == "Skärmläge"]
    assert buttons and "skarm=1" in buttons[0].proto.url and "fokus=narkotika" in buttons[0].proto.url


def test_rapport_offers_the_report_as_pdf_powerpoint_and_excel(app_env):
    at = run_page("rapport")
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["Hämta som PDF", "Hämta som PowerPoint", "Hämta som Excel"]
    shown = "".join(m.value for m in at.markdown)
    assert "aktiviteterna något efter plan" in shown and "Narkotika med fokus på unga" in shown


def test_the_excel_from_rapport_holds_the_pages_numbers(app_env):
    """The Rapport page and its Excel are made from one report object: the same numbers."""
    from lofte_metrics.reports import make
    from lofte_metrics.reports.cli import build

    at = run_page("rapport")
    shown = [t.value for t in at.text if t.value.startswith("Av ")][0]
    engine = app_env
    report = build(engine, None, None, None, None, None, None)
    book = load_workbook(io.BytesIO(make(report, "xlsx")))
    header, *rows = list(book["Sammanfattning"].values)
    done = sum(dict(zip(header, r, strict=True))["Gjorda genomföranden"] for r in rows)
    planned = sum(dict(zip(header, r, strict=True))["Planerade genomföranden"] for r in rows)
    assert f"{done} av {planned} planerade genomföranden gjorts" in shown
    st.cache_data.clear()
