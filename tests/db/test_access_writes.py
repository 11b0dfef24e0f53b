"""Every write function, as every role and as nobody, on SQLite and PostgreSQL: the write layer
refuses what a role may not do (and writes nothing), whatever the pages show. Plus the audit
trail, screen links, undo rights, concurrent writers and a read-only database."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import threading

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from lofte_metrics import queries as q
from lofte_metrics.access import screens, users
from lofte_metrics.access.roles import AccessDenied, Actor
from lofte_metrics.authoring.genomforande import report_done
from lofte_metrics.authoring.lagesbild import approve, save_picture, versions
from lofte_metrics.authoring.mapping import TypeChoice, save_mapping
from lofte_metrics.authoring.promise import promise_tables, save_promise
from lofte_metrics.authoring.setup import set_min_count, setup_kommun
from lofte_metrics.db import init_db, make_engine
from lofte_metrics.ingest.importer import import_file, template, undo
from lofte_metrics.models import AuditEvent, ImportBatch

ROOT = Actor.system("root")
K = "0580"


def person(identity: str, roles: dict[str, set[str]], **kw) -> Actor:
    return Actor(identity, identity, {code: frozenset(r) for code, r in roles.items()}, **kw)


ACTORS = {
    "läsare": person("lasse@linkoping.se", {K: {"läsare"}}),
    "redaktör": person("rut@linkoping.se", {K: {"redaktör"}}),
    "godkännare": person("gun@linkoping.se", {K: {"godkännare"}}),
    "administratör": person("ada@linkoping.se", {K: {"administratör"}}),
    "redaktör i Malmö": person("mo@malmo.se", {"1280": {"redaktör"}}),
    "ingen roll": person("nils@example.se", {}),
    "skrivskyddad": person("ro@linkoping.se", {"*": {"administratör"}}, read_only=True),
    "administratör för alla": person("all@region.se", {"*": {"administratör"}}),
}
EDITORS = {"redaktör", "administratör", "administratör för alla"}
ADMINS = {"administratör", "administratör för alla"}
APPROVERS = {"godkännare", "administratör", "administratör för alla"}
serial = itertools.count(1)


def feed_record(i: int) -> dict:
    return {"id": 900000 + i, "datetime": "2025-03-03 12:00:00 +01:00", "name": "03 mars 11.00, Rån, Linköping",
            "summary": "s", "url": "/h", "type": "Rån",
            "location": {"name": "Linköping", "gps": "58.41,15.62"}}  # fmt: skip


def promise_workbook(ref: str) -> bytes:
    book = load_workbook(io.BytesIO(template("promise")))
    for ws in book.worksheets[:4]:
        ws.delete_rows(2)
    book["Löfte"].append([ref, f"Löfte {ref}", K, None, dt.datetime(2025, 1, 1), dt.datetime(2025, 12, 31)])
    book["Fokusområden"].append(["trafik", "Trafiksäkerhet", None, 0])
    book["Åtaganden"].append(["F1", "trafik", "polis", "Kontroller.", 10, None, None])
    book["Aktiviteter"].append(["A1", "F1", "Kontroller", "polis", None, "2025-01-01", "2025-12-31", 10, "pågår"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def engine(empty_engine):
    init_db(empty_engine)
    setup_kommun(empty_engine, K, actor=ROOT)
    setup_kommun(empty_engine, "1280", actor=ROOT)
    import_file(empty_engine, "promise", promise_workbook("2025"), "löfte.xlsx", actor=ROOT, kommunkod=K)
    import_file(empty_engine, "polisen", json.dumps([feed_record(0)]).encode(), "f.json", actor=ROOT, kommunkod=K)
    return empty_engine


def writes(engine) -> dict:
    """Each write a page (or the command line) can make, as a function of the actor."""
    promise = q.promises(engine, K)[0]
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))

    def imp(kind: str, data: bytes, name: str, **kw):
        return lambda a: import_file(engine, kind, data, name, actor=a, kommunkod=K, **kw)

    def n() -> int:
        return next(serial)

    return {
        "välja en ny kommun": lambda a: setup_kommun(engine, f"{['0114', '0115', '0117', '0120'][n() % 4]}", actor=a),
        "ändra kommunens lokalpolisområde": lambda a: setup_kommun(engine, K, actor=a, police_area=f"LPO {n()}"),
        "ändra minsta antal": lambda a: set_min_count(engine, K, 6 + n() % 20, actor=a),
        "läsa in ett löfte": lambda a: import_file(engine, "promise", promise_workbook(f"r{n()}"), "l.xlsx", actor=a,
                                                   kommunkod=K),
        "läsa in aktiviteter": lambda a: imp("activities", f"id;åtagande;aktivitet;ägare;start;slut;planerat antal\n"
                                             f"X{n()};F1;Ny;polis;2025-01-01;2025-02-01;1\n".encode(), "a.csv")(a),
        "läsa in genomföranden": lambda a: imp("reports", f"aktivitet;datum;antal;plats\nA1;2025-02-0{n() % 9 + 1};1;"
                                               f"P{n()}\n".encode(), "r.csv")(a),
        "läsa in händelser": lambda a: imp("incidents", f"id;tid;typ;lat;lon\nE{n()};2025-03-01 10:00;Rån;58,41;"
                                           "15,62\n".encode(), "e.csv")(a),
        "läsa in polisens händelser": lambda a: imp("polisen", json.dumps([feed_record(n())]).encode(), "f.json")(a),
        "läsa in närvaro": lambda a: imp("presence", f"id;aktör;start;slut;lat;lon\nN{n()};polis;2025-03-01 10:00;"
                                         "2025-03-01 12:00;58,41;15,62\n".encode(), "n.csv")(a),
        "läsa in indikatorer": lambda a: imp("indicators", f"indikator;period;värde\ntrygg;20{n() % 50 + 10};"
                                             "5\n".encode(), "i.csv")(a),
        "läsa in Brå": lambda a: imp("bra", f"Kommun;Antal;Per 100 000 inv.\nLinköping;{n()};10\n".encode(),
                                     "bra_2024.csv")(a),
        "läsa in händelsetyper": lambda a: imp("types", f"händelsetyp;fokusområde;känslig\nTyp {n()};trafik;nej\n"
                                               .encode(), "t.csv")(a),
        "läsa in områden": lambda a: imp("areas", json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"kod": f"0580-{n()}", "namn": "Del", "förälder": K},
             "geometry": {"type": "Polygon", "coordinates": [[[15.6, 58.4], [15.61, 58.4], [15.61, 58.41],
                                                              [15.6, 58.4]]]}}]}).encode(), "o.geojson")(a),
        "ändra löftet": lambda a: save_promise(engine, K, _edited(engine, promise.id), a, promise_id=promise.id),
        "ändra händelsetyper": lambda a: save_mapping(engine, K, [TypeChoice("Rån", "trafik" if n() % 2 else None,
                                                                             False)], a),
        "skriva utkast till lägesbild": lambda a: save_picture(engine, K, promise_id=promise.id, period_kind="månad",
                                                               start=march[0], end=march[1], label="Mars",
                                                               texts={"trafik": f"Text {n()}"}, summary=None,
                                                               actions=[], actor=a),
        "spara godkänd lägesbild": lambda a: save_picture(engine, K, promise_id=promise.id, period_kind="månad",
                                                          start=march[0], end=march[1], label="Mars",
                                                          texts={"trafik": "Ok"}, summary=None, actions=[], actor=a,
                                                          approved_by="Styrgruppen"),
        "godkänna ett utkast": (lambda: _draft(engine, promise.id, march),
                                lambda a, draft: approve(engine, K, draft, approved_by="Sg", actor=a)),
        "rapportera genomförande": lambda a: report_done(engine, promise.id, "A1", date=dt.date(2025, 4, n() % 28 + 1),
                                                         actor=a, kommunkod=K),
        "ge en roll": lambda a: users.give_role(engine, K, f"p{n()}@linkoping.se", "läsare", a),
        "ta bort en roll": (lambda: _some_grant(engine), lambda a, who: users.take_role(engine, K, who, "läsare", a)),
        "skapa skärmlänk": lambda a: screens.create_link(engine, K, "Skärm", ["oversikt"], 30, a),
        "återkalla skärmlänk": (lambda: _some_link(engine), lambda a, ref: screens.revoke(engine, ref, a)),
    }  # fmt: skip


def _edited(engine, promise_id: int) -> dict:
    tables = promise_tables(engine, promise_id)
    commitments = tables["Åtaganden"]
    ref, focus, owner, words, target, unit, due = commitments.rows[0][1]
    changed = [(1, [ref, focus, owner, f"{words} ({next(serial)})", target, unit, due])]
    return {"Löfte": tables["Löfte"], "Åtaganden": type(commitments)(commitments.header, changed)}


def _draft(engine, promise_id: int, march) -> int:
    save_picture(engine, K, promise_id=promise_id, period_kind="månad", start=march[0], end=march[1], label="Mars",
                 texts={"trafik": f"Utkast {next(serial)}"}, summary=None, actions=[], actor=ROOT)  # fmt: skip
    return versions(engine, K, *march)[0].id


def _some_grant(engine) -> str:
    identity = f"q{next(serial)}@linkoping.se"
    users.give_role(engine, K, identity, "läsare", ROOT)
    return identity


def _some_link(engine) -> str:
    screens.create_link(engine, K, "Skärm", ["oversikt"], 30, ROOT)
    return screens.links(engine, K)[0].ref


ALLOWED = {
    "välja en ny kommun": {"administratör för alla"},
    "ändra kommunens lokalpolisområde": ADMINS,
    "ändra minsta antal": ADMINS,
    "läsa in händelsetyper": ADMINS,
    "ändra händelsetyper": ADMINS,
    "ge en roll": ADMINS,
    "ta bort en roll": ADMINS,
    "skapa skärmlänk": ADMINS,
    "återkalla skärmlänk": ADMINS,
    "spara godkänd lägesbild": APPROVERS,
    "godkänna ett utkast": APPROVERS,
}


def counts(engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (session.scalar(select(func.count()).select_from(ImportBatch)),
                session.scalar(select(func.count()).select_from(AuditEvent)))  # fmt: skip


def test_every_write_as_every_role(engine):
    table = writes(engine)
    wrong = []
    start = counts(engine)[0]
    for what, write in table.items():
        allowed = ALLOWED.get(what, EDITORS)
        for role, actor in ACTORS.items():
            prepared = write[0]() if isinstance(write, tuple) else None  # what the write acts on (as root)
            before = counts(engine)
            try:
                write[1](actor, prepared) if isinstance(write, tuple) else write(actor)
            except AccessDenied as exc:
                if role in allowed:
                    wrong.append(f"{what} som {role}: nekades ({exc})")
                elif counts(engine) != before:
                    wrong.append(f"{what} som {role}: nekades men något skrevs")
                continue
            if role not in allowed:
                wrong.append(f"{what} som {role}: tilläts")
    assert wrong == []
    # The allowed writes really wrote: every write, by each role allowed it.
    assert counts(engine)[0] - start >= sum(len(ALLOWED.get(w, EDITORS)) for w in table)


def test_undo_own_batch_or_as_administrator(engine):
    redaktor, admin, other = ACTORS["redaktör"], ACTORS["administratör"], person("rolf@linkoping.se", {K: {"redaktör"}})
    data = "id;tid;typ;lat;lon\nU1;2025-03-01 10:00;Stöld;58,41;15,62\n".encode()
    _, mine = import_file(engine, "incidents", data, "u.csv", actor=redaktor, kommunkod=K)
    with pytest.raises(AccessDenied, match="rolf@linkoping.se får inte administrera"):
        undo(engine, mine.batch_id, other, K)
    with pytest.raises(AccessDenied):
        undo(engine, mine.batch_id, ACTORS["läsare"], K)
    undo(engine, mine.batch_id, redaktor, K)  # one's own
    _, again = import_file(engine, "incidents", data.replace(b"U1", b"U2"), "u.csv", actor=redaktor, kommunkod=K)
    undo(engine, again.batch_id, admin, K)  # anyone's, as administratör
    setup = q.import_batches(engine, K)
    kommun_batch = int(setup[setup["kind"] == "kommun"]["id"].iloc[0])
    with pytest.raises(AccessDenied):  # setting up the kommun is undone by an administratör only
        undo(engine, kommun_batch, redaktor, K)


def test_the_audit_trail_records_who_what_before_and_after_and_cannot_be_changed(engine):
    admin = ACTORS["administratör"]
    save_mapping(engine, K, [TypeChoice("Rån", "trafik", True)], admin)
    events = q.audit_events(engine, K)
    latest = events.iloc[0]
    assert (latest["actor"], latest["action"], latest["what"]) == ("ada@linkoping.se", "typ", "Händelsetyper")
    details = json.loads(latest["details"])
    change = details["changed"][0]
    assert change["key"] == [K, "Rån"]
    assert change["before"] == {"focus_key": "trygghet", "sensitive": False}
    assert change["after"] == {"focus_key": "trafik", "sensitive": True}
    assert latest["summary"] == "händelsetyp 0580 / Rån: focus_key trygghet → trafik, sensitive False → True"
    undo(engine, int(latest["batch_id"]), admin, K)
    assert q.audit_events(engine, K).iloc[0]["action"] == "ångra"
    for statement in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(Exception, match="audit_event"), engine.begin() as conn:
            conn.execute(text(statement))
    assert len(q.audit_events(engine, K)) == len(events) + 1


def test_screen_links_open_until_revoked_or_expired(engine):
    admin = ACTORS["administratör"]
    _, token = screens.create_link(engine, K, "Styrgruppsrummet", ["oversikt", "lagesbild"], 30, admin, "s" * 40)
    link = screens.verify(engine, token, "s" * 40)
    assert (link.kommunkod, link.pages, link.state) == (K, ("oversikt", "lagesbild"), "gällande")
    with pytest.raises(screens.ScreenRefused, match="inte giltig"):
        screens.verify(engine, token, "another secret, forty characters long..")
    with pytest.raises(screens.ScreenRefused, match="inte giltig"):
        screens.verify(engine, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "s" * 40)
    screens.revoke(engine, link.ref, admin)
    with pytest.raises(screens.ScreenRefused, match="återkallad"):
        screens.verify(engine, token, "s" * 40)
    from joserfc import jwt
    from joserfc.jwk import OctKey

    _, fresh = screens.create_link(engine, K, "Kort", ["oversikt"], 1, admin, "s" * 40)
    ref = screens.links(engine, K)[0].ref
    past = jwt.encode({"alg": "HS256"}, {"ref": ref, "kommun": K, "exp": 1_000_000_000}, OctKey.import_key(b"s" * 40))
    with pytest.raises(screens.ScreenRefused, match="gått ut"):
        screens.verify(engine, past, "s" * 40)
    assert screens.verify(engine, fresh, "s" * 40).label == "Kort"


def test_two_writers_at_once_both_land_and_nothing_is_lost(engine):
    """Two imports of different files at the same moment: they take turns (no 'database is locked')."""
    results: dict[str, object] = {}
    url = engine.url.render_as_string(False)

    def run(name: str, rows: int) -> None:
        other = make_engine(url)  # a second server process would have its own engine
        data = "id;tid;typ;lat;lon\n" + "".join(f"{name}{i};2025-03-01 10:00;Stöld;58,41;15,62\n" for i in range(rows))
        try:
            results[name] = import_file(other, "incidents", data.encode(), f"{name}.csv", actor=ROOT, kommunkod=K)[1]
        except Exception as exc:  # noqa: BLE001 - recorded and checked below
            results[name] = exc
        finally:
            other.dispose()

    threads = [threading.Thread(target=run, args=(name, 3000)) for name in ("P", "Q")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(getattr(r, "inserted", None) == 3000 for r in results.values()), results
    with Session(engine) as session:
        total = session.scalar(text("SELECT count(*) FROM incident WHERE source_id LIKE 'P%' OR source_id LIKE 'Q%'"))
    assert total == 6000


def test_a_read_only_sqlite_file_is_read_and_refuses_writes(tmp_path):
    path = tmp_path / "ro.db"
    writable = make_engine(f"sqlite:///{path}")
    init_db(writable)
    setup_kommun(writable, K, actor=ROOT)
    writable.dispose()
    read_only = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    from lofte_metrics.db import is_read_only

    assert is_read_only(read_only)
    assert [k.code for k in q.kommuner(read_only)] == [K]
    with pytest.raises(Exception, match="readonly|read-only|skrivskyddad"):
        setup_kommun(read_only, K, actor=ROOT, police_area="Ny")
