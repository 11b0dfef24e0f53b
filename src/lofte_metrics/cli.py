"""The ``lofte`` command: init, sample, serve, generate, import, undo, template."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine

from . import db
from .ingest.cli import ImportFailed

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


class CliError(Exception):
    """An error whose message is the whole story, for one line on stderr."""


def _engine(args: argparse.Namespace) -> Engine:
    return db.make_engine(db.resolve_url(args.database))


def cmd_init(args: argparse.Namespace) -> int:
    engine = _engine(args)
    before = db.current_revision(engine) if _has_schema(engine) else None
    db.init_db(engine)
    after = db.current_revision(engine)
    url = db.redact(str(engine.url))
    if before == after:
        print(f"Schemat är redan aktuellt ({after}) i {url}")
    else:
        print(f"Schemat uppgraderat från {before or 'tomt'} till {after} i {url}")
    return 0


def _has_schema(engine: Engine) -> bool:
    from sqlalchemy import inspect

    db.check_connection(engine)
    return inspect(engine).has_table("alembic_version")


def cmd_sample(args: argparse.Namespace) -> int:
    from .sample import load_sample

    engine = _engine(args)
    db.init_db(engine)
    counts = load_sample(engine)
    print(f"Exempelkommunen Ekviken inläst i {db.redact(str(engine.url))}:")
    for name, n in counts.items():
        print(f"  {name}: {n}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .sample import load_sample

    url = db.resolve_url(args.database)
    engine = db.make_engine(url)
    db.init_db(engine)
    if db.is_empty(engine):
        counts = load_sample(engine)
        print(f"Tom databas: exempelkommunen inläst ({counts['incidents']} händelser).")
    if not APP.is_file():
        raise CliError(f"Hittar inte dashboarden {APP}: installera från en klon med 'pip install -e .'")
    env = {**os.environ, db.ENV_VAR: url}
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(args.port)]
    if args.headless:
        command += ["--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false", *args.streamlit_args]
    try:
        # Run from the project root so that .streamlit/config.toml (the projector theme) applies.
        return subprocess.call(command, env=env, cwd=APP.parent.parent)
    except KeyboardInterrupt:
        return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from .db import session_scope
    from .sample import load_sample
    from .samplegen import FIRST_DAY, LAST_DAY, generate_incidents
    from .store import new_batch, store_incidents

    if args.incidents <= 0:
        raise CliError("--incidents måste vara ett positivt antal")
    engine = _engine(args)
    db.init_db(engine)
    if db.is_empty(engine):
        load_sample(engine)
    base = 5370  # incidents in the sample's two years
    rows: list[dict[str, object]] = []
    seed = args.seed
    while len(rows) < args.incidents:  # Poisson draws: top up until there are enough
        missing = args.incidents - len(rows)
        rows += generate_incidents(FIRST_DAY, LAST_DAY, scale=missing / base * 1.1, seed=seed)
        seed += 1000
    rows = sorted(rows[: args.incidents], key=lambda r: str(r["occurred_at"]))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    parsed = [
        {
            **row,
            "source": "syntetisk",
            "source_id": f"SYN{args.seed}-{stamp}-{i:08d}",
            "occurred_at": dt.datetime.fromisoformat(str(row["occurred_at"])),
        }
        for i, row in enumerate(rows)
    ]
    with session_scope(engine) as session:
        batch = new_batch(
            session,
            "incidents",
            "syntetisk",
            f"generate-{args.incidents}",
            stamp.encode(),
            "lofte generate",
            len(parsed),
        )
        batch.rows_inserted = store_incidents(session, parsed, batch)
    print(f"{len(parsed)} syntetiska händelser inlagda i {db.redact(str(engine.url))} (importomgång {batch.id})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lofte", description="Löftesuppföljning: medborgarlöfte och lägesbild")
    help_db = "databas-URL (annars $LOFTE_DATABASE_URL, .streamlit/secrets.toml eller ./lofte.db)"
    parser.add_argument("--database", metavar="URL", default=None, help=help_db)
    common = argparse.ArgumentParser(add_help=False)
    # Accepted after the command too; SUPPRESS keeps a value given before the command.
    common.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=help_db)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", parents=[common], help="skapa eller uppgradera databasschemat")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("sample", parents=[common], help="läs in exempelkommunen Ekviken")
    p.set_defaults(func=cmd_sample)
    p = sub.add_parser("serve", parents=[common], help="starta dashboarden (läser in exempeldata i en tom databas)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--headless", action="store_true", help="öppna ingen webbläsare")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="fler flaggor till streamlit run")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("generate", parents=[common], help="lägg till syntetiska händelser för prestandatester")
    p.add_argument("--incidents", type=int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_generate)

    from .ingest.cli import add_commands

    add_commands(sub, common)
    return parser


def run(argv: Sequence[str] | None = None, out_err: Callable[[str], None] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    report = out_err or (lambda msg: print(msg, file=sys.stderr))
    try:
        return int(args.func(args))
    except (CliError, db.DatabaseError) as exc:
        report(f"lofte: fel: {exc}")
        return 1
    except ImportFailed as exc:
        report(str(exc))
        return 1
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        from .sample import SampleError

        if isinstance(exc, SampleError):
            report(f"lofte: {exc}")
            return 1
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        report(f"lofte: fel: {type(exc).__name__}: {first}")
        return 1


def main() -> None:
    sys.exit(run())
