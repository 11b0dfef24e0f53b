"""Benchmark: the query layer on a scaled synthetic data set. Prints medians; asserts nothing.

    python benchmarks/bench_queries.py --incidents 200000 [--database URL] [--repeat 5]

Without --database it builds a throwaway SQLite file. The figures to compare are the medians
of the same run: the machine is shared and noisy, so absolute numbers move between runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lofte_metrics import queries as q
from lofte_metrics.cli import run as lofte
from lofte_metrics.db import make_engine


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--database")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"

    start = time.perf_counter()
    code = lofte(["--database", url, "generate", "--incidents", str(args.incidents)])
    if code:
        raise SystemExit(code)
    load_s = time.perf_counter() - start
    engine = make_engine(url)
    total = q.table_counts(engine)["Händelser"]
    print(f"database: {engine.url.render_as_string(hide_password=True)}")
    print(
        f"incidents in database: {total:,}; generate+load {args.incidents:,}: {load_s:.1f} s "
        f"({args.incidents / load_s:,.0f} rows/s)"
    )
    year = q.Filters(dt.date(2022, 1, 1), dt.date(2022, 10, 16))
    two_years = q.Filters(dt.date(2020, 10, 19), dt.date(2022, 10, 16))
    one_area = q.Filters(year.start, year.end, focus_keys=("trygghet",), area_codes=("0499-01",))
    cases: dict[str, Callable[[], Any]] = {
        "incident_counts week/focus (2 years)": lambda: q.incident_counts(engine, two_years, "week", "focus"),
        "incident_counts month/type (1 year)": lambda: q.incident_counts(engine, year, "month", "type"),
        "incident_totals focus (1 year)": lambda: q.incident_totals(engine, year),
        "incident_totals, one area + focus": lambda: q.incident_totals(engine, one_area),
        "incidents_per_area (1 year)": lambda: q.incidents_per_area(engine, year),
        "incidents_per_cell (1 year)": lambda: q.incidents_per_cell(engine, year),
        "cell_counts_per_week (9 weeks)": lambda: q.cell_counts_per_week(
            engine, q.Filters(dt.date(2022, 8, 15), dt.date(2022, 10, 16))
        ),
        "unmapped_counts (1 year)": lambda: q.unmapped_counts(engine, year),
        "presence_per_cell (1 year)": lambda: q.presence_per_cell(engine, year),
        "activity_list": lambda: q.activity_list(engine, year, year.end),
        "source_overview (all)": lambda: q.source_overview(engine),
    }
    print(f"{'query':45s} {'median ms':>10s}  rows")
    for name, fn in cases.items():
        rows = len(fn()) if hasattr(fn(), "__len__") else 1
        print(f"{name:45s} {median_ms(fn, args.repeat):10.1f}  {rows}")


if __name__ == "__main__":
    main()
