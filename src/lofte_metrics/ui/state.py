"""Widget state and the URL: seed widgets from a link once, write choices back, keep them across pages."""

from __future__ import annotations

from typing import Any

import streamlit as st

#: session-state keys of widgets whose value must survive a page switch
PERSISTENT_PREFIXES = ("f_", "map_", "tr_", "act_", "week", "scope_")


def init_state(key: str, value: Any) -> None:
    """Seed a widget's state from the URL on the session's first run only."""
    if key not in st.session_state:
        st.session_state[key] = value


def set_param(name: str, value: str | None) -> None:
    """Write one query parameter, or remove it when ``value`` is empty."""
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def keep_widget_state() -> None:
    """Streamlit forgets a widget's value when the page changes, even for the same key on the
    next page; assigning each key to itself at the top of every page keeps it."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(PERSISTENT_PREFIXES):
            st.session_state[key] = st.session_state[key]
