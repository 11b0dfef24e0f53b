"""Översikt: are we doing what we promised? One card per focus area."""

import streamlit as st

from lofte_metrics import protected
from lofte_metrics import queries as q
from lofte_metrics.context import setup_page
from lofte_metrics.formatting import fmt_date, fmt_datetime, fmt_number, fmt_percent, plural
from lofte_metrics.indicators import indicator_table
from lofte_metrics.summary import focus_verdict, overall_verdict, summarise
from lofte_metrics.ui import wall_views
from lofte_metrics.ui.notices import no_promise_notice, unmapped_notice
from lofte_metrics.ui.text import escape_md
from lofte_metrics.widgets import change_metric, full_table, verdict_box

ctx = setup_page("Översikt", key="oversikt")
if ctx.wall:
    wall_views.show(ctx)
f = ctx.filters
if ctx.promise:
    p = ctx.promise
    signed = f", undertecknat {fmt_date(p.signed_date)}" if p.signed_date else ""
    st.markdown(f"**{escape_md(p.title)}** – {escape_md(ctx.kommun.official_name)} och "
                f"{escape_md(p.police_area)}{signed}.")  # fmt: skip
else:
    no_promise_notice(ctx)
unmapped_notice(ctx)

summaries = summarise(
    {k: ctx.focus_name(k) for k in ctx.selected_focus},
    ctx.q(q.activity_list, f, ctx.as_of),
    ctx.q(protected.focus_totals, f, ctx.policy),
    ctx.q(protected.focus_totals, f.previous(), ctx.policy),
    ctx.q(protected.presence_totals, f, ctx.policy),
    ctx.q(q.situation_pictures, f.start, min(f.end, ctx.as_of), ctx.kommunkod),
    ctx.as_of,
)

if summaries:
    with st.container(border=True, key="overall"):
        verdict_box(overall_verdict(summaries), level="####")

has_presence = ctx.q(q.presence_exists, ctx.kommunkod)
columns = st.columns(len(summaries) or 1, gap="medium")
for column, s in zip(columns, summaries, strict=False):
    with column.container(border=True):
        st.subheader(escape_md(s.name), anchor=False)
        verdict = focus_verdict(s)
        verdict_box(verdict, level="#####")
        if s.planned:
            st.metric(
                "Genomfört av planerat",
                f"{fmt_number(s.done)} av {fmt_number(s.planned)}",
                f"väntat nu: {fmt_number(s.expected)} ({fmt_percent(s.expected_share)})",
                delta_color="off",
                delta_arrow="off",
            )
            st.progress(min(1.0, s.done_share), text=f"{fmt_percent(s.done_share)} av planen")
            if s.overdue:
                st.markdown(f":red[**{plural(s.overdue, 'försenad aktivitet', 'försenade aktiviteter')}**]")
            else:
                st.markdown("Inga försenade aktiviteter")
        else:
            st.caption("Inga aktiviteter är planerade i perioden för det här fokusområdet.")
        if s.incidents is None:
            st.metric("Händelser i perioden", f"färre än {ctx.policy.k}", help="För få i området för att visas.")
        else:
            change_metric("Händelser i perioden", s.incidents, help="Jämfört med lika lång period närmast innan.")
        if has_presence:
            st.metric("Närvarotimmar", fmt_number(s.presence_hours) if s.presence_hours is not None else "–")
        else:
            st.metric("Närvarotimmar", "–", help="Ingen närvaro är inläst (sidan Data, typen Närvaro).")
        if s.latest_text:
            draft = s.latest_status == "utkast"
            st.markdown(f"**Lägesbild, {escape_md(s.latest_label)}**" + (" :orange[(utkast, ej godkänd)]" if draft
                                                                          else ""))  # fmt: skip
            st.text(s.latest_text)
            if not draft and s.latest_approved_by:
                st.caption(f"Godkänd av {escape_md(s.latest_approved_by)} {fmt_datetime(s.latest_approved_at)}")
        else:
            st.caption("Ingen lägesbild för perioden ännu.")

if not summaries:
    st.info("Välj minst ett fokusområde i sidopanelen.")
indicators = ctx.q(q.indicator_series, ctx.kommunkod, tuple(ctx.selected_focus))
if len(indicators):
    st.subheader("Indikatorer mot mål", anchor=False)
    full_table(indicator_table(indicators).drop(columns=["Källa"]), key="overview_indicators")
st.caption(
    "Väntat nu = varje aktivitets planerade antal gånger den andel av dess tid som har gått. "
    "Enligt plan: minst 90 % av det väntade är gjort, något efter plan: minst 70 %, efter plan: mindre. "
    "Bedömningen väger ihop aktiviteterna och händelserna: en plan som följs bredvid en säkerställd ökning är "
    "blandat, inte bra. "
    "Förändringen i händelser prövas mot perioden innan med ett exakt Poisson-test (5 % nivå)."
)
