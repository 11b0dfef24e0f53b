"""Löftesuppföljning: the app shell. Six pages follow up the promise, the others put in what they read.

Who is using the app is decided first (``ui.access.gate``): a screen link sees its pages only; a
database that follows no kommun yet shows only "Kom igång" (to those who may set one up).
"""

import streamlit as st

from lofte_metrics.context import connect, followed_kommuner
from lofte_metrics.ui import access
from lofte_metrics.ui.errors import run_page
from lofte_metrics.ui.style import page_style

st.set_page_config(page_title="Löftesuppföljning", page_icon="🤝", layout="wide")
page_style()

#: the follow-up pages by the name a screen link uses (the default page's own url_path is empty)
FOLLOW_UP = {
    "oversikt": st.Page("../pages/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt",
                        default=True),
    "lagesbild": st.Page("../pages/lagesbild.py", title="Lägesbild", icon=":material/map:", url_path="lagesbild"),
    "trender": st.Page("../pages/trender.py", title="Trender", icon=":material/trending_up:", url_path="trender"),
    "aktiviteter": st.Page("../pages/aktiviteter.py", title="Aktiviteter", icon=":material/checklist:",
                           url_path="aktiviteter"),
    "veckan": st.Page("../pages/veckan.py", title="Veckan", icon=":material/date_range:", url_path="veckan"),
    "rapport": st.Page("../pages/rapport.py", title="Rapport", icon=":material/description:", url_path="rapport"),
}  # fmt: skip
WORK = [
    st.Page("../pages/loftet.py", title="Löftet", icon=":material/handshake:", url_path="loftet"),
    st.Page("../pages/skriv_lagesbild.py", title="Skriv lägesbild", icon=":material/edit_note:",
            url_path="skriv-lagesbild"),
    st.Page("../pages/handelsetyper.py", title="Händelsetyper", icon=":material/category:", url_path="handelsetyper"),
    st.Page("../pages/data.py", title="Data", icon=":material/database:", url_path="data"),
    st.Page("../pages/kom_igang.py", title="Kommuner", icon=":material/location_city:", url_path="kom-igang"),
]  # fmt: skip
USERS = st.Page("../pages/anvandare.py", title="Användare", icon=":material/group:", url_path="anvandare")

# the wall's rotation turns to the next page by name (ui.wall.keep_turning)
st.session_state["_follow_up_pages"] = FOLLOW_UP

url, engine = connect("Löftesuppföljning")
actor = access.gate(engine)
followed = followed_kommuner("Löftesuppföljning", url, engine)
if actor.kind == "screen":
    shown = [page for name, page in FOLLOW_UP.items() if name in actor.pages] or [FOLLOW_UP["oversikt"]]
    pages: dict[str, list[st.Page]] = {"": shown}
elif followed:
    admin_somewhere = any(actor.can("administrera", k.code) for k in followed)
    pages = {"Följ upp": list(FOLLOW_UP.values()), "Lägg in": [*WORK, USERS] if admin_somewhere else WORK}
else:
    pages = {"": [st.Page("../pages/kom_igang.py", title="Kom igång", icon=":material/rocket_launch:",
                          url_path="kom-igang", default=True)]}  # fmt: skip
run_page(st.navigation(pages, position="sidebar"))
