"""The import pipeline: prepare (read, validate, compare with the database), commit (all or
nothing, as one import batch) and undo (delete what a batch inserted, restore what it changed).

``prepare`` never writes. ``commit`` refuses a preview with problems unless the user chose to
import only the valid rows; then the rejected rows come back as a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, DateTime, Engine, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import store
from ..db import session_scope
from ..models import (
    Activity,
    ActivityReport,
    Area,
    Base,
    Commitment,
    FocusArea,
    ImportBatch,
    Incident,
    IncidentType,
    Indicator,
    IndicatorValue,
    Presence,
    Promise,
)
from .reading import FileProblem, Table, read_table
from .rows import KINDS, Problem, period_bounds, validate_rows
from .sources import normalise_type, parse_areas, parse_bra, parse_polisen

IMPORT_KINDS = {
    "activities": "Aktiviteter (CSV/XLSX)",
    "reports": "Genomföranden (CSV/XLSX)",
    "incidents": "Händelser, egen CSV/XLSX",
    "polisen": "Polisens händelser (JSON från polisen.se/api/events)",
    "presence": "Närvaro (CSV/XLSX)",
    "indicators": "Indikatorer (CSV/XLSX)",
    "bra": "Brå: anmälda brott i kommunerna (CSV)",
    "areas": "Områden (GeoJSON)",
}


class ImportRefused(ValueError):
    """The file has problems and the user did not choose to import only the valid rows."""


@dataclass
class Planned:
    """One row ready to write: its natural key, its database values, and its file row."""

    row: int
    key: tuple[Any, ...]
    values: dict[str, Any]


@dataclass
class Preview:
    kind: str
    file_name: str
    data: bytes
    total: int
    planned: list[Planned]
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    table: Table | None = None

    @property
    def rejected_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.row is not None}

    def problem_lines(self) -> list[str]:
        return [p.line(self.file_name) for p in self.problems]


@dataclass(frozen=True)
class Outcome:
    batch_id: int | None  # None: nothing was new, so no batch was written
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    rejected_file: bytes | None


# --------------------------------------------------------------------------- table specs


@dataclass(frozen=True)
class Target:
    model: type[Base]
    key: tuple[str, ...]
    compare: tuple[str, ...]


TARGETS: dict[str, Target] = {
    "incident": Target(Incident, ("source", "source_id"),
                       ("occurred_at", "type", "lat", "lon", "precision", "area_id", "place_name", "summary", "url")),
    "activity": Target(Activity, ("ref",), ("commitment_id", "title", "owner", "responsible_unit", "planned_start",
                                            "planned_end", "planned_count", "status", "area_id")),
    "activity_report": Target(ActivityReport, ("ref",), ("activity_id", "date", "count", "hours", "place", "lat",
                                                         "lon", "note")),
    "presence": Target(Presence, ("ref",), ("actor_kind", "started_at", "ended_at", "place", "lat", "lon",
                                            "area_id", "focus_key")),
    "indicator_value": Target(IndicatorValue, ("indicator_id", "period_start"), ("period_label", "period_end",
                                                                                "value", "baseline", "target")),
    "area": Target(Area, ("code",), ("name", "kind", "kommunkod", "population", "centre_lat", "centre_lon",
                                     "geometry", "parent_id")),
}  # fmt: skip
KIND_TARGET = {"activities": "activity", "reports": "activity_report", "incidents": "incident",
               "polisen": "incident", "presence": "presence", "indicators": "indicator_value",
               "bra": "indicator_value", "areas": "area"}  # fmt: skip


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"__dt__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__d__": value.isoformat()}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and "__dt__" in value:
        return dt.datetime.fromisoformat(value["__dt__"])
    if isinstance(value, dict) and "__d__" in value:
        return dt.date.fromisoformat(value["__d__"])
    return value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
        except (TypeError, ValueError):
            return False
    return bool(a == b)


def _existing(session: Session, target: Target, keys: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], Any]:
    model = target.model
    cols = [getattr(model, k) for k in target.key]
    found: dict[tuple[Any, ...], Any] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        if len(cols) == 1:
            stmt = select(model).where(cols[0].in_([k[0] for k in chunk]))
        else:
            stmt = select(model).where(tuple_(*cols).in_(chunk))
        for obj in session.scalars(stmt):
            found[tuple(getattr(obj, k) for k in target.key)] = obj
    return found


# --------------------------------------------------------------------------- preparing each kind


def _lookups(session: Session) -> dict[str, Any]:
    kommuner = {}
    for name, code in session.execute(select(Area.name, Area.code).where(Area.kind == "kommun")):
        kommuner[name.lower()] = code
        kommuner[name.lower().removesuffix(" kommun")] = code
    first_kommun = session.scalar(select(Area.code).where(Area.kind == "kommun").order_by(Area.code))
    if first_kommun:
        for name in session.scalars(select(Promise.kommun_name)):
            kommuner.setdefault(name.lower(), first_kommun)
    return {
        "commitments": {r: i for i, r in session.execute(select(Commitment.id, Commitment.ref))},
        "activities": {r: i for i, r in session.execute(select(Activity.id, Activity.ref))},
        "areas": store.area_ids_by_code(session),
        "focus": set(session.scalars(select(FocusArea.key))),
        "types": {n.lower(): n for n in session.scalars(select(IncidentType.name))},
        "kommuner": kommuner,
        "kommunkod": session.scalar(select(Promise.kommunkod).order_by(Promise.period_start.desc())),
    }


def _ref_problem(row: int, header: str, value: str, what: str) -> Problem:
    article = "okänt" if what in ("åtagande", "fokusområde") else "okänd"
    return Problem(row, header, value, f"{article} {what}: finns inte i databasen")


def _plan_table_kind(kind: str, session: Session, table: Table, file_name: str, source: str | None,
                     look: dict[str, Any]) -> tuple[list[Planned], list[Problem]]:  # fmt: skip
    spec = KINDS[kind]
    headers = {c.field: c.header for c in spec.columns}
    valid, problems = validate_rows(spec, table, file_name)
    planned: list[Planned] = []
    incident_rows: list[tuple[int, dict[str, Any]]] = []
    presence_rows: list[tuple[int, dict[str, Any]]] = []
    for row, item in valid:
        data = item.model_dump()
        area_code = data.get("area_code")
        if area_code and area_code not in look["areas"]:
            problems.append(_ref_problem(row, headers["area_code"], area_code, "områdeskod"))
            continue
        if kind == "activities":
            if data["commitment_ref"] not in look["commitments"]:
                problems.append(_ref_problem(row, headers["commitment_ref"], data["commitment_ref"], "åtagande"))
                continue
            values = {k: data[k] for k in ("ref", "title", "owner", "responsible_unit", "planned_start",
                                           "planned_end", "planned_count", "status")}  # fmt: skip
            values["commitment_id"] = look["commitments"][data["commitment_ref"]]
            values["area_id"] = look["areas"].get(area_code or "")
            planned.append(Planned(row, (data["ref"],), values))
        elif kind == "reports":
            if data["activity_ref"] not in look["activities"]:
                problems.append(_ref_problem(row, headers["activity_ref"], data["activity_ref"], "aktivitet"))
                continue
            ref = data["ref"] or f"{data['activity_ref']}/{data['date'].isoformat()}/{data['place'] or ''}"
            values = {k: data[k] for k in ("date", "count", "hours", "place", "lat", "lon", "note")}
            values |= {"ref": ref, "activity_id": look["activities"][data["activity_ref"]]}
            planned.append(Planned(row, (ref,), values))
        elif kind == "incidents":
            data["source"] = data["source"] or source or "egen"
            data["type"] = normalise_type(data["type"], look["types"])
            data["precision"] = "punkt" if data["lat"] is not None else "område"
            if data["lat"] is None:
                area = session.get(Area, look["areas"][area_code])
                data["lat"], data["lon"] = (area.centre_lat, area.centre_lon) if area else (None, None)
            incident_rows.append((row, data))
        elif kind == "presence":
            if data["focus_key"] and data["focus_key"] not in look["focus"]:
                problems.append(_ref_problem(row, headers["focus_key"], data["focus_key"], "fokusområde"))
                continue
            if data["lat"] is None:
                area = session.get(Area, look["areas"][area_code])
                if area:
                    data["lat"], data["lon"] = area.centre_lat, area.centre_lon
            data["ref"] = (
                data["ref"]
                or f"{data['actor_kind']}/{data['started_at'].isoformat()}/{data['place'] or area_code or ''}"
            )
            presence_rows.append((row, data))
        elif kind == "indicators":
            start, end = period_bounds(data["period"])
            values = {"period_label": data["period"], "period_start": start, "period_end": end,
                      "value": data["value"], "baseline": data["baseline"], "target": data["target"]}  # fmt: skip
            planned.append(Planned(row, (data["indicator"], start), values | {"_indicator": data}))
    if incident_rows:
        values = store.incident_values(session, [d for _, d in incident_rows], None)
        planned += [
            Planned(r, (v["source"], v["source_id"]), v) for (r, _), v in zip(incident_rows, values, strict=True)
        ]
    if presence_rows:
        values = store.presence_values(session, [d for _, d in presence_rows], None)
        planned += [Planned(r, (v["ref"],), v) for (r, _), v in zip(presence_rows, values, strict=True)]
    return planned, problems


def _dedupe(planned: list[Planned], keep_last: bool, problems: list[Problem], what: str) -> list[Planned]:
    seen: dict[tuple[Any, ...], Planned] = {}
    for item in planned:
        if item.key in seen and not keep_last:
            problems.append(Problem(item.row, "id", " / ".join(str(k) for k in item.key),
                                    f"samma {what} som rad {seen[item.key].row}"))  # fmt: skip
            continue
        seen[item.key] = item
    return list(seen.values())


def prepare(engine: Engine, kind: str, data: bytes, file_name: str, *, source: str | None = None,
            sheet: str | None = None, year: int | None = None) -> Preview:  # fmt: skip
    """Read and validate a file and compare it with the database. Writes nothing.

    Raises :class:`FileProblem` when the whole file is unusable (empty, binary, wrong sheet,
    missing column); row-level problems are in ``Preview.problems``.
    """
    if kind not in IMPORT_KINDS:
        raise FileProblem(f"Okänd importtyp '{kind}'; välj en av: {', '.join(IMPORT_KINDS)}.")
    notes: list[str] = []
    table: Table | None = None
    with Session(engine) as session:
        session.info["read_only"] = True
        look = _lookups(session)
        if kind in KINDS:
            table = read_table(data, file_name, sheet)
            planned, problems = _plan_table_kind(kind, session, table, file_name, source, look)
            total = len(table.rows)
            planned = _dedupe(planned, keep_last=False, problems=problems, what="id")
        elif kind == "polisen":
            feed = parse_polisen(data, file_name, look["kommuner"], look["types"])
            values = store.incident_values(session, [d for _, d in feed.rows], None)
            planned = [
                Planned(r, (v["source"], v["source_id"]), v) for (r, _), v in zip(feed.rows, values, strict=True)
            ]
            planned = _dedupe(planned, keep_last=True, problems=[], what="id")  # a later record replaces
            problems = feed.problems
            total = len(feed.rows) + len(feed.problems) + feed.summaries + feed.elsewhere
            if feed.summaries:
                notes.append(
                    f"{feed.summaries} sammanfattningar (”Sammanfattning …”) är inga händelser och hoppas över."
                )
            if feed.elsewhere:
                notes.append(f"{feed.elsewhere} händelser i andra kommuner hoppas över.")
        elif kind == "bra":
            if year is None:
                digits = [int(p) for p in re.findall(r"(?<!\d)(20\d{2})(?!\d)", file_name)]
                year = digits[-1] if digits else None
            if year is None:
                raise FileProblem(f"{file_name}: ange vilket år filen gäller (årtalet finns inte i filnamnet).")
            rows, problems = parse_bra(data, file_name)
            total = len(rows) + len(problems)
            planned = []
            matched = [(r, b) for r, b in rows if b.kommun.lower() in look["kommuner"]]
            if not matched and rows:
                notes.append("Ingen rad gäller en kommun i databasen; inget att läsa in.")
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            for r, b in matched:
                for indicator, value in (("anmalda_brott_100k", b.per_100k), ("anmalda_brott", float(b.count))):
                    planned.append(Planned(r, (indicator, start), {
                        "period_label": str(year), "period_start": start, "period_end": end, "value": value,
                        "baseline": None, "target": None, "_indicator": {"indicator": indicator}}))  # fmt: skip
            if len(rows) > len(matched):
                notes.append(f"{len(rows) - len(matched)} rader för andra kommuner hoppas över.")
        else:  # areas
            features, problems = parse_areas(data, file_name, look["kommunkod"])
            total = len(features) + len(problems)
            planned = [Planned(i + 1, (f["properties"]["code"],), {"_feature": f}) for i, f in enumerate(features)]
        sorted_rows = _classify(session, kind, planned)
    return Preview(
        kind, file_name, data, total, planned, problems, notes, table=table,
        new=len(sorted_rows.inserts), changed=len(sorted_rows.changes), unchanged=sorted_rows.unchanged,
    )  # fmt: skip


def _target_values(session: Session, kind: str, item: Planned) -> dict[str, Any]:
    values = {k: v for k, v in item.values.items() if not k.startswith("_")}
    if kind in ("indicators", "bra"):
        values["indicator_id"] = _indicator_id(session, item.values["_indicator"])
        values["area_id"] = None
    if kind == "areas":
        props = item.values["_feature"]["properties"]
        parent = session.scalar(select(Area.id).where(Area.code == props["parent"])) if props["parent"] else None
        values = {k: props[k] for k in ("code", "name", "kind", "kommunkod", "population", "centre_lat", "centre_lon")}
        values |= {"geometry": item.values["_feature"]["geometry"], "parent_id": parent}
    return values


BUILTIN_INDICATORS = {
    "anmalda_brott_100k": ("Anmälda brott per 100 000 invånare", "per 100 000 inv.", "Brå"),
    "anmalda_brott": ("Anmälda brott", "antal", "Brå"),
}


def _indicator_id(session: Session, spec: dict[str, Any]) -> int | None:
    """The indicator's id; a new indicator is created, except while only previewing (None)."""
    key = spec["indicator"]
    found = session.scalar(select(Indicator.id).where(Indicator.key == key))
    if found is not None:
        return int(found)
    if session.info.get("read_only"):
        return None
    name, unit, source = BUILTIN_INDICATORS.get(key, (spec.get("name") or key, spec.get("unit"), None))
    hib = spec.get("higher_is_better")
    indicator = Indicator(key=key, name=name, unit=unit, source=source, higher_is_better=bool(hib) if hib is not None
                          else False)  # fmt: skip
    session.add(indicator)
    session.flush()
    return indicator.id


@dataclass
class Classified:
    """Planned rows sorted against the database: new, changed (with their rows) and unchanged."""

    inserts: list[dict[str, Any]]
    changes: list[tuple[Any, dict[str, Any]]]
    unchanged: int
    values: list[dict[str, Any]]


def _classify(session: Session, kind: str, items: list[Planned]) -> Classified:
    """Compare each planned row with the row that has its key, on the target's compared columns."""
    target = TARGETS[KIND_TARGET[kind]]
    values = [_target_values(session, kind, item) for item in items]
    keys = [tuple(v[k] for k in target.key) for v in values]
    existing = _existing(session, target, keys)
    result = Classified([], [], 0, values)
    for row, key in zip(values, keys, strict=True):
        obj = existing.get(key)
        if obj is None:
            result.inserts.append(row)
        elif all(_same(getattr(obj, c), row.get(c)) for c in target.compare if c in row):
            result.unchanged += 1
        else:
            result.changes.append((obj, row))
    return result


# --------------------------------------------------------------------------- committing


def rejected_file(preview: Preview) -> bytes | None:
    """The rejected rows with a column ``fel`` (CSV, UTF-8 with BOM so Excel reads it)."""
    if not preview.problems:
        return None
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    by_row: dict[int | None, list[str]] = {}
    for p in preview.problems:
        by_row.setdefault(p.row, []).append(p.line(preview.file_name))
    if preview.table is not None:
        writer.writerow(["rad", *preview.table.header, "fel"])
        cells = dict(preview.table.rows)
        for row in sorted(r for r in by_row if r is not None):
            writer.writerow([row, *["" if c is None else c for c in cells.get(row, [])], " | ".join(by_row[row])])
    else:
        writer.writerow(["rad", "fel"])
        for row, lines in by_row.items():
            writer.writerow([row if row is not None else "", " | ".join(lines)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def commit(engine: Engine, preview: Preview, *, created_by: str, valid_only: bool = False) -> Outcome:
    """Write the preview as one import batch, in one transaction."""
    if preview.problems and not valid_only:
        raise ImportRefused(
            f"{preview.file_name}: {len(preview.problems)} fel, inget är inläst. Rätta filen, eller välj att bara "
            "läsa in de giltiga raderna."
        )
    rejected = preview.rejected_rows
    items = [p for p in preview.planned if p.row not in rejected]
    target = TARGETS[KIND_TARGET[preview.kind]]
    source = {"polisen": "polisens_handelser", "bra": "Brå"}.get(preview.kind, preview.file_name)
    inserted = updated = 0
    batch_id: int | None = None
    with session_scope(engine) as session:
        sorted_rows = _classify(session, preview.kind, items)
        inserts, changes, unchanged = sorted_rows.inserts, sorted_rows.changes, sorted_rows.unchanged
        if not inserts and not changes:
            # Nothing new: re-importing the same file adds nothing, not even an empty batch.
            session.rollback()
            return Outcome(None, 0, 0, unchanged, len(rejected), rejected_file(preview) if valid_only else None)
        batch = store.new_batch(
            session, preview.kind, source, preview.file_name, preview.data, created_by, preview.total
        )
        replaced: list[dict[str, Any]] = []
        for obj, values in changes:
            key = [_jsonable(getattr(obj, k)) for k in target.key]
            old = {c: _jsonable(getattr(obj, c)) for c in (*target.compare, "batch_id") if hasattr(obj, c)}
            old |= {c: _jsonable(getattr(obj, c)) for c in ("local_date", "cell", "hours") if hasattr(obj, c)}
            replaced.append({"table": target.model.__tablename__, "key": key, "old": old})
            for column, value in values.items():
                setattr(obj, column, value)
            obj.batch_id = batch.id
        updated = len(changes)
        if preview.kind in ("incidents", "polisen"):
            store.ensure_incident_types(session, (v["type"] for v in sorted_rows.values))
        inserts = [v | {"batch_id": batch.id} for v in inserts]
        for start in range(0, len(inserts), 5000):
            if preview.kind == "areas":
                session.add_all(Area(**v) for v in inserts[start : start + 5000])
            else:
                session.execute(target.model.__table__.insert(), inserts[start : start + 5000])
        inserted = len(inserts)
        batch.rows_inserted, batch.rows_updated, batch.rows_rejected = inserted, updated, len(rejected)
        batch.replaced = replaced or None
        session.flush()
        batch_id = batch.id
    return Outcome(
        batch_id, inserted, updated, unchanged, len(rejected), rejected_file(preview) if valid_only else None
    )


def import_file(engine: Engine, kind: str, data: bytes, file_name: str, *, created_by: str,
                valid_only: bool = False, **options: Any) -> tuple[Preview, Outcome]:  # fmt: skip
    preview = prepare(engine, kind, data, file_name, **options)
    return preview, commit(engine, preview, created_by=created_by, valid_only=valid_only)


# --------------------------------------------------------------------------- undo


class UndoRefused(ValueError):
    pass


def _restore_value(model: type[Base], column: str, value: Any) -> Any:
    value = _from_json(value)
    col_type = model.__table__.c[column].type
    if isinstance(col_type, Date) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(col_type, DateTime) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def undo(engine: Engine, batch_id: int) -> str:
    """Delete what the batch inserted and put back what it changed; the batch is marked undone."""
    models: dict[str, type[Base]] = {t.model.__tablename__: t.model for t in TARGETS.values()}
    with session_scope(engine) as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise UndoRefused(f"Importomgång {batch_id} finns inte.")
        if batch.undone_at is not None:
            raise UndoRefused(f"Importomgång {batch_id} är redan ångrad.")
        later = session.scalars(
            select(ImportBatch).where(
                ImportBatch.id > batch_id, ImportBatch.undone_at.is_(None), ImportBatch.replaced.is_not(None)
            )  # fmt: skip
        ).all()
        for other in later:
            if any(entry["old"].get("batch_id") == batch_id for entry in other.replaced or []):
                raise UndoRefused(
                    f"Importomgång {other.id} ändrade rader från omgång {batch_id}; ångra {other.id} först."
                )
        restore_keys: dict[str, set[tuple[Any, ...]]] = {}
        for entry in batch.replaced or []:
            model = models[entry["table"]]
            target = next(t for t in TARGETS.values() if t.model is model)
            key = tuple(_restore_value(model, c, v) for c, v in zip(target.key, entry["key"], strict=True))
            obj = _existing(session, target, [key]).get(key)
            if obj is None:
                continue
            for column, value in entry["old"].items():
                setattr(obj, column, _restore_value(model, column, value))
            restore_keys.setdefault(entry["table"], set()).add(key)
        session.flush()
        removed = 0
        for name, model in models.items():
            target = next(t for t in TARGETS.values() if t.model is model)
            for obj in session.scalars(select(model).where(model.batch_id == batch_id)).all():  # type: ignore[attr-defined]
                key = tuple(getattr(obj, k) for k in target.key)
                if key not in restore_keys.get(name, set()):
                    if isinstance(obj, Activity) and any(r.batch_id != batch_id for r in obj.reports):
                        raise UndoRefused(
                            f"Importomgång {batch_id} kan inte ångras: aktiviteten {obj.ref} har genomföranden "
                            "från andra importer. Ångra dem först."
                        )
                    session.delete(obj)
                    removed += 1
        batch.undone_at = dt.datetime.now(dt.UTC)
        try:
            session.flush()
        except IntegrityError:
            raise UndoRefused(
                f"Importomgång {batch_id} kan inte ångras: rader från senare importer hänvisar till dess rader "
                "(t.ex. genomföranden till en aktivitet eller händelser till ett område). Ångra dem först."
            ) from None
        restored = sum(len(v) for v in restore_keys.values())
    return f"Importomgång {batch_id} ångrad: {removed} rader borttagna, {restored} återställda."


# --------------------------------------------------------------------------- templates


def template(kind: str, fmt: str = "xlsx") -> bytes:
    """An empty file with the right headers and one example row, for the table kinds."""
    if kind not in KINDS:
        raise FileProblem(f"Det finns ingen mall för '{kind}'; mallar finns för: {', '.join(KINDS)}.")
    spec = KINDS[kind]
    header = [c.header for c in spec.columns]
    example = [c.example for c in spec.columns]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        writer.writerow(example)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = spec.title
    ws.append(header)
    ws.append(example)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(spec.columns, start=1):
        ws.cell(row=1, column=i).comment = None
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(14, len(column.header) + 4)
    help_ws = book.create_sheet("Hjälp")
    help_ws.append(["kolumn", "krävs", "förklaring", "exempel"])
    for column in spec.columns:
        help_ws.append([column.header, "ja" if column.required else "nej", column.help, column.example])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
