"""Rapport: the period's report for the kommunalråd, written from the numbers, to read here and to
take away as PDF, PowerPoint or Excel (the same report object: the same numbers)."""

import streamlit as st

from lofte_metrics import reports
from lofte_metrics.context import setup_page
from lofte_metrics.formatting import fmt_date, fmt_datetime, fmt_number, fmt_period
from lofte_metrics.reports.content import assemble
from lofte_metrics.reports.figures import figures
from lofte_metrics.ui import wall_views
from lofte_metrics.ui.notices import no_promise_notice, unmapped_notice
from lofte_metrics.ui.text import escape_md
from lofte_metrics.widgets import full_table, verdict_box

ctx = setup_page("Rapport", key="rapport")
if ctx.wall:
    wall_views.show(ctx)
if ctx.promise is None:
    no_promise_notice(ctx)
unmapped_notice(ctx)
area = ctx.area_names.get(ctx.selection.area_code) if ctx.selection.area_code else None
report = ctx.q(assemble, ctx.filters, ctx.as_of, ctx.policy, {k: ctx.focus_name(k) for k in ctx.selected_focus},
               area)  # fmt: skip
charts = figures(report)

with st.container(border=True, key="downloads"):
    st.markdown("**Ta med rapporten**: för perioden och urvalet som visas här.")
    columns = st.columns(len(reports.FORMATS))
    for column, (fmt, (label, _)) in zip(columns, reports.FORMATS.items(), strict=True):
        column.download_button(
            f"Hämta som {label}",
            data=lambda fmt=fmt: reports.make(report, fmt),
            file_name=reports.file_name(report, fmt),
            mime=reports.MIME[fmt],
            icon=":material/download:",
            key=f"report_{fmt}",
            on_click="ignore",
            width="stretch",
        )
    st.caption("PDF för fullmäktiges handlingar, PowerPoint för styrgruppen, Excel med siffrorna bakom varje diagram "
               "och tabell. PDF:en tar några sekunder att göra.")  # fmt: skip

with st.container(border=True):
    st.header(f"{escape_md(report.title)}: uppföljning {fmt_period(report.start, report.end)}", anchor=False)
    p = report.promise
    if p:
        st.text(p.summary or "")
        signed = (f" Undertecknat {fmt_date(p.signed_date)}" + (f" av {', '.join(p.signatories)}" if p.signatories
                  else "") + ".") if p.signed_date else ""  # fmt: skip
        st.text(f"{ctx.kommun.official_name} och {p.police_area}.{signed} Data t.o.m. {fmt_date(report.as_of)}, "
                f"senast inläst {fmt_datetime(report.last_import)}.")  # fmt: skip

    st.subheader("Sammanfattning", anchor=False)
    verdict_box(report.overall)
    live = report.live
    st.text(
        f"Av {fmt_number(report.activity_count)} aktiviteter är {fmt_number(report.completed)} genomförda och "
        f"{fmt_number(report.overdue)} försenade. Totalt har {fmt_number(int(live['done'].sum()) if len(live) else 0)}"
        f" av {fmt_number(int(live['planned_count'].sum()) if len(live) else 0)} planerade genomföranden gjorts."
    )
    if "plan" in charts:
        st.plotly_chart(charts["plan"], config={"displaylogo": False}, key="report_burnup")

    for part in report.focus:
        s = part.summary
        st.subheader(escape_md(part.name), anchor=False)
        verdict_box(part.verdict, level="#####")
        st.text(part.text)
        if s.latest_text:
            approved = f"godkänd av {s.latest_approved_by or 'styrgruppen'} {fmt_datetime(s.latest_approved_at)}"
            st.markdown(f"**Styrgruppens lägesbild, {escape_md(s.latest_label)}** ({escape_md(approved)})")
            st.text(s.latest_text)
        st.plotly_chart(charts[f"focus:{part.key}"], config={"displaylogo": False}, key=f"report_{part.key}")
        if len(part.activities):
            full_table(part.activities, key=f"report_table_{part.key}")

    if len(report.indicator_rows):
        st.subheader("Indikatorer", anchor=False)
        full_table(report.indicator_rows, key="report_indicators")
    st.caption(
        f"Rapporten bygger på data t.o.m. {fmt_date(report.as_of)}. Förändringar i antal händelser prövas med ett "
        "exakt Poisson-test; små förändringar kan bero på slumpen och beskrivs då så. Lägesbilder är styrgruppens "
        f"godkända texter. Sammanställd {fmt_datetime(report.made_at)}."
    )
