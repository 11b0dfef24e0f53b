"""``lofte import``, ``lofte undo`` and ``lofte template``."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from .. import db
from ..access.roles import AccessDenied, Actor
from .importer import IMPORT_KINDS, TEMPLATE_KINDS, ImportRefused, Preview, UndoRefused, import_path, template, undo
from .progress import terminal
from .reading import FileProblem


class ImportFailed(Exception):
    """Printed as it is; the exit status is 1."""


def _engine(args: argparse.Namespace) -> Any:
    engine = db.make_engine(db.resolve_url(args.database))
    db.init_db(engine)
    return engine


def _print_problems(preview: Preview, name: str) -> None:
    for note in preview.notes:
        print(note)
    if preview.problems:
        print(f"{len(preview.problems)} fel i {name}:", file=sys.stderr)
        for line in preview.problem_lines()[:200]:
            print(f"  {line}", file=sys.stderr)
        if len(preview.problems) > 200:
            print(f"  … och {len(preview.problems) - 200} till", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    """An incidents CSV is read, checked and written in one streamed pass (any size); other files
    are checked first, then written."""
    path = Path(args.file)
    if not path.is_file():
        raise ImportFailed(f"lofte: fel: filen {path} finns inte")
    engine = _engine(args)
    progress = terminal()  # a progress line on a terminal; nothing in pipes and logs
    options = {"kommunkod": _kommun(args.kommun), "promise_id": _promise(engine, args), "source": args.source,
               "sheet": args.sheet, "year": args.year}  # fmt: skip
    try:
        preview, outcome = import_path(engine, args.kind, path, actor=Actor.system(args.user),
                                       valid_only=args.valid_only, progress=progress, **options)  # fmt: skip
    except FileProblem as exc:
        raise ImportFailed(f"lofte: fel: {exc}") from exc
    except ImportRefused as exc:
        if exc.preview is not None:
            _print_problems(exc.preview, path.name)
        raise ImportFailed(f"lofte: fel: {exc}") from exc
    finally:
        if progress:
            progress.finish()
    _print_problems(preview, path.name)
    if outcome.batch_id is None:
        print(f"Inget nytt i {path.name}: alla {outcome.unchanged} rader finns redan. Ingen importomgång skapad.")
    else:
        removed = f", {outcome.removed} borttagna" if outcome.removed else ""
        print(
            f"Importomgång {outcome.batch_id} ({preview.scope.kommun_name}): {outcome.inserted} nya, "
            f"{outcome.updated} uppdaterade{removed}, {outcome.unchanged} oförändrade, {outcome.rejected} avvisade "
            f"rader från {path.name}."
        )
    if outcome.rejected_file:
        rejected = path.with_name(f"{path.stem}.avvisade.csv")
        rejected.write_bytes(outcome.rejected_file)
        print(f"De avvisade raderna finns i {rejected}.")
        return 1
    return 0


def _kommun(wanted: str | None) -> str | None:
    """A kommunkod from a code or any form of the kommun's name."""
    if wanted is None:
        return None
    from .. import reference

    found = reference.find(wanted)
    return found.code if found else wanted.strip()


def _promise(engine: Any, args: argparse.Namespace) -> int | None:
    if not args.promise:
        return None
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from ..models import Promise

    with Session(engine) as session:
        stmt = select(Promise).where(Promise.ref == args.promise)
        if args.kommun:
            stmt = stmt.where(Promise.kommunkod == _kommun(args.kommun))
        found = list(session.scalars(stmt))
    if len(found) != 1:
        raise ImportFailed(f"lofte: fel: {'inget' if not found else 'mer än ett'} medborgarlöfte med id "
                           f"'{args.promise}'{' (ange --kommun)' if len(found) > 1 else ''}")  # fmt: skip
    return found[0].id


def cmd_undo(args: argparse.Namespace) -> int:
    try:
        print(undo(_engine(args), args.batch_id, Actor.system(args.user)))
    except (UndoRefused, AccessDenied, SQLAlchemyError) as exc:
        raise ImportFailed(f"lofte: fel: {str(exc).splitlines()[0]}") from exc
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    try:
        data = template(args.kind, args.format)
    except FileProblem as exc:
        raise ImportFailed(f"lofte: fel: {exc}") from exc
    output = Path(args.output or f"mall-{args.kind}.{args.format}")
    output.write_bytes(data)
    print(f"Mallen finns i {output}.")
    return 0


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import",
        parents=[common],
        help="läs in en fil (allt eller inget)",
        description="Typer: " + "; ".join(f"{k}: {v}" for k, v in IMPORT_KINDS.items()),
    )
    p.add_argument("kind", choices=list(IMPORT_KINDS), metavar="KIND", help=", ".join(IMPORT_KINDS))
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--valid-only", action="store_true", help="läs in de giltiga raderna; de avvisade skrivs till en fil"
    )
    p.add_argument("--source", help="källans namn för händelser (standard: egen)")
    p.add_argument("--sheet", help="bladet i en Excel-fil (standard: det första)")
    p.add_argument("--year", type=int, help="året en Brå-fil gäller (annars från filnamnet)")
    p.add_argument("--user", default=getpass.getuser(), help="vem som läser in (sparas i importomgången)")
    p.add_argument("--kommun", metavar="KOD", help="kommunen filen gäller: kod eller namn (standard: den enda)")
    p.add_argument("--promise", metavar="ID", help="löftets id för aktiviteter och genomföranden (standard: det "
                   "gällande)")  # fmt: skip
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("undo", parents=[common], help="ångra en importomgång helt")
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    p.add_argument("--user", default=getpass.getuser(), help="vem som ångrar (sparas i loggen)")
    p.set_defaults(func=cmd_undo)
    p = sub.add_parser("template", parents=[common], help="hämta en importmall")
    p.add_argument("kind", choices=list(TEMPLATE_KINDS), metavar="KIND", help=", ".join(TEMPLATE_KINDS))
    p.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    p.add_argument("--output", "-o", help="filnamn (standard: mall-KIND.FORMAT)")
    p.set_defaults(func=cmd_template)
