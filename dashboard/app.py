"""Löftesuppföljning: the app shell. Six pages follow up the promise, five put in what they read.

A database that follows no kommun yet shows only "Kom igång", where the kommun is chosen.
"""

import streamlit as st

from lofte_metrics.context import connect, followed_kommuner

st.set_page_config(page_title="Löftesuppföljning", page_icon="🤝", layout="wide")

FOLLOW_UP = [
    st.Page("../pages/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt", default=True),
    st.Page("../pages/lagesbild.py", title="Lägesbild", icon=":material/map:", url_path="lagesbild"),
    st.Page("../pages/trender.py", title="Trender", icon=":material/trending_up:", url_path="trender"),
    st.Page("../pages/aktiviteter.py", title="Aktiviteter", icon=":material/checklist:", url_path="aktiviteter"),
    st.Page("../pages/veckan.py", title="Veckan", icon=":material/date_range:", url_path="veckan"),
    st.Page("../pages/rapport.py", title="Rapport", icon=":material/description:", url_path="rapport"),
]
WORK = [
    st.Page("../pages/loftet.py", title="Löftet", icon=":material/handshake:", url_path="loftet"),
    st.Page("../pages/skriv_lagesbild.py", title="Skriv lägesbild", icon=":material/edit_note:",
            url_path="skriv-lagesbild"),
    st.Page("../pages/handelsetyper.py", title="Händelsetyper", icon=":material/category:", url_path="handelsetyper"),
    st.Page("../pages/data.py", title="Data", icon=":material/database:", url_path="data"),
    st.Page("../pages/kom_igang.py", title="Kommuner", icon=":material/location_city:", url_path="kom-igang"),
]  # fmt: skip

url, engine = connect("Löftesuppföljning")
if followed_kommuner("Löftesuppföljning", url, engine):
    pages = {"Följ upp": FOLLOW_UP, "Lägg in": WORK}
else:
    pages = {"": [st.Page("../pages/kom_igang.py", title="Kom igång", icon=":material/rocket_launch:",
                          url_path="kom-igang", default=True)]}  # fmt: skip
st.navigation(pages, position="sidebar").run()
