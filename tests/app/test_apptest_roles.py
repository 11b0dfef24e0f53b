"""Every page that writes, as each role and as nobody: what each sees and may press. (The write
layer refuses on its own as well: tests/db/test_access_writes.py.)"""

from __future__ import annotations

import pytest
import streamlit as st
from pagetools import ROOT
from streamlit.testing.v1 import AppTest

from lofte_metrics.access.roles import Actor

K = "0499"


def as_role(role: str | None) -> Actor:
    roles = {K: frozenset({role})} if role else {}
    return Actor(f"{role or 'ingen'}@ekviken.se", role or "Nils", roles)


def run_as(page: str, actor: Actor, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=90)
    at.session_state["_actor"] = actor
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def buttons(at: AppTest) -> dict[str, bool]:
    """Visible buttons (and form buttons), with whether each is enabled."""
    found = {b.label: not b.disabled for b in at.button}
    found |= {b.label: not b.disabled for b in at.get("form_submit_button")} if at.get("form_submit_button") else {}
    return found


@pytest.fixture(autouse=True)
def fresh(app_env):
    st.cache_data.clear()
    yield


@pytest.mark.parametrize("page", ["oversikt", "loftet", "data", "handelsetyper", "skriv_lagesbild", "anvandare"])
def test_nobody_reads_nothing(page):
    at = run_as(page, as_role(None))
    assert "har ingen roll i någon av kommunerna här" in at.info[0].value
    assert not at.metric and not at.dataframe


def test_lasare_sees_every_page_but_changes_nothing():
    reader = as_role("läsare")
    at = run_as("loftet", reader)
    assert "Du kan läsa löftet men inte ändra det" in at.caption[1].value
    assert not any("Spara" in label for label in buttons(at)) and len(at.dataframe) == 3
    at = run_as("aktiviteter", reader)
    assert at.metric and not any(e.label == "Rapportera genomförande" for e in at.expander)
    at = run_as("data", reader)
    assert at.metric and "Läs in data" not in [h.value for h in at.header] and "Ångra" not in buttons(at)
    assert not any(s.value == "Logg: vem ändrade vad" for s in at.subheader)
    at = run_as("handelsetyper", reader)
    assert "Spara ändringarna" not in buttons(at) and "Spara" not in buttons(at)
    at = run_as("skriv_lagesbild", reader, period="2022-09")
    pressable = buttons(at)
    assert not pressable["Spara utkast"] and not pressable["Spara och godkänn"]
    at = run_as("anvandare", reader)
    assert "hanteras av kommunens administratörer" in at.info[0].value


def test_redaktor_edits_and_drafts_but_does_not_approve_or_administer():
    editor = as_role("redaktör")
    at = run_as("loftet", editor)
    assert buttons(at)["Spara löftet"]
    at = run_as("aktiviteter", editor)
    assert any(e.label == "Rapportera genomförande" for e in at.expander)
    at = run_as("data", editor)
    assert "Läs in data" in [h.value for h in at.header]
    assert any("Du kan ångra dina egna importomgångar" in c.value for c in at.caption)
    assert any(s.value == "Logg: vem ändrade vad" for s in at.subheader)
    at = run_as("skriv_lagesbild", editor, period="2022-09")
    pressable = buttons(at)
    assert pressable["Spara utkast"] and not pressable["Spara och godkänn"]
    at = run_as("handelsetyper", editor)
    assert "Spara ändringarna" not in buttons(at)


def test_godkannare_approves_only():
    approver = as_role("godkännare")
    at = run_as("skriv_lagesbild", approver, period="2022-09")
    pressable = buttons(at)
    assert not pressable["Spara utkast"] and pressable["Spara och godkänn"]
    at = run_as("loftet", approver)
    assert "Spara löftet" not in buttons(at)


def test_administrator_manages_types_users_and_screens():
    admin = as_role("administratör")
    at = run_as("handelsetyper", admin)
    assert buttons(at)["Spara ändringarna"]
    at = run_as("anvandare", admin)
    assert {"Ge rollen", "Skapa skärmlänk"} <= set(buttons(at))
    at = run_as("kom_igang", admin)  # adding another kommun needs an administrator of every kommun
    assert "Följ kommunen" not in buttons(at)
    at = run_as("kom_igang", Actor.local("lokal"))
    assert buttons(at)["Följ kommunen"]


def test_a_screen_reads_one_kommun_and_writes_nothing():
    screen = Actor("skärmlänk x", "Skärm", {K: frozenset({"läsare"})}, read_only=True, pages=("oversikt",),
                   kind="screen")  # fmt: skip
    at = run_as("oversikt", screen)
    # a screen link always opens the wall view: no controls, the numbers in the wall's own blocks
    wall = "".join(h.proto.body for h in at.get("html"))
    assert "lw-head" in wall and "Löftet:" in wall and not at.metric and not at.button
    at = run_as("loftet", screen)
    assert "Spara löftet" not in buttons(at)


def test_a_read_only_database_is_shown_read_only(monkeypatch, sqlite_sample):
    path = sqlite_sample.url.database
    monkeypatch.setenv("LOFTE_DATABASE_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=90)
    at.run()  # no actor given: the page decides it, and the database cannot be written
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric and "Läs in data" not in [h.value for h in at.header]
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    at.run()
    assert "Skrivskyddad visning: inget kan ändras här." in [w.value for w in at.sidebar.warning]
