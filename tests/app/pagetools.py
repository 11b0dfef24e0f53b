"""Running one page with AppTest and reading its metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def run_page(name: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str, index: int = 0):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return found[index]


def read_table(element: Any) -> pd.DataFrame:
    """A table to read (st.table: Markdown cells) as a person reads it: escapes gone, and Swedish
    numbers ("1 234", "–") back to numbers where a whole column is numbers."""
    frame = element.value.map(lambda v: str(v).replace("\\", "").replace("\u2060", ""))
    frame.columns = [str(c).replace("\\", "").replace("\u2060", "") for c in frame.columns]
    for column in frame.columns:
        plain = frame[column].str.replace("\u00a0", "").str.replace("−", "-").str.replace(",", ".")
        numbers = pd.to_numeric(plain.where(plain != "–"), errors="coerce")
        if numbers.notna().sum() == (plain != "–").sum() and (plain != "–").any():
            frame[column] = numbers
    return frame
