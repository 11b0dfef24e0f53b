"""The report as PowerPoint for the steering group's own meetings: a title slide, an overview of
the promise as a whole, the plan against what is done, one slide per fokusområde (its verdict, a
chart and three lines of text) and the indicators. Text is text and charts are PowerPoint charts,
so both can be edited."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Emu, Inches, Pt

from ..formatting import fmt_date, fmt_datetime, fmt_number, fmt_percent, fmt_period, iso_week_label, month_label
from .content import FocusPart, Report

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
INK = RGBColor(0x11, 0x14, 0x18)
GREY = RGBColor(0x5F, 0x6B, 0x76)
TONE_COLOURS = {
    "bra": RGBColor(0x2E, 0x7D, 0x32),
    "blandat": RGBColor(0xB2, 0x6A, 0x00),
    "dåligt": RGBColor(0xC6, 0x28, 0x28),
    "okänt": GREY,
}
FOCUS_COLOURS = [RGBColor(0x0B, 0x4F, 0x8A), RGBColor(0xD1, 0x49, 0x5B), RGBColor(0x2E, 0x85, 0x40)]
MARGIN = Inches(0.6)


def _text(
    slide: Any,
    left: Emu,
    top: Emu,
    width: Emu,
    height: Emu,
    lines: list[tuple[str, int, bool, RGBColor]],
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
) -> None:
    """A text box of paragraphs: (text, size in points, bold, colour)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for i, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size * 0.5)
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour


def _title(slide: Any, title: str, subtitle: str, report: Report) -> None:
    _text(slide, MARGIN, Inches(0.35), WIDTH - 2 * MARGIN, Inches(0.9), [(title, 32, True, INK)])
    _text(slide, MARGIN, Inches(1.05), WIDTH - 2 * MARGIN, Inches(0.5), [(subtitle, 14, False, GREY)])
    footer = (
        f"{report.kommun.official_name} · {fmt_period(report.start, report.end)} · data t.o.m. {fmt_date(report.as_of)}"
    )
    _text(slide, MARGIN, HEIGHT - Inches(0.5), WIDTH - 2 * MARGIN, Inches(0.35), [(footer, 11, False, GREY)])


def _line_chart(
    slide: Any,
    left: Emu,
    top: Emu,
    width: Emu,
    height: Emu,
    categories: list[str],
    series: list[tuple[str, list[float | None], RGBColor, bool]],
    number_format: str = "#,##0",
) -> None:
    data = CategoryChartData(number_format=number_format)
    data.categories = categories
    for name, values, _, _ in series:
        data.add_series(name, [None if v is None or pd.isna(v) else float(v) for v in values])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, left, top, width, height, data).chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(12)
    chart.category_axis.tick_labels.font.size = Pt(11)
    chart.value_axis.tick_labels.font.size = Pt(11)
    chart.value_axis.has_major_gridlines = True
    for plot_series, (_, _, colour, dashed) in zip(chart.plots[0].series, series, strict=True):
        line = plot_series.format.line
        line.color.rgb = colour
        line.width = Pt(1.5 if dashed else 3)
        if dashed:
            line.dash_style = 4  # MSO_LINE.DASH
        plot_series.smooth = False
        plot_series.marker.format.fill.solid()
        plot_series.marker.format.fill.fore_color.rgb = colour


def _table(
    slide: Any,
    left: Emu,
    top: Emu,
    width: Emu,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    size: int = 14,
) -> None:
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width, Inches(0.4) * (len(rows) + 1))
    table = shape.table
    for i, share in enumerate(widths):
        table.columns[i].width = int(width * share)
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0


def _cover(prs: Any, report: Report) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    p = report.promise
    lines = [(report.title, 40, True, INK), (f"Uppföljning {fmt_period(report.start, report.end)}", 24, False, INK)]
    who = f"{report.kommun.official_name} och {p.police_area}" if p else report.kommun.official_name
    lines += [
        (who, 18, False, GREY),
        (f"Data t.o.m. {fmt_date(report.as_of)} · skapad {fmt_datetime(report.made_at)}", 14, False, GREY),
    ]
    _text(slide, MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(3.5), lines)


def _overview(prs: Any, report: Report) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    v = report.overall
    _title(slide, "Löftet som helhet", f"Uppföljning {fmt_period(report.start, report.end)}", report)
    _text(
        slide,
        MARGIN,
        Inches(1.6),
        WIDTH - 2 * MARGIN,
        Inches(2.3),
        [(v.headline, 20, True, TONE_COLOURS[v.tone]), (v.activities, 15, False, INK), (v.incidents, 15, False, INK)],
    )
    rows = []
    for part in report.focus:
        s, c = part.summary, part.summary.incidents
        done = f"{fmt_number(s.done)} av {fmt_number(s.planned)} ({fmt_percent(s.done_share)})" if s.planned else "–"
        rows.append([part.name, part.verdict.headline, done, c.wording() if c else "för få för att visas"])
    _table(
        slide,
        MARGIN,
        Inches(4.1),
        WIDTH - 2 * MARGIN,
        ["Fokusområde", "Bedömning", "Genomfört av planerat", "Händelser mot perioden innan"],
        rows,
        [0.22, 0.34, 0.18, 0.26],
    )


def _plan(prs: Any, report: Report) -> None:
    if report.promise is None or not len(report.plan):
        return
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    live = report.live
    done = int(live["done"].sum()) if len(live) else 0
    planned = int(live["planned_count"].sum()) if len(live) else 0
    _title(
        slide,
        "Plan och genomfört",
        f"{fmt_number(done)} av {fmt_number(planned)} planerade genomföranden "
        f"gjorda; {fmt_number(report.overdue)} aktiviteter försenade",
        report,
    )
    done_by_week = dict(zip(report.done["week"], report.done["done"], strict=True))
    weeks = list(report.plan["week"])
    _line_chart(
        slide,
        MARGIN,
        Inches(1.6),
        WIDTH - 2 * MARGIN,
        Inches(5.2),
        [iso_week_label(w.date()) for w in weeks],
        [
            ("Plan (ackumulerat)", list(report.plan["planned"]), GREY, True),
            ("Genomfört (ackumulerat)", [done_by_week.get(w) for w in weeks], FOCUS_COLOURS[0], False),
        ],
    )


def _focus(prs: Any, report: Report, part: FocusPart, index: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    v = part.verdict
    _title(slide, part.name, "Händelser per månad och samma månader året innan", report)
    months = list(part.monthly.index)
    earlier = list(part.last_year[part.key]) if part.key in part.last_year else []
    earlier = (earlier + [None] * len(months))[: len(months)]
    colour = FOCUS_COLOURS[index % len(FOCUS_COLOURS)]
    _line_chart(
        slide,
        MARGIN,
        Inches(1.6),
        Inches(7.4),
        Inches(5.2),
        [month_label(m.date(), short=True) for m in months],
        [("Händelser", list(part.monthly[part.key]), colour, False), ("Året innan", earlier, GREY, True)],
    )
    third = part.summary.latest_text or (
        f"{fmt_number(part.summary.overdue)} försenade aktiviteter."
        if part.summary.overdue
        else "Inga försenade aktiviteter."
    )
    if part.summary.latest_text:
        third = f"Lägesbild {part.summary.latest_label}: " + _first_sentence(third)
    _text(
        slide,
        Inches(8.3),
        Inches(1.6),
        WIDTH - Inches(8.3) - MARGIN,
        Inches(5.2),
        [
            (v.headline, 22, True, TONE_COLOURS[v.tone]),
            (v.activities, 16, False, INK),
            (v.incidents, 16, False, INK),
            (third, 16, False, INK),
        ],
    )


def _first_sentence(text: str, limit: int = 240) -> str:
    sentence = text.split(". ")[0].strip()
    sentence = sentence if sentence.endswith(".") else sentence + "."
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def _indicators(prs: Any, report: Report) -> None:
    rows = report.indicator_rows
    if not len(rows):
        return
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, "Indikatorer", "Senaste värde mot utgångsläge och mål", report)
    body = [
        [str(r["Indikator"]), str(r["Senaste"]), str(r["Utgångsläge"]), str(r["Mål"]), str(r["Bedömning"])]
        for _, r in rows.iterrows()
    ]
    _table(
        slide,
        MARGIN,
        Inches(1.6),
        WIDTH - 2 * MARGIN,
        ["Indikator", "Senaste", "Utgångsläge", "Mål", "Bedömning"],
        body,
        [0.42, 0.18, 0.11, 0.09, 0.2],
        size=13,
    )


def write_pptx(report: Report) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = f"{report.title}: uppföljning"
    prs.core_properties.author = "Löftesuppföljning"
    _cover(prs, report)
    _overview(prs, report)
    _plan(prs, report)
    for index, part in enumerate(report.focus):
        _focus(prs, report, part, index)
    _indicators(prs, report)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
