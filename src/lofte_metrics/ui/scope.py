"""Which kommun and which medborgarlöfte a page shows: from the link (``?kommun=0580&lofte=2024``),
else the only kommun and the promise in force; chosen in the sidebar when there are several."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from .. import promises as promise_rules
from ..queries import KommunInfo, PromiseInfo
from .state import init_state, set_param

KOMMUN, PROMISE = "kommun", "lofte"


@dataclass(frozen=True)
class Scope:
    kommun: KommunInfo
    promises: list[PromiseInfo]
    #: the promise the page shows (None: the kommun has none yet)
    promise: PromiseInfo | None
    #: the promise in force today, the default
    current: PromiseInfo | None


def choose_scope(kommuner: list[KommunInfo], promises_of: Callable[[str], list[PromiseInfo]],
                 today: dt.date) -> tuple[Scope, list[str]]:  # fmt: skip
    """Read the kommun and promise from the link, offer them in the sidebar when there is a choice,
    and write the choice back to the link. Returns the scope and notes about link values not used."""
    notes: list[str] = []
    codes = [k.code for k in kommuner]
    by_code = {k.code: k for k in kommuner}
    wanted = st.query_params.get(KOMMUN)
    if wanted and wanted not in by_code:
        notes.append("Kommunen i länken finns inte i databasen; en annan kommun visas.")
    init_state("scope_kommun", wanted if wanted in by_code else codes[0])
    if st.session_state["scope_kommun"] not in by_code:
        st.session_state["scope_kommun"] = codes[0]
    if len(kommuner) > 1:
        code = st.sidebar.selectbox("Kommun", codes, key="scope_kommun", format_func=lambda c: by_code[c].name)
    else:
        code = codes[0]
    set_param(KOMMUN, code if len(kommuner) > 1 else None)
    kommun = by_code[code]

    found = promises_of(code)
    current = promise_rules.current(found, today)
    refs = {p.ref: p for p in found}
    wanted_ref = st.query_params.get(PROMISE)
    if wanted_ref and wanted_ref not in refs:
        notes.append("Medborgarlöftet i länken finns inte för kommunen; det gällande visas.")
    state_key = f"scope_promise_{code}"
    default_ref = current.ref if current else None
    init_state(state_key, wanted_ref if wanted_ref in refs else default_ref)
    if st.session_state[state_key] not in refs:
        st.session_state[state_key] = default_ref
    if len(found) > 1:
        ref = st.sidebar.selectbox(
            "Medborgarlöfte",
            list(refs),
            key=state_key,
            format_func=lambda r: refs[r].title + (" (gällande)" if current and r == current.ref else ""),
        )
    else:
        ref = default_ref
    chosen = refs.get(ref) if ref else None
    set_param(PROMISE, ref if chosen is not None and current is not None and ref != current.ref else None)
    return Scope(kommun, found, chosen, current), notes
