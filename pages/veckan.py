"""Veckan: what changed this ISO week? For the lokalpolisområdeschef's weekly review."""

import datetime as dt

import pandas as pd
import streamlit as st

from lofte_metrics import protected
from lofte_metrics import queries as q
from lofte_metrics.activities import OWNER_LABELS, activity_table
from lofte_metrics.charts import trend_figure
from lofte_metrics.context import init_state, set_param, setup_page
from lofte_metrics.formatting import fmt_date, fmt_number, iso_week_code, iso_week_label, parse_iso_week
from lofte_metrics.metrics import fill_periods
from lofte_metrics.privacy import DEFAULT_MAP_RESOLUTION
from lofte_metrics.ui import wall_views
from lofte_metrics.ui.notices import link, no_promise_notice, unmapped_notice
from lofte_metrics.ui.text import escape_md
from lofte_metrics.weekly import last_complete_week, week_choices, week_comparison
from lofte_metrics.widgets import change_arrow, change_colour, full_table

BASELINE_WEEKS = 8

ctx = setup_page("Veckan", key="veckan")
if ctx.wall:
    wall_views.show(ctx)
f = ctx.filters
unmapped_notice(ctx)
first_day = ctx.promise.period_start if ctx.promise else ctx.as_of - dt.timedelta(weeks=52)
weeks = week_choices(first_day - dt.timedelta(weeks=26), ctx.as_of)
default_week = last_complete_week(ctx.as_of)
wanted = st.query_params.get("vecka")
try:
    chosen = parse_iso_week(wanted) if wanted else default_week
except ValueError:
    st.warning(f"Veckan '{escape_md(wanted, 20)}' i länken kunde inte läsas (ÅÅÅÅ-Vnn); senaste hela veckan visas.")
    chosen = default_week
init_state("week", chosen if chosen in weeks else default_week)
monday = st.selectbox(
    "Vecka",
    weeks,
    key="week",
    format_func=lambda d: (
        f"{iso_week_label(d)} ({d.day}/{d.month}–{(d + dt.timedelta(days=6)).day}/{(d + dt.timedelta(days=6)).month})"
    ),
)
set_param("vecka", iso_week_code(monday) if monday != default_week else None)
sunday = monday + dt.timedelta(days=6)
week = f.with_period(monday, sunday)
before = f.with_period(monday - dt.timedelta(weeks=BASELINE_WEEKS), monday - dt.timedelta(days=1))
if sunday > ctx.as_of:
    st.info(f"Veckan är inte slut: data finns t.o.m. {fmt_date(ctx.as_of)}.")

st.subheader("Nya händelser")
comparison = week_comparison(
    ctx.q(protected.focus_totals, week, ctx.policy),
    ctx.q(protected.focus_totals, before, ctx.policy),
    ctx.selected_focus,
    BASELINE_WEEKS,
)
cols = st.columns(len(comparison) or 1)
for col, row in zip(cols, comparison, strict=False):
    with col.container(border=True):
        if row.change is None:
            st.metric(escape_md(ctx.focus_name(row.key)), "–", row.verdict, delta_color="off", delta_arrow="off")
            st.caption(f"Färre än {ctx.policy.k} händelser i området: visas inte.")
            continue
        st.metric(
            escape_md(ctx.focus_name(row.key)),
            fmt_number(row.change.current),
            row.verdict,
            delta_color=change_colour(row.change),
            delta_arrow=change_arrow(row.change),
        )
        st.caption(f"Snitt {fmt_number(row.baseline_mean, 1)} per vecka de {BASELINE_WEEKS} veckorna innan")

recent = f.with_period(before.start, sunday)
series = fill_periods(
    ctx.q(protected.series, recent, "week", "focus", ctx.policy), recent.start, recent.end, "week", ctx.selected_focus
)
fig = trend_figure(series, "week", {k: ctx.focus_name(k) for k in ctx.selected_focus})
fig.add_vrect(
    x0=pd.Timestamp(monday) - pd.Timedelta(days=3),
    x1=pd.Timestamp(monday) + pd.Timedelta(days=3),
    fillcolor="#edae49",
    opacity=0.25,
    line_width=0,
)
fig.update_layout(height=300)
st.plotly_chart(fig, config={"displaylogo": False})
st.caption(f"Händelser per vecka, den valda veckan och de {BASELINE_WEEKS} veckorna innan (markerad: vald vecka).")

with st.container():
    st.subheader("Genomfört under veckan")
    done = ctx.q(q.reports_in_period, week)
    if done.empty and ctx.promise is not None:
        st.info("Inga genomföranden rapporterade den här veckan.")
    elif done.empty:
        st.caption("Utan medborgarlöfte finns inga aktiviteter att rapportera.")
    else:
        full_table(
            done.assign(
                Fokusområde=done["focus_key"].map(ctx.focus_name),
                Ägare=done["owner"].map(OWNER_LABELS),
                hours=done["hours"].map(lambda h: fmt_number(h, 1)),
            )[["title", "Fokusområde", "Ägare", "count", "hours"]].rename(
                columns={"title": "Aktivitet", "count": "Antal", "hours": "Timmar"}
            ),
            key="week_done",
        )
        st.caption(
            f"{fmt_number(int(done['count'].sum()))} genomföranden, {fmt_number(done['hours'].sum(), 1)} timmar."
        )
with st.container():
    st.subheader("Försenade aktiviteter")
    period = f.with_period(ctx.promise.period_start, ctx.promise.period_end) if ctx.promise else f
    acts = ctx.q(q.activity_list, period, min(sunday, ctx.as_of))
    late = acts[acts["overdue"]]
    if ctx.promise is None:
        no_promise_notice(ctx)
    elif acts.empty:
        st.info("Löftet har inga aktiviteter ännu.")
        link("loftet", "Lägg in aktiviteter")
    elif late.empty:
        st.success("Inga försenade aktiviteter.")
    else:
        table = activity_table(late)
        table["Gjort"] = [
            f"{fmt_number(d)} av {fmt_number(p)}" for d, p in zip(table["Gjort"], table["Planerat"], strict=True)
        ]
        full_table(table[["Aktivitet", "Ägare", "Slut", "Gjort"]], key="week_late")

st.subheader("Nya brännpunkter")
hot = ctx.q(protected.hotspots, f, monday, ctx.policy, BASELINE_WEEKS)
names = ctx.q(protected.cell_names, f.with_period(before.start, sunday), DEFAULT_MAP_RESOLUTION)
mapped = ctx.q(protected.map_cells, f.with_period(before.start, sunday), DEFAULT_MAP_RESOLUTION, ctx.policy)
if mapped.shown.empty and not mapped.hidden_cells:
    st.info("Inga händelser med känd plats i veckorna: brännpunkter kan inte beräknas (polisens öppna händelser "
            "anger bara kommunens mittpunkt).")  # fmt: skip
elif hot.empty:
    st.info(
        f"Ingen cell ökade säkerställt jämfört med de {BASELINE_WEEKS} veckorna innan "
        f"(minst {ctx.policy.k} händelser i veckan krävs)."
    )
else:
    full_table(
        hot.assign(
            Plats=hot["cell"].map(names).fillna("Okänd plats"),
            before=hot["before"].map(lambda v: f"färre än {ctx.policy.k}" if pd.isna(v) else fmt_number(v)),
        )[["Plats", "count", "before"]].rename(
            columns={"count": "Händelser i veckan", "before": f"De {BASELINE_WEEKS} veckorna innan, totalt"}
        ),
        key="week_hotspots",
    )
    st.caption(
        "En cell räknas som ny brännpunkt när veckans antal är säkerställt högre (Poisson-test) än veckorna innan. "
        f"Antalen är avrundade till jämna {ctx.policy.base}-tal, slumpvis uppåt eller nedåt."
    )
