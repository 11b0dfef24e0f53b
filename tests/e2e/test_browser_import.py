"""The Data page in a real browser: download a template, fill it, upload, preview, confirm,
see it on the pages, undo. This server has its own database, so the other browser tests
keep the untouched sample."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from test_browser import open_page, wait_for_streamlit

pytestmark = pytest.mark.browser


def activity_count(page, base: str) -> str:
    page.goto(f"{base}/aktiviteter?fokus=trygghet&agare=kommun")
    wait_for_streamlit(page)
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Aktiviteter").first
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def test_template_upload_preview_confirm_and_undo(import_server, browser, screenshots, tmp_path):
    context, page, errors = open_page(browser, f"{import_server.base}/data")
    try:
        before = activity_count(page, import_server.base)
        page.goto(f"{import_server.base}/data")
        wait_for_streamlit(page)
        with page.expect_download() as download_info:
            page.get_by_text("Hämta mall för aktiviteter (Excel)").click()
        template = tmp_path / "mall.xlsx"
        download_info.value.save_as(template)
        book = load_workbook(template)
        ws = book.worksheets[0]
        ws.delete_rows(2)
        ws.append(
            [
                "A-800",
                "T2",
                "Trygghetsvandring i Vreta",
                "kommun",
                "Trygghetssamordnaren",
                "2022-10-01",
                "2022-10-31",
                1,
                "planerad",
                "0499-07",
            ]
        )
        ws.append(["A-801", "T2", "Trasig rad", "regionen", None, "2022-10-01", "2022-10-31", 1, "planerad", None])
        filled = io.BytesIO()
        book.save(filled)
        path = tmp_path / "aktiviteter.xlsx"
        path.write_bytes(filled.getvalue())

        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
        wait_for_streamlit(page)
        main = page.locator("[data-testid='stMain']")
        assert main.get_by_text("1 fel i filen").count() == 1
        assert main.get_by_text("ska vara en av: polis, kommun, gemensamt").count() >= 1
        assert page.get_by_role("button", name="Läs in").is_disabled()
        page.screenshot(path=str(screenshots / "data-import-preview.png"), full_page=True)

        page.get_by_text("Läs in bara de giltiga raderna").click()
        wait_for_streamlit(page)
        page.get_by_role("button", name="Läs in").click()
        wait_for_streamlit(page)
        assert main.get_by_text("1 ny, 0 uppdaterade, 1 avvisad").count() == 1
        assert page.get_by_text("Hämta de avvisade raderna").count() == 1
        page.screenshot(path=str(screenshots / "data-import-done.png"), full_page=True)

        assert int(activity_count(page, import_server.base)) == int(before) + 1

        page.goto(f"{import_server.base}/data")
        wait_for_streamlit(page)
        page.get_by_role("button", name="Ångra").click()
        wait_for_streamlit(page)
        assert activity_count(page, import_server.base) == before
        assert page.locator("[data-testid='stException']").count() == 0
        assert errors == []
    finally:
        context.close()


def test_an_incidents_csv_is_checked_column_wise_and_written_in_one_batch(import_server, browser, screenshots,
                                                                         tmp_path):  # fmt: skip
    """The column-wise path behind the same page: preview with the row's problem, the valid rows in,
    the batch undone."""
    context, page, errors = open_page(browser, f"{import_server.base}/data")
    try:
        path = tmp_path / "handelser.csv"
        path.write_text("källa;id;tid;typ;lat;lon;plats\n"
                        "webb;W-1;2022-10-10 21:15;Misshandel;58,9502;16,7503;Torget\n"
                        "webb;W-2;2022-10-11T08:05+02:00;Skadegörelse;58.9360;16.7742;Sjöängens skola\n"
                        "webb;W-3;igår;Rån;58.95;16.75;Torget\n", encoding="utf-8")  # fmt: skip
        main = page.locator("[data-testid='stMain']")
        main.locator("[data-testid='stSelectbox']").filter(has_text="Vad vill du läsa in?").click()
        page.get_by_role("option", name="Händelser, egen CSV/XLSX").click()
        wait_for_streamlit(page)
        # the uploader's button says only "Välj fil" (Streamlit's English "Upload" is hidden)
        english = page.locator("[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer']")
        assert english.count() == 0 or not english.first.is_visible()
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
        wait_for_streamlit(page)
        assert main.get_by_text("1 fel i filen").count() == 1
        assert main.get_by_text("handelser.csv, rad 4, kolumn 'tid': är ingen tidpunkt").count() == 1
        page.get_by_text("Läs in bara de giltiga raderna").click()
        wait_for_streamlit(page)
        page.get_by_role("button", name="Läs in").click()
        wait_for_streamlit(page)
        assert main.get_by_text("2 nya, 0 uppdaterade, 1 avvisad").count() == 1
        page.screenshot(path=str(screenshots / "data-import-incidents.png"), full_page=True)
        page.goto(f"{import_server.base}/data")
        wait_for_streamlit(page)
        sources = main.locator("[data-testid='stTable'], [data-testid='stDataFrame']").first
        assert "webb" in sources.inner_text()
        page.get_by_role("button", name="Ångra").click()  # the newest batch is chosen
        wait_for_streamlit(page)
        assert "webb" not in main.locator("[data-testid='stTable'], [data-testid='stDataFrame']").first.inner_text()
        assert page.locator("[data-testid='stException']").count() == 0
        assert errors == []
    finally:
        context.close()
