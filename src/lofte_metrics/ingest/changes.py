"""The one way rows are written: a change set applied as one import batch, and undone as one.

Every write the product makes, whether a file import, a form on a page or the kommun setup,
is a list of :class:`Planned` rows (each with its table and natural key) and :class:`Removal` s.
``classify`` sorts planned rows into new, changed and unchanged against the database;
``apply`` writes them in dependency order inside one transaction and records in the batch what
it replaced or removed, so that ``undo`` can put every row back exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Date, DateTime, Engine, and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..access.roles import Action, Actor
from ..db import session_scope, write_rows
from ..models import (
    Activity,
    ActivityReport,
    Area,
    AuditEvent,
    Base,
    Commitment,
    FocusArea,
    ImportBatch,
    Incident,
    IncidentType,
    Indicator,
    IndicatorValue,
    Kommun,
    Presence,
    Promise,
    ScreenLink,
    SituationPicture,
    UserRole,
)
from .progress import Progress, report


@dataclass(frozen=True)
class Target:
    model: type[Base]
    key: tuple[str, ...]
    compare: tuple[str, ...]
    #: what a person calls one row, for messages
    noun: str


#: every table a change set may write, in the order rows are written (parents first)
TARGETS: dict[str, Target] = {
    "kommun": Target(Kommun, ("code",), ("name", "official_name", "lan_code", "lan_name", "police_area", "min_count"),
                     "kommun"),
    "area": Target(Area, ("code",), ("name", "kind", "kommunkod", "population", "centre_lat", "centre_lon",
                                     "geometry", "parent_id"), "område"),
    "incident_type": Target(IncidentType, ("kommunkod", "name"), ("focus_key", "sensitive", "classified"),
                            "händelsetyp"),
    "promise": Target(Promise, ("kommunkod", "ref"), ("title", "kommun_name", "police_area", "period_start",
                                                      "period_end", "signed_date", "signatories", "summary"),
                      "medborgarlöfte"),
    "focus_area": Target(FocusArea, ("promise_id", "key"), ("name", "description", "sort_order"), "fokusområde"),
    "commitment": Target(Commitment, ("promise_id", "ref"), ("focus_area_id", "owner", "text", "target_count",
                                                             "target_unit", "due_date"), "åtagande"),
    "activity": Target(Activity, ("promise_id", "ref"), ("commitment_id", "title", "owner", "responsible_unit",
                                                         "planned_start", "planned_end", "planned_count", "status",
                                                         "area_id"), "aktivitet"),
    "activity_report": Target(ActivityReport, ("activity_id", "ref"), ("date", "count", "hours", "place", "lat",
                                                                       "lon", "note"), "genomförande"),
    "incident": Target(Incident, ("source", "source_id"), ("kommunkod", "occurred_at", "type", "lat", "lon",
                                                           "precision", "area_id", "place_name", "summary", "url"),
                       "händelse"),
    "presence": Target(Presence, ("kommunkod", "ref"), ("actor_kind", "started_at", "ended_at", "place", "lat", "lon",
                                                        "area_id", "focus_key"), "närvaropass"),
    "indicator_value": Target(IndicatorValue, ("indicator_id", "period_start"), ("period_label", "period_end",
                                                                                "value", "baseline", "target"),
                              "indikatorvärde"),
    "situation_picture": Target(SituationPicture, ("kommunkod", "period_start", "period_end", "version"),
                                ("status", "texts", "summary", "actions", "approved_by"), "lägesbild"),
    "user_role": Target(UserRole, ("kommunkod", "identity", "role"), ("name",), "roll"),
    "screen_link": Target(ScreenLink, ("ref",), ("label", "pages", "expires_at", "revoked_at"), "skärmlänk"),
}  # fmt: skip
ORDER = list(TARGETS)


@dataclass
class Planned:
    """One row to write: its table, natural key (as the source names it), values and source row."""

    target: str
    row: int | None
    key: tuple[Any, ...]
    values: dict[str, Any]
    sheet: str | None = None


@dataclass(frozen=True)
class Removal:
    """A row to delete, found by its natural key; ``label`` says what it is in the preview."""

    target: str
    key: tuple[Any, ...]
    label: str


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass
class Plan:
    """What one write will do, before it is done (``Preview`` in the importer)."""

    planned: list[Planned] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    by_target: dict[str, Counts] = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    batch_id: int | None  # None: nothing was new, so no batch was written
    inserted: int
    updated: int
    removed: int
    unchanged: int


# --------------------------------------------------------------------------- values


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"__dt__": value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()}
    if isinstance(value, dt.date):
        return {"__d__": value.isoformat()}
    return value


def from_json(value: Any) -> Any:
    if isinstance(value, dict) and "__dt__" in value:
        return dt.datetime.fromisoformat(value["__dt__"])
    if isinstance(value, dict) and "__d__" in value:
        return dt.date.fromisoformat(value["__d__"])
    return value


def same(a: Any, b: Any) -> bool:
    """Equal as stored: floats to 1e-9, aware times as the same instant (an ambiguous local time
    on the night the clocks go back compares unequal to everything in another zone otherwise)."""
    if isinstance(a, float) or isinstance(b, float):
        try:
            return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
        except (TypeError, ValueError):
            return False
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        if a.tzinfo is None or b.tzinfo is None:
            return a.replace(tzinfo=None) == b.replace(tzinfo=None)
        return a.astimezone(dt.UTC) == b.astimezone(dt.UTC)
    return bool(a == b)


def values_hash(values: Any) -> bytes:
    """Stable bytes for a change set that has no file (a form), for the batch's hash."""
    return json.dumps(values, default=str, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _columns(model: type[Base]) -> list[str]:
    return [c.name for c in model.__table__.columns]


def snapshot(obj: Base, *, with_id: bool = False) -> dict[str, Any]:
    """Every column of a row (not its id, unless asked), JSON-ready."""
    return {c: jsonable(getattr(obj, c)) for c in _columns(type(obj)) if with_id or c != "id"}


# --------------------------------------------------------------------------- resolving references


def _memo(session: Session) -> dict[Any, Any]:
    return session.info.setdefault("memo", {})


def promise_id(session: Session, kommunkod: str, ref: str) -> int | None:
    memo = _memo(session)
    key = ("promise", kommunkod, ref)
    if memo.get(key) is None:
        memo[key] = session.scalar(select(Promise.id).where(Promise.kommunkod == kommunkod, Promise.ref == ref))
    return memo[key]


def _child_id(session: Session, model: Any, column: Any, parent_id: int | None, ref: str) -> int | None:
    if parent_id is None:
        return None
    memo = _memo(session)
    key = (model.__tablename__, parent_id, ref)
    if memo.get(key) is None:
        memo[key] = session.scalar(select(model.id).where(model.promise_id == parent_id, column == ref))
    return memo[key]


def indicator_id(session: Session, spec: dict[str, Any]) -> int | None:
    """The kommun's indicator with this key; created, except while only previewing (None)."""
    from .plans import BUILTIN_INDICATORS

    key, kommunkod = spec["indicator"], spec["kommunkod"]
    found = session.scalar(select(Indicator.id).where(Indicator.key == key, Indicator.kommunkod == kommunkod))
    if found is not None:
        return int(found)
    if session.info.get("read_only"):
        return None
    name, unit, source = BUILTIN_INDICATORS.get(key, (spec.get("name") or key, spec.get("unit"), spec.get("source")))
    hib = spec.get("higher_is_better")
    indicator = Indicator(
        kommunkod=kommunkod,
        key=key,
        name=name,
        unit=unit,
        source=source,
        focus_key=spec.get("focus_key"),
        higher_is_better=bool(hib) if hib is not None else False,
    )
    session.add(indicator)
    session.flush()
    return indicator.id


def resolve(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Database values from planned values: placeholders (keys starting with ``_``) become ids of
    rows that may have been written earlier in the same change set."""
    out = {k: v for k, v in values.items() if not k.startswith("_")}
    if "_promise" in values:
        out["promise_id"] = promise_id(session, *values["_promise"])
    if "_focus" in values:
        out["focus_area_id"] = _child_id(session, FocusArea, FocusArea.key, out.get("promise_id"), values["_focus"])
    if "_commitment" in values:
        out["commitment_id"] = _child_id(
            session, Commitment, Commitment.ref, out.get("promise_id"), values["_commitment"]
        )
    if "_indicator" in values:
        out["indicator_id"] = indicator_id(session, values["_indicator"])
        out["area_id"] = None
    if "_parent" in values:
        parent = values["_parent"]
        out["parent_id"] = session.scalar(select(Area.id).where(Area.code == parent)) if parent else None
    return out


# --------------------------------------------------------------------------- classifying


#: up to this many keys are asked for with ``IN (…)``; more go through a temporary key table
FEW_KEYS = 500
#: rows per ``executemany`` when filling the key table
KEY_BATCH = 50_000
_key_tables = itertools.count()


def _python_type(column: Any) -> type | None:
    try:
        return column.type.python_type  # type: ignore[no-any-return]
    except NotImplementedError:
        return None


@contextmanager
def _key_table(session: Session, cols: Sequence[Any], keys: Sequence[tuple[Any, ...]]) -> Iterator[sa.Table]:
    """The keys in a temporary table on the session's connection, for one join. Asking for many
    keys with ``IN (…)`` chunks made PostgreSQL scan per chunk (the cost grew with the square of
    the table) and a ``VALUES`` list costs SQLAlchemy a compile per chunk; a temporary table is
    filled with one ``executemany`` and joined on the key's unique index on both engines."""
    name = f"lookup_keys_{next(_key_tables)}"
    table = sa.Table(name, sa.MetaData(), *(sa.Column(f"k{i}", c.type) for i, c in enumerate(cols)),
                     prefixes=["TEMPORARY"])  # fmt: skip
    connection = session.connection()
    table.create(connection)
    try:
        # psycopg adapts every key type; SQLite's driver writes text and integers as SQLAlchemy would
        if connection.dialect.name == "postgresql" or all(_python_type(c) in (str, int) for c in cols):
            write_rows(connection, name, [f"k{i}" for i in range(len(cols))], keys)
        else:
            for start in range(0, len(keys), KEY_BATCH):
                chunk = keys[start : start + KEY_BATCH]
                connection.execute(table.insert(), [{f"k{i}": v for i, v in enumerate(k)} for k in chunk])
        yield table
    finally:
        table.drop(connection)


def rows_with_keys(session: Session, model: Any, key: Sequence[str], keys: Sequence[tuple[Any, ...]],
                   stmt: sa.Select[Any], plain: bool = False) -> Iterator[Any]:  # fmt: skip
    """The rows ``stmt`` selects from ``model``, narrowed to those whose ``key`` columns are one of
    ``keys``: a ``WHERE key IN`` for a few keys, a join on a temporary key table for many.
    ``plain``: ``stmt`` selects columns, not ORM objects, so it runs on the connection (no ORM
    loading per row)."""
    cols = [getattr(model, k) for k in key]
    unique = [k for k in dict.fromkeys(keys) if None not in k]
    if not unique:
        return
    if plain:
        session.flush()
    run = session.connection().execute if plain else session.execute
    if len(unique) <= FEW_KEYS:
        yield from run(stmt.where(cols[0].in_([k[0] for k in unique]) if len(cols) == 1
                                              else sa.tuple_(*cols).in_(unique)))  # fmt: skip
        return
    with _key_table(session, cols, unique) as table:
        on = and_(*(c == table.c[f"k{i}"] for i, c in enumerate(cols)))
        yield from run(stmt.join(table, on)).all()


def existing(session: Session, target: Target, keys: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], Any]:
    """The stored rows (ORM objects, to change) with these keys, by key."""
    found: dict[tuple[Any, ...], Any] = {}
    for (obj,) in rows_with_keys(session, target.model, target.key, keys, select(target.model)):
        found[tuple(getattr(obj, k) for k in target.key)] = obj
    return found


def stored_values(session: Session, target: Target, keys: Sequence[tuple[Any, ...]],
                  columns: Sequence[str]) -> dict[tuple[Any, ...], tuple[Any, ...]]:  # fmt: skip
    """The stored values of ``columns`` for these keys, by key: plain rows, no ORM objects, so
    comparing a re-imported file of a million rows costs one query and no object per row."""
    model = target.model
    wanted = [getattr(model, c) for c in (*target.key, *columns)]
    n = len(target.key)
    rows = rows_with_keys(session, model, target.key, keys, select(*wanted), plain=True)
    return {tuple(row[:n]): tuple(row[n:]) for row in rows}


@dataclass
class Sorted:
    inserts: list[dict[str, Any]]
    changes: list[tuple[Any, dict[str, Any]]]
    unchanged: int
    #: keys of the rows that change (their ORM objects are loaded only when writing)
    changed_keys: list[tuple[Any, ...]] = field(default_factory=list)


def classify(session: Session, target_name: str, items: Sequence[Planned], load: bool = True) -> Sorted:
    """Compare each planned row with the row that has its key, on the target's compared columns.
    With ``load``, the ORM objects of the rows that change come along (to be written)."""
    target = TARGETS[target_name]
    values = [resolve(session, item.values) for item in items]
    keys = [tuple(v.get(k) for k in target.key) for v in values]
    compare = list(target.compare)
    stored = stored_values(session, target, keys, compare)
    result = Sorted([], [], 0)
    changed: list[dict[str, Any]] = []
    for row, key in zip(values, keys, strict=True):
        old = stored.get(key) if None not in key else None
        if old is None:
            result.inserts.append(row)
        elif all(same(o, row.get(c)) for c, o in zip(compare, old, strict=True) if c in row):
            result.unchanged += 1
        else:
            result.changed_keys.append(key)
            changed.append(row)
    if load and changed:
        objects = existing(session, target, result.changed_keys)
        result.changes = [(objects[k], row) for k, row in zip(result.changed_keys, changed, strict=True)]
    return result


def count(session: Session, plan: Plan) -> None:
    """Fill ``plan.by_target`` with what a write would do now (read-only)."""
    plan.by_target = {}
    for name in ORDER:
        items = [p for p in plan.planned if p.target == name]
        if items:
            s = classify(session, name, items, load=False)
            plan.by_target[name] = Counts(len(s.inserts), len(s.changed_keys), s.unchanged)


# --------------------------------------------------------------------------- writing


def new_batch(session: Session, kind: str, source: str, file_name: str, data: bytes, created_by: str,
              rows_total: int, kommunkod: str | None, file_hash: str | None = None) -> ImportBatch:  # fmt: skip
    """A new import batch; ``file_hash`` when the file was hashed while it was read (not in memory)."""
    batch = ImportBatch(kind=kind, source=source[:80], file_name=file_name[:255],
                        file_hash=file_hash or hashlib.sha256(data).hexdigest(), rows_total=rows_total,
                        created_by=created_by[:120],
                        created_at=dt.datetime.now(dt.UTC), kommunkod=kommunkod)  # fmt: skip
    session.add(batch)
    session.flush()
    return batch


@dataclass
class Batch:
    """How a change set is recorded: what kind of write, from where, by whom, for which kommun."""

    kind: str
    source: str
    file_name: str
    data: bytes
    actor: Actor
    rows_total: int
    kommunkod: str | None


#: writes that only an administrator of the kommun may make
ADMIN_KINDS = frozenset({"kommun", "typ", "types", "roll", "skarm"})


def required(session: Session, plan: Plan, record: Batch) -> tuple[Action, str | None]:
    """The permission a write needs, and where: setting up a kommun nobody has yet needs an
    administrator of every kommun; approving a lägesbild needs a godkännare."""
    code = record.kommunkod
    if record.kind == "kommun" and (code is None or session.get(Kommun, code) is None):
        return "administrera", None
    if record.kind in ADMIN_KINDS:
        return "administrera", code
    if any(p.target == "situation_picture" and p.values.get("status") == "godkänd" for p in plan.planned):
        return "godkänna", code
    return "redigera", code


def audit(session: Session, actor: Actor, kommunkod: str | None, action: str, what: str, batch_id: int | None,
          details: dict[str, Any] | None) -> None:  # fmt: skip
    """Add one event to the audit trail (in the same transaction as the write it records)."""
    session.add(AuditEvent(at=dt.datetime.now(dt.UTC), actor=actor.identity[:200], kommunkod=kommunkod,
                           action=action[:40], what=what[:300], batch_id=batch_id, details=details))  # fmt: skip


#: inserts recorded row by row in the audit trail up to this many; beyond it, counts
AUDIT_ROWS = 50


def _difference(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [c for c, v in new.items() if c != "batch_id" and c in old and not same(from_json(old[c]), v)]
    return {c: old[c] for c in changed}, {c: jsonable(new[c]) for c in changed}


def update(
    target: Target,
    changes: Sequence[tuple[Any, dict[str, Any]]],
    batch: ImportBatch,
    replaced: list[dict[str, Any]],
    trail: dict[str, Any],
) -> None:
    """Give stored rows (ORM objects) their new values, recording the old ones in ``replaced`` (for
    undo) and both in ``trail`` (the audit event)."""
    table = target.model.__tablename__
    for obj, values in changes:
        key = [jsonable(getattr(obj, k)) for k in target.key]
        old = snapshot(obj)
        replaced.append({"table": table, "key": key, "old": old})
        before, after = _difference(old, values)
        trail["changed"].append({"table": table, "key": key, "before": before, "after": after})
        for column, value in values.items():
            setattr(obj, column, value)
        if hasattr(obj, "batch_id"):
            obj.batch_id = batch.id


def apply(session: Session, plan: Plan, record: Batch, progress: Progress | None = None) -> Written:
    """Write a plan in one transaction (the caller's session): upserts parents first, then
    removals children first, and the audit event. No batch is written when nothing changes.
    Raises :class:`AccessDenied` before anything is written when the actor may not."""
    action, where = required(session, plan, record)
    record.actor.require(action, where)
    batch: ImportBatch | None = None
    replaced: list[dict[str, Any]] = []
    trail: dict[str, Any] = {"inserted": {}, "changed": [], "removed": []}
    inserted = updated = unchanged = removed = 0

    def ensure_batch() -> ImportBatch:
        nonlocal batch
        if batch is None:
            batch = new_batch(session, record.kind, record.source, record.file_name, record.data,
                              record.actor.identity, record.rows_total, record.kommunkod)  # fmt: skip
        return batch

    for name in ORDER:
        items = [p for p in plan.planned if p.target == name]
        if not items:
            continue
        target = TARGETS[name]
        s = classify(session, name, items)
        unchanged += s.unchanged
        if not s.inserts and not s.changes:
            continue
        b = ensure_batch()
        update(target, s.changes, b, replaced, trail)
        updated += len(s.changes)
        rows = [v | {"batch_id": b.id} for v in s.inserts]
        for start in range(0, len(rows), 5000):
            report(progress, "Skriver", start, len(rows))
            session.execute(target.model.__table__.insert(), rows[start : start + 5000])
        inserted += len(rows)
        if rows:
            trail["inserted"][target.model.__tablename__] = (
                [{c: jsonable(v) for c, v in r.items() if c != "batch_id"} for r in rows]
                if len(rows) <= AUDIT_ROWS else len(rows)
            )  # fmt: skip
        session.flush()

    for removal in sorted(plan.removals, key=lambda r: -ORDER.index(r.target)):
        target = TARGETS[removal.target]
        obj = existing(session, target, [removal.key]).get(removal.key)
        if obj is None:
            continue
        ensure_batch()
        old = snapshot(obj, with_id=True)
        replaced.append({"table": target.model.__tablename__, "key": [jsonable(k) for k in removal.key],
                         "old": old, "deleted": True})  # fmt: skip
        trail["removed"].append({"table": target.model.__tablename__, "key": [jsonable(k) for k in removal.key],
                                 "before": old})  # fmt: skip
        session.delete(obj)
        session.flush()
        removed += 1

    if batch is None:
        return Written(None, 0, 0, 0, unchanged)
    batch.rows_inserted, batch.rows_updated = inserted, updated
    batch.replaced = replaced or None
    audit(session, record.actor, record.kommunkod, record.kind, record.file_name, batch.id, trail)
    session.flush()
    return Written(batch.id, inserted, updated, removed, unchanged)


def write(engine: Engine, plan: Plan, record: Batch) -> Written:
    """``apply`` in its own write transaction; nothing is kept when nothing changes."""
    with session_scope(engine, write=True) as session:
        written = apply(session, plan, record)
        if written.batch_id is None:
            session.rollback()
    return written


# --------------------------------------------------------------------------- undo


class UndoRefused(ValueError):
    pass


def _restore_value(model: type[Base], column: str, value: Any) -> Any:
    value = from_json(value)
    col_type = model.__table__.c[column].type
    if isinstance(col_type, Date) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(col_type, DateTime) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def _target_of_table(table: str) -> Target:
    return next(t for t in TARGETS.values() if t.model.__tablename__ == table)


def undo(engine: Engine, batch_id: int, actor: Actor, kommunkod: str | None = None) -> str:
    """Delete what the batch inserted, put back what it changed and re-insert what it removed;
    the batch is marked undone. ``kommunkod``: refuse a batch of another kommun. A redaktör undoes
    their own batches; anyone's, and setup, mapping, role and screen-link batches, need an
    administratör."""
    with session_scope(engine, write=True) as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None or (kommunkod is not None and batch.kommunkod not in (None, kommunkod)):
            raise UndoRefused(f"Importomgång {batch_id} finns inte.")
        own = batch.created_by == actor.identity[:120]
        actor.require("administrera" if batch.kind in ADMIN_KINDS or not own else "redigera", batch.kommunkod)
        if batch.undone_at is not None:
            raise UndoRefused(f"Importomgång {batch_id} är redan ångrad.")
        later = session.scalars(
            select(ImportBatch).where(
                ImportBatch.id > batch_id, ImportBatch.undone_at.is_(None), ImportBatch.replaced.is_not(None)
            )
        ).all()
        for other in later:
            if any(entry["old"].get("batch_id") == batch_id for entry in other.replaced or []):
                raise UndoRefused(
                    f"Importomgång {other.id} ändrade rader från omgång {batch_id}; ångra {other.id} först."
                )
        entries = batch.replaced or []
        restored: dict[str, set[tuple[Any, ...]]] = {}
        for entry in entries:
            if entry.get("deleted"):
                continue
            target = _target_of_table(entry["table"])
            model = target.model
            key = tuple(_restore_value(model, c, v) for c, v in zip(target.key, entry["key"], strict=True))
            obj = existing(session, target, [key]).get(key)
            if obj is None:
                continue
            for column, value in entry["old"].items():
                setattr(obj, column, _restore_value(model, column, value))
            restored.setdefault(entry["table"], set()).add(key)
        session.flush()
        removed = 0
        for name in reversed(ORDER):
            target = TARGETS[name]
            model = target.model
            if "batch_id" not in model.__table__.c:
                continue
            if model in (Incident, Presence) and not restored.get(model.__tablename__):
                # nothing refers to these rows: one DELETE, not an object per row (a million rows)
                gone = session.execute(sa.delete(model.__table__).where(model.__table__.c.batch_id == batch_id))
                removed += gone.rowcount  # type: ignore[attr-defined]
                continue
            for obj in session.scalars(select(model).where(model.__table__.c.batch_id == batch_id)).all():
                key = tuple(getattr(obj, k) for k in target.key)
                if key in restored.get(model.__tablename__, set()):
                    continue
                if isinstance(obj, Activity) and any(r.batch_id != batch_id for r in obj.reports):
                    raise UndoRefused(
                        f"Importomgång {batch_id} kan inte ångras: aktiviteten {obj.ref} har genomföranden "
                        "från andra importer. Ångra dem först."
                    )
                session.delete(obj)
                removed += 1
            session.flush()
        reinserted = 0
        for entry in sorted((e for e in entries if e.get("deleted")),
                            key=lambda e: ORDER.index(next(n for n, t in TARGETS.items()
                                                           if t.model.__tablename__ == e["table"]))):  # fmt: skip
            model = _target_of_table(entry["table"]).model
            row = {c: _restore_value(model, c, v) for c, v in entry["old"].items()}
            session.execute(model.__table__.insert(), [row])
            reinserted += 1
        batch.undone_at = dt.datetime.now(dt.UTC)
        try:
            session.flush()
        except IntegrityError:
            raise UndoRefused(
                f"Importomgång {batch_id} kan inte ångras: rader från senare importer hänvisar till dess rader "
                "(t.ex. genomföranden till en aktivitet eller händelser till ett område). Ångra dem först."
            ) from None
        back = sum(len(v) for v in restored.values()) + reinserted
        audit(session, actor, batch.kommunkod, "ångra", f"Ångrade importomgång {batch_id} ({batch.file_name})",
              batch_id, {"removed_rows": removed, "restored_rows": back, "restored": entries})  # fmt: skip
    return f"Importomgång {batch_id} ångrad: {removed} rader borttagna, {back} återställda."
