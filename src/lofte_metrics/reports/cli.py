"""``lofte report``: the Rapport page's report as PDF, PowerPoint or Excel, for a scheduled mail."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path
from typing import Any

from .. import db, promises
from .. import queries as q
from ..formatting import STOCKHOLM
from ..ingest.cli import ImportFailed, _kommun
from ..privacy import Policy
from ..queries import Filters
from . import FORMATS, assemble, file_name, make


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget datum (ÅÅÅÅ-MM-DD)") from None
    if not dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise argparse.ArgumentTypeError(f"{text} ligger utanför 1990–2100")
    return day


def build(engine: Any, kommun: str | None, promise_ref: str | None, start: dt.date | None, end: dt.date | None,
          focus: list[str] | None, min_count: int | None) -> Any:  # fmt: skip
    """The report the Rapport page would show for these choices (the current promise by default,
    over its period up to the data's last day)."""
    followed = q.kommuner(engine)
    code = _kommun(kommun)
    if code is None:
        if len(followed) != 1:
            raise ImportFailed(f"lofte: fel: databasen följer {len(followed)} kommuner: ange vilken (--kommun KOD).")
        chosen = followed[0]
    else:
        chosen = next((k for k in followed if k.code == code), None)
        if chosen is None:
            raise ImportFailed(f"lofte: fel: kommunen {kommun} följs inte i databasen.")
    found = q.promises(engine, chosen.code)
    today = dt.datetime.now(STOCKHOLM).date()
    latest = q.latest_data_date(engine, chosen.code)
    as_of = min(today, latest) if latest else today
    if promise_ref:
        promise = next((p for p in found if p.ref == promise_ref), None)
        if promise is None:
            raise ImportFailed(f"lofte: fel: {chosen.name} har inget medborgarlöfte med id {promise_ref}.")
    else:
        promise = promises.current(found, end or as_of)
    if promise is not None:
        start = start or promise.period_start
        end = end or max(promise.period_start, min(promise.period_end, as_of))
        names = dict(promise.focus_areas)
    else:
        from ..reference import DEFAULT_FOCUS_AREAS

        end = end or as_of
        start = start or end - dt.timedelta(days=89)
        names = {k: n for k, n, _ in DEFAULT_FOCUS_AREAS}
    if end < start:
        raise ImportFailed(f"lofte: fel: --to ({end}) ligger före --from ({start}).")
    if focus:
        unknown = [k for k in focus if k not in names]
        if unknown:
            raise ImportFailed(f"lofte: fel: okänt fokusområde {', '.join(unknown)}; välj bland {', '.join(names)}.")
        names = {k: names[k] for k in focus}
    policy = Policy(chosen.min_count, salt=q.privacy_salt(engine)).with_min_count(min_count)
    f = Filters(start, end, tuple(names), kommunkod=chosen.code, promise_id=promise.id if promise else -1)
    return assemble(engine, f, as_of, policy, names)


def cmd_report(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else None
    fmt = args.format or (output.suffix.lstrip(".").lower() if output and output.suffix else None)
    if fmt not in FORMATS:
        raise ImportFailed(f"lofte: fel: ange --format {'|'.join(FORMATS)} (eller en fil som slutar så).")
    engine = db.make_engine(db.resolve_url(args.database))
    if db.schema_state(engine) != "current":
        raise ImportFailed("lofte: fel: databasen är tom eller av en äldre version; kör lofte init först.")
    began = time.perf_counter()
    focus = [k.strip() for k in args.focus.split(",") if k.strip()] if args.focus else None
    report = build(engine, args.kommun, args.promise, args.start, args.end, focus, args.min)
    data = make(report, fmt)
    target = output or Path(file_name(report, fmt))
    target.write_bytes(data)
    print(f"{FORMATS[fmt][0]} för {report.kommun.official_name}, {report.start}–{report.end} (data t.o.m. "
          f"{report.as_of}): {target} ({len(data) // 1024} kB, {time.perf_counter() - began:.1f} s)")  # fmt: skip
    return 0


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="skriv rapporten som PDF, PowerPoint eller Excel")
    p.add_argument("--from", dest="start", type=_date, metavar="ÅÅÅÅ-MM-DD", help="periodens början (löftets start)")
    p.add_argument("--to", dest="end", type=_date, metavar="ÅÅÅÅ-MM-DD", help="periodens slut (datans sista dag)")
    p.add_argument("--format", choices=list(FORMATS), help="pdf, pptx eller xlsx (annars filändelsen)")
    p.add_argument("--output", metavar="FIL", help="filen att skriva (standard: uppfoljning-KOMMUN-FRÅN-TILL.FORMAT)")
    p.add_argument("--kommun", metavar="KOD", help="kommunkod eller namn (standard: den enda)")
    p.add_argument("--lofte", dest="promise", metavar="ID", help="medborgarlöftets id (standard: det gällande)")
    p.add_argument("--fokus", dest="focus", metavar="NYCKLAR", help="bara dessa fokusområden, t.ex. trygghet,trafik")
    p.add_argument("--min", type=int, metavar="N", help="ett högre minsta antal än kommunens (aldrig lägre)")
    p.set_defaults(func=cmd_report)
