"""A kommun's mapping of incident types to fokusområden, and which types are sensitive.

New types enter the mapping when incidents arrive: with the shipped default when the police feed
knows the type, else unmapped and sensitive until a person decides (unknown means closed). A
change applies to every incident already in the database: pages join the mapping, nothing is
copied into the incidents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .. import reference
from ..access.roles import Actor
from ..ingest.changes import Batch, Plan, Planned, Written, values_hash, write
from ..models import IncidentType


def ensure_types(session: Session, kommunkod: str, names: Iterable[str]) -> int:
    """Add the types this kommun has not seen; returns how many were new."""
    known = set(session.scalars(select(IncidentType.name).where(IncidentType.kommunkod == kommunkod)))
    shipped = reference.default_types()
    added = 0
    for name in sorted(set(names) - known):
        default = shipped.get(name)
        session.add(IncidentType(
            kommunkod=kommunkod, name=name, focus_key=default.focus_key if default else None,
            sensitive=default.sensitive if default else True, classified=default is not None))  # fmt: skip
        added += 1
    session.flush()
    return added


@dataclass(frozen=True)
class TypeChoice:
    """One row of the mapping editor: the type, its fokusområde (None: none) and sensitivity."""

    name: str
    focus_key: str | None
    sensitive: bool
    classified: bool = True


def save_mapping(engine: Engine, kommunkod: str, choices: Sequence[TypeChoice], actor: Actor) -> Written:
    """Write the rows that changed as one batch (undoable). A type is classified once a person has
    decided its fokusområde and sensitivity; until then it is treated as sensitive."""
    plan = Plan([
        Planned("incident_type", None, (c.name,), {"kommunkod": kommunkod, "name": c.name, "focus_key": c.focus_key,
                                                   "sensitive": bool(c.sensitive), "classified": bool(c.classified)})
        for c in choices
    ])  # fmt: skip
    record = Batch("typ", "dashboard", "Händelsetyper", values_hash([c.__dict__ for c in choices]), actor,
                   len(choices), kommunkod)  # fmt: skip
    return write(engine, plan, record)
