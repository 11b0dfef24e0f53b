"""The report as Excel: the numbers behind every chart and table, one sheet each, as real numbers
and dates with Swedish-readable formats, and a first sheet saying what the data is and how fresh."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..activities import OWNER_LABELS, STATUS_LABELS
from ..formatting import fmt_date, fmt_datetime, iso_week_label, month_label
from ..summary import STATUS_WORDS
from .content import Report

INTEGER = "#,##0"
DECIMAL = "#,##0.0"
PERCENT = "0%"
DATE = "yyyy-mm-dd"
TONE_WORDS = {"bra": "Bra", "blandat": "Blandat", "dåligt": "Kräver åtgärd", "okänt": "Inget att bedöma"}


def _value(value: Any) -> Any:
    """A cell's value: NA and NaN are empty, numpy numbers plain Python, timestamps dates."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]], formats: dict[str, str],
           widths: dict[str, int] | None = None) -> Worksheet:  # fmt: skip
    ws = book.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append([_value(v) for v in row])
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = (widths or {}).get(name, max(12, min(60, len(name) + 4)))
        if name in formats:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = formats[name]
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    if rows:
        ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        table = Table(displayName=f"T_{len(book.sheetnames)}", ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    return ws


def _about(book: Workbook, report: Report) -> None:
    ws = book.active
    ws.title = "Om rapporten"
    p = report.promise
    rows: list[tuple[str, Any]] = [
        ("Rapport", f"{report.title}: uppföljning"),
        ("Kommun", report.kommun.official_name),
        ("Kommunkod", report.kommun.code),
        ("Lokalpolisområde", p.police_area if p else report.kommun.police_area),
        ("Område", report.area or report.kommun.official_name),
        ("Period från", report.start),
        ("Period till", report.end),
        ("Data t.o.m.", report.as_of),
        ("Senast inläst", fmt_datetime(report.last_import)),
        ("Skapad", fmt_datetime(report.made_at)),
        ("Bedömning", report.overall.headline),
        ("Aktiviteterna", report.overall.activities),
        ("Händelserna", report.overall.incidents),
        (
            "Integritet",
            f"Antal finare än hela kommunen räknas över hela veckor, avrundas till femtal och visas "
            f"inte under {report.min_count} (tom cell). Känsliga brottstyper ingår bara i kommunens "
            "summor.",
        ),  # fmt: skip
        ("Förändringar", "Prövade mot lika lång period närmast innan med ett exakt Poisson-test (5 % nivå)."),
        ("Bladen", "Sammanfattning; Plan och genomfört; Händelser per månad; Aktiviteter; Indikatorer."),
    ]
    for label, value in rows:
        ws.append([label, value])
        if isinstance(value, dt.date):
            ws.cell(ws.max_row, 2).number_format = DATE
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 110
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
    for (cell,) in ws.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")


def _summary(book: Workbook, report: Report) -> None:
    header = ["Fokusområde", "Bedömning", "I ord", "Aktiviteter", "Genomförda aktiviteter", "Försenade",
              "Inställda", "Planerade genomföranden", "Gjorda genomföranden", "Väntat nu", "Andel gjord",
              "Andel väntad", "Status", "Händelser", "Händelser perioden innan", "Förändring", "Säkerställd",
              "Närvarotimmar", "Text"]  # fmt: skip
    rows = []
    for part in report.focus:
        s, c = part.summary, part.summary.incidents
        rows.append([
            s.name, TONE_WORDS[part.verdict.tone], part.verdict.headline, s.activities, s.completed, s.overdue,
            s.cancelled, s.planned, s.done, round(s.expected, 1), s.done_share if s.planned else None,
            s.expected_share if s.planned else None, STATUS_WORDS[s.status] if s.planned else None,
            c.current if c else None, c.previous if c else None, c.change if c and c.change is not None else None,
            ("ja" if c.significant else "nej") if c else None, s.presence_hours, part.text,
        ])  # fmt: skip
    _sheet(book, "Sammanfattning", header, rows,
           {"Aktiviteter": INTEGER, "Genomförda aktiviteter": INTEGER, "Försenade": INTEGER, "Inställda": INTEGER,
            "Planerade genomföranden": INTEGER, "Gjorda genomföranden": INTEGER, "Väntat nu": DECIMAL,
            "Andel gjord": PERCENT, "Andel väntad": PERCENT, "Händelser": INTEGER,
            "Händelser perioden innan": INTEGER, "Förändring": "+0%;-0%;0%", "Närvarotimmar": INTEGER},
           {"Fokusområde": 30, "I ord": 50, "Text": 90})  # fmt: skip


def _plan(book: Workbook, report: Report) -> None:
    done = dict(zip(report.done["week"], report.done["done"], strict=True)) if len(report.done) else {}
    rows = [[iso_week_label(w.date()), w.date(), planned, done.get(w)]
            for w, planned in zip(report.plan["week"], report.plan["planned"], strict=True)]  # fmt: skip
    header = ["Vecka", "Veckans måndag", "Plan (ackumulerat)", "Genomfört (ackumulerat)"]
    formats = {"Veckans måndag": DATE, "Plan (ackumulerat)": DECIMAL, "Genomfört (ackumulerat)": INTEGER}
    _sheet(book, "Plan och genomfört", header, rows, formats)


def _monthly(book: Workbook, report: Report) -> None:
    rows = []
    for part in report.focus:
        earlier = list(part.last_year[part.key]) if part.key in part.last_year else []
        for i, (month, count) in enumerate(zip(part.monthly.index, part.monthly[part.key], strict=True)):
            rows.append([part.name, month_label(month.date()), month.date(), count,
                         earlier[i] if i < len(earlier) else None])  # fmt: skip
    _sheet(book, "Händelser per månad", ["Fokusområde", "Månad", "Månadens första dag", "Händelser",
                                         "Samma månad året innan"], rows,
           {"Månadens första dag": DATE, "Händelser": INTEGER, "Samma månad året innan": INTEGER},
           {"Fokusområde": 30})  # fmt: skip


def _activities(book: Workbook, report: Report) -> None:
    names = {part.key: part.name for part in report.focus}
    a = report.activities
    rows = [[names.get(row.focus_key, row.focus_key), row.commitment_ref, row.ref, row.title,
             OWNER_LABELS.get(row.owner, row.owner), row.responsible_unit, row.planned_start, row.planned_end,
             "Försenad" if row.overdue else STATUS_LABELS.get(row.status, row.status), row.done, row.planned_count,
             (row.done / row.planned_count) if row.planned_count else None]
            for row in a.itertuples(index=False)]  # fmt: skip
    _sheet(book, "Aktiviteter", ["Fokusområde", "Åtagande", "Id", "Aktivitet", "Ägare", "Ansvarig", "Start", "Slut",
                                 "Status", "Gjort", "Planerat", "Andel"], rows,
           {"Start": DATE, "Slut": DATE, "Gjort": INTEGER, "Planerat": INTEGER, "Andel": PERCENT},
           {"Fokusområde": 28, "Aktivitet": 50, "Ansvarig": 28})  # fmt: skip


def _indicators(book: Workbook, report: Report) -> None:
    i = report.indicators
    rows = [[row.name, row.period_label, row.period_start, row.value, row.baseline, row.target, row.unit,
             "ja" if row.higher_is_better else "nej", row.source] for row in i.itertuples(index=False)]  # fmt: skip
    _sheet(book, "Indikatorer", ["Indikator", "Period", "Periodens början", "Värde", "Utgångsläge", "Mål", "Enhet",
                                 "Högre är bättre", "Källa"], rows,
           {"Periodens början": DATE, "Värde": DECIMAL, "Utgångsläge": DECIMAL, "Mål": DECIMAL},
           {"Indikator": 50, "Källa": 30})  # fmt: skip


def write_xlsx(report: Report) -> bytes:
    book = Workbook()
    _about(book, report)
    _summary(book, report)
    _plan(book, report)
    _monthly(book, report)
    _activities(book, report)
    _indicators(book, report)
    book.properties.title = f"{report.title}: uppföljning {fmt_date(report.start)} – {fmt_date(report.end)}"
    book.properties.creator = "Löftesuppföljning"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
