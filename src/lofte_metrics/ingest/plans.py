"""From validated input to a change set, one planner per kind, always for one kommun (the scope).

A planner reads rows (already parsed by ``reading``/``rows``/``sources``), checks them against
what the kommun has (its areas, promise, commitments, activities, types), derives what the
database keeps (Stockholm date, H3 cell, area) and returns :class:`Planned` rows and problems.
Nothing is written here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import promises, reference
from ..formatting import fmt_number, local_date
from ..geo import AreaLocator, cell_of
from ..models import (
    MAPPABLE_PRECISIONS,
    Activity,
    ActivityReport,
    Area,
    Commitment,
    FocusArea,
    Incident,
    IncidentType,
    Kommun,
    Presence,
    Promise,
)
from .changes import Planned, Removal, rows_with_keys
from .progress import Progress, report
from .reading import FileProblem, Table
from .rows import KINDS, PROMISE_SHEETS, Problem, period_bounds, slug, validate_rows
from .sources import POLISEN_SOURCE, normalise_type, parse_areas, parse_bra, parse_polisen

BUILTIN_INDICATORS = {
    "anmalda_brott_100k": ("Anmälda brott per 100 000 invånare", "per 100 000 inv.", "Brå"),
    "anmalda_brott": ("Anmälda brott", "antal", "Brå"),
}
#: how far (degrees, about a kilometre) a point may lie outside the simplified kommun boundary
BOUNDARY_SLACK = 0.01


@dataclass(frozen=True)
class Scope:
    """The kommun a write is for, and (for activities and reports) its promise."""

    kommunkod: str
    kommun_name: str
    police_area: str | None = None
    promise_id: int | None = None
    promise_ref: str | None = None


def resolve_scope(session: Session, kommunkod: str | None, promise_id: int | None = None,
                  need_promise: bool = False, today: dt.date | None = None) -> Scope:  # fmt: skip
    """The kommun (the only one when none is named) and, when needed, the promise (the current one)."""
    kommuner = list(session.scalars(select(Kommun).order_by(Kommun.code)))
    if kommunkod is None:
        if not kommuner:
            raise FileProblem("Databasen följer ingen kommun ännu: välj kommun först (lofte init --kommun KOD).")
        if len(kommuner) > 1:
            raise FileProblem(f"Databasen följer {len(kommuner)} kommuner: ange vilken (--kommun KOD).")
        chosen = kommuner[0]
    else:
        found = next((k for k in kommuner if k.code == kommunkod), None)
        if found is None:
            raise FileProblem(f"Kommunen {kommunkod} finns inte i databasen: lägg till den först (lofte init --kommun "
                              f"{kommunkod}).")  # fmt: skip
        chosen = found
    promise = None
    if promise_id is not None:
        promise = session.get(Promise, promise_id)
        if promise is None or promise.kommunkod != chosen.code:
            raise FileProblem(f"Medborgarlöfte {promise_id} finns inte för {chosen.name}.")
    elif need_promise:
        candidates = list(session.scalars(select(Promise).where(Promise.kommunkod == chosen.code)))
        promise = promises.current(candidates, today or dt.date.today())
        if promise is None:
            raise FileProblem(f"{chosen.name} har inget medborgarlöfte ännu: lägg in löftet först (sidan Löftet eller "
                              "lofte import promise).")  # fmt: skip
    return Scope(chosen.code, chosen.name, chosen.police_area, promise.id if promise else None,
                 promise.ref if promise else None)  # fmt: skip


@dataclass
class Look:
    """What a planner checks rows against, read once per import."""

    areas: dict[str, int]
    area_centres: dict[str, tuple[float | None, float | None]]
    kommun_area_id: int | None
    boundary: BaseGeometry | None
    locator: AreaLocator
    commitments: dict[str, int]
    activities: dict[str, int]
    focus: dict[str, str]  # folded key or name -> key
    types: dict[str, str]  # lower-case type -> the kommun's spelling
    kommun_forms: dict[str, str]  # folded kommun name -> kommunkod, all of Sweden's and the database's
    foreign_keys: dict[str, set[tuple[str, str]]] = field(default_factory=dict)


def lookups(session: Session, scope: Scope) -> Look:
    code = scope.kommunkod
    rows = list(session.execute(
        select(Area.id, Area.code, Area.kind, Area.centre_lat, Area.centre_lon, Area.geometry)
        .where(Area.kommunkod == code)))  # fmt: skip
    kommun_area = next((r for r in rows if r.kind == "kommun"), None)
    boundary = None
    if kommun_area is not None and kommun_area.geometry:
        try:
            boundary = shape(kommun_area.geometry).buffer(BOUNDARY_SLACK)
        except Exception:  # noqa: BLE001 - a broken polygon only turns the check off
            boundary = None
    focus: dict[str, str] = {k: k for k, _, _ in reference.DEFAULT_FOCUS_AREAS}
    for key, name in session.execute(
        select(FocusArea.key, FocusArea.name).join(Promise, Promise.id == FocusArea.promise_id)
        .where(Promise.kommunkod == code)):  # fmt: skip
        focus[reference.fold(key)] = key
        focus.setdefault(reference.fold(name), key)
    for key, name, _ in reference.DEFAULT_FOCUS_AREAS:
        focus.setdefault(reference.fold(name), key)
    kommun_forms = reference.forms()
    for k in session.scalars(select(Kommun)):
        for form in reference.name_forms(k.name, k.official_name):
            kommun_forms[form] = k.code
    types = {n.lower(): n for n in reference.default_types()}
    types |= {n.lower(): n for n in session.scalars(select(IncidentType.name).where(IncidentType.kommunkod == code))}
    commitments: dict[str, int] = {}
    activities: dict[str, int] = {}
    if scope.promise_id is not None:
        commitments = {ref: cid for ref, cid in session.execute(
            select(Commitment.ref, Commitment.id).where(Commitment.promise_id == scope.promise_id))}  # fmt: skip
        activities = {ref: aid for ref, aid in session.execute(
            select(Activity.ref, Activity.id).where(Activity.promise_id == scope.promise_id))}  # fmt: skip
    return Look(
        areas={r.code: r.id for r in rows},
        area_centres={r.code: (r.centre_lat, r.centre_lon) for r in rows},
        kommun_area_id=kommun_area.id if kommun_area else None,
        boundary=boundary,
        locator=AreaLocator((r.id, r.code, r.geometry) for r in rows if r.kind != "kommun" and r.geometry),
        commitments=commitments,
        activities=activities,
        focus=focus,
        types=types,
        kommun_forms=kommun_forms,
    )


def _ref_problem(row: int, header: str, value: str, what: str, sheet: str | None = None) -> Problem:
    article = "okänt" if what in ("åtagande", "fokusområde") else "okänd"
    return Problem(row, header, value, f"{article} {what}: finns inte i databasen", sheet)


# --------------------------------------------------------------------------- derived values


def incident_values(row: dict[str, Any], scope: Scope, look: Look) -> dict[str, Any]:
    """Database values for one incident: kommun, Stockholm date, map cell and area."""
    occurred: dt.datetime = row["occurred_at"]
    precision = row["precision"]
    lat, lon = row.get("lat"), row.get("lon")
    area_id = look.areas.get(row.get("area_code") or "")
    if area_id is None and precision == "punkt":
        area_id = look.locator.locate(lat, lon)
    if area_id is None and precision in ("kommun", "län"):
        area_id = look.kommun_area_id
    return {
        "kommunkod": scope.kommunkod,
        "source": row["source"],
        "source_id": str(row["source_id"]),
        "occurred_at": occurred.astimezone(dt.UTC),
        "local_date": local_date(occurred),
        "type": row["type"],
        "lat": lat,
        "lon": lon,
        "precision": precision,
        "cell": cell_of(lat, lon) if precision in MAPPABLE_PRECISIONS else None,
        "area_id": area_id,
        "place_name": row.get("place_name") or None,
        "summary": row.get("summary") or None,
        "url": row.get("url") or None,
    }


def presence_values(row: dict[str, Any], scope: Scope, look: Look) -> dict[str, Any]:
    started: dt.datetime = row["started_at"]
    ended: dt.datetime = row["ended_at"]
    lat, lon = row.get("lat"), row.get("lon")
    return {
        "kommunkod": scope.kommunkod,
        "ref": row["ref"],
        "actor_kind": row["actor_kind"],
        "started_at": started.astimezone(dt.UTC),
        "ended_at": ended.astimezone(dt.UTC),
        "local_date": local_date(started),
        "hours": (ended - started).total_seconds() / 3600,
        "place": row.get("place") or None,
        "lat": lat,
        "lon": lon,
        "cell": cell_of(lat, lon),
        "area_id": look.areas.get(row.get("area_code") or "") or look.locator.locate(lat, lon),
        "focus_key": row.get("focus_key") or None,
    }


def _outside(look: Look, lat: float | None, lon: float | None) -> bool:
    return (
        look.boundary is not None
        and lat is not None
        and lon is not None
        and not look.boundary.contains(Point(lon, lat))
    )


def _taken_elsewhere(session: Session, model: Any, columns: tuple[str, ...], keys: list[tuple[Any, ...]],
                     kommunkod: str) -> dict[tuple[Any, ...], str]:  # fmt: skip
    """Keys that already belong to another kommun, with that kommun's code."""
    stmt = select(*(getattr(model, c) for c in columns), model.kommunkod).where(model.kommunkod != kommunkod)
    return {tuple(key): code for *key, code in rows_with_keys(session, model, columns, keys, stmt, plain=True)}


# --------------------------------------------------------------------------- table kinds


def plan_table(session: Session, kind: str, table: Table, file_name: str, scope: Scope, look: Look,
               source: str | None,
               progress: Progress | None = None) -> tuple[list[Planned], list[Problem], list[str]]:  # fmt: skip
    spec = KINDS[kind]
    headers = {c.field: c.header for c in spec.columns}
    valid, problems = validate_rows(spec, table, file_name, progress=progress)
    planned: list[Planned] = []
    notes: list[str] = []
    outside = 0
    for i, (row, item) in enumerate(valid):
        report(progress, "Förbereder raderna", i, len(valid))
        data = item.model_dump()
        area_code = data.get("area_code")
        if area_code and area_code not in look.areas:
            problems.append(_ref_problem(row, headers["area_code"], area_code, "områdeskod"))
            continue
        if kind == "activities":
            if data["commitment_ref"] not in look.commitments:
                problems.append(_ref_problem(row, headers["commitment_ref"], data["commitment_ref"], "åtagande"))
                continue
            values = {k: data[k] for k in ("ref", "title", "owner", "responsible_unit", "planned_start",
                                           "planned_end", "planned_count", "status")}  # fmt: skip
            values |= {"promise_id": scope.promise_id, "commitment_id": look.commitments[data["commitment_ref"]],
                       "area_id": look.areas.get(area_code or "")}  # fmt: skip
            planned.append(Planned("activity", row, (data["ref"],), values))
        elif kind == "reports":
            if data["activity_ref"] not in look.activities:
                problems.append(_ref_problem(row, headers["activity_ref"], data["activity_ref"], "aktivitet"))
                continue
            ref = data["ref"] or f"{data['activity_ref']}/{data['date'].isoformat()}/{data['place'] or ''}"[:60]
            values = {k: data[k] for k in ("date", "count", "hours", "place", "lat", "lon", "note")}
            values |= {"ref": ref, "activity_id": look.activities[data["activity_ref"]]}
            planned.append(Planned("activity_report", row, (data["activity_ref"], ref), values))
        elif kind == "incidents":
            data["source"] = data["source"] or source or "egen"
            data["type"] = normalise_type(data["type"], look.types)
            if data["lat"] is None:
                data["lat"], data["lon"] = look.area_centres.get(area_code or "", (None, None))
                data["precision"] = data["precision"] or "område"
            data["precision"] = data["precision"] or "punkt"
            if data["precision"] == "punkt" and _outside(look, data["lat"], data["lon"]):
                problems.append(Problem(row, "lat", f"{data['lat']}, {data['lon']}",
                                        f"punkten ligger utanför {scope.kommun_name}"))  # fmt: skip
                outside += 1
                continue
            values = incident_values(data, scope, look)
            planned.append(Planned("incident", row, (values["source"], values["source_id"]), values))
        elif kind == "presence":
            if data["focus_key"] and reference.fold(data["focus_key"]) not in look.focus:
                problems.append(_ref_problem(row, headers["focus_key"], data["focus_key"], "fokusområde"))
                continue
            if data["focus_key"]:
                data["focus_key"] = look.focus[reference.fold(data["focus_key"])]
            if data["lat"] is None:
                data["lat"], data["lon"] = look.area_centres.get(area_code or "", (None, None))
            elif _outside(look, data["lat"], data["lon"]):
                problems.append(Problem(row, "lat", f"{data['lat']}, {data['lon']}",
                                        f"punkten ligger utanför {scope.kommun_name}"))  # fmt: skip
                continue
            data["ref"] = (data["ref"] or f"{data['actor_kind']}/{data['started_at'].isoformat()}/"
                           f"{data['place'] or area_code or ''}")[:60]  # fmt: skip
            values = presence_values(data, scope, look)
            planned.append(Planned("presence", row, (values["ref"],), values))
        elif kind == "indicators":
            if data["focus_key"] and reference.fold(data["focus_key"]) not in look.focus:
                problems.append(_ref_problem(row, headers["focus_key"], data["focus_key"], "fokusområde"))
                continue
            start, end = period_bounds(data["period"])
            spec_ind = {k: data[k] for k in ("indicator", "name", "unit", "higher_is_better", "source")}
            spec_ind |= {"kommunkod": scope.kommunkod,
                         "focus_key": look.focus.get(reference.fold(data["focus_key"] or ""))}  # fmt: skip
            values = {"period_label": data["period"], "period_start": start, "period_end": end,
                      "value": data["value"], "baseline": data["baseline"], "target": data["target"],
                      "_indicator": spec_ind}  # fmt: skip
            planned.append(Planned("indicator_value", row, (data["indicator"], start), values))
        elif kind == "types":
            name = normalise_type(data["type"], look.types)
            focus = None
            if data["focus_key"]:
                focus = look.focus.get(reference.fold(data["focus_key"]))
                if focus is None:
                    problems.append(_ref_problem(row, headers["focus_key"], data["focus_key"], "fokusområde"))
                    continue
            sensitive = data["sensitive"]
            if sensitive is None:
                shipped = reference.default_types().get(name)
                sensitive = shipped.sensitive if shipped else True
            values = {"kommunkod": scope.kommunkod, "name": name, "focus_key": focus, "sensitive": sensitive,
                      "classified": True}  # fmt: skip
            planned.append(Planned("incident_type", row, (name,), values))
    if kind in ("incidents", "presence") and planned:
        model = Incident if kind == "incidents" else Presence
        cols = ("source", "source_id") if kind == "incidents" else ("ref",)
        if kind == "incidents":
            taken = _taken_elsewhere(session, model, cols, [p.key for p in planned], scope.kommunkod)
            for item in [p for p in planned if p.key in taken]:
                problems.append(
                    Problem(
                        item.row,
                        "id",
                        " / ".join(item.key),
                        f"finns redan i kommun {taken[item.key]}; ge källan ett eget namn",
                    )
                )
            planned = [p for p in planned if p.key not in taken]
    if outside:
        notes.append(f"{fmt_number(outside)} rader ligger utanför {scope.kommun_name} och avvisas.")
    return planned, problems, notes


def dedupe(planned: list[Planned], keep_last: bool, problems: list[Problem], what: str) -> list[Planned]:
    seen: dict[tuple[Any, ...], Planned] = {}
    for item in planned:
        marker = (item.target, item.key)
        if marker in seen and not keep_last:
            problems.append(Problem(item.row, "id", " / ".join(str(k) for k in item.key),
                                    f"samma {what} som rad {seen[marker].row}", item.sheet))  # fmt: skip
            continue
        seen[marker] = item
    return list(seen.values())


# --------------------------------------------------------------------------- police feed


@dataclass
class FeedPlan:
    planned: list[Planned]
    removals: list[Removal]
    problems: list[Problem]
    notes: list[str]
    total: int


def plan_polisen(session: Session, data: bytes, file_name: str, scope: Scope, look: Look) -> FeedPlan:
    """The scope kommun's events from a feed file; its events that the police have since moved to
    another kommun are removed, and events another kommun held that now name this one move here."""
    feed = parse_polisen(data, file_name, look.kommun_forms, look.types)
    last: dict[str, Any] = {}
    for record in feed.records:  # a later record of the same event replaces the earlier one
        last[record.values["source_id"]] = record
    records = list(last.values())
    mine = [r for r in records if r.kommunkod == scope.kommunkod]
    lan_only = [r for r in records if r.kommunkod is None]
    elsewhere = [r for r in records if r.kommunkod not in (None, scope.kommunkod)]
    planned = []
    for record in mine:
        values = incident_values({**record.values, "area_code": scope.kommunkod}, scope, look)
        planned.append(Planned("incident", record.row, (POLISEN_SOURCE, values["source_id"]), values))
    moved_ids = [r.values["source_id"] for r in elsewhere]
    removals: list[Removal] = []
    for start in range(0, len(moved_ids), 500):
        for source_id in session.scalars(
            select(Incident.source_id).where(Incident.source == POLISEN_SOURCE, Incident.kommunkod == scope.kommunkod,
                                             Incident.source_id.in_(moved_ids[start : start + 500]))):  # fmt: skip
            removals.append(Removal("incident", (POLISEN_SOURCE, source_id), f"händelse {source_id}"))
    notes = []
    total = len(feed.records) + len(feed.problems) + feed.notices
    if feed.notices:
        notes.append(f"{fmt_number(feed.notices)} meddelanden (”Sammanfattning …”, ”Uppdatering”, ”Information”) "
                     "är inga händelser och hoppas över.")  # fmt: skip
    if lan_only:
        lans = Counter(r.lan_only for r in lan_only)
        own_lan = reference.kommun(scope.kommunkod)
        own = lans.get(own_lan.lan_name, 0) if own_lan else 0
        extra = f", varav {fmt_number(own)} i {own_lan.lan_name}" if own_lan and own else ""
        notes.append(f"{fmt_number(len(lan_only))} händelser anger bara länet, inte kommunen{extra}: de kan inte "
                     f"knytas till {scope.kommun_name} och hoppas över.")  # fmt: skip
    if elsewhere:
        notes.append(f"{fmt_number(len(elsewhere))} händelser i andra kommuner hoppas över.")
    if removals:
        notes.append(f"{fmt_number(len(removals))} händelser har polisen flyttat till en annan kommun; de tas bort "
                     f"från {scope.kommun_name}.")  # fmt: skip
    if not mine and not removals and not feed.problems:
        top = Counter(r.kommunkod for r in elsewhere).most_common(3)
        names = ", ".join(f"{_kommun_name(c)} {fmt_number(n)}" for c, n in top)
        parts = [f"{fmt_number(len(elsewhere))} i andra kommuner" + (f" (flest: {names})" if names else "")]
        if lan_only:
            parts.append(f"{fmt_number(len(lan_only))} med bara länet")
        raise FileProblem(f"{file_name}: ingen av filens händelser gäller {scope.kommun_name} ({scope.kommunkod}): "
                          f"{'; '.join(parts)}. Inget är inläst. Kontrollera att filen och den valda kommunen hör "
                          "ihop.")  # fmt: skip
    return FeedPlan(planned, removals, feed.problems, notes, total)


def _kommun_name(code: str | None) -> str:
    known = reference.kommun(code or "")
    return known.name if known else str(code)


# --------------------------------------------------------------------------- Brå and areas


def plan_bra(data: bytes, file_name: str, scope: Scope, look: Look,
             year: int) -> tuple[list[Planned], list[Problem], list[str], int]:  # fmt: skip
    rows, problems = parse_bra(data, file_name)
    notes = []
    mine = [(r, b) for r, b in rows if look.kommun_forms.get(reference.fold(b.kommun)) == scope.kommunkod]
    if not mine and rows:
        notes.append(f"Ingen rad gäller {scope.kommun_name}; inget att läsa in.")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    planned = []
    for r, b in mine:
        for indicator, value in (("anmalda_brott_100k", b.per_100k), ("anmalda_brott", float(b.count))):
            planned.append(Planned("indicator_value", r, (indicator, start), {
                "period_label": str(year), "period_start": start, "period_end": end, "value": value,
                "baseline": None, "target": None,
                "_indicator": {"indicator": indicator, "kommunkod": scope.kommunkod}}))  # fmt: skip
    if len(rows) > len(mine):
        notes.append(f"{fmt_number(len(rows) - len(mine))} rader för andra kommuner hoppas över.")
    return planned, problems, notes, len(rows) + len(problems)


def plan_areas(data: bytes, file_name: str, scope: Scope) -> tuple[list[Planned], list[Problem], int]:
    features, problems = parse_areas(data, file_name, scope.kommunkod)
    planned = []
    for i, feature in enumerate(features, start=1):
        props = feature["properties"]
        if props["kommunkod"] != scope.kommunkod:
            problems.append(Problem(i, "kommunkod", props["kommunkod"],
                                    f"området hör inte till den valda kommunen {scope.kommun_name} "
                                    f"({scope.kommunkod})"))  # fmt: skip
            continue
        if props["kind"] == "kommun" and props["code"] != scope.kommunkod:
            problems.append(Problem(i, "kod", props["code"], "ett område av typen kommun har kommunkoden som kod"))
            continue
        parent = props["parent"]  # an unknown parent is left empty when written
        values = {k: props[k] for k in ("code", "name", "kind", "kommunkod", "population", "centre_lat",
                                        "centre_lon")}  # fmt: skip
        values |= {"geometry": feature["geometry"], "_parent": parent}
        planned.append(Planned("area", i, (props["code"],), values))
    return planned, problems, len(features) + len(problems)


# --------------------------------------------------------------------------- the promise workbook


SHEET_NAMES = {
    "Löfte": ("löfte", "lofte", "medborgarlöfte", "promise"),
    "Fokusområden": ("fokusområden", "fokusomraden", "fokus"),
    "Åtaganden": ("åtaganden", "ataganden", "åtagande"),
    "Aktiviteter": ("aktiviteter", "aktivitet"),
}


def sheet_of(name: str) -> str | None:
    key = reference.fold(name)
    return next((title for title, names in SHEET_NAMES.items() if key in names), None)


def _signatories(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]


@dataclass
class PromisePlan:
    planned: list[Planned]
    removals: list[Removal]
    problems: list[Problem]
    notes: list[str]
    total: int


def plan_promise(session: Session, tables: dict[str, Table], file_name: str, scope: Scope, look: Look,
                 replace: frozenset[str] = frozenset(), promise_id: int | None = None) -> PromisePlan:  # fmt: skip
    """A medborgarlöfte from its four sheets. ``replace``: sheets that are the whole truth (an editor's
    table), so rows missing from them are removed; a file import only adds and updates. With
    ``promise_id`` the Löfte row edits that promise (its ref may not change)."""
    problems: list[Problem] = []
    notes: list[str] = []
    planned: list[Planned] = []
    removals: list[Removal] = []
    if "Löfte" not in tables:
        raise FileProblem(f"{file_name}: bladet Löfte saknas; arbetsboken ska ha bladen Löfte, Fokusområden, "
                          "Åtaganden och Aktiviteter (hämta mallen).")  # fmt: skip
    total = sum(len(t.rows) for t in tables.values())
    valid, found = validate_rows(PROMISE_SHEETS["Löfte"], tables["Löfte"], file_name, "Löfte")
    problems += found
    if len(tables["Löfte"].rows) != 1:
        problems.append(Problem(None, None, None, f"ska ha exakt en rad med löftet, har {len(tables['Löfte'].rows)}",
                                "Löfte"))  # fmt: skip
    if not valid:
        return PromisePlan([], [], problems, notes, total)
    row, p = valid[0]
    existing_promise = session.get(Promise, promise_id) if promise_id is not None else None
    if p.kommunkod and p.kommunkod != scope.kommunkod:
        problems.append(Problem(row, "kommunkod", p.kommunkod,
                                f"löftet gäller en annan kommun än den valda ({scope.kommun_name}, "
                                f"{scope.kommunkod})", "Löfte"))  # fmt: skip
    ref = existing_promise.ref if existing_promise else (p.ref or promises.ref_for(p.period_start, p.period_end))
    if existing_promise is None:
        clash = session.scalar(select(Promise).where(Promise.kommunkod == scope.kommunkod, Promise.ref == ref))
        existing_promise = clash
    promise_key = (scope.kommunkod, ref)
    planned.append(Planned("promise", row, (ref,), {
        "kommunkod": scope.kommunkod, "ref": ref, "title": p.title, "kommun_name": scope.kommun_name,
        "police_area": p.police_area or scope.police_area or f"Lokalpolisområde {scope.kommun_name}",
        "period_start": p.period_start, "period_end": p.period_end, "signed_date": p.signed_date,
        "signatories": _signatories(p.signatories), "summary": p.summary}, "Löfte"))  # fmt: skip
    pid = existing_promise.id if existing_promise else None

    old_focus: dict[str, FocusArea] = {}
    old_commitments: dict[str, Commitment] = {}
    old_activities: dict[str, Activity] = {}
    if pid is not None:
        old_focus = {f.key: f for f in session.scalars(select(FocusArea).where(FocusArea.promise_id == pid))}
        old_commitments = {c.ref: c for c in session.scalars(select(Commitment).where(Commitment.promise_id == pid))}
        old_activities = {a.ref: a for a in session.scalars(select(Activity).where(Activity.promise_id == pid))}

    # Fokusområden: a key from the name when none is given.
    focus_keys: dict[str, str] = {}  # folded key or name -> key
    for fa in old_focus.values():
        focus_keys[reference.fold(fa.key)] = fa.key
        focus_keys.setdefault(reference.fold(fa.name), fa.key)
    sheet_focus: set[str] = set()
    if "Fokusområden" in tables:
        valid_f, found = validate_rows(PROMISE_SHEETS["Fokusområden"], tables["Fokusområden"], file_name,
                                       "Fokusområden")  # fmt: skip
        problems += found
        for order, (r, f) in enumerate(valid_f):
            key = f.key or focus_keys.get(reference.fold(f.name)) or slug(f.name)
            if key in sheet_focus:
                problems.append(Problem(r, "nyckel", key, "samma fokusområde finns redan på en rad ovanför",
                                        "Fokusområden"))  # fmt: skip
                continue
            sheet_focus.add(key)
            focus_keys[reference.fold(key)] = key
            focus_keys[reference.fold(f.name)] = key
            planned.append(Planned("focus_area", r, (key,), {
                "_promise": promise_key, "key": key, "name": f.name, "description": f.description,
                "sort_order": f.sort_order if f.sort_order is not None else order}, "Fokusområden"))  # fmt: skip

    sheet_commitments: set[str] = set()
    commitment_refs = set(old_commitments)
    if "Åtaganden" in tables:
        valid_c, found = validate_rows(PROMISE_SHEETS["Åtaganden"], tables["Åtaganden"], file_name, "Åtaganden")
        problems += found
        for r, c in valid_c:
            key = focus_keys.get(reference.fold(c.focus))
            if key is None or ("Fokusområden" in replace and key not in sheet_focus):
                problems.append(Problem(r, "fokusområde", c.focus, "okänt fokusområde: finns inte i löftet",
                                        "Åtaganden"))  # fmt: skip
                continue
            if c.ref in sheet_commitments:
                problems.append(Problem(r, "id", c.ref, "samma åtagande finns redan på en rad ovanför", "Åtaganden"))
                continue
            sheet_commitments.add(c.ref)
            commitment_refs.add(c.ref)
            planned.append(Planned("commitment", r, (c.ref,), {
                "_promise": promise_key, "_focus": key, "ref": c.ref, "owner": c.owner, "text": c.text,
                "target_count": c.target_count, "target_unit": c.target_unit, "due_date": c.due_date},
                "Åtaganden"))  # fmt: skip

    sheet_activities: set[str] = set()
    if "Aktiviteter" in tables:
        valid_a, found = validate_rows(PROMISE_SHEETS["Aktiviteter"], tables["Aktiviteter"], file_name, "Aktiviteter")
        problems += found
        known_commitments = sheet_commitments if "Åtaganden" in replace else commitment_refs
        for r, a in valid_a:
            if a.commitment_ref not in known_commitments:
                problems.append(Problem(r, "åtagande", a.commitment_ref, "okänt åtagande: finns inte i löftet",
                                        "Aktiviteter"))  # fmt: skip
                continue
            if a.area_code and a.area_code not in look.areas:
                problems.append(_ref_problem(r, "område", a.area_code, "områdeskod", "Aktiviteter"))
                continue
            if a.ref in sheet_activities:
                problems.append(Problem(r, "id", a.ref, "samma aktivitet finns redan på en rad ovanför",
                                        "Aktiviteter"))  # fmt: skip
                continue
            sheet_activities.add(a.ref)
            planned.append(Planned("activity", r, (a.ref,), {
                "_promise": promise_key, "_commitment": a.commitment_ref, "ref": a.ref, "title": a.title,
                "owner": a.owner, "responsible_unit": a.responsible_unit, "planned_start": a.planned_start,
                "planned_end": a.planned_end, "planned_count": a.planned_count, "status": a.status,
                "area_id": look.areas.get(a.area_code or "")}, "Aktiviteter"))  # fmt: skip

    # Rows an editor removed. Only rows nothing points to any more are removed, so no cascade
    # takes what the user still sees; anything else is a problem with a way out.
    if pid is not None:
        removals, found = _removals(session, pid, replace, planned, old_focus, old_commitments, old_activities)
        problems += found
    return PromisePlan(planned, removals, problems, notes, total)


def _removals(session: Session, pid: int, replace: frozenset[str], planned: list[Planned],
              old_focus: dict[str, FocusArea], old_commitments: dict[str, Commitment],
              old_activities: dict[str, Activity]) -> tuple[list[Removal], list[Problem]]:  # fmt: skip
    removals: list[Removal] = []
    problems: list[Problem] = []
    new_activity = {p.key[0]: p.values["_commitment"] for p in planned if p.target == "activity"}
    new_commitment = {p.key[0]: p.values["_focus"] for p in planned if p.target == "commitment"}
    commitment_ref = {c.id: ref for ref, c in old_commitments.items()}
    focus_key = {f.id: key for key, f in old_focus.items()}

    gone_activities: set[str] = set()
    if "Aktiviteter" in replace:
        for ref, activity in old_activities.items():
            if ref in new_activity:
                continue
            has_reports = session.scalar(
                select(ActivityReport.id).where(ActivityReport.activity_id == activity.id).limit(1)
            )
            if has_reports is not None:
                problems.append(Problem(None, "id", ref, "har genomföranden och kan inte tas bort; sätt status "
                                        "inställd i stället", "Aktiviteter"))  # fmt: skip
                continue
            gone_activities.add(ref)
            removals.append(Removal("activity", (pid, ref), f"aktivitet {ref}: {activity.title}"))
    final_activities = {ref: commitment_ref.get(a.commitment_id) for ref, a in old_activities.items()
                        if ref not in gone_activities} | new_activity  # fmt: skip

    gone_commitments: set[str] = set()
    if "Åtaganden" in replace:
        for ref in old_commitments:
            if ref in new_commitment:
                continue
            uses = sorted(a for a, c in final_activities.items() if c == ref)
            if uses:
                problems.append(Problem(None, "id", ref, f"har aktiviteter ({', '.join(uses[:5])}) och kan inte tas "
                                        "bort; flytta eller ta bort dem först", "Åtaganden"))  # fmt: skip
                continue
            gone_commitments.add(ref)
            removals.append(Removal("commitment", (pid, ref), f"åtagande {ref}"))
    final_commitments = {ref: focus_key.get(c.focus_area_id) for ref, c in old_commitments.items()
                         if ref not in gone_commitments} | new_commitment  # fmt: skip

    if "Fokusområden" in replace:
        new_focus = {p.key[0] for p in planned if p.target == "focus_area"}
        for key, fa in old_focus.items():
            if key in new_focus:
                continue
            uses = sorted(c for c, f in final_commitments.items() if f == key)
            if uses:
                problems.append(Problem(None, "nyckel", key, f"har åtaganden ({', '.join(uses[:5])}) och kan inte tas "
                                        "bort; flytta eller ta bort dem först", "Fokusområden"))  # fmt: skip
                continue
            removals.append(Removal("focus_area", (pid, key), f"fokusområde {fa.name}"))
    return removals, problems
