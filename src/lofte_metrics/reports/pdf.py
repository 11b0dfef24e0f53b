"""The report as PDF for the kommunfullmäktige's papers, typeset by Typst (``report.typ``) from
the report's numbers and words, with the charts as vector graphics from plotly's static export."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import typst

from ..formatting import fmt_date, fmt_datetime, fmt_number, fmt_period, plural
from .content import Report
from .figures import figures
from .images import ChartsUnavailable, to_svg

TEMPLATE = Path(__file__).with_name("report.typ")
_NUMBER_SPACE = re.compile(r"(?<=\d)\u00a0(?=\d)")


def _typeset(value: Any) -> Any:
    """Swedish typography in print: a thin no-break space between thousands (1 234)."""
    if isinstance(value, str):
        return _NUMBER_SPACE.sub("\u202f", value)
    if isinstance(value, list):
        return [_typeset(v) for v in value]
    if isinstance(value, dict):
        return {k: _typeset(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_number(value)
    if hasattr(value, "isoformat"):
        return fmt_date(value, short=True)
    return str(value)


def _verdict(v: Any) -> dict[str, str]:
    return {"tone": v.tone, "headline": v.headline, "activities": v.activities, "incidents": v.incidents}


def pdf_data(report: Report, svgs: dict[str, str], chart_note: str | None = None) -> dict[str, Any]:
    """What the template prints, as JSON-ready values."""
    p = report.promise
    live = report.live
    done = int(live["done"].sum()) if len(live) else 0
    planned = int(live["planned_count"].sum()) if len(live) else 0
    totals = (f"Av {fmt_number(report.activity_count)} aktiviteter är {fmt_number(report.completed)} genomförda och "
              f"{fmt_number(report.overdue)} försenade. Totalt har {fmt_number(done)} av {fmt_number(planned)} "
              "planerade genomföranden gjorts.")  # fmt: skip
    if chart_note:
        totals += f" ({chart_note})"
    signed = None
    if p and p.signed_date:
        signed = f"Undertecknat {fmt_date(p.signed_date)}" + (f" av {', '.join(p.signatories)}" if p.signatories
                                                               else "") + "."  # fmt: skip
    focus = []
    for part in report.focus:
        s = part.summary
        focus.append({
            "name": part.name, "verdict": _verdict(part.verdict), "text": part.text,
            "picture": s.latest_text, "picture_label": s.latest_label or "",
            "picture_state": f"godkänd av {s.latest_approved_by or 'styrgruppen'} "
                             f"{fmt_date(s.latest_approved_at.date()) if s.latest_approved_at else ''}".strip(),
            "chart": svgs.get(f"focus:{part.key}"),
            "activities": [[_cell(v) for v in row] for row in part.activities.itertuples(index=False)],
        })  # fmt: skip
    indicators = [[_cell(r["Indikator"]), _cell(r["Senaste"]), _cell(r["Utgångsläge"]), _cell(r["Mål"]),
                   _cell(r["Bedömning"])] for _, r in report.indicator_rows.iterrows()]  # fmt: skip
    period = fmt_period(report.start, report.end)
    return _typeset(
        {
            "title": report.title,
            "period": period,
            "who": f"{report.kommun.official_name} och {p.police_area}" if p else report.kommun.official_name,
            "signed": signed,
            "as_of": fmt_date(report.as_of),
            "last_import": fmt_datetime(report.last_import),
            "made_at": fmt_datetime(report.made_at),
            "footer": f"{report.title} · {period} · skapad {fmt_datetime(report.made_at)}",
            "overall": _verdict(report.overall),
            "totals": totals,
            "plan": svgs.get("plan"),
            "focus": focus,
            "indicators": indicators,
            "indicator_charts": [svg for name, svg in svgs.items() if name.startswith("indicator:")],
            "privacy": (
                f"Antal finare än hela kommunen räknas över hela veckor, avrundas till femtal och visas inte "
                f"under {plural(report.min_count, 'händelse', 'händelser')}. Känsliga brottstyper ingår bara "
                "i kommunens summor."
            ),  # fmt: skip
            "method": (
                f"Rapporten bygger på data t.o.m. {fmt_date(report.as_of)}. Förändringar i antal händelser "
                "prövas mot lika lång period närmast innan med ett exakt Poisson-test; små förändringar kan bero "
                "på slumpen och beskrivs då så. Lägesbilder är styrgruppens godkända texter."
            ),  # fmt: skip
        }
    )


def write_pdf(report: Report, svgs: dict[str, str] | None = None) -> bytes:
    """The PDF; ``svgs`` are the charts when they are already drawn (else they are drawn here)."""
    note = None
    if svgs is None:
        try:
            svgs = to_svg(figures(report))
        except ChartsUnavailable as exc:
            svgs, note = {}, str(exc)
    data = json.dumps(pdf_data(report, svgs, note), ensure_ascii=False, default=str)
    return bytes(typst.compile(str(TEMPLATE), sys_inputs={"data": data}))
