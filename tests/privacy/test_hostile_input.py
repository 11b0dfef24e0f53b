"""Files made to break the import, on SQLite and PostgreSQL: every one is a row-level problem with a
Swedish message, never a traceback or a database error with SQL on the screen, and nothing is
written. The lengths the import allows are the columns' lengths."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from lofte_metrics.access.roles import Actor
from lofte_metrics.authoring.setup import setup_kommun
from lofte_metrics.db import init_db
from lofte_metrics.ingest.importer import ImportRefused, import_file, prepare, template
from lofte_metrics.ingest.rows import KINDS, PROMISE_SHEETS
from lofte_metrics.models import Incident

ADMIN = Actor.system("t")
LONG = "x" * 100_000


@pytest.fixture
def engine(empty_engine):
    init_db(empty_engine)
    setup_kommun(empty_engine, "1280", actor=ADMIN)
    return empty_engine


def promise_with(**fields) -> bytes:
    book = load_workbook(io.BytesIO(template("promise")))
    for ws in book.worksheets[:4]:
        ws.delete_rows(2)
    row = {"titel": "Löfte", "från": "2025-01-01", "till": "2025-12-31"} | fields.pop("löfte", {})
    book["Löfte"].append([row.get(c.header) for c in PROMISE_SHEETS["Löfte"].columns])
    book["Fokusområden"].append(["trafik", fields.pop("fokus", "Trafik"), None, 0])
    book["Åtaganden"].append(["F1", "trafik", "polis", fields.pop("åtagande", "Kontroller."), 1, None, None])
    book["Aktiviteter"].append(["A1", "F1", fields.pop("aktivitet", "Kontroll"), "polis", None, "2025-01-01",
                                "2025-02-01", 1, "planerad", None])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("what", "data", "name", "message"),
    [
        ("an activity title of 100 000 characters", lambda: promise_with(aktivitet=LONG), "l.xlsx",
         "kolumn 'aktivitet': får vara högst 300 tecken"),
        ("a promise title of 100 000 characters", lambda: promise_with(löfte={"titel": LONG}), "l.xlsx",
         "kolumn 'titel': får vara högst 200 tecken"),
        ("a focus area name of 100 000 characters", lambda: promise_with(fokus=LONG), "l.xlsx",
         "kolumn 'namn': får vara högst 200 tecken"),
        ("a type of 100 000 characters", lambda: f"id;tid;typ;lat;lon\n1;2025-01-01 10:00;{LONG};55,6;13,0\n".encode(),
         "e.csv", "kolumn 'typ': får vara högst 120 tecken"),
        ("a place of 100 000 characters", lambda: f"id;tid;typ;lat;lon;plats\n1;2025-01-01 10:00;Rån;55,6;13,0;{LONG}\n"
         .encode(), "e.csv", "kolumn 'plats': får vara högst 200 tecken"),
        ("a population that is a word", lambda: json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"kod": "1280-01", "namn": "Del", "invånare": "många"},
             "geometry": {"type": "Polygon", "coordinates": [[[13.0, 55.6], [13.01, 55.6], [13.01, 55.61],
                                                              [13.0, 55.6]]]}}]}).encode(), "o.geojson",
         "kolumn 'invånare': är inget tal"),
        ("a feed record whose location is a string", lambda: json.dumps([{
            "id": 1, "datetime": "2025-06-07 6:38:18 +02:00", "name": "07 juni 06.32, Rån, Malmö", "summary": "s",
            "url": "/h", "type": "Rån", "location": "Ekviken"}]).encode(), "f.json",
         "location saknas eller är inget objekt"),
    ],
)  # fmt: skip
def test_a_hostile_file_is_a_problem_and_writes_nothing(engine, what, data, name, message):
    kind = {"xlsx": "promise", "csv": "incidents", "geojson": "areas", "json": "polisen"}[name.rsplit(".", 1)[1]]
    preview = prepare(engine, kind, data(), name)
    assert any(message in line for line in preview.problem_lines()), (what, preview.problem_lines())
    with pytest.raises(ImportRefused):
        import_file(engine, kind, data(), name, actor=ADMIN, kommunkod="1280")


def test_control_characters_and_markup_are_kept_as_text_not_as_markup(engine):
    """A summary with control characters and HTML: the control characters go, the rest is text."""
    text = "Bråk\x07\x1b <script>alert(1)</script> [länk](https://evil.example) $x$"
    data = f"id;tid;typ;lat;lon;sammanfattning\n1;2025-01-01 10:00;Rån;55,6;13,0;{text}\n".encode()
    preview, outcome = import_file(engine, "incidents", data, "e.csv", actor=ADMIN, kommunkod="1280")
    assert outcome.inserted == 1 and not preview.problems
    with Session(engine) as session:
        stored = session.scalar(select(Incident.summary).where(Incident.source_id == "1", Incident.kommunkod == "1280"))
    assert stored == "Bråk <script>alert(1)</script> [länk](https://evil.example) $x$"


def test_every_text_an_import_accepts_has_a_limit():
    """A 100 000 character value in any text column is a row problem with a reason, never a database error."""
    from typing import get_args

    from lofte_metrics.ingest.rows import _message

    checked = 0
    for kind in [*KINDS.values(), *PROMISE_SHEETS.values()]:
        for field, info in kind.model.model_fields.items():
            annotation = info.annotation
            if not (str in get_args(annotation) or annotation is str):
                continue
            try:
                kind.model.model_validate({field: "x" * 100_000})
                raise AssertionError(f"{kind.key}.{field} took 100 000 characters")
            except ValidationError as error:
                mine = [e for e in error.errors() if e["loc"] == (field,)]
                assert mine, f"{kind.key}.{field} took 100 000 characters"
                assert _message(mine[0]) != "har fel format", (kind.key, field, mine[0]["type"])
            checked += 1
    assert checked > 30
