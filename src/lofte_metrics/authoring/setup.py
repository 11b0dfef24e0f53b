"""Choosing a kommun: the kommun row, its area with its real boundary, and the default type mapping."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .. import reference
from ..access.roles import Actor
from ..db import init_db
from ..ingest.changes import Batch, Plan, Planned, Written, values_hash, write
from ..models import Area, IncidentType, Kommun
from ..privacy import DEFAULT_MIN_COUNT, MIN_COUNT_RANGE


class SetupError(ValueError):
    """The kommun cannot be set up; the message is for a person."""


def setup_kommun(engine: Engine, code: str, *, actor: Actor, police_area: str | None = None,
                 name: str | None = None, geometry: dict[str, Any] | None = None,
                 population: int | None = None, centre: tuple[float, float] | None = None) -> Written:  # fmt: skip
    """Follow a kommun: from the reference data by its kommunkod, or (a kommun the reference does not
    know, like the fictional sample) from ``name`` and ``geometry``. Running it again for a kommun
    that is already set up changes only what differs (the lokalpolisområde's name, say)."""
    code = str(code).strip()
    known = reference.kommun(code)
    if known is None and not (name and geometry):
        raise SetupError(f"Ingen kommun har kommunkoden '{code}'. Sök på namnet eller koden (fyra siffror, t.ex. "
                         "0580 för Linköping).")  # fmt: skip
    if len(code) != 4 or not code.isdigit():
        raise SetupError(f"Kommunkoden ska vara fyra siffror, inte '{code}'.")
    init_db(engine)
    short = name or (known.name if known else code)
    official = known.official_name if known else reference.official_name(short)
    police = (police_area or "").strip() or None
    if police and len(police) > 120:
        raise SetupError("Lokalpolisområdets namn får vara högst 120 tecken.")
    with Session(engine) as session:
        present = session.get(Kommun, code)
        has_area = session.scalar(select(Area.id).where(Area.code == code)) is not None
        have_types = set(session.scalars(select(IncidentType.name).where(IncidentType.kommunkod == code)))
    kommun_values: dict[str, Any] = {
        "code": code, "name": short, "official_name": official,
        "lan_code": known.lan_code if known else None, "lan_name": known.lan_name if known else None,
        "police_area": police or (present.police_area if present else None) or f"Lokalpolisområde {short}",
    }  # fmt: skip
    if present is None:
        kommun_values["created_at"] = dt.datetime.now(dt.UTC)
    boundary = geometry or (known.geometry() if known else None)
    lat, lon = centre or ((known.centre_lat, known.centre_lon) if known else (None, None))
    if lat is None and boundary is not None:
        from shapely.geometry import shape

        point = shape(boundary).representative_point()
        lat, lon = point.y, point.x
    plan = Plan([Planned("kommun", None, (code,), kommun_values)])
    if not has_area:  # an area imported since (a finer boundary, the population) is kept
        plan.planned.append(
            Planned(
                "area",
                None,
                (code,),
                {
                    "code": code,
                    "name": official,
                    "kind": "kommun",
                    "kommunkod": code,
                    "population": population,
                    "centre_lat": round(lat, 6) if lat is not None else None,
                    "centre_lon": round(lon, 6) if lon is not None else None,
                    "geometry": boundary,
                    "_parent": None,
                },
            )
        )
    for shipped in reference.default_types().values():
        if shipped.notice or shipped.name in have_types:
            continue
        plan.planned.append(Planned("incident_type", None, (shipped.name,), {
            "kommunkod": code, "name": shipped.name, "focus_key": shipped.focus_key, "sensitive": shipped.sensitive,
            "classified": True}))  # fmt: skip
    record = Batch("kommun", "inställning", f"Kommun {short} ({code})", values_hash(kommun_values), actor,
                   len(plan.planned), code)  # fmt: skip
    return write(engine, plan, record)


def set_min_count(engine: Engine, code: str, value: object, *, actor: Actor) -> Written:
    """Set the kommun's minimum count: fewer events than this are never shown finer than the
    kommun (an administrator's decision, in the audit trail; a viewer can only ask for more)."""
    low, high = MIN_COUNT_RANGE
    try:
        wanted = int(str(value).strip())
    except (TypeError, ValueError):
        raise SetupError(f"Minsta antal ska vara ett heltal mellan {low} och {high}, inte '{value}'.") from None
    if not low <= wanted <= high:
        raise SetupError(f"Minsta antal ska vara mellan {low} och {high} (förvalt {DEFAULT_MIN_COUNT}).")
    with Session(engine) as session:
        if session.get(Kommun, code) is None:
            raise SetupError(f"Kommunen {code} följs inte här.")
    values = {"code": code, "min_count": wanted}
    record = Batch("kommun", "inställning", f"Minsta antal {wanted} för kommun {code}", values_hash(values), actor,
                   1, code)  # fmt: skip
    return write(engine, Plan([Planned("kommun", None, (code,), values)]), record)
