"""Who is using the app, decided once per run: a screen link, a signed-in person with roles, the
local administrator (no login configured, served only on this computer), or a read-only viewer.

The gate draws what a visitor without access sees (the login page, a refused screen link, a
person without a role) and stops there. Permissions are enforced again where rows are written.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from .. import db
from ..access import screens, users
from ..access.roles import Actor, merge, roles_from_claims
from ..access.settings import AccessSettings, load
from .text import escape_md
from .wall import WALL_VALUES

SCREEN = "skarm"
ACTOR = "_actor"
LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")


def secrets() -> Mapping[str, Any]:
    try:
        return st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - no secrets file is the embedded default
        return {}


def settings() -> AccessSettings:
    return load(secrets())


def served_locally() -> bool:
    """Whether Streamlit listens on this computer only (the embedded default's condition)."""
    address = st.get_option("server.address")
    return str(address or "").strip() in LOCAL_ADDRESSES


def _person(engine: Engine, config: AccessSettings, read_only: bool) -> Actor:
    user = st.user
    claims = user.to_dict()
    identity = str(claims.get("email") or claims.get("preferred_username") or claims.get("sub") or "okänd")
    grants = roles_from_claims(claims, config.role_claim, config.role_map) + users.grants_for(engine, identity)
    return Actor(identity, str(claims.get("name") or identity), merge(grants), read_only=read_only, kind="person")


def resolve(engine: Engine) -> tuple[Actor, str | None]:
    """The actor of this run, and why a visitor may not go on (None: they may)."""
    config = settings()
    read_only = os.environ.get("LOFTE_READ_ONLY") == "1" or db.is_read_only(engine)
    # A screen keeps its link for the whole session, even if a page change drops it from the address.
    asked = st.query_params.get(SCREEN)
    # ?skarm=1 asks for the wall view only; any other value is a signed screen link
    token = (asked if asked and asked.strip().lower() not in WALL_VALUES else None) or st.session_state.get(
        "_screen_token"
    )
    if token:
        st.session_state["_screen_token"] = token
        try:
            link = screens.verify(engine, token, config.screen_secret)
        except screens.ScreenRefused as exc:
            return Actor.nobody(), str(exc)
        return Actor(f"skärmlänk {link.ref}", link.label, {link.kommunkod: frozenset({"läsare"})}, read_only=True,
                     pages=link.pages, kind="screen"), None  # fmt: skip
    if config.auth:
        if not getattr(st.user, "is_logged_in", False):
            return Actor.nobody(), "login"
        return _person(engine, config, read_only), None
    if read_only:
        return Actor.public(), None
    if not served_locally():
        # No login and reachable from the network: unknown means closed, so nothing is written.
        return Actor.public(), None
    return Actor.local(f"{getpass.getuser()} (lokalt)"), None


def login_page() -> None:
    st.title("Löftesuppföljning")
    st.markdown("Logga in med ert konto i kommunen eller polisen för att se uppföljningen av medborgarlöftet.")
    st.button("Logga in", type="primary", icon=":material/login:", on_click=st.login)


def gate(engine: Engine) -> Actor:
    """Decide the actor and keep it for the pages of this run; stop with a page of its own when
    the visitor may see nothing."""
    actor, refusal = resolve(engine)
    st.session_state[ACTOR] = actor
    if refusal == "login":
        login_page()
        st.stop()
    if refusal:
        st.title("Löftesuppföljning")
        st.error(refusal, icon=":material/link_off:")
        st.stop()
    banner(actor)
    return actor


def banner(actor: Actor) -> None:
    """Say how the app is served when it is not the usual signed-in use."""
    if actor.kind == "local":
        st.sidebar.info("Ingen inloggning är konfigurerad – bara för den här datorn.", icon=":material/computer:")
    elif actor.kind == "public":
        st.sidebar.warning("Skrivskyddad visning: inget kan ändras här.", icon=":material/lock:")
    elif actor.kind == "person":
        with st.sidebar:
            st.caption(f"Inloggad som {escape_md(actor.label)}")
            st.button("Logga ut", key="logout", icon=":material/logout:", on_click=st.logout)


def current(engine: Engine) -> Actor:
    """The actor the app shell decided for this run (a page run on its own decides it here)."""
    actor = st.session_state.get(ACTOR)
    if isinstance(actor, Actor):
        return actor
    actor, _ = resolve(engine)
    return actor
