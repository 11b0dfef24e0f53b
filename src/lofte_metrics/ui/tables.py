"""Editor tables (``st.data_editor`` frames) as the importer's tables, and back."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from ..ingest.reading import Table


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and not value.strip():
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def frame_to_table(frame: pd.DataFrame) -> Table:
    """Rows numbered as a person counts them in the editor (first row = 1); empty rows dropped."""
    rows = []
    for i, values in enumerate(frame.itertuples(index=False), start=1):
        cells = [_cell(v) for v in values]
        if all(c is None for c in cells):
            continue
        rows.append((i, cells))
    return Table([str(c) for c in frame.columns], rows)


def table_to_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame([cells for _, cells in table.rows], columns=table.header)
