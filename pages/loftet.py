"""Löftet: enter and edit the medborgarlöfte, its fokusområden, åtaganden and aktiviteter."""

import streamlit as st

from lofte_metrics.context import setup_page
from lofte_metrics.formatting import fmt_period
from lofte_metrics.ui.promise_editor import (
    current_tables,
    excel_panel,
    flash,
    new_promise_form,
    promise_panel,
    sheet_editor,
)
from lofte_metrics.ui.text import escape_md

ctx = setup_page("Löftet", filters=False)
flash()
if not ctx.can("redigera"):
    st.caption(f"Du kan läsa löftet men inte ändra det (roll: {', '.join(sorted(ctx.actor.roles_in(ctx.kommunkod)))}).")

if ctx.promise is None and not ctx.can("redigera"):
    st.info("Kommunen har inget medborgarlöfte ännu. En redaktör lägger in det här.")
    st.stop()
if ctx.promise is None or (st.session_state.get("promise_new") and ctx.can("redigera")):
    st.subheader("Nytt medborgarlöfte", anchor=False)
    if ctx.promise is not None:
        st.caption("Ett nytt löfte, t.ex. när löftet förnyas. Det gamla finns kvar och kan väljas i sidopanelen.")
        if st.button("Avbryt", key="promise_new_cancel"):
            st.session_state["promise_new"] = False
            st.rerun()
    else:
        st.markdown(
            f"{escape_md(ctx.kommun.official_name)} har inget medborgarlöfte i databasen. Fyll i löftet och dess "
            "fokusområden här, eller läs in en Excel-arbetsbok med hela löftet längre ned."
        )
    new_promise_form(ctx)
    with st.expander("Har ni löftet i Excel?", icon=":material/table:"):
        excel_panel(ctx)
    st.stop()

p = ctx.promise
st.markdown(f"**{escape_md(p.title)}** · {fmt_period(p.period_start, p.period_end)} · id {escape_md(p.ref)}")
if ctx.can("redigera") and st.button("Nytt löfte (förnyelse)", icon=":material/add:", key="promise_new_open"):
    st.session_state["promise_new"] = True
    st.rerun()

tables = current_tables(ctx)
tabs = st.tabs(["Löftet", "Fokusområden", "Åtaganden", "Aktiviteter", "Excel"])
with tabs[0]:
    promise_panel(ctx, tables)
for tab, title in zip(tabs[1:4], ("Fokusområden", "Åtaganden", "Aktiviteter"), strict=True):
    with tab:
        sheet_editor(ctx, title, tables)
with tabs[4]:
    excel_panel(ctx)
