"""Benchmark: the report to take away, for the sample kommun's whole promise period.

    python benchmarks/bench_report.py [--repeat 3]

Loads the sample kommun into a fresh SQLite database and, ``--repeat`` times, assembles the report
(the queries behind it) and writes it as PDF (Typst with kaleido charts through the system
Chromium), PowerPoint and Excel, as ``lofte report`` does. Prints the median of each step and of
all three together; the goal is under 10 s for all three on this 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lofte_metrics.db import init_db, make_engine
from lofte_metrics.reports import FORMATS, make
from lofte_metrics.reports.cli import build
from lofte_metrics.sample import load_sample


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'report.db'}")
    init_db(engine)
    load_sample(engine)
    steps: dict[str, list[float]] = {"assemble": [], **{fmt: [] for fmt in FORMATS}, "all three": []}
    sizes: dict[str, int] = {}
    report = None
    for _ in range(args.repeat):
        # each format from its own assembly, as three runs of `lofte report` would do
        total = 0.0
        for fmt in FORMATS:
            seconds, report = timed(lambda: build(engine, None, None, None, None, None, None))
            steps["assemble"].append(seconds)
            made, data = timed(lambda fmt=fmt, report=report: make(report, fmt))
            steps[fmt].append(made)
            sizes[fmt] = len(data)
            total += seconds + made
        steps["all three"].append(total)
    assert report is not None
    print(f"report: {report.kommun.official_name}, {report.start} – {report.end}, "
          f"{len(report.focus)} fokusområden, {report.activity_count} aktiviteter")  # fmt: skip
    for name, seconds in steps.items():
        size = f"  ({sizes[name] // 1024} kB)" if name in sizes else ""
        spread = f"(min {min(seconds):.2f}, max {max(seconds):.2f})"
        print(f"{name:<10} median {statistics.median(seconds):6.2f} s  {spread}{size}")
    print(f"goal: all three under 10 s -> {'met' if statistics.median(steps['all three']) < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
