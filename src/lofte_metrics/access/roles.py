"""Who may do what, per kommun (pure).

Four roles. A **läsare** sees every page of the kommun. A **redaktör** also imports, edits the
promise and its activities, reports genomförande and writes lägesbild drafts, and undoes their own
imports. A **godkännare** approves the lägesbild (a member of the steering group: approving is a
decision of the group, not data entry, so it is a role of its own; an administratör may approve
too). An **administratör** also sets up the kommun, maps event types, manages users and screen
links, and undoes anyone's imports.

Unknown means closed: an actor with no role in a kommun can do nothing there, not even read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["läsare", "redaktör", "godkännare", "administratör"]
Action = Literal["läsa", "redigera", "godkänna", "administrera"]
ROLES: tuple[Role, ...] = ("läsare", "redaktör", "godkännare", "administratör")
ALL_KOMMUNER = "*"

#: what each role may do (reading is part of every role)
GRANTS: dict[Role, frozenset[Action]] = {
    "läsare": frozenset({"läsa"}),
    "redaktör": frozenset({"läsa", "redigera"}),
    "godkännare": frozenset({"läsa", "godkänna"}),
    "administratör": frozenset({"läsa", "redigera", "godkänna", "administrera"}),
}
ACTION_WORDS: dict[Action, str] = {
    "läsa": "läsa",
    "redigera": "ändra uppgifter",
    "godkänna": "godkänna lägesbilder",
    "administrera": "administrera",
}
ROLE_WORDS: dict[Role, str] = {
    "läsare": "Läsare",
    "redaktör": "Redaktör",
    "godkännare": "Godkännare",
    "administratör": "Administratör",
}


class AccessDenied(PermissionError):
    """A write (or read) the actor may not do; the message is for a person."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in person, the local administrator, the command line, or a screen."""

    #: the identity recorded in the audit trail (an e-mail or the provider's subject)
    identity: str
    name: str = ""
    #: kommunkod (or ``*`` for all) -> roles
    roles: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    #: a read-only server or database: nothing may be written, whatever the roles
    read_only: bool = False
    #: a screen link: only these pages ('' = every page)
    pages: tuple[str, ...] = ()
    kind: Literal["person", "local", "system", "screen", "public"] = "person"

    def roles_in(self, kommunkod: str) -> frozenset[Role]:
        return frozenset(self.roles.get(kommunkod, frozenset()) | self.roles.get(ALL_KOMMUNER, frozenset()))

    def can(self, action: Action, kommunkod: str | None) -> bool:
        """May this actor do ``action`` in the kommun? (``None``: in any kommun, e.g. add a new one.)"""
        if self.read_only and action != "läsa":
            return False
        if kommunkod is None:
            held = self.roles.get(ALL_KOMMUNER, frozenset())
        else:
            held = self.roles_in(kommunkod)
        return any(action in GRANTS[role] for role in held)

    def require(self, action: Action, kommunkod: str | None) -> None:
        if self.can(action, kommunkod):
            return
        where = f" i kommun {kommunkod}" if kommunkod else ""
        if self.read_only and action != "läsa":
            raise AccessDenied("Den här visningen är skrivskyddad: inget kan ändras.")
        held = ", ".join(ROLE_WORDS[r].lower() for r in sorted(self.roles_in(kommunkod or ""))) or "ingen roll"
        raise AccessDenied(f"{self.label} får inte {ACTION_WORDS[action]}{where} (roll: {held}).")

    def kommuner(self, followed: Iterable[str]) -> list[str]:
        """The followed kommuner this actor may read."""
        return [code for code in followed if self.can("läsa", code)]

    @property
    def label(self) -> str:
        return self.name or self.identity

    @classmethod
    def system(cls, identity: str) -> Actor:
        """The command line and the sample loader: whoever has the database may do everything."""
        return cls(identity, identity, {ALL_KOMMUNER: frozenset({"administratör"})}, kind="system")

    @classmethod
    def local(cls, identity: str) -> Actor:
        """The embedded default without login: one administrator on this computer only."""
        return cls(identity, identity, {ALL_KOMMUNER: frozenset({"administratör"})}, kind="local")

    @classmethod
    def public(cls) -> Actor:
        """``lofte serve --public-read-only``: everyone reads every kommun; nothing is written."""
        return cls("allmänheten", "Skrivskyddad visning", {ALL_KOMMUNER: frozenset({"läsare"})}, read_only=True,
                   kind="public")  # fmt: skip

    @classmethod
    def nobody(cls) -> Actor:
        return cls("okänd", "Ingen inloggad", {}, kind="public")


def parse_grant(text: str) -> tuple[str, Role] | None:
    """``0580:redaktör`` or ``*:administratör`` -> (kommunkod, role); anything else -> None."""
    if ":" not in text:
        return None
    code, _, role = text.strip().partition(":")
    role = role.strip().lower().replace("redaktor", "redaktör").replace("administrator", "administratör")
    role = role.replace("godkannare", "godkännare").replace("lasare", "läsare")
    code = code.strip()
    if role not in ROLES or not (code == ALL_KOMMUNER or (len(code) == 4 and code.isdigit())):
        return None
    return code, role  # type: ignore[return-value]


def merge(*grants: Iterable[tuple[str, Role]]) -> dict[str, frozenset[Role]]:
    merged: dict[str, set[Role]] = {}
    for pairs in grants:
        for code, role in pairs:
            merged.setdefault(code, set()).add(role)
    return {code: frozenset(roles) for code, roles in merged.items()}


def _as_list(value: object) -> list[object]:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [] if value is None else [value]


def roles_from_claims(
    claims: Mapping[str, object], claim: str, mapping: Mapping[str, object]
) -> list[tuple[str, Role]]:
    """Grants from the identity provider's claim (app roles or groups): each value either names a
    grant itself (``0580:redaktör``) or is mapped in the settings to one or more grants."""
    grants: list[tuple[str, Role]] = []
    for value in _as_list(claims.get(claim)):
        if not isinstance(value, str):
            continue
        targets = _as_list(mapping.get(value)) or [value]
        for target in targets:
            grant = parse_grant(str(target))
            if grant is not None:
                grants.append(grant)
    return grants
