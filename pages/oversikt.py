"""Översikt: are we doing what we promised? One card per focus area."""

import streamlit as st

from lofte_metrics import queries as q
from lofte_metrics.context import setup_page
from lofte_metrics.formatting import fmt_date, fmt_number, fmt_percent
from lofte_metrics.summary import summarise
from lofte_metrics.widgets import change_metric, status_badge

ctx = setup_page("Översikt")
f = ctx.filters
if ctx.promise:
    p = ctx.promise
    signed = f", undertecknat {fmt_date(p.signed_date)}" if p.signed_date else ""
    st.markdown(f"**{p.title}** – {p.kommun_name} kommun och {p.police_area}{signed}.")

summaries = summarise(
    {k: ctx.focus_name(k) for k in ctx.selected_focus},
    ctx.q(q.activity_list, f, ctx.as_of),
    ctx.q(q.incident_totals, f, "focus"),
    ctx.q(q.incident_totals, f.previous(), "focus"),
    ctx.q(q.presence_totals, f, "focus"),
    ctx.q(q.situation_pictures, f.start, min(f.end, ctx.as_of)),
    ctx.as_of,
)

columns = st.columns(len(summaries) or 1, gap="medium")
for column, s in zip(columns, summaries, strict=False):
    with column.container(border=True):
        st.subheader(s.name)
        status_badge(s.status)
        st.metric(
            "Genomfört av planerat",
            f"{fmt_number(s.done)} av {fmt_number(s.planned)}",
            f"väntat nu: {fmt_number(s.expected)} ({fmt_percent(s.expected_share)})",
            delta_color="off",
            delta_arrow="off",
        )
        st.progress(min(1.0, s.done_share), text=f"{fmt_percent(s.done_share)} av planen")
        if s.overdue:
            st.markdown(f":red[**{fmt_number(s.overdue)} försenade aktiviteter**]")
        else:
            st.markdown("Inga försenade aktiviteter")
        change_metric("Händelser i perioden", s.incidents, help="Jämfört med lika lång period närmast innan.")
        st.metric("Närvarotimmar", fmt_number(s.presence_hours))
        if s.latest_text:
            st.markdown(f"**Lägesbild, {s.latest_label}**")
            st.text(s.latest_text)
        else:
            st.caption("Ingen lägesbild för perioden ännu.")

st.caption(
    "Väntat nu = varje aktivitets planerade antal gånger den andel av dess tid som har gått. "
    "Grön: minst 90 % av det väntade är gjort, gul: minst 70 %, röd: mindre. "
    "Förändringen i händelser prövas mot perioden innan med ett exakt Poisson-test (5 % nivå)."
)
