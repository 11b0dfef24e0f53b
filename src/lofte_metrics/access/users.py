"""The roles administrators give people in a kommun (beside those the identity provider's claims
give): read, add and remove, each change an undoable batch in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ..ingest.changes import Batch, Plan, Planned, Removal, Written, values_hash, write
from ..models import UserRole
from .roles import ROLE_WORDS, ROLES, Actor, Role


class RoleRefused(ValueError):
    """A role that cannot be given as asked; the message is for a person."""


@dataclass(frozen=True)
class Grant:
    identity: str
    name: str | None
    kommunkod: str
    role: str


def normalise_identity(identity: str) -> str:
    return identity.strip().lower()


def grants_for(engine: Engine, identity: str) -> list[tuple[str, Role]]:
    """The roles the user table gives this identity, in every kommun."""
    with Session(engine) as session:
        rows = session.execute(
            select(UserRole.kommunkod, UserRole.role).where(
                func.lower(UserRole.identity) == normalise_identity(identity)
            )
        )
        return [(code, role) for code, role in rows]  # type: ignore[misc]


def grants_in(engine: Engine, kommunkod: str) -> list[Grant]:
    with Session(engine) as session:
        stmt = select(UserRole).where(UserRole.kommunkod == kommunkod).order_by(UserRole.identity, UserRole.role)
        return [Grant(r.identity, r.name, r.kommunkod, r.role) for r in session.scalars(stmt)]


def give_role(
    engine: Engine, kommunkod: str, identity: str, role: str, actor: Actor, name: str | None = None
) -> Written:
    who = normalise_identity(identity)
    if not who or len(who) > 200 or any(c.isspace() for c in who):
        raise RoleRefused("Ange personens e-postadress (eller inloggnings-id), utan mellanslag, högst 200 tecken.")
    if role not in ROLES:
        raise RoleRefused(f"Rollen ska vara en av: {', '.join(ROLES)}.")
    plan = Plan([Planned("user_role", None, (who, role), {"kommunkod": kommunkod, "identity": who, "role": role,
                                                           "name": (name or "").strip()[:200] or None})])  # fmt: skip
    record = Batch("roll", "sidan Användare", f"{ROLE_WORDS[role]} för {who}", values_hash([who, role]), actor, 1,  # type: ignore[index]
                   kommunkod)  # fmt: skip
    return write(engine, plan, record)


def take_role(engine: Engine, kommunkod: str, identity: str, role: str, actor: Actor) -> Written:
    who = normalise_identity(identity)
    plan = Plan(removals=[Removal("user_role", (kommunkod, who, role), f"{role} för {who}")])
    record = Batch("roll", "sidan Användare", f"Tog bort {role} för {who}", values_hash([who, role, "bort"]), actor,
                   1, kommunkod)  # fmt: skip
    return write(engine, plan, record)
