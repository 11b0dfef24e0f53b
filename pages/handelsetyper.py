"""Händelsetyper: which fokusområde each incident type counts towards, and which types are sensitive."""

import pandas as pd
import streamlit as st

from lofte_metrics import queries as q
from lofte_metrics.authoring.mapping import TypeChoice, save_mapping
from lofte_metrics.context import clear_caches, setup_page
from lofte_metrics.formatting import fmt_number, plural
from lofte_metrics.ui.text import escape_md

FLASH = "types_flash"

ctx = setup_page("Händelsetyper", filters=False)
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")

types = ctx.q(q.incident_type_map, ctx.kommunkod)
keys = list(ctx.focus_names)
extra = sorted({k for k in types["focus_key"].dropna() if k not in ctx.focus_names})
NONE = "–"  # no fokusområde (keys are a–z, 0–9, - and _, so this is never one)
options = [NONE, *keys, *extra]


def focus_label(key: str) -> str:
    if not key or key == NONE:
        return "Inget fokusområde"
    return ctx.focus_names.get(key, f"{key} (finns inte i löftet)")


unclassified = int((~types["classified"]).sum()) if not types.empty else 0
without = int(types["focus_key"].isna().sum()) if not types.empty else 0
m = st.columns(3)
m[0].metric("Händelsetyper", fmt_number(len(types)))
m[1].metric("Utan fokusområde", fmt_number(without))
m[2].metric("Ej granskade", fmt_number(unclassified))
st.caption(
    "Varje händelse räknas till fokusområdet för sin typ. En ändring gäller direkt alla händelser som redan finns. "
    "Känsliga typer (t.ex. sexualbrott) visas aldrig på kartan eller per plats. En typ som ingen har granskat "
    "räknas som känslig tills någon tagit ställning."
)
if ctx.default_focus:
    st.info("Kommunen har inget medborgarlöfte ännu: fokusområdena är standardförslaget (trygghet, narkotika, trafik).")

current = {t: (f, bool(sens)) for t, f, sens in zip(types["type"], types["focus_key"], types["sensitive"], strict=True)}


def fill_choice() -> None:
    """When a type is picked, its present fokusområde and sensitivity fill the fields."""
    name = st.session_state.get("type_one_name")
    if name in current:
        focus, sensitive = current[name]
        st.session_state["type_one_focus"] = focus if isinstance(focus, str) else NONE
        st.session_state["type_one_sensitive"] = sensitive


may_edit = ctx.can("administrera")
if not may_edit:
    st.caption("Indelningen ändras av kommunens administratörer.")
if may_edit:
    with st.container(border=True):
        st.markdown("**Ändra en händelsetyp**")
        c1, c2, c3, c4 = st.columns([3, 3, 1, 1], vertical_alignment="bottom")
        one = c1.selectbox("Händelsetyp", list(current), index=None, placeholder="Sök händelsetyp", key="type_one_name",
                           on_change=fill_choice)  # fmt: skip
        one_focus = c2.selectbox("Fokusområde", options, format_func=focus_label, key="type_one_focus")
        one_sensitive = c3.checkbox("Känslig", key="type_one_sensitive")
        if c4.button("Spara", key="type_one_save", type="primary", disabled=one is None):
            chosen = None if one_focus in (None, NONE) else one_focus
            written = save_mapping(ctx.engine, ctx.kommunkod, [TypeChoice(one, chosen, one_sensitive)],
                                   ctx.actor)  # fmt: skip
            clear_caches()
            st.session_state[FLASH] = (
                f"{escape_md(one)}: {escape_md(focus_label(chosen or NONE))}{', känslig' if one_sensitive else ''} "
                f"(importomgång {written.batch_id}). Alla sidor räknar nu med den nya indelningen."
            )
            st.rerun()

c1, c2 = st.columns([2, 1])
search = c1.text_input("Sök händelsetyp", key="types_search", placeholder="t.ex. trafik")
only = c2.segmented_control(
    "Visa", ["alla", "ogranskade", "utan"], key="types_only", default="alla",
    format_func={"alla": "Alla", "ogranskade": "Ej granskade", "utan": "Utan fokusområde"}.get,
)  # fmt: skip
shown = types
if search:
    shown = shown[shown["type"].str.contains(search, case=False, regex=False)]
if only == "ogranskade":
    shown = shown[~shown["classified"]]
elif only == "utan":
    shown = shown[shown["focus_key"].isna()]

frame = pd.DataFrame(
    {
        "Händelsetyp": shown["type"],
        # A count per type is finer than the kommun: shown as the privacy policy allows (all time).
        "Händelser": pd.array([ctx.policy.count(n) for n in shown["count"]], dtype="Int64"),
        "Fokusområde": shown["focus_key"].fillna(NONE),
        "Känslig": shown["sensitive"],
        "Granskad": shown["classified"],
    }
).reset_index(drop=True)
edited = st.data_editor(
    frame,
    hide_index=True,
    disabled=True if not may_edit else ["Händelsetyp", "Händelser"],
    key=f"types_editor_{search}_{only}",
    height=min(38 * (len(frame) + 1) + 3, 760),
    column_config={
        "Händelser": st.column_config.NumberColumn(
            format="%d", help=f"Alla händelser av typen i kommunen, avrundat; tomt = färre än {ctx.policy.k}"
        ),
        "Fokusområde": st.column_config.SelectboxColumn(options=options, format_func=focus_label, required=False),
        "Känslig": st.column_config.CheckboxColumn(help="Visas aldrig på kartan eller per plats"),
        "Granskad": st.column_config.CheckboxColumn(help="Någon har tagit ställning till typen"),
    },
)
if may_edit and st.button("Spara ändringarna", type="primary", icon=":material/save:", key="types_save"):
    choices = []
    for before, after in zip(frame.itertuples(index=False), edited.itertuples(index=False), strict=True):
        focus = None if after.Fokusområde in (None, NONE) else after.Fokusområde
        was = None if before.Fokusområde in (None, NONE) else before.Fokusområde
        moved = focus != was or bool(after.Känslig) != bool(before.Känslig)
        if moved or bool(after.Granskad) != bool(before.Granskad):
            classified = True if moved else bool(after.Granskad)
            choices.append(TypeChoice(before.Händelsetyp, focus, bool(after.Känslig), classified))
    if not choices:
        st.info("Inget är ändrat.")
    else:
        written = save_mapping(ctx.engine, ctx.kommunkod, choices, ctx.actor)
        clear_caches()
        st.session_state[FLASH] = (
            f"{plural(len(choices), 'händelsetyp', 'händelsetyper')} sparade (importomgång {written.batch_id}, kan "
            "ångras på sidan Data). Alla sidor räknar nu med den nya indelningen."
        )
        st.rerun()
