"""Benchmark: the product at scale, SQLite and PostgreSQL side by side, in one table.

    python benchmarks/bench_scale.py [--incidents 1000000] [--presence 200000] [--activities 5040]
                                     [--import-rows 1000000] [--repeat 5]
                                     [--engines sqlite,postgresql] [--sessions 5,20]

For each engine it builds the workload (the sample kommun plus generated incidents, presence and
activities, streamed by ``lofte generate``), then measures, as medians of ``--repeat``:

- every aggregate in ``peers.py``: the project, the hand-written floor and the naive pandas peer,
  with the ratios project/floor (goal <= 1.2) and naive/project (goal >= 10);
- the follow-up pages in AppTest, cold (empty cache, first visit) and warm (goal < 3 s / < 0.5 s);
- N sessions opening Lägesbild at once on a cold cache (AppTest threads; each session's time);
- ``lofte import`` of an incidents CSV of ``--import-rows`` rows (streamed from disk, in a process of
  its own) into a kommun with only the sample's incidents and into the full database, first and
  again (nothing to write), in rows/s (goal >= 50,000) with the process's peak RSS (goal < 600 MB);
- peak memory (RSS) of the generator and of this process.

PostgreSQL needs a server on ``LOFTE_BENCH_PG`` (default: postgres@127.0.0.1:5432, trust); a
throwaway database is made and dropped. Figures move between runs on a shared machine: compare
the ratios of one run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from lofte_metrics import queries as q
from lofte_metrics.db import make_engine
from lofte_metrics.sample import SAMPLE_DIR

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import AGGREGATES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["oversikt", "lagesbild", "trender", "aktiviteter", "veckan", "rapport"]
PG = os.environ.get("LOFTE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TWO_YEARS = q.Filters(dt.date(2020, 10, 19), dt.date(2022, 10, 16), kommunkod="0499")


def quiet() -> None:
    """AppTest outside a server logs a warning per query thread; the table is what matters here."""
    from streamlit import logger

    logger.set_log_level("error")


def median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def database(engine_name: str) -> Iterator[str]:
    if engine_name == "sqlite":
        yield f"sqlite:///{Path(tempfile.mkdtemp()) / 'scale.db'}"
        return
    admin = sa.create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"lofte_scale_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield str(sa.make_url(PG).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def build(url: str, incidents: int, presence: int, activities: int) -> tuple[float, int]:
    """The workload through ``lofte generate`` in a process of its own: seconds and its peak RSS (MB)."""
    seconds, peak, _ = lofte_child(url, "generate", "--incidents", str(incidents), "--presence", str(presence),
                                   "--activities", str(activities))  # fmt: skip
    return seconds, peak


def write_incidents_csv(path: Path, rows: int, prefix: str) -> None:
    """``rows`` point incidents of the sample's shape with new ids (a kommun's own export), written
    as they are made."""
    sample = [r for r in csv.DictReader((SAMPLE_DIR / "incidents.csv").open(encoding="utf-8"))
              if r["precision"] == "punkt"]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["källa", "id", "tid", "typ", "lat", "lon", "plats"])
        for i in range(rows):
            r = sample[i % len(sample)]
            writer.writerow(["skala", f"{prefix}{i:08d}", r["occurred_at"], r["type"], r["lat"], r["lon"],
                             r["place_name"]])  # fmt: skip


def lofte_child(url: str, *args: str) -> tuple[float, int, str]:
    """``lofte ARGS`` in a process of its own: seconds, its peak RSS (MB), its last line of output."""
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report this
    # process's size when that is larger; VmHWM belongs to the child's own address space
    script = ("import re, sys; from lofte_metrics.cli import run; code = run(sys.argv[1:]); "
              "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
              "print('peak', int(hwm) // 1024); sys.exit(code)")  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, "--database", url, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    lines = done.stdout.strip().splitlines()
    return seconds, int(lines[-1].split()[1]), lines[-2]


def cli_import(url: str, path: Path) -> tuple[float, int, str]:
    """``lofte import incidents FILE`` in a process of its own."""
    return lofte_child(url, "import", "incidents", str(path), "--user", "bench")


def import_figures(url: str, path: Path, rows: int, where: str, put: Callable[[str, str], None]) -> None:
    for label in ("import", "re-import"):
        seconds, peak, said = cli_import(url, path)
        put(f"{label} {rows:,} rows {where}", f"{seconds:.1f} s, {rows / seconds:,.0f} rows/s, peak {peak} MB")
        if label == "re-import" and not said.startswith("Inget nytt"):
            raise SystemExit(f"a re-import wrote something: {said}")


def page_times(url: str, repeat: int) -> dict[str, tuple[float, float]]:
    os.environ["LOFTE_DATABASE_URL"] = url
    times = {}
    for page in PAGES:
        st.cache_data.clear()
        start = time.perf_counter()
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=600).run()
        cold = time.perf_counter() - start
        assert not at.exception, [e.value for e in at.exception]
        warm = median(lambda page=page: AppTest.from_file(str(ROOT / "pages" / f"{page}.py"),
                                                            default_timeout=600).run(), repeat)  # fmt: skip
        times[page] = (cold, warm)
    return times


def sessions_at_once(url: str, n: int) -> list[float]:
    """N sessions open Lägesbild together on a cold cache: each one's time until its page is done."""
    os.environ["LOFTE_DATABASE_URL"] = url
    st.cache_data.clear()

    def one() -> float:
        start = time.perf_counter()
        AppTest.from_file(str(ROOT / "pages" / "lagesbild.py"), default_timeout=600).run()
        return time.perf_counter() - start

    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        return sorted(pool.map(lambda _: one(), range(n)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--presence", type=int, default=200_000)
    parser.add_argument("--activities", type=int, default=5_040)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--sessions", default="5,20")
    args = parser.parse_args()
    quiet()
    engines = args.engines.split(",")
    table: dict[str, dict[str, str]] = {}

    def put(row: str, engine_name: str, value: str) -> None:
        table.setdefault(row, {})[engine_name] = value

    files = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    for name in engines:
        with database(name) as url:  # a kommun with only the sample's incidents
            subprocess.run([sys.executable, "-m", "lofte_metrics", "--database", url, "sample"], check=True,
                           capture_output=True)  # fmt: skip
            write_incidents_csv(files / "empty.csv", args.import_rows, "E")
            import_figures(url, files / "empty.csv", args.import_rows, "into the sample kommun",
                           lambda row, value, name=name: put(row, name, value))  # fmt: skip
        with database(name) as url:
            seconds, peak = build(url, args.incidents, args.presence, args.activities)
            engine = make_engine(url)
            tables = q.table_counts(engine, "0499")
            total = tables["Händelser"]
            put("incidents / presence / activities in the kommun", name,
                f"{total:,} / {tables['Närvaropass']:,} / {tables['Aktiviteter']:,}")  # fmt: skip
            put("generate (streamed)", name, f"{seconds:.0f} s, peak {peak} MB")
            for aggregate in AGGREGATES:
                project = median(lambda a=aggregate, e=engine: a.project(e, TWO_YEARS), args.repeat)
                floor = median(lambda a=aggregate, e=engine: a.floor(e, TWO_YEARS), args.repeat)
                naive = median(lambda a=aggregate, e=engine: a.naive(e, TWO_YEARS), max(1, args.repeat // 2))
                put(f"{aggregate.name}: project / floor / naive", name,
                    f"{project * 1000:.0f} / {floor * 1000:.0f} / {naive * 1000:.0f} ms")  # fmt: skip
                put(f"{aggregate.name}: project÷floor, naive÷project", name,
                    f"{project / floor:.2f}×, {naive / project:.1f}×")  # fmt: skip
            for page, (cold, warm) in page_times(url, args.repeat).items():
                put(f"page {page}: cold / warm", name, f"{cold:.2f} / {warm:.2f} s")
            for n in (int(x) for x in args.sessions.split(",") if x):
                each = sessions_at_once(url, n)
                put(f"{n} sessions open Lägesbild cold", name,
                    f"median {statistics.median(each):.1f} s, slowest {each[-1]:.1f} s")  # fmt: skip
            write_incidents_csv(files / "full.csv", args.import_rows, "F")
            import_figures(url, files / "full.csv", args.import_rows, f"into {total:,} incidents",
                           lambda row, value, name=name: put(row, name, value))  # fmt: skip
            engine.dispose()
    put("peak RSS of this process", engines[-1], f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")

    width = max(len(r) for r in table) + 2
    print(f"{'':{width}}" + "".join(f"{e:>42}" for e in engines))
    for row, values in table.items():
        print(f"{row:{width}}" + "".join(f"{values.get(e, ''):>42}" for e in engines))


if __name__ == "__main__":
    main()
