"""Benchmark: importing an incidents CSV (validate, compare, write) and re-importing it.

    python benchmarks/bench_import.py [--copies 4] [--repeat 3]

Builds a CSV from the sample kommun's point incidents (``--copies`` times, new ids), imports it
into a fresh SQLite database per run, then imports it again (nothing new). Prints medians.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
from pathlib import Path

from lofte_metrics.access.roles import Actor
from lofte_metrics.db import init_db, make_engine
from lofte_metrics.ingest.importer import import_file
from lofte_metrics.sample import SAMPLE_DIR, load_sample


def build_csv(copies: int) -> bytes:
    rows = list(csv.DictReader((SAMPLE_DIR / "incidents.csv").open(encoding="utf-8")))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["källa", "id", "tid", "typ", "lat", "lon", "plats", "sammanfattning"])
    for k in range(copies):
        for r in rows:
            if r["precision"] == "punkt":
                lat, lon = r["lat"].replace(".", ","), r["lon"].replace(".", ",")
                row = ["bench", f"{k}-{r['source_id']}", r["occurred_at"], r["type"], lat, lon]
                writer.writerow([*row, r["place_name"], r["summary"]])
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = build_csv(args.copies)
    n = data.count(b"\n") - 1
    first, again = [], []
    for _ in range(args.repeat):
        engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'b.db'}")
        init_db(engine)
        load_sample(engine)
        start = time.perf_counter()
        import_file(engine, "incidents", data, "bench.csv", actor=Actor.system("bench"))
        first.append(time.perf_counter() - start)
        start = time.perf_counter()
        _, outcome = import_file(engine, "incidents", data, "bench.csv", actor=Actor.system("bench"))
        again.append(time.perf_counter() - start)
        assert outcome.batch_id is None
        engine.dispose()
    f, a = statistics.median(first), statistics.median(again)
    print(f"rows: {n:,}")
    print(f"first import:  median {f:.2f} s ({n / f:,.0f} rows/s)")
    print(f"re-import:     median {a:.2f} s ({n / a:,.0f} rows/s), nothing written")
    print(f"ratio re-import / first: {a / f:.2f}")


if __name__ == "__main__":
    main()
