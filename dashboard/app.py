"""Löftesuppföljning: the app shell. Seven pages, one per question the steering group asks."""

import streamlit as st

st.set_page_config(page_title="Löftesuppföljning", page_icon="🤝", layout="wide")

PAGES = [
    st.Page("../pages/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt", default=True),
    st.Page("../pages/lagesbild.py", title="Lägesbild", icon=":material/map:", url_path="lagesbild"),
    st.Page("../pages/trender.py", title="Trender", icon=":material/trending_up:", url_path="trender"),
    st.Page("../pages/aktiviteter.py", title="Aktiviteter", icon=":material/checklist:", url_path="aktiviteter"),
    st.Page("../pages/veckan.py", title="Veckan", icon=":material/date_range:", url_path="veckan"),
    st.Page("../pages/rapport.py", title="Rapport", icon=":material/description:", url_path="rapport"),
    st.Page("../pages/data.py", title="Data", icon=":material/database:", url_path="data"),
]

st.navigation(PAGES, position="sidebar").run()
