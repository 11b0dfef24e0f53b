"""Trender: is it getting better? Series per focus area and type, against last year."""

import datetime as dt

import pandas as pd
import streamlit as st

from lofte_metrics import protected
from lofte_metrics import queries as q
from lofte_metrics.charts import indicator_figure, trend_figure
from lofte_metrics.context import init_state, set_param, setup_page
from lofte_metrics.formatting import fmt_number, plural
from lofte_metrics.metrics import fill_periods, moving_average
from lofte_metrics.trends import latest_change, type_changes
from lofte_metrics.ui import wall_views
from lofte_metrics.ui.notices import link, unmapped_notice
from lofte_metrics.ui.text import escape_md
from lofte_metrics.widgets import change_arrow, change_colour, full_table

GRAINS = {"week": "Vecka", "month": "Månad"}
BREAKDOWNS = {"focus": "Fokusområde", "type": "Händelsetyp"}
WINDOWS = {"week": 4, "month": 3}

ctx = setup_page("Trender", key="trender")
if ctx.wall:
    wall_views.show(ctx)
f = ctx.filters
unmapped_notice(ctx)

params = st.query_params
init_state("tr_grain", "month" if params.get("niva") == "manad" else "week")
init_state("tr_by", "type" if params.get("per") == "typ" else "focus")
init_state("tr_last_year", params.get("fjol", "1") != "0")
init_state("tr_acts", params.get("aktiviteter", "1") != "0")

c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
grain = c1.segmented_control("Tidsindelning", list(GRAINS), format_func=GRAINS.get, key="tr_grain") or "week"
by = c2.segmented_control("Dela upp per", list(BREAKDOWNS), format_func=BREAKDOWNS.get, key="tr_by") or "focus"
show_last_year = c3.toggle("Samma period året innan", key="tr_last_year")
show_activities = c4.toggle("Visa genomförda aktiviteter", key="tr_acts")
set_param("niva", "manad" if grain == "month" else None)
set_param("per", "typ" if by == "type" else None)
set_param("fjol", None if show_last_year else "0")
set_param("aktiviteter", None if show_activities else "0")

end = min(f.end, ctx.as_of)
window = WINDOWS[grain]
# Read a few periods before the start so the moving average is defined from the first one.
lead = dt.timedelta(weeks=window) if grain == "week" else dt.timedelta(days=31 * window)
wide = f.with_period(f.start - lead, end)
counts = ctx.q(protected.series, wide, grain, by, ctx.policy)
if by == "focus":
    keys = ctx.selected_focus
    names = {k: ctx.focus_name(k) for k in keys}
else:
    totals = ctx.q(protected.type_totals, f.with_period(f.start, end), ctx.policy, with_sensitive=False)
    keys = list(totals["key"].head(6))
    names = {k: k for k in keys}
    if len(totals) > 6:
        st.caption(f"De {len(keys)} vanligaste händelsetyperna av {fmt_number(len(totals))} i perioden.")

table_wide = fill_periods(counts, wide.start, end, grain, keys)
start_ts = pd.Timestamp(f.start - dt.timedelta(days=f.start.weekday()) if grain == "week" else f.start.replace(day=1))
table = table_wide[table_wide.index >= start_ts]
moving = table_wide.apply(lambda s: moving_average(s.astype(float), window))
moving = moving[moving.index >= start_ts]

last_year = None
if show_last_year:
    # The same ISO weeks (52 weeks = 364 days back) or the same months a year earlier.
    shift = pd.DateOffset(weeks=52) if grain == "week" else pd.DateOffset(years=1)
    ly_start = (start_ts - shift).date()
    ly_end = (pd.Timestamp(end) - shift).date()
    ly_counts = ctx.q(protected.series, f.with_period(ly_start, ly_end), grain, by, ctx.policy)
    last_year = fill_periods(ly_counts, ly_start, ly_end, grain, keys)

reports = ctx.q(q.reports_per_period, f.with_period(start_ts.date(), end), grain) if show_activities else None


def activity_markers(key: str) -> pd.Series | None:
    if reports is None:
        return None
    mine = reports[reports["focus_key"] == key] if by == "focus" else reports
    return mine.groupby("period")["count"].sum().reindex(table.index, fill_value=0)


period_total = int(counts.loc[counts["period"] >= start_ts, "count"].sum()) if not counts.empty else 0
if table.empty or not keys or (by == "focus" and period_total == 0):
    everything = ctx.q(q.focus_coverage, f.with_period(f.start, end), tuple(ctx.focus_keys))["total"]
    if everything:
        st.info(f"Ingen av periodens {plural(everything, 'händelse', 'händelser')} hör till de valda "
                "fokusområdena. Välj fler fokusområden, dela upp per händelsetyp, eller ange fokusområden för "
                "händelsetyperna.")  # fmt: skip
        link("handelsetyper")
    else:
        st.info("Inga händelser i den valda perioden.")
else:
    for key in keys:
        fig = trend_figure(
            table[[key]],
            grain,
            {key: names[key]},
            moving[[key]],
            last_year[[key]] if last_year is not None else None,
            activity_markers(key),
            title=names[key],
            as_of=ctx.as_of,
        )
        fig.update_layout(height=380)
        st.plotly_chart(fig, config={"displaylogo": False}, key=f"trend_{key}")
    st.caption(
        f"Heldragen linje: antal per {GRAINS[grain].lower()}. Prickad: glidande medelvärde över {window} "
        f"{'veckor' if grain == 'week' else 'månader'}. Streckad: samma {'veckor' if grain == 'week' else 'månader'} "
        "året innan. Trianglar: genomförda aktiviteter. Sista perioden kan vara ofullständig."
    )

    st.subheader("Senaste förändringen")
    cols = st.columns(len(keys) or 1)
    for col, key in zip(cols, keys, strict=False):
        result = latest_change(table_wide[key], grain, ctx.as_of, baseline_periods=8 if grain == "week" else 3)
        with col.container(border=True):
            st.markdown(f"**{escape_md(names[key])}**")
            per = "vecka" if grain == "week" else "månad"
            if result.change is None:
                st.metric(result.label, "–", result.verdict, delta_color="off", delta_arrow="off")
                st.caption(f"Färre än {ctx.policy.k} händelser i någon av perioderna: visas inte.")
            else:
                st.metric(
                    result.label,
                    fmt_number(result.change.current),
                    result.verdict,
                    delta_color=change_colour(result.change),
                    delta_arrow=change_arrow(result.change),
                )
                st.caption(f"Snitt {fmt_number(result.baseline_mean, 1)} per {per} perioderna innan")

if by == "type":
    st.subheader("Händelsetyper mot året innan")
    now_types = ctx.q(protected.type_totals, f.with_period(f.start, end), ctx.policy)
    before_types = ctx.q(protected.type_totals, f.with_period(f.start, end).last_year(), ctx.policy)
    full_table(type_changes(now_types, before_types), key="trend_types")

indicators = ctx.q(q.indicator_series, ctx.kommunkod, tuple(ctx.selected_focus))
if not indicators.empty:
    st.subheader("Indikatorer")
    st.caption("Mätningar med utgångsläge och mål, t.ex. polisens trygghetsmätning.")
    keys_ind = list(dict.fromkeys(indicators["key"]))
    cols = st.columns(2)
    for i, key in enumerate(keys_ind):
        series = indicators[indicators["key"] == key]
        with cols[i % 2]:
            st.plotly_chart(indicator_figure(series), config={"displaylogo": False}, key=f"ind_{key}")
            better = "högre är bättre" if bool(series["higher_is_better"].iloc[0]) else "lägre är bättre"
            st.caption(f"Källa: {escape_md(series['source'].iloc[0] or 'okänd')} · {better}")
