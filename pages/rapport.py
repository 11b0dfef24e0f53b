"""Rapport: a period report for the kommunalråd, written from the numbers (preview)."""

import datetime as dt
from dataclasses import replace

import streamlit as st

from lofte_metrics import protected
from lofte_metrics import queries as q
from lofte_metrics.activities import activity_table
from lofte_metrics.charts import burn_up_figure, trend_figure
from lofte_metrics.context import setup_page
from lofte_metrics.formatting import fmt_date, fmt_number, fmt_period
from lofte_metrics.indicators import indicator_table
from lofte_metrics.metrics import burn_up, burn_up_done, fill_periods
from lofte_metrics.summary import paragraph, summarise
from lofte_metrics.ui.notices import no_promise_notice, unmapped_notice
from lofte_metrics.ui.text import escape_md

ctx = setup_page("Rapport")
f = ctx.filters
end = min(f.end, ctx.as_of)
p = ctx.promise
if p is None:
    no_promise_notice(ctx)
unmapped_notice(ctx)

with st.container(border=True):
    st.header(f"{escape_md(p.title if p else ctx.kommun.official_name)}: uppföljning {fmt_period(f.start, end)}",
              anchor=False)  # fmt: skip
    if p:
        st.text(p.summary or "")
        signed = (f" Undertecknat {fmt_date(p.signed_date)}" + (f" av {', '.join(p.signatories)}" if p.signatories
                  else "") + ".") if p.signed_date else ""  # fmt: skip
        st.text(f"{ctx.kommun.official_name} och {p.police_area}.{signed} Underlaget sammanställt "
                f"{fmt_date(ctx.as_of)}.")  # fmt: skip

    activities = ctx.q(q.activity_list, f, ctx.as_of)
    summaries = summarise(
        {k: ctx.focus_name(k) for k in ctx.selected_focus},
        activities,
        ctx.q(protected.focus_totals, f.with_period(f.start, end), ctx.policy),
        ctx.q(protected.focus_totals, f.with_period(f.start, end).previous(), ctx.policy),
        ctx.q(protected.presence_totals, f.with_period(f.start, end), ctx.policy),
        ctx.q(q.situation_pictures, f.start, end, ctx.kommunkod),
        ctx.as_of,
    )
    live = activities[activities["status"] != "inställd"]
    st.subheader("Sammanfattning")
    n_done = int((activities["status"] == "genomförd").sum())
    st.text(
        f"Av {fmt_number(len(activities))} aktiviteter är {fmt_number(n_done)} "
        f"genomförda och {fmt_number(int(activities['overdue'].sum()))} försenade. Totalt har "
        f"{fmt_number(int(live['done'].sum()))} av {fmt_number(int(live['planned_count'].sum()))} planerade "
        "genomföranden gjorts."
    )
    if p:
        plan = burn_up(live, p.period_start, p.period_end)
        reports = ctx.q(q.reports_per_period, replace(f, start=p.period_start, end=p.period_end), "week")
        st.plotly_chart(
            burn_up_figure(plan, burn_up_done(reports, p.period_start, p.period_end, ctx.as_of), ctx.as_of),
            config={"displaylogo": False},
            key="report_burnup",
        )

    for s in summaries:
        st.subheader(escape_md(s.name), anchor=False)
        st.text(paragraph(s))
        if s.latest_text:
            approved_day = s.latest_approved_at.date() if s.latest_approved_at else None
            state = (
                "utkast, ej godkänd"
                if s.latest_status == "utkast"
                else f"godkänd av {s.latest_approved_by or 'styrgruppen'} {fmt_date(approved_day)}"
            )
            st.markdown(f"**Styrgruppens lägesbild, {escape_md(s.latest_label)}** ({escape_md(state)})")
            st.text(s.latest_text)
        one = f.with_period(f.start.replace(day=1), end)
        one = replace(one, focus_keys=(s.key,))
        monthly = fill_periods(ctx.q(protected.series, one, "month", "focus", ctx.policy), one.start, one.end, "month",
                               [s.key])  # fmt: skip
        ly = one.last_year()
        last_year = fill_periods(ctx.q(protected.series, ly, "month", "focus", ctx.policy), ly.start, ly.end, "month",
                                 [s.key])  # fmt: skip
        fig = trend_figure(
            monthly,
            "month",
            {s.key: "Händelser per månad"},
            last_year=last_year,
            title=f"{s.name}: händelser per månad",
            as_of=ctx.as_of,
        )
        fig.update_layout(height=320)
        st.plotly_chart(fig, config={"displaylogo": False}, key=f"report_{s.key}")
        mine = activities[activities["focus_key"] == s.key]
        if not mine.empty:
            st.dataframe(
                activity_table(mine)[["Status", "Aktivitet", "Ägare", "Slut", "Gjort", "Planerat"]], hide_index=True
            )

    indicators = ctx.q(q.indicator_series, ctx.kommunkod, tuple(ctx.selected_focus))
    if not indicators.empty:
        st.subheader("Indikatorer")
        st.dataframe(indicator_table(indicators), hide_index=True)
    st.caption(
        f"Rapporten bygger på data t.o.m. {fmt_date(ctx.as_of)}. Förändringar i antal händelser prövas med ett "
        "exakt Poisson-test; små förändringar kan bero på slumpen och beskrivs då så. "
        f"Utskriven {fmt_date(dt.date.today())}."
    )
