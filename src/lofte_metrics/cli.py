"""The ``lofte`` command: init, sample, serve, generate, import, undo, template, report."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine

from . import db
from .ingest.cli import ImportFailed
from .ingest.reading import FileProblem

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
    if args.kommun:
        _setup(engine, args.kommun, args.polisomrade, args.user)
    return 0


def _setup(engine: Engine, wanted: str, police_area: str | None, user: str) -> None:
    from . import reference
    from .access.roles import Actor
    from .authoring.setup import SetupError, setup_kommun

    kommun = reference.find(wanted)
    if kommun is None:
        close = reference.search(wanted, limit=5)
        hint = f" Menade du: {', '.join(k.label for k in close)}?" if close else ""
        raise CliError(f"Hittar ingen kommun som heter eller har koden '{wanted}'.{hint}")
    try:
        written = setup_kommun(engine, kommun.code, actor=Actor.system(user), police_area=police_area)
    except SetupError as exc:
        raise CliError(str(exc)) from exc
    if written.batch_id is None:
        print(f"{kommun.official_name} ({kommun.code}) finns redan i databasen; inget ändrat.")
    else:
        print(f"{kommun.official_name} ({kommun.code}), {kommun.lan_name}, är inlagd med sin gräns och "
              f"standardindelningen av polisens händelsetyper (importomgång {written.batch_id}).")  # fmt: skip
        print("Nästa steg: lägg in medborgarlöftet (lofte import promise FIL, mall: lofte template promise) och "
              "läs in polisens händelser (lofte import polisen FIL).")  # fmt: skip


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
    fresh = not _has_schema(engine)
    db.init_db(engine)
    if (fresh and not args.empty) or (args.sample and db.is_empty(engine)):
        counts = load_sample(engine)
        print(f"Ny databas: exempelkommunen Ekviken inläst ({counts['incidents']} händelser).")
    elif db.is_empty(engine):
        print("Databasen följer ingen kommun ännu: välj kommun i webbläsaren (sidan Kom igång).")
    if not APP.is_file():
        raise CliError(f"Hittar inte dashboarden {APP}: installera från en klon med 'pip install -e .'")
    root = APP.parent.parent
    env = {**os.environ, db.ENV_VAR: url}
    address = _address(args, root)
    if args.public_read_only:
        env["LOFTE_READ_ONLY"] = "1"
        print(f"Skrivskyddad visning för alla som når {address}:{args.port}: inget kan ändras.")
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(args.port),
               "--server.address", address]  # fmt: skip
    if args.headless:
        command += ["--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false", *args.streamlit_args]
    # Streamlit takes this process's place (exec), so SIGTERM and SIGINT sent to `lofte serve`
    # stop the server itself and nothing is left serving the port. It runs from the project root
    # so that .streamlit/config.toml (the projector theme) applies.
    sys.stdout.flush()
    os.chdir(root)
    os.execve(sys.executable, command, env)
    return 0  # unreachable


def _login_configured(root: Path) -> bool:
    import tomllib

    from .access.settings import load

    for path in (root / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"):
        if path.is_file():
            try:
                if load(tomllib.loads(path.read_text(encoding="utf-8"))).auth:
                    return True
            except (OSError, tomllib.TOMLDecodeError):
                continue
    return False


def _address(args: argparse.Namespace, root: Path) -> str:
    """Where to listen: this computer only, unless login is configured or the view is read-only."""
    if args.public_read_only:
        return args.address or "0.0.0.0"
    if args.address and args.address not in ("127.0.0.1", "localhost", "::1") and not _login_configured(root):
        raise CliError(
            f"Utan inloggning visas dashboarden bara på den här datorn, inte på {args.address}: konfigurera [auth] "
            "i .streamlit/secrets.toml (se README, Inloggning och roller) eller använd --public-read-only."
        )
    return args.address or "127.0.0.1"


def cmd_generate(args: argparse.Namespace) -> int:
    from .sample import load_sample
    from .workload import GenerateRefused, generate

    counts = {"--incidents": args.incidents, "--presence": args.presence, "--activities": args.activities}
    if any(n < 0 for n in counts.values()) or not any(counts.values()):
        raise CliError("ange ett positivt antal för --incidents, --presence eller --activities")
    engine = _engine(args)
    db.init_db(engine)
    if db.is_empty(engine):
        load_sample(engine)
    try:
        made = generate(engine, args.kommun, incidents=args.incidents, presence=args.presence,
                        activities=args.activities, seed=args.seed)  # fmt: skip
    except (GenerateRefused, FileProblem) as exc:
        raise CliError(str(exc)) from exc
    words = [(made.incidents, "händelser"), (made.presence, "närvaropass"), (made.activities, "aktiviteter"),
             (made.reports, "genomföranden")]  # fmt: skip
    print(f"Syntetiska {', '.join(f'{n} {w}' for n, w in words if n)} inlagda i {db.redact(str(engine.url))}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lofte", description="Löftesuppföljning: medborgarlöfte och lägesbild")
    help_db = "databas-URL (annars $LOFTE_DATABASE_URL, .streamlit/secrets.toml eller ./lofte.db)"
    parser.add_argument("--database", metavar="URL", default=None, help=help_db)
    common = argparse.ArgumentParser(add_help=False)
    # Accepted after the command too; SUPPRESS keeps a value given before the command.
    common.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=help_db)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", parents=[common], help="skapa eller uppgradera databasschemat, och välj kommun")
    p.add_argument("--kommun", metavar="KOD", help="följ en kommun: kommunkod (0580) eller namn (Linköping)")
    p.add_argument("--polisomrade", metavar="NAMN", help="lokalpolisområdets namn (standard: Lokalpolisområde KOMMUN)")
    p.add_argument("--user", default=getpass.getuser(), help="vem som gör inställningen (sparas)")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("sample", parents=[common], help="läs in exempelkommunen Ekviken")
    p.set_defaults(func=cmd_sample)
    p = sub.add_parser("serve", parents=[common], help="starta dashboarden (läser in exempeldata i en tom databas)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--headless", action="store_true", help="öppna ingen webbläsare")
    p.add_argument("--sample", action="store_true", help="läs in exempelkommunen i en tom databas")
    p.add_argument("--address", help="adressen att lyssna på (standard 127.0.0.1; andra kräver inloggning)")
    p.add_argument("--public-read-only", action="store_true",
                   help="visa för alla på nätverket, skrivskyddat (ingen inloggning, inget kan ändras)")  # fmt: skip
    p.add_argument("--empty", action="store_true", help="läs inte in exempelkommunen i en ny databas")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="fler flaggor till streamlit run")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("generate", parents=[common], help="lägg till syntetiska händelser, närvaro och aktiviteter "
                       "för prestandatester")  # fmt: skip
    p.add_argument("--incidents", type=int, default=0, metavar="N", help="händelser (strömmade, i delar)")
    p.add_argument("--presence", type=int, default=0, metavar="N", help="närvaropass")
    p.add_argument("--activities", type=int, default=0, metavar="N",
                   help="aktiviteter i det gällande löftet, med genomföranden")  # fmt: skip
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--kommun", metavar="KOD", help="kommunen händelserna läggs i (standard: den enda)")
    p.set_defaults(func=cmd_generate)

    from .ingest.cli import add_commands
    from .reports.cli import add_commands as add_report

    add_commands(sub, common)
    add_report(sub, common)
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
    except FileProblem as exc:
        report(f"lofte: fel: {exc}")
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
