"""Skriv lägesbild: a draft from the numbers, edited, saved as an utkast and approved; every version kept."""

import datetime as dt

import streamlit as st

from lofte_metrics import queries as q
from lofte_metrics.access.roles import AccessDenied
from lofte_metrics.authoring.lagesbild import PictureRefused, approve, draft_texts, period_of, save_picture, versions
from lofte_metrics.context import clear_caches, init_state, set_param, setup_page
from lofte_metrics.db import WriteBusy
from lofte_metrics.formatting import fmt_datetime, iso_week_code, parse_iso_week
from lofte_metrics.ui.lagesbild_editor import actions_editor, version_line
from lofte_metrics.ui.text import escape_md
from lofte_metrics.weekly import week_choices

FLASH = "picture_flash"
KINDS = {"månad": "Månad", "vecka": "Vecka"}

ctx = setup_page("Skriv lägesbild", filters=False)
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")
may_write, may_approve = ctx.can("redigera"), ctx.can("godkänna")
if not may_write and not may_approve:
    st.caption("Du kan läsa lägesbilderna men inte skriva eller godkänna dem.")

# --- which period
wanted = st.query_params.get("period", "")
init_state("pic_kind", "vecka" if "-W" in wanted.upper() else "månad")
c1, c2 = st.columns([1, 3])
kind = c1.segmented_control("Period", list(KINDS), format_func=KINDS.get, key="pic_kind") or "månad"
last_day = ctx.as_of
if kind == "månad":
    months = []
    month = last_day.replace(day=1)
    # The month in progress is offered, but the default is the last month that has ended.
    following = (month + dt.timedelta(days=32)).replace(day=1)
    default_month = (
        month if last_day == following - dt.timedelta(days=1) else (month - dt.timedelta(days=1)).replace(day=1)
    )
    for _ in range(24):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    try:
        asked = dt.date.fromisoformat(wanted + "-01") if len(wanted) == 7 else None
    except ValueError:
        asked = None
    init_state("pic_month", asked if asked in months else default_month)
    if st.session_state["pic_month"] not in months:
        st.session_state["pic_month"] = default_month
    day = c2.selectbox("Månad", months, key="pic_month", format_func=lambda d: period_of("månad", d)[2])
    set_param("period", day.strftime("%Y-%m"))
else:
    weeks = list(reversed(week_choices(last_day - dt.timedelta(weeks=26), last_day)))
    try:
        asked = parse_iso_week(wanted) if "-W" in wanted.upper() else None
    except ValueError:
        asked = None
    init_state("pic_week", asked if asked in weeks else weeks[0])
    if st.session_state["pic_week"] not in weeks:
        st.session_state["pic_week"] = weeks[0]
    day = c2.selectbox("Vecka", weeks, key="pic_week", format_func=lambda d: period_of("vecka", d)[2])
    set_param("period", iso_week_code(day))
start, end, label = period_of(kind, day)  # type: ignore[arg-type]

# --- where it stands
saved = versions(ctx.engine, ctx.kommunkod, start, end)
approved = next((v for v in saved if v.status == "godkänd"), None)
latest = saved[0] if saved else None
if approved is not None:
    st.success(f"Godkänd lägesbild för {label}: {escape_md(version_line(approved))}.", icon=":material/verified:")
    if latest is not None and latest.version > approved.version:
        st.warning(f"Det finns ett nyare utkast (version {latest.version}) som inte är godkänt.")
elif latest is not None:
    st.warning(f"Utkast för {label}, inte godkänt: {escape_md(version_line(latest))}.", icon=":material/edit_note:")
else:
    st.info(f"Ingen lägesbild för {label} ännu. Texterna nedan är skrivna från periodens siffror: ändra dem.")

# --- the texts: the newest version's, else a draft from the numbers
keys = ctx.focus_keys
state_key = f"pic_{ctx.kommunkod}_{start.isoformat()}_{end.isoformat()}"
if may_write and st.button("Skriv om från siffrorna", icon=":material/auto_fix_high:", key="pic_redraft"):
    for key, value in draft_texts(ctx.engine, ctx.kommunkod, ctx.promise.id if ctx.promise else None,
                                  ctx.focus_names, start, end, ctx.as_of).items():  # fmt: skip
        st.session_state[f"{state_key}_{key}"] = value
if latest is not None:
    for key in keys:
        init_state(f"{state_key}_{key}", latest.texts.get(key, ""))
    init_state(f"{state_key}_summary", latest.summary or "")
else:
    drafted = draft_texts(ctx.engine, ctx.kommunkod, ctx.promise.id if ctx.promise else None, ctx.focus_names,
                          start, end, ctx.as_of)  # fmt: skip
    for key in keys:
        init_state(f"{state_key}_{key}", drafted.get(key, ""))
    init_state(f"{state_key}_summary", f"Styrgruppens lägesbild för {label.lower()}.")

activities = (
    ctx.q(q.activity_list, q.Filters(ctx.promise.period_start, ctx.promise.period_end, kommunkod=ctx.kommunkod,
                                      promise_id=ctx.promise.id), ctx.as_of)
    if ctx.promise else None
)  # fmt: skip
with st.form(f"picture_{state_key}", enter_to_submit=False):
    summary = st.text_area("Sammanfattning", key=f"{state_key}_summary", height=80, max_chars=2000)
    texts = {}
    for key in keys:
        texts[key] = st.text_area(escape_md(ctx.focus_name(key)), key=f"{state_key}_{key}", height=140,
                                  max_chars=8000)  # fmt: skip
    st.markdown("**Åtgärder** (åtgärdsplan enligt lag 2023:196) – koppla gärna till en aktivitet i löftet")
    actions = actions_editor(ctx, latest.actions if latest else [], activities, key=f"{state_key}_actions")
    approver = st.text_input("Godkänd av (vid godkännande)", value="Styrgruppen", max_chars=200,
                             key=f"{state_key}_approver", disabled=not may_approve)  # fmt: skip
    b1, b2 = st.columns(2)
    as_draft = b1.form_submit_button("Spara utkast", icon=":material/save:", disabled=not may_write)
    as_approved = b2.form_submit_button("Spara och godkänn", type="primary", icon=":material/verified:",
                                        disabled=not may_approve)  # fmt: skip

if as_draft or as_approved:
    try:
        written = save_picture(
            ctx.engine, ctx.kommunkod, promise_id=ctx.promise.id if ctx.promise else None,
            period_kind=kind, start=start, end=end, label=label, texts=texts, summary=summary, actions=actions,  # type: ignore[arg-type]
            actor=ctx.actor, approved_by=approver if as_approved else None,
        )  # fmt: skip
    except (PictureRefused, AccessDenied, WriteBusy) as exc:
        st.error(escape_md(str(exc), 600), icon=":material/block:")
    else:
        clear_caches()
        what = "godkänd" if as_approved else "sparad som utkast"
        st.session_state[FLASH] = f"Lägesbilden för {label} är {what} (importomgång {written.batch_id})."
        st.rerun()

# --- earlier versions
if saved:
    with st.expander(f"Alla versioner ({len(saved)})", icon=":material/history:"):
        chosen = st.selectbox("Version", [v.id for v in saved], key=f"{state_key}_read",
                              format_func=lambda i: version_line(next(v for v in saved if v.id == i)))  # fmt: skip
        version = next(v for v in saved if v.id == chosen)
        if version.summary:
            st.text(version.summary)
        for key, value in version.texts.items():
            st.markdown(f"**{escape_md(ctx.focus_name(key))}**")
            st.text(value)
        for action in version.actions:
            st.text(f"• {action['text']}" + (f" (aktivitet {action['activity_ref']})" if action.get("activity_ref")
                                              else ""))  # fmt: skip
        if version.status == "utkast" and may_approve and st.button("Godkänn den här versionen",
                                                                    key=f"{state_key}_approve"):  # fmt: skip
            written = approve(ctx.engine, ctx.kommunkod, version.id, approved_by=approver or "Styrgruppen",
                              actor=ctx.actor)  # fmt: skip
            clear_caches()
            st.session_state[FLASH] = f"Version {version.version} är godkänd (importomgång {written.batch_id})."
            st.rerun()
        st.caption(f"Sparad {fmt_datetime(version.created_at)}. Versioner ändras aldrig; en ny sparning blir en ny "
                   "version.")  # fmt: skip
