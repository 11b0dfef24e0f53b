"""Användare: who has which role in the kommun, and the read-only links for wall screens."""

import pandas as pd
import streamlit as st

from lofte_metrics.access import screens, users
from lofte_metrics.access.roles import ROLE_WORDS, ROLES, AccessDenied
from lofte_metrics.context import clear_caches, setup_page
from lofte_metrics.db import WriteBusy
from lofte_metrics.formatting import fmt_datetime
from lofte_metrics.ui.access import settings
from lofte_metrics.ui.text import escape_md

FLASH = "users_flash"
PAGES = {"oversikt": "Översikt", "lagesbild": "Lägesbild", "trender": "Trender", "aktiviteter": "Aktiviteter",
         "veckan": "Veckan", "rapport": "Rapport"}  # fmt: skip

ctx = setup_page("Användare", filters=False)
if not ctx.can("administrera"):
    st.info("Användare och skärmlänkar hanteras av kommunens administratörer.", icon=":material/lock:")
    st.stop()
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")


def done(message: str) -> None:
    clear_caches()
    st.session_state[FLASH] = message
    st.rerun()


st.markdown(
    "**Roller** gäller en kommun. *Läsare* ser alla sidor. *Redaktör* läser in data, ändrar löftet och "
    "aktiviteterna, rapporterar genomföranden och skriver utkast till lägesbilder. *Godkännare* godkänner "
    "lägesbilder (styrgruppens beslut). *Administratör* gör allt, också kommunens inställningar, händelsetyper, "
    "användare och skärmlänkar. Roller kan också komma från inloggningen (se README, Inloggning och roller)."
)

st.subheader("Roller i kommunen", anchor=False)
grants = users.grants_in(ctx.engine, ctx.kommunkod)
if grants:
    st.dataframe(
        pd.DataFrame({"Person": [g.identity for g in grants], "Namn": [g.name or "" for g in grants],
                      "Roll": [ROLE_WORDS.get(g.role, g.role) for g in grants]}),  # type: ignore[call-overload]
        hide_index=True,
    )  # fmt: skip
else:
    st.caption("Inga roller är givna här ännu.")

with st.form("give_role", clear_on_submit=True):
    c1, c2, c3 = st.columns([3, 2, 2])
    identity = c1.text_input("E-post (eller inloggnings-id)", max_chars=200, key="role_identity")
    name = c2.text_input("Namn", max_chars=200, key="role_name")
    role = c3.selectbox("Roll", list(ROLES), format_func=ROLE_WORDS.get, key="role_role")
    if st.form_submit_button("Ge rollen", type="primary", icon=":material/person_add:"):
        try:
            written = users.give_role(ctx.engine, ctx.kommunkod, identity, role, ctx.actor, name)
        except (users.RoleRefused, AccessDenied, WriteBusy) as exc:
            st.error(escape_md(str(exc), 600))
        else:
            done(f"{escape_md(identity)} är {ROLE_WORDS[role].lower()} (importomgång {written.batch_id}).")

if grants:
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    labels = {f"{g.identity}|{g.role}": f"{g.identity} – {ROLE_WORDS.get(g.role, g.role)}" for g in grants}  # type: ignore[call-overload]
    chosen = c1.selectbox("Ta bort en roll", list(labels), format_func=labels.get, key="role_remove")
    if c2.button("Ta bort", key="role_remove_go", icon=":material/person_remove:"):
        who, what = chosen.split("|", 1)
        try:
            users.take_role(ctx.engine, ctx.kommunkod, who, what, ctx.actor)
        except (AccessDenied, WriteBusy) as exc:
            st.error(escape_md(str(exc), 600))
        else:
            done(f"Rollen {escape_md(labels[chosen])} är borttagen.")

st.subheader("Skärmlänkar", anchor=False)
st.caption(
    "En väggskärm kan inte logga in. En skärmlänk visar de valda sidorna för kommunen, skrivskyddat, tills den går "
    "ut eller återkallas."
)
secret = settings().screen_secret
with st.form("screen_link", clear_on_submit=True):
    c1, c2, c3 = st.columns([2, 3, 1])
    label = c1.text_input(
        "Skärmens namn", max_chars=120, key="screen_label", placeholder="t.ex. Skärmen i styrgruppsrummet"
    )
    pages = c2.multiselect(
        "Sidor", list(PAGES), default=["oversikt", "lagesbild", "trender"], format_func=PAGES.get, key="screen_pages"
    )
    days = c3.number_input("Dagar", min_value=1, max_value=366, value=90, key="screen_days")
    made = st.form_submit_button("Skapa skärmlänk", type="primary", icon=":material/cast:")
if made:
    try:
        _, token = screens.create_link(ctx.engine, ctx.kommunkod, label, pages, int(days), ctx.actor, secret)
    except (ValueError, AccessDenied, WriteBusy) as exc:
        st.error(escape_md(str(exc), 600))
    else:
        clear_caches()
        st.success("Skärmlänken är skapad. Kopiera den nu: den visas bara en gång.")
        st.code(f"?skarm={token}", language=None)
        st.caption("Lägg till det efter serverns adress, t.ex. https://lofte.kommun.se/?skarm=…")

current = screens.links(ctx.engine, ctx.kommunkod)
if current:
    st.dataframe(
        pd.DataFrame({
            "Namn": [link.label for link in current],
            "Sidor": [", ".join(PAGES.get(p, p) for p in link.pages) for link in current],
            "Gäller till": [fmt_datetime(link.expires_at) for link in current],
            "Status": [link.state for link in current],
            "Skapad av": [link.created_by for link in current],
        }),
        hide_index=True,
    )  # fmt: skip
    active = {link.ref: link.label for link in current if link.state == "gällande"}
    if active:
        c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
        ref = c1.selectbox("Återkalla en skärmlänk", list(active), format_func=active.get, key="screen_revoke")
        if c2.button("Återkalla", key="screen_revoke_go", icon=":material/link_off:"):
            screens.revoke(ctx.engine, ref, ctx.actor)
            done(f"Skärmlänken {escape_md(active[ref])} är återkallad.")
