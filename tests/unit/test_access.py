"""Roles per kommun (pure): what each role may do, grants from claims, unknown means closed."""

import pytest

from lofte_metrics.access.audit import summary
from lofte_metrics.access.roles import AccessDenied, Actor, merge, parse_grant, roles_from_claims
from lofte_metrics.access.settings import load

ACTIONS = ("läsa", "redigera", "godkänna", "administrera")


def person(**roles: set[str]) -> Actor:
    return Actor("anna@kommun.se", "Anna", {code.lstrip("k"): frozenset(r) for code, r in roles.items()})


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("läsare", {"läsa"}),
        ("redaktör", {"läsa", "redigera"}),
        ("godkännare", {"läsa", "godkänna"}),
        ("administratör", {"läsa", "redigera", "godkänna", "administrera"}),
    ],
)
def test_each_role_may_do_exactly_its_actions(role, allowed):
    actor = person(k0580={role})
    assert {a for a in ACTIONS if actor.can(a, "0580")} == allowed
    assert not any(actor.can(a, "1280") for a in ACTIONS)  # another kommun: nothing
    assert not actor.can("administrera", None)  # a new kommun needs an administrator of every kommun


def test_no_role_means_nothing_and_the_refusal_says_why():
    nobody = person()
    assert not any(nobody.can(a, "0580") for a in ACTIONS)
    with pytest.raises(AccessDenied, match="Anna får inte läsa i kommun 0580 \\(roll: ingen roll\\)"):
        nobody.require("läsa", "0580")
    with pytest.raises(AccessDenied, match="får inte ändra uppgifter i kommun 0580 \\(roll: läsare\\)"):
        person(k0580={"läsare"}).require("redigera", "0580")


def test_read_only_refuses_every_write_even_to_an_administrator():
    admin = Actor("a", roles={"*": frozenset({"administratör"})}, read_only=True)
    assert admin.can("läsa", "0580") and not admin.can("redigera", "0580")
    with pytest.raises(AccessDenied, match="skrivskyddad"):
        admin.require("administrera", "0580")
    assert Actor.public().can("läsa", "0580") and not Actor.public().can("redigera", "0580")
    assert Actor.local("x").can("administrera", None) and Actor.system("x").can("administrera", "0580")


def test_grants_from_the_identity_providers_claims():
    assert parse_grant("0580:redaktör") == ("0580", "redaktör")
    assert parse_grant("*:administrator") == ("*", "administratör")
    for bad in ("0580", "580:redaktör", "0580:chef", "abcd:läsare", ""):
        assert parse_grant(bad) is None
    mapping = {"Lofte.Lasare": "0580:läsare", "Lofte.Admin": ["0580:administratör", "1280:läsare"]}
    claims = {"roles": ["Lofte.Lasare", "Lofte.Admin", "0114:redaktör", "Okänd.Grupp", 7]}
    grants = roles_from_claims(claims, "roles", mapping)
    assert sorted(grants) == [("0114", "redaktör"), ("0580", "administratör"), ("0580", "läsare"), ("1280", "läsare")]
    actor = Actor("x", roles=merge(grants))
    assert actor.can("administrera", "0580") and actor.can("redigera", "0114") and not actor.can("redigera", "1280")
    assert roles_from_claims({"roles": "0580:läsare"}, "roles", {}) == [("0580", "läsare")]
    assert roles_from_claims({}, "roles", mapping) == []


def test_settings_from_secrets():
    assert not load({}).auth
    config = load({"auth": {"redirect_uri": "http://x/oauth2callback", "cookie_secret": "s" * 32},
                   "lofte": {"role_claim": "groups", "roles": {"g1": "0580:läsare"}}})  # fmt: skip
    assert config.auth and config.role_claim == "groups" and config.role_map == {"g1": "0580:läsare"}
    assert config.screen_secret == "s" * 32


def test_audit_summary_in_words():
    details = {
        "inserted": {"activity": 2, "commitment": [{"ref": "T1"}]},
        "changed": [{"table": "activity", "key": [1, "A-1"], "before": {"status": "pågår"},
                     "after": {"status": "genomförd"}}],
        "removed": [{"table": "activity", "key": [1, "A-3"], "before": {}}],
    }  # fmt: skip
    assert summary(details) == (
        "2 nya (aktivitet); 1 ny (åtagande); aktivitet 1 / A-1: status pågår → genomförd; 1 borttagna"
    )
    assert summary(None) == ""
