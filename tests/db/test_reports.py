"""The report to take away, read back as its reader would: the Excel's numbers (real numbers, the
report's), the PowerPoint's slides, texts and charts (python-pptx), and the PDF's text and pages
(pdftotext, pdftoppm); on both engines where the numbers are made, and with the privacy rules."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import unicodedata

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from lofte_metrics import queries as q
from lofte_metrics.privacy import Policy
from lofte_metrics.queries import Filters
from lofte_metrics.reports import file_name, make
from lofte_metrics.reports.cli import build
from lofte_metrics.reports.content import assemble
from lofte_metrics.reports.pdf import pdf_data, write_pdf

START, END = dt.date(2022, 1, 1), dt.date(2022, 10, 16)


@pytest.fixture
def report(sample_engine):
    return build(sample_engine, None, None, START, END, None, None)


def plain(text: str) -> str:
    """Every kind of space as one space (the PDF prints thin spaces in numbers)."""
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u202f", " ").split())


def test_the_report_is_the_promise_over_its_period_with_the_kommuns_numbers(report):
    assert report.kommun.code == "0499" and report.promise.ref == "2022"
    assert (report.start, report.end, report.as_of) == (START, END, END)
    assert [p.key for p in report.focus] == ["trygghet", "narkotika", "trafik"]
    assert report.overall.tone == "dåligt"
    assert report.overall.headline.startswith("Löftet: aktiviteterna något efter plan")
    narkotika = report.focus[1]
    assert narkotika.verdict.tone == "blandat"  # a kept plan beside a significant rise is not "bra"
    assert narkotika.verdict.headline == "Aktiviteterna enligt plan – men händelserna har ökat"
    assert (narkotika.summary.done, narkotika.summary.planned) == (65, 89)


def test_the_excel_holds_the_reports_numbers_as_numbers(report):
    book = load_workbook(io.BytesIO(make(report, "xlsx")))
    assert book.sheetnames == ["Om rapporten", "Sammanfattning", "Plan och genomfört", "Händelser per månad",
                               "Aktiviteter", "Indikatorer"]  # fmt: skip
    about = {row[0].value: row[1].value for row in book["Om rapporten"].iter_rows()}
    assert about["Kommun"] == "Ekvikens kommun" and about["Data t.o.m."].date() == END
    assert about["Bedömning"] == report.overall.headline
    summary = list(book["Sammanfattning"].values)
    header, rows = summary[0], summary[1:]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for part in report.focus:
        row = by_name[part.name]
        assert row["Händelser"] == part.summary.incidents.current and isinstance(row["Händelser"], int)
        assert row["Planerade genomföranden"] == part.summary.planned
        assert row["Andel gjord"] == pytest.approx(part.summary.done_share)
    ws = book["Sammanfattning"]
    assert ws.cell(2, header.index("Andel gjord") + 1).number_format == "0%"
    assert ws.cell(2, header.index("Händelser") + 1).number_format == "#,##0"
    monthly = list(book["Händelser per månad"].values)[1:]
    trygghet = [r for r in monthly if r[0] == report.focus[0].name]
    assert [r[3] for r in trygghet] == [int(v) for v in report.focus[0].monthly["trygghet"]]
    assert trygghet[0][1] == "januari 2022" and trygghet[0][2].date() == START
    assert len(list(book["Aktiviteter"].values)) - 1 == len(report.activities)
    indicators = list(book["Indikatorer"].values)[1:]
    assert len(indicators) == len(report.indicators) and all(isinstance(r[3], int | float) for r in indicators)


def test_the_powerpoint_has_an_overview_and_a_slide_per_focus_area_with_a_real_chart(report):
    deck = Presentation(io.BytesIO(make(report, "pptx")))
    slides = list(deck.slides)
    assert len(slides) == 3 + len(report.focus) + 1  # cover, overview, plan, focus areas, indicators

    def texts(slide) -> str:
        return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)

    assert report.title in texts(slides[0])
    assert report.overall.headline in texts(slides[1])
    for slide, part in zip(slides[3:-1], report.focus, strict=True):
        assert part.name in texts(slide) and part.verdict.headline in texts(slide)
        assert part.verdict.activities in texts(slide) and part.verdict.incidents in texts(slide)
        charts = [shape.chart for shape in slide.shapes if shape.has_chart]
        assert len(charts) == 1
        series = list(charts[0].plots[0].series)
        assert [s.name for s in series] == ["Händelser", "Året innan"]
        assert list(series[0].values) == [float(v) for v in part.monthly[part.key]]
    table = next(shape.table for shape in slides[-1].shapes if shape.has_table)
    assert table.cell(0, 0).text == "Indikator" and len(table.rows) == len(report.indicator_rows) + 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils: scripts/test.sh installs it")
def test_the_pdf_says_in_print_what_the_report_says(sqlite_sample, screenshots_dir):
    report = build(sqlite_sample, None, None, START, END, None, None)
    data = write_pdf(report)
    assert data[:5] == b"%PDF-"
    path = screenshots_dir / "rapport.pdf"
    path.write_bytes(data)
    text = plain(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                check=True).stdout)  # fmt: skip
    assert "Medborgarlöfte Ekviken 2022" in text and "Uppföljning 1 januari – 16 oktober 2022" in text
    assert "Data t.o.m. 16 oktober 2022" in text
    assert plain(report.overall.headline) in text
    for part in report.focus:
        assert part.name in text
        assert plain(part.verdict.headline) in text
        # the numbers in words, as on the Rapport page
        first = plain(part.text.split(". ")[0])
        assert first in text, first
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                                 text=True).stdout.splitlines()
                     if line.startswith("Pages:")))  # fmt: skip
    assert f"Sida 2 av {pages}" in text
    for old in screenshots_dir.glob("rapport-pdf-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(screenshots_dir / "rapport-pdf")], check=True)
    assert len(list(screenshots_dir.glob("rapport-pdf-*.png"))) == pages


def test_the_pdf_prints_thin_spaces_in_numbers_and_says_when_charts_are_missing(report):
    data = pdf_data(report, {}, "Diagrammen kunde inte ritas")
    assert "1\u202f497" in str(data["focus"][0]["text"])
    assert "Diagrammen kunde inte ritas" in data["totals"]
    assert data["plan"] is None and all(part["chart"] is None for part in data["focus"])


def test_a_report_for_a_kommundel_shows_only_protected_numbers(sample_engine):
    promise = q.promises(sample_engine, "0499")[0]
    names = dict(promise.focus_areas)
    f = Filters(START, END, tuple(names), area_codes=("0499-05",), kommunkod="0499", promise_id=promise.id)
    report = assemble(sample_engine, f, END, Policy(5, salt=q.privacy_salt(sample_engine)), names)
    book = load_workbook(io.BytesIO(make(report, "xlsx")))
    header, *rows = list(book["Sammanfattning"].values)
    for row in rows:
        count = dict(zip(header, row, strict=True))["Händelser"]
        assert count is None or (count >= 5 and count % 5 == 0), row
    for part in report.focus:
        shown = pd.to_numeric(part.monthly[part.key], errors="coerce").dropna()
        assert ((shown >= 5) & (shown % 5 == 0)).all()


def test_file_names_are_plain_ascii(report):
    assert file_name(report, "pdf") == "uppfoljning-ekviken-2022-01-01-2022-10-16.pdf"
