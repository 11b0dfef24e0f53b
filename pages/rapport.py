"""Rapport: a period report for the kommunalråd, written from the numbers (preview)."""

import datetime as dt

import streamlit as st

from lofte_metrics import queries as q
from lofte_metrics.activities import activity_table
from lofte_metrics.charts import burn_up_figure, trend_figure
from lofte_metrics.context import setup_page
from lofte_metrics.formatting import fmt_date, fmt_number, fmt_period
from lofte_metrics.indicators import indicator_table
from lofte_metrics.metrics import burn_up, burn_up_done, fill_periods
from lofte_metrics.summary import paragraph, summarise

ctx = setup_page("Rapport")
f = ctx.filters
end = min(f.end, ctx.as_of)
p = ctx.promise

with st.container(border=True):
    st.header(f"{p.title if p else 'Löftesuppföljning'}: uppföljning {fmt_period(f.start, end)}")
    if p:
        st.text(p.summary or "")
        st.caption(
            f"{p.kommun_name} kommun och {p.police_area}. Undertecknat {fmt_date(p.signed_date)} av "
            f"{', '.join(p.signatories)}. Underlaget sammanställt {fmt_date(ctx.as_of)}."
        )

    activities = ctx.q(q.activity_list, f, ctx.as_of)
    summaries = summarise(
        {k: ctx.focus_name(k) for k in ctx.selected_focus},
        activities,
        ctx.q(q.incident_totals, f.with_period(f.start, end), "focus"),
        ctx.q(q.incident_totals, f.with_period(f.start, end).previous(), "focus"),
        ctx.q(q.presence_totals, f.with_period(f.start, end), "focus"),
        ctx.q(q.situation_pictures, f.start, end),
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
        reports = ctx.q(q.reports_per_period, q.Filters(p.period_start, p.period_end, f.focus_keys), "week")
        st.plotly_chart(
            burn_up_figure(plan, burn_up_done(reports, p.period_start, p.period_end, ctx.as_of), ctx.as_of),
            config={"displaylogo": False},
            key="report_burnup",
        )

    for s in summaries:
        st.subheader(s.name)
        st.text(paragraph(s))
        one = f.with_period(f.start.replace(day=1), end)
        one = q.Filters(one.start, one.end, (s.key,), None, f.area_codes, f.sources)
        monthly = fill_periods(ctx.q(q.incident_counts, one, "month", "focus"), one.start, one.end, "month", [s.key])
        ly = one.last_year()
        last_year = fill_periods(ctx.q(q.incident_counts, ly, "month", "focus"), ly.start, ly.end, "month", [s.key])
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

    indicators = ctx.q(q.indicator_series, tuple(ctx.selected_focus))
    if not indicators.empty:
        st.subheader("Indikatorer")
        st.dataframe(indicator_table(indicators), hide_index=True)
    st.caption(
        f"Rapporten bygger på data t.o.m. {fmt_date(ctx.as_of)}. Förändringar i antal händelser prövas med ett "
        "exakt Poisson-test; små förändringar kan bero på slumpen och beskrivs då så. "
        f"Utskriven {fmt_date(dt.date.today())}."
    )
