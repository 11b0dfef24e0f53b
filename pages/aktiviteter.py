"""Aktiviteter: are we doing what we promised? Report what was done; commitments, activities, burn-up."""

from dataclasses import replace

import streamlit as st

from lofte_metrics import queries as q
from lofte_metrics.activities import OWNER_LABELS, STATUS_LABELS, activity_table, commitment_progress
from lofte_metrics.charts import burn_up_figure
from lofte_metrics.context import init_state, set_param, setup_page
from lofte_metrics.formatting import fmt_number, fmt_percent, plural
from lofte_metrics.metrics import burn_up, burn_up_done
from lofte_metrics.models import ACTIVITY_STATUSES, OWNERS
from lofte_metrics.ui import wall_views
from lofte_metrics.ui.notices import link, no_promise_notice
from lofte_metrics.ui.report_form import report_form
from lofte_metrics.ui.text import escape_md
from lofte_metrics.widgets import full_table

ctx = setup_page("Aktiviteter", key="aktiviteter")
if ctx.wall:
    wall_views.show(ctx)
if ctx.promise is None:
    no_promise_notice(ctx)
    st.stop()

report_form(ctx)

params = st.query_params
init_state("act_owner", [o for o in params.get("agare", "").split(",") if o in OWNERS])
init_state("act_status", [s for s in params.get("status", "").split(",") if s in ACTIVITY_STATUSES])
c1, c2 = st.columns(2)
owners = c1.pills("Ägare", list(OWNERS), format_func=OWNER_LABELS.get, selection_mode="multi", key="act_owner")
statuses = c2.pills(
    "Status", list(ACTIVITY_STATUSES), format_func=STATUS_LABELS.get, selection_mode="multi", key="act_status"
)
set_param("agare", ",".join(owners))
set_param("status", ",".join(statuses))

f = ctx.filters
fo = q.Filters(f.start, f.end, f.focus_keys, tuple(owners) or None, f.area_codes, f.sources, f.kommunkod, f.promise_id)
activities = ctx.q(q.activity_list, fo, ctx.as_of)
if activities.empty:
    st.info("Löftet har inga aktiviteter i den valda perioden. Lägg in aktiviteter på sidan Löftet.")
    link("loftet", "Lägg in aktiviteter")
    st.stop()
shown = activities[activities["status"].isin(statuses)] if statuses else activities

live = activities[activities["status"] != "inställd"]
m = st.columns(5)
m[0].metric("Aktiviteter", fmt_number(len(activities)))
m[1].metric("Genomförda", fmt_number(int((activities["status"] == "genomförd").sum())))
m[2].metric(
    "Försenade",
    fmt_number(int(activities["overdue"].sum())),
    help="Slutdatumet har passerat men aktiviteten är varken genomförd eller inställd.",
)
m[3].metric("Inställda", fmt_number(int((activities["status"] == "inställd").sum())))
planned = int(live["planned_count"].sum())
done = int(live["done"].sum())
m[4].metric(
    "Genomföranden",
    f"{fmt_number(done)} av {fmt_number(planned)}",
    fmt_percent(done / planned) if planned else None,
    delta_color="off",
    delta_arrow="off",
)

st.subheader("Genomfört mot plan")
promise = ctx.promise
plan = burn_up(live, promise.period_start, promise.period_end)
reports = ctx.q(q.reports_per_period, replace(fo, start=promise.period_start, end=promise.period_end), "week")
st.plotly_chart(
    burn_up_figure(plan, burn_up_done(reports, promise.period_start, promise.period_end, ctx.as_of), ctx.as_of),
    config={"displaylogo": False},
)
st.caption("Planen sprider varje aktivitets planerade antal jämnt över dess tid; inställda aktiviteter räknas inte.")

for key in ctx.selected_focus:
    mine = shown[shown["focus_key"] == key]
    if mine.empty:
        continue
    st.header(escape_md(ctx.focus_name(key)), anchor=False)
    for row in commitment_progress(mine).itertuples(index=False):
        with st.container(border=True):
            st.text(f"{row.commitment_ref} · {OWNER_LABELS.get(row.owner, row.owner)}")
            st.text(row.commitment_text)
            late = f" · {plural(row.overdue, 'försenad', 'försenade')}" if row.overdue else ""
            st.progress(
                min(1.0, row.share),
                text=f"{fmt_number(row.done)} av {fmt_number(row.planned)} ({fmt_percent(row.share)}){late}",
            )
    full_table(activity_table(mine).drop(columns=["Ansvarig"]), key=f"activities_{key}", percent=("Andel",))
if shown.empty:
    st.info("Inga aktiviteter matchar filtren.")
