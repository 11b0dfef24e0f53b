"""Errors without internals: a visitor sees a Swedish message and an error number; the traceback
goes to the server's log under that number (``client.showErrorDetails`` is off as well)."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import streamlit as st

LOG = logging.getLogger("lofte_metrics")


def run_page(page: Any) -> None:
    """Run a page of ``st.navigation``; an unexpected error is logged and told in Swedish.
    (Streamlit's own stop and rerun are not errors: they pass, being no ``Exception``.)"""
    try:
        page.run()
    except Exception:  # noqa: BLE001 - the one place every page's unexpected error ends
        number = secrets.token_hex(4).upper()
        LOG.exception("Fel %s på sidan %s", number, getattr(page, "url_path", "?"))
        st.error(
            f"Något gick fel på sidan (felnummer {number}). Felet är sparat i serverns logg; ange numret om du hör "
            "av dig till den som sköter dashboarden.",
            icon=":material/error:",
        )
