"""Column-wise validation of an incidents file: the same rows, values and Swedish messages as
:func:`rows.validate_rows`, without building one pydantic object per row.

A cell in a common shape (plain one-line text, ``58.94`` or ``58,94``, an ISO time) is parsed by a
vectorised rule that gives exactly what the row model's parser gives for that shape; any other cell
goes through the row model's own parser, once per distinct value. A row with a problem anywhere is
validated by the row model itself, so its messages are the model's. ``tests/db/test_bulk_import.py``
compares both ways on random files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from annotated_types import MaxLen

from ..formatting import STOCKHOLM
from ..models import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN
from . import parsing
from .reading import Table
from .rows import INCIDENTS, Problem, precision_choice, validate_rows

#: one-line text that ``parsing.text`` leaves as it is: printable Latin-1, single inner spaces.
#: Written with the characters themselves so that pandas hands it to pyarrow's RE2.
PLAIN = "[!-~¡-ÿ]+(?: [!-~¡-ÿ]+)*"
#: a number ``parsing.number`` reads as ``float`` of the text with ``,`` as ``.``
SIMPLE_NUMBER = r"-?\d+(?:[.,]\d+)?"
#: an ISO time ``parsing.moment`` reads like ``pandas.to_datetime``: whole seconds, offset or none
ISO_MOMENT = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?"
OFFSET = r".*(?:Z|[+-]\d{2}:\d{2})"

TEXT_FIELDS = ("source", "source_id", "type", "area_code", "place_name")
REQUIRED = ("source_id", "occurred_at", "type")
#: the typed columns of a validated incidents frame (``row`` is the file's row number)
FIELDS = ("row", "source", "source_id", "occurred_at", "type", "lat", "lon", "area_code", "place_name", "summary",
          "precision")  # fmt: skip


def _max_lengths() -> dict[str, int]:
    lengths = {}
    for name, info in INCIDENTS.model.model_fields.items():
        found = [m.max_length for m in info.metadata if isinstance(m, MaxLen)]
        if found:
            lengths[name] = found[0]
    return lengths


MAX_LENGTH = _max_lengths()


def _by_value(cells: pd.Series, parse: Callable[[Any], Any]) -> tuple[pd.Series, pd.Series]:
    """``parse`` applied once per distinct cell: the values, and where it raised ``ValueError``."""
    results: dict[Any, Any] = {}
    failed: set[Any] = set()
    for value in cells.unique():
        try:
            results[value] = parse(value)
        except ValueError:
            failed.add(value)
    values = cells.map(lambda v: results.get(v)).astype(object)
    return values.where(values.notna(), None), cells.isin(failed)


def _text(raw: pd.Series, parse: Callable[[Any], Any] = parsing.text,
          choice: bool = False) -> tuple[pd.Series, pd.Series]:  # fmt: skip
    """Text cells: plain ones as they are, the others through ``parse``; with ``choice`` (a few
    distinct values to look up) every cell goes through ``parse``."""
    out = pd.Series(None, index=raw.index, dtype=object)
    plain = pd.Series(False, index=raw.index) if choice else raw.str.fullmatch(PLAIN).fillna(False).astype(bool)
    out[plain] = raw[plain].astype(object)
    other = ~plain & (raw != "")
    bad = pd.Series(False, index=raw.index)
    if other.any():
        out[other], bad[other] = _by_value(raw[other], parse)
    return out.astype(object).where(out.notna(), None), bad


def _number(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    out = np.full(len(raw), np.nan)
    simple = raw.str.fullmatch(SIMPLE_NUMBER).fillna(False).astype(bool).to_numpy()
    # pyarrow's cast rounds as Python's float() does (checked in tests/unit/test_bulk_columns.py)
    out[simple] = pc.cast(pa.array(raw[simple].str.replace(",", ".", regex=False)), pa.float64()).to_numpy()
    other = ~simple & (raw != "").to_numpy()
    bad = np.zeros(len(raw), dtype=bool)
    if other.any():
        values, failed = _by_value(raw[other], parsing.number)
        out[other] = values.astype(float).fillna(np.nan).to_numpy()
        bad[other] = failed.to_numpy()
    return pd.Series(out, index=raw.index), pd.Series(bad, index=raw.index)


def _moment(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """UTC times; ambiguous and missing local times (the clock changes) and every other shape go
    through ``parsing.moment``, which reads them as the rest of the product does."""
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us, UTC]")
    iso = raw.str.fullmatch(ISO_MOMENT).fillna(False).astype(bool)
    offset = iso & raw.str.fullmatch(OFFSET).fillna(False).astype(bool)
    local = iso & ~offset
    if offset.any():
        out[offset] = pd.to_datetime(raw[offset], format="ISO8601", utc=True, errors="coerce").astype(out.dtype)
    if local.any():
        naive = pd.to_datetime(raw[local], format="ISO8601", errors="coerce")
        out[local] = naive.dt.tz_localize(STOCKHOLM, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
    other = out.isna() & (raw != "")
    bad = pd.Series(False, index=raw.index)
    if other.any():
        values, failed = _by_value(raw[other], parsing.moment)
        out[other & ~failed.reindex(raw.index, fill_value=False)] = pd.to_datetime(
            values[~failed].tolist(), utc=True).astype(out.dtype)  # fmt: skip
        bad[other] = failed
    return out, bad


def validate_incidents(cells: pd.DataFrame, numbers: np.ndarray, header: list[str], positions: dict[str, int],
                       file_name: str) -> tuple[pd.DataFrame, list[Problem]]:  # fmt: skip
    """The valid rows of a chunk as typed columns (:data:`FIELDS`) and the problems of the others.

    ``cells`` holds the file's cells as text, one column per header position (``""`` for an empty
    cell); ``numbers`` the file row numbers; ``positions`` the field -> column map of ``map_columns``.
    """
    index = pd.RangeIndex(len(cells))
    empty = pd.Series("", index=index, dtype="str")

    def column(name: str) -> pd.Series:
        return cells[positions[name]].reset_index(drop=True) if name in positions else empty

    typed: dict[str, Any] = {"row": pd.Series(numbers, index=index)}
    bad = pd.Series(False, index=index)
    for name in TEXT_FIELDS:
        typed[name], failed = _text(column(name))
        bad |= failed | (typed[name].str.len().fillna(0) > MAX_LENGTH[name])
    typed["summary"], failed = _text(column("summary"), parsing.long_text)
    bad |= failed | (typed["summary"].str.len().fillna(0) > MAX_LENGTH["summary"])
    typed["precision"], failed = _text(column("precision"), precision_choice, choice=True)
    bad |= failed
    typed["lat"], failed = _number(column("lat"))
    bad |= failed
    typed["lon"], failed = _number(column("lon"))
    bad |= failed
    typed["occurred_at"], failed = _moment(column("occurred_at"))
    bad |= failed
    for name in REQUIRED:
        bad |= typed[name].isna()
    lat, lon = typed["lat"], typed["lon"]
    bad |= lat.isna() != lon.isna()
    bad |= lat.notna() & ~(lat.between(LAT_MIN, LAT_MAX) & lon.between(LON_MIN, LON_MAX))
    bad |= lat.isna() & typed["area_code"].isna()
    bad |= (typed["precision"] == "punkt") & lat.isna()
    frame = pd.DataFrame({name: typed[name] for name in FIELDS})
    problems: list[Problem] = []
    if bad.any():
        slow = np.flatnonzero(bad.to_numpy())
        rows = [(int(numbers[i]), list(cells.iloc[i])) for i in slow]
        valid, problems = validate_rows(INCIDENTS, Table(header, rows), file_name)
        frame = frame[~bad.to_numpy()]
        if valid:
            extra = pd.DataFrame([{"row": n, **item.model_dump()} for n, item in valid], columns=list(FIELDS))
            extra["occurred_at"] = pd.to_datetime(extra["occurred_at"].tolist(), utc=True).astype(
                "datetime64[us, UTC]")  # fmt: skip
            frame = pd.concat([frame, extra.astype({"lat": float, "lon": float})]).sort_values("row", kind="stable")
    return frame.reset_index(drop=True), problems
