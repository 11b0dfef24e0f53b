"""Incident CSV files of any size: read, validated, planned, compared and written a chunk at a time.

The same rules, values, messages and outcome as the row-by-row path in ``plans``/``changes`` (all
or nothing as one import batch, undoable, audited), but column-wise: ``columns`` validates a chunk,
:func:`plan_chunk` derives what the database keeps (source, type spelling, Stockholm date, H3 cell,
area) for all its rows at once, existing rows are compared as columns, and new rows are written with
one ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) per chunk. While the database writes a chunk,
the next is read, checked, planned and looked up in a thread (:func:`read_ahead`). Memory is two
chunks plus the file's keys, whatever the size of the file. :func:`bulk_import` is the entry.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from .. import db
from ..access.roles import Actor
from ..db import session_scope, write_rows
from ..formatting import STOCKHOLM, fmt_number
from ..geo import cells_of
from ..models import MAPPABLE_PRECISIONS, ImportBatch, Incident
from . import changes
from .changes import TARGETS, Batch, Counts, Plan, audit, existing, jsonable, new_batch, rows_with_keys
from .columns import validate_incidents
from .plans import Look, Scope, _ref_problem, lookups, resolve_scope
from .progress import Progress
from .reading import MAX_ROWS, FileProblem, Table, check_size, refuse_binary, refuse_unreadable, sniff_delimiter
from .rows import INCIDENTS, Problem, map_columns
from .sources import normalise_type

#: rows read, checked and written at a time
CHUNK_ROWS = 50_000
#: the incident columns a bulk write fills, in this order
COLUMNS = ("kommunkod", "source", "source_id", "occurred_at", "local_date", "type", "lat", "lon", "precision", "cell",
           "area_id", "place_name", "summary", "url", "batch_id")  # fmt: skip
COMPARE = TARGETS["incident"].compare
T = TypeVar("T")
READ_BLOCK = 1 << 20
#: SQLite's page cache while a bulk import writes (KiB); set back to the default afterwards
SQLITE_CACHE_KB = 65_536


class NotBulk(Exception):
    """The file is not a plain CSV with its header on the first line: the row-by-row path reads it."""


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Opened:
    """What one pass over the file's bytes found: how to read it, and its hash and size."""

    encoding: str
    delimiter: str
    header: list[str]
    file_hash: str
    size: int


def _check_text(stream: IO[bytes], name: str) -> tuple[str, str, int]:
    """Encoding (UTF-8 with or without BOM, else Windows-1252, as ``reading.decode``), hash and size,
    from one pass over the bytes."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")(errors="replace")
    is_utf8, replaced, size, head = True, False, 0, b""
    while block := stream.read(READ_BLOCK):
        if not head:
            head = block[:4096]
            refuse_binary(head, name)
        digest.update(block)
        size += len(block)
        if is_utf8:
            try:
                utf8.decode(block)
                continue
            except UnicodeDecodeError:
                is_utf8 = False
                stream.seek(0)
                digest, size = hashlib.sha256(), 0
                continue
        replaced = replaced or "\ufffd" in cp1252.decode(block)
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    if not size or not head.strip():
        raise FileProblem(f"{name}: filen är tom.")
    if is_utf8:
        return "utf-8-sig", digest.hexdigest(), size
    refuse_unreadable(head.decode("cp1252", errors="replace"), replaced, name)
    return "cp1252", digest.hexdigest(), size


def open_csv(stream: IO[bytes], name: str) -> Opened:
    """Check a CSV and read its header. Raises :class:`NotBulk` for what only the row-by-row reader
    handles (a spreadsheet, a blank first line, a header over several lines)."""
    if stream.read(4) == b"PK\x03\x04":
        raise NotBulk(name)
    stream.seek(0)
    encoding, file_hash, size = _check_text(stream, name)
    stream.seek(0)
    wrapper = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first = wrapper.readline()
    wrapper.detach()  # leaves the stream open
    stream.seek(0)
    if not first.strip() or first.count('"') % 2:
        raise NotBulk(name)
    delimiter = sniff_delimiter(first)
    header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter), [])]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise FileProblem(f"{name}: rubrikraden saknas.")
    return Opened(encoding, delimiter, header, file_hash, size)


def chunks(stream: IO[bytes], opened: Opened, name: str) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    """The file's rows as text cells (``""`` for an empty or missing cell; cells past the header
    dropped), numbered as a person counts the file's records (header = 1), blank rows left out."""
    width = len(opened.header)
    number = 2
    try:
        reader = pd.read_csv(stream, sep=opened.delimiter, encoding=opened.encoding, header=None, skiprows=1,
                             names=range(width), usecols=range(width), dtype=str, keep_default_na=False,
                             na_filter=False, skip_blank_lines=False, chunksize=CHUNK_ROWS,
                             engine="c")  # fmt: skip
        for chunk in reader:
            chunk = chunk.fillna("")
            numbers = np.arange(number, number + len(chunk))
            number += len(chunk)
            blank = np.ones(len(chunk), dtype=bool)
            for c in chunk.columns:  # a printable character: not blank; else as ``reading._blank``
                blank &= ~chunk[c].str.contains("[!-~¡-ÿ]", regex=True).fillna(False).to_numpy(dtype=bool)
            if blank.any():
                maybe = np.flatnonzero(blank)
                blank[maybe] = [all(not str(c).strip() for c in chunk.iloc[i]) for i in maybe]
            yield chunk[~blank].reset_index(drop=True), numbers[~blank]
    except pd.errors.ParserError as exc:  # e.g. a quote never closed: Python's csv reads it to the end
        raise NotBulk(name) from exc


# --------------------------------------------------------------------------- planning


@dataclass
class PlannedChunk:
    """A chunk's incidents as database values (:data:`COLUMNS` but ``batch_id``) and row numbers."""

    values: pd.DataFrame
    rows: np.ndarray


def plan_chunk(typed: pd.DataFrame, scope: Scope, look: Look, source: str | None, headers: dict[str, str],
               types: dict[str, str]) -> tuple[PlannedChunk, list[Problem], int]:  # fmt: skip
    """``plans.plan_table`` for incidents, for a chunk of validated rows at once: the values, the
    problems (unknown area code, a point outside the kommun) and how many rows lay outside."""
    problems: list[Problem] = []
    code = typed["area_code"]
    unknown = code.notna() & ~code.isin(list(look.areas))
    for row, value in zip(typed["row"][unknown], code[unknown], strict=True):
        problems.append(_ref_problem(int(row), headers["area_code"], value, "områdeskod"))
    t = typed[~unknown.to_numpy()].reset_index(drop=True)
    code = t["area_code"]
    names = t["type"].unique()
    for name in names:
        if name not in types:
            types[name] = normalise_type(name, look.types)
    lat, lon = t["lat"].to_numpy(dtype=float).copy(), t["lon"].to_numpy(dtype=float).copy()
    precision = t["precision"].copy()
    no_point = np.isnan(lat)
    if no_point.any():
        centres = [look.area_centres.get(c or "", (None, None)) for c in code[no_point]]
        lat[no_point] = [np.nan if c[0] is None else c[0] for c in centres]
        lon[no_point] = [np.nan if c[1] is None else c[1] for c in centres]
        precision[no_point] = precision[no_point].fillna("område")
    precision = precision.fillna("punkt")
    point = (precision == "punkt").to_numpy()
    outside = np.zeros(len(t), dtype=bool)
    if look.boundary is not None:
        check = point & ~np.isnan(lat)
        outside[check] = ~shapely.contains_xy(look.boundary, lon[check], lat[check])
    for i in np.flatnonzero(outside):
        problems.append(Problem(int(t["row"].iloc[i]), "lat", f"{float(lat[i])}, {float(lon[i])}",
                                f"punkten ligger utanför {scope.kommun_name}"))  # fmt: skip
    keep = ~outside
    t, lat, lon, precision, point, code = (t[keep].reset_index(drop=True), lat[keep], lon[keep],
                                           precision[keep].reset_index(drop=True), point[keep],
                                           code[keep].reset_index(drop=True))  # fmt: skip
    area = np.array(code.map(lambda c: look.areas.get(c or "")).astype(float), dtype=float)
    locate = np.isnan(area) & point
    if locate.any():
        area[locate] = look.locator.locate_many(lat[locate], lon[locate])
    whole = np.isnan(area) & precision.isin(["kommun", "län"]).to_numpy()
    if whole.any() and look.kommun_area_id is not None:
        area[whole] = look.kommun_area_id
    mappable = precision.isin(list(MAPPABLE_PRECISIONS)).to_numpy()
    cell = np.full(len(t), None, dtype=object)
    if mappable.any():
        cell[mappable] = cells_of(lat[mappable], lon[mappable])
    occurred = t["occurred_at"]
    values = pd.DataFrame({
        "kommunkod": scope.kommunkod,
        "source": t["source"].fillna(source or "egen"),
        "source_id": t["source_id"].astype(object),
        "occurred_at": occurred,
        "local_date": occurred.dt.tz_convert(STOCKHOLM).dt.tz_localize(None).dt.normalize(),
        "type": t["type"].map(types),
        "lat": lat,
        "lon": lon,
        "precision": precision.astype(object),
        "cell": cell,
        "area_id": pd.array(area, dtype="Int64"),
        "place_name": t["place_name"],
        "summary": t["summary"],
        "url": None,
    })  # fmt: skip
    problems.sort(key=lambda p: p.row or 0)  # in file order, as a row-by-row plan finds them
    return PlannedChunk(values, t["row"].to_numpy()), problems, int(outside.sum())


class FirstRows:
    """The file row where each key was first seen, kept as 64-bit hashes of the keys (16 bytes a key,
    so a file of millions of rows fits in memory; two different keys share a hash about once in
    10^13 files of a million rows)."""

    def __init__(self) -> None:
        self.hashes = np.empty(0, dtype=np.uint64)
        self.rows = np.empty(0, dtype=np.int64)

    def earlier(self, key_hashes: np.ndarray, rows: np.ndarray, eligible: np.ndarray) -> np.ndarray:
        """For each eligible row, the row that had its key first (in this chunk or an earlier one),
        or 0 for a key seen first here; the eligible rows' new keys are remembered. ``key_hashes``
        are :func:`hash_keys` of the rows."""
        out = np.zeros(len(rows), dtype=np.int64)
        if not eligible.any():
            return out
        at = np.flatnonzero(eligible)
        hashes = key_hashes[at]
        pos = np.searchsorted(self.hashes, hashes)
        hit = pos < len(self.hashes)
        hit[hit] = self.hashes[pos[hit]] == hashes[hit]
        out[at[hit]] = self.rows[pos[hit]]
        fresh = pd.Series(hashes[~hit])
        first = ~fresh.duplicated().to_numpy()
        fresh_at = at[~hit]
        first_row = pd.Series(rows[fresh_at][first], index=fresh[first].to_numpy())
        repeats = ~first
        out[fresh_at[repeats]] = first_row.loc[fresh[repeats].to_numpy()].to_numpy()
        merged = np.concatenate([self.hashes, fresh[first].to_numpy()])
        order = np.argsort(merged, kind="stable")
        self.hashes = merged[order]
        self.rows = np.concatenate([self.rows, rows[fresh_at][first]])[order]
        return out


def hash_keys(source: np.ndarray, source_id: np.ndarray) -> np.ndarray:
    """64-bit hashes of the keys ``(source, source_id)`` (as :func:`driver_columns` gives them), for
    :class:`FirstRows`."""
    keys = pd.DataFrame({"s": source, "i": source_id})
    return pd.util.hash_pandas_object(keys, index=False).to_numpy()


# --------------------------------------------------------------------------- comparing and writing


def _as_objects(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as the row-by-row path plans them (Python values, ``None`` for missing)."""
    out = frame.astype(object).where(frame.notna(), None)
    records = out.to_dict("records")
    for r in records:
        r["occurred_at"] = r["occurred_at"].to_pydatetime()
        r["local_date"] = r["local_date"].date()
        r["area_id"] = None if r["area_id"] is None else int(r["area_id"])
    return records


def _same_column(new: pd.Series, old: pd.Series, name: str) -> np.ndarray:
    """``changes.same`` for a column of rows: numbers to 1e-9, times as instants, missing = missing."""
    both_missing = (new.isna() & old.isna()).to_numpy()
    if name in ("lat", "lon", "area_id"):
        a, b = new.astype(float).to_numpy(), old.astype(float).to_numpy()
        with np.errstate(invalid="ignore"):
            return both_missing | (np.abs(a - b) < 1e-9)
    if name == "occurred_at":
        mine = new.dt.tz_convert(None).to_numpy(dtype="datetime64[us]")
        theirs = pd.to_datetime(old, utc=True).dt.tz_convert(None).to_numpy(dtype="datetime64[us]")
        return both_missing | (mine == theirs)
    return both_missing | (new.astype(object).to_numpy() == old.astype(object).to_numpy())


def _stored(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """The stored values of ``COMPARE`` for these keys, by key; times as the driver gives them
    (naive UTC on SQLite), without a Python conversion per row."""
    wanted = [sa.type_coerce(Incident.occurred_at, sa.DateTime()) if c == "occurred_at" else getattr(Incident, c)
              for c in COMPARE]  # fmt: skip
    stmt = sa.select(Incident.source, Incident.source_id, *wanted)
    rows = rows_with_keys(session, Incident, ("source", "source_id"), keys, stmt, plain=True)
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def compare(values: pd.DataFrame, stored: list[tuple[Any, ...] | None]) -> tuple[np.ndarray, np.ndarray]:
    """Which rows are new and which changed, against the values stored with the same key (``COMPARE``,
    ``None`` for a new key)."""
    new = np.array([f is None for f in stored], dtype=bool)
    changed = np.zeros(len(values), dtype=bool)
    if (~new).any():
        at = np.flatnonzero(~new)
        old = pd.DataFrame([stored[i] for i in at], columns=list(COMPARE), dtype=object)
        mine = values.iloc[at].reset_index(drop=True)
        same = np.ones(len(at), dtype=bool)
        for name in COMPARE:
            same &= _same_column(mine[name], old[name], name)
        changed[at[~same]] = True
    return new, changed


def _text_times(values: pd.DataFrame, dialect: str) -> tuple[np.ndarray, np.ndarray]:
    """``occurred_at`` and ``local_date`` as the text SQLAlchemy writes for them on SQLite (naive
    UTC with microseconds), and as timestamptz/date text for PostgreSQL's ``COPY``."""
    if values.empty:  # numpy's string functions take no empty array
        return np.empty(0, dtype=object), np.empty(0, dtype=object)
    stamp = np.datetime_as_string(values["occurred_at"].dt.tz_localize(None).to_numpy(dtype="datetime64[us]"),
                                  unit="us")  # fmt: skip
    stamp = np.char.replace(stamp.astype(str), "T", " ")
    if dialect == "postgresql":
        stamp = np.char.add(stamp, "+00:00")
    day = np.datetime_as_string(values["local_date"].to_numpy(dtype="datetime64[D]"), unit="D")
    return stamp.astype(object), day.astype(object)


def _objects(column: pd.Series) -> np.ndarray:
    """A column as Python values with ``None`` for missing, as the drivers take them."""
    return column.to_numpy(dtype=object, na_value=None)


def driver_columns(values: pd.DataFrame, dialect: str) -> dict[str, np.ndarray]:
    """:data:`COLUMNS` but ``batch_id`` as the database driver takes them: Python values, times as text."""
    stamp, day = _text_times(values, dialect)
    return {name: stamp if name == "occurred_at" else day if name == "local_date" else _objects(values[name])
            for name in COLUMNS if name != "batch_id"}  # fmt: skip


def insert(session: Session, values: pd.DataFrame | dict[str, np.ndarray], batch_id: int) -> None:
    """New incident rows (planned values, or their :func:`driver_columns`): one ``executemany`` on
    SQLite, ``COPY`` on PostgreSQL."""
    connection = session.connection()
    dialect = connection.dialect.name
    columns = driver_columns(values, dialect) if isinstance(values, pd.DataFrame) else values
    if not len(columns["source"]):
        return
    # the indexes' pages stay in memory while a chunk goes in (SQLite's default cache is 2 MB)
    if dialect == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
    rows = zip(*(columns[name] if name != "batch_id" else itertools.repeat(batch_id) for name in COLUMNS),
               strict=False)  # fmt: skip  # batch_id repeats
    write_rows(connection, Incident.__tablename__, COLUMNS, rows)


# --------------------------------------------------------------------------- the whole import


@dataclass
class Prepared:
    """A chunk with all done but the writing: read, validated, planned, the values stored with its
    keys looked up, its keys hashed and its values made what the driver takes."""

    cells: pd.DataFrame
    numbers: np.ndarray
    #: the rows' problems and the plan's
    bad: list[Problem]
    problems: list[Problem]
    planned: PlannedChunk
    #: rows outside the kommun
    outside: int
    keys: list[tuple[str, str]]
    #: the values stored with those keys before the import began (``COMPARE``), by key; None when
    #: the writing side is to look them up (see :class:`Balance`)
    stored: dict[tuple[str, str], tuple[Any, ...]] | None
    hashes: np.ndarray
    driver: dict[str, np.ndarray]
    #: how far the file is read (bytes)
    position: int


@dataclass
class Balance:
    """Which side looks up a chunk's stored values. While most keys are new (a first import), the
    writer waits on the database and the lookup goes to the read-ahead thread; once most are found
    (a re-import), there is little to write and much to compare, and the lookup stays with the
    writer so that both sides have work. Measured with 1M rows on PostgreSQL: a first import took
    24-25 s with the lookup ahead and 28 s without, a re-import 22-23 s with it and 18-19 s without."""

    #: the share of the last chunk's keys that were found stored
    found: float = 0.0

    def ahead(self) -> bool:
        return self.found < 0.5

    def looked_up(self, keys: list[tuple[str, str]], stored: dict[tuple[str, str], tuple[Any, ...]]) -> None:
        self.found = len(stored) / len(keys) if keys else 0.0


def _prepare(stream: IO[bytes], opened: Opened, file_name: str, positions: dict[str, int],
             headers: dict[str, str], scope: Scope, look: Look, source: str | None, engine: Engine,
             balance: Balance) -> Generator[Prepared, None, None]:  # fmt: skip
    """The file's chunks, :class:`Prepared`. Stored values looked up here are read on a connection of
    their own, outside the import's transaction: rows this import writes are not there, which changes
    nothing, since a key met again in the file is a repeat (:class:`FirstRows`) whatever is stored."""
    types: dict[str, str] = {}
    with _reading(engine) as reader:
        for cells, numbers in chunks(stream, opened, file_name):
            typed, bad = validate_incidents(cells, numbers, opened.header, positions, file_name)
            planned, problems, out = plan_chunk(typed, scope, look, source, headers, types)
            driver = driver_columns(planned.values, engine.dialect.name)
            keys = list(zip(driver["source"], driver["source_id"], strict=True))
            stored = None
            if balance.ahead():
                stored = _stored(reader, keys)
                reader.commit()  # no snapshot held between chunks (PostgreSQL: the temporary key table's)
                balance.looked_up(keys, stored)
            hashes = hash_keys(driver["source"], driver["source_id"])
            yield Prepared(cells, numbers, bad, problems, planned, out, keys, stored, hashes, driver, stream.tell())


def read_ahead(items: Generator[T, None, None]) -> Iterator[T]:
    """``items``, with the next one made in a thread while the caller works on this one: the bulk
    import reads, checks and looks up a chunk while the database writes the one before. An error in
    the thread is raised here, in order; ``items`` is closed when the caller stops, early or not."""
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="lofte-read-ahead") as pool:
            done = object()
            coming = pool.submit(next, items, done)
            while (item := coming.result()) is not done:
                coming = pool.submit(next, items, done)
                yield item  # type: ignore[misc]
    finally:
        items.close()  # the thread is done with it: leaving the pool waited for it


@dataclass
class BulkResult:
    total: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    #: the rows with problems, as read (for the file of rejected rows)
    rejected: Table | None = None
    scope: Scope | None = None
    batch_id: int | None = None
    inserted: int = 0
    updated: int = 0
    file_hash: str = ""


class Refused(ValueError):
    """The file has problems and the user did not choose to import only the valid rows; nothing is
    written. The result holds the problems."""

    def __init__(self, result: BulkResult) -> None:
        super().__init__(f"{len(result.problems)} fel")
        self.result = result


def bulk_import(engine: Engine, stream: IO[bytes], file_name: str, *, actor: Actor | None = None,
                kommunkod: str | None = None, source: str | None = None, write: bool = True,
                valid_only: bool = False, max_rows: int | None = None,
                progress: Progress | None = None) -> BulkResult:  # fmt: skip
    """Read an incidents CSV from ``stream`` and, with ``write``, write it as one import batch (all or
    nothing unless ``valid_only``). Without ``write`` it only counts what a write would do.

    Raises :class:`FileProblem` when the file is unusable, :class:`NotBulk` when the row-by-row path
    should read it, and :class:`Refused` (nothing written) when rows have problems and not
    ``valid_only``."""
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        raise NotBulk(file_name)  # one database per thread: the chunks' stored values are read in another
    opened = open_csv(stream, file_name)
    positions = map_columns(INCIDENTS, opened.header, file_name)
    headers = {c.field: opened.header[positions[c.field]] for c in INCIDENTS.columns if c.field in positions}
    result = BulkResult(file_hash=opened.file_hash)
    found: dict[str, list[Problem]] = {"rows": [], "plan": [], "taken": [], "same": []}
    rejected_cells: dict[int, list[Any]] = {}
    seen = FirstRows()
    outside = 0
    session = session_scope(engine, write=True) if write else _reading(engine)
    with session as s:
        scope = result.scope = resolve_scope(s, kommunkod)
        look = lookups(s, scope)
        record = Batch("incidents", file_name, file_name, b"", actor or Actor.system("okänd"), 0, scope.kommunkod)
        if write:
            if actor is None:
                raise ValueError("a write needs an actor")
            action, where = changes.required(s, Plan(), record)
            actor.require(action, where)
        batch: ImportBatch | None = None
        replaced: list[dict[str, Any]] = []
        trail: dict[str, Any] = {"inserted": {}, "changed": [], "removed": []}
        kept_inserts: list[dict[str, Any]] = []
        balance = Balance()
        prepared = _prepare(stream, opened, file_name, positions, headers, scope, look, source, engine, balance)
        for chunk in read_ahead(prepared):
            cells, numbers, bad, problems = chunk.cells, chunk.numbers, chunk.bad, chunk.problems
            keys, stored = chunk.keys, chunk.stored
            if stored is None:
                stored = _stored(s, keys)
                balance.looked_up(keys, stored)
            result.total += len(cells)
            if max_rows is not None and result.total > max_rows:
                raise FileProblem(f"{file_name}: för många rader (över {fmt_number(max_rows)}); läs in filen med "
                                  "kommandot lofte import, som tar filer av alla storlekar.")  # fmt: skip
            found["rows"] += bad
            found["plan"] += problems
            bad += problems
            outside += chunk.outside
            values, rows = chunk.planned.values, chunk.planned.rows
            taken = np.array([k in stored and stored[k][0] != scope.kommunkod for k in keys], dtype=bool)
            earlier = seen.earlier(chunk.hashes, rows, ~taken)
            for i in np.flatnonzero(taken | (earlier > 0)):
                key = keys[i]
                if taken[i]:
                    problem = Problem(int(rows[i]), "id", " / ".join(key),
                                      f"finns redan i kommun {stored[key][0]}; ge källan ett eget namn")  # fmt: skip
                    found["taken"].append(problem)
                else:
                    problem = Problem(int(rows[i]), "id", " / ".join(key), f"samma id som rad {earlier[i]}")
                    found["same"].append(problem)
                bad.append(problem)
            keep = ~taken & (earlier == 0)
            kept = np.flatnonzero(keep)
            values, rows = values[keep].reset_index(drop=True), rows[keep]
            new, changed = compare(values, [stored.get(keys[i]) for i in kept])
            result.counts.new += int(new.sum())
            result.counts.changed += int(changed.sum())
            result.counts.unchanged += int((~new & ~changed).sum())
            for i in np.searchsorted(numbers, sorted({p.row for p in bad if p.row is not None})):
                rejected_cells[int(numbers[i])] = list(cells.iloc[i])
            if progress:
                progress("Läser, kontrollerar och skriver" if write else "Läser och kontrollerar",
                         min(1.0, chunk.position / opened.size))  # fmt: skip
            if not write or (any(found.values()) and not valid_only):
                continue
            from ..authoring.mapping import ensure_types

            ensure_types(s, scope.kommunkod, values["type"].unique())
            if new.any() or changed.any():
                if batch is None:
                    batch = new_batch(s, "incidents", file_name, file_name, b"", record.actor.identity,
                                      0, scope.kommunkod, opened.file_hash)  # fmt: skip
                insert(s, {name: column[kept[new]] for name, column in chunk.driver.items()}, batch.id)
                if len(kept_inserts) <= changes.AUDIT_ROWS:
                    kept_inserts += _as_objects(values[new].head(changes.AUDIT_ROWS + 1))
                result.inserted += int(new.sum())
                if changed.any():
                    planned_rows = _as_objects(values[changed])
                    target = TARGETS["incident"]
                    objs = existing(s, target, [(r["source"], r["source_id"]) for r in planned_rows])
                    changes.update(target, [(objs[(r["source"], r["source_id"])], r) for r in planned_rows], batch,
                                   replaced, trail)  # fmt: skip
                    s.flush()
                    result.updated += len(planned_rows)
        result.problems = found["rows"] + found["plan"] + found["taken"] + found["same"]
        if outside:
            result.notes.append(f"{fmt_number(outside)} rader ligger utanför {scope.kommun_name} och avvisas.")
        if rejected_cells:
            result.rejected = Table(opened.header, sorted(rejected_cells.items()))
        if not write:
            return result
        if result.problems and not valid_only:
            s.rollback()
            raise Refused(result)
        if s.connection().dialect.name == "sqlite":
            s.connection().exec_driver_sql("PRAGMA cache_size=-2000")  # the default again, for the pool
        if batch is not None:
            batch.rows_total, batch.rows_inserted, batch.rows_updated = result.total, result.inserted, result.updated
            batch.rows_rejected = len({p.row for p in result.problems})
            batch.replaced = replaced or None
            trail["inserted"]["incident"] = (
                [{c: jsonable(v) for c, v in r.items()} for r in kept_inserts]
                if result.inserted <= changes.AUDIT_ROWS else result.inserted
            )  # fmt: skip
            audit(s, actor, scope.kommunkod, "incidents", file_name, batch.id, trail)  # type: ignore[arg-type]
            result.batch_id = batch.id
    if result.inserted + result.updated >= db.ANALYZE_AFTER_ROWS:
        db.refresh_statistics(engine, ["incident"])
    return result


class _reading:  # noqa: N801 - used like session_scope
    """A read-only session for counting (a preview writes nothing)."""

    def __init__(self, engine: Engine) -> None:
        self.session = Session(engine)
        self.session.info["read_only"] = True

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *exc: object) -> None:
        self.session.close()


def bulk_file(engine: Engine, path: Path, **kwargs: Any) -> BulkResult:
    """:func:`bulk_import` from a file on disk, streamed: any size."""
    with path.open("rb") as stream:
        return bulk_import(engine, stream, path.name, **kwargs)


def bulk_bytes(engine: Engine, data: bytes, file_name: str, **kwargs: Any) -> BulkResult:
    """:func:`bulk_import` from an uploaded file, within the upload's size and row limits."""
    check_size(data, file_name)
    return bulk_import(engine, io.BytesIO(data), file_name, max_rows=MAX_ROWS, **kwargs)
