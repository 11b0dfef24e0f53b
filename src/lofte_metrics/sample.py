"""Loading the sample kommun (``sample_data/``) into a database, the road a real kommun takes:
set up the kommun, then import its files (types, areas, the promise workbook, genomföranden,
incidents, presence, indicators) and save its approved lägesbilder, each as an import batch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .access.roles import Actor
from .authoring.lagesbild import save_picture
from .authoring.setup import setup_kommun
from .db import init_db
from .ingest.importer import ImportRefused, import_file
from .models import Kommun
from .samplegen import KOMMUN, KOMMUNKOD, POLICE_AREA, POPULATION

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
CREATED_BY = "lofte sample"
#: the sample is loaded with the rights of whoever has the database
ACTOR = Actor.system(CREATED_BY)
#: the sample's "today": its data stop on 16 October 2022
SAMPLE_TODAY = dt.date(2022, 10, 16)

# file, import kind, options
FILES: list[tuple[str, str, dict[str, Any]]] = [
    ("incident_types.csv", "types", {}),
    ("areas.geojson", "areas", {}),
    ("promise.xlsx", "promise", {}),
    ("activity_reports.csv", "reports", {}),
    ("incidents.csv", "incidents", {}),
    ("presence.csv", "presence", {}),
    ("indicators.csv", "indicators", {}),
]


class SampleError(RuntimeError):
    pass


def load_sample(engine: Engine, directory: Path = SAMPLE_DIR) -> dict[str, int]:
    """Set up Ekviken and import every sample file; refuses a database that already has it."""
    if not (directory / "promise.xlsx").is_file():
        raise SampleError(f"Hittar inga exempeldata i {directory}")
    init_db(engine)
    with Session(engine) as session:
        if session.scalar(select(Kommun.code).where(Kommun.code == KOMMUNKOD)) is not None:
            raise SampleError(f"Exempelkommunen {KOMMUN} ({KOMMUNKOD}) finns redan i databasen.")
    geo = json.loads((directory / "areas.geojson").read_text(encoding="utf-8"))
    kommun = next(f for f in geo["features"] if f["properties"]["kind"] == "kommun")
    props = kommun["properties"]
    setup_kommun(engine, KOMMUNKOD, actor=ACTOR, police_area=POLICE_AREA, name=KOMMUN,
                 geometry=kommun["geometry"], population=POPULATION,
                 centre=(props["centre_lat"], props["centre_lon"]))  # fmt: skip
    counts: dict[str, int] = {}
    for name, kind, options in FILES:
        preview, outcome = import_file(engine, kind, (directory / name).read_bytes(), name, actor=ACTOR,
                                       kommunkod=KOMMUNKOD, today=SAMPLE_TODAY, **options)  # fmt: skip
        if preview.problems:
            raise ImportRefused("\n".join(preview.problem_lines()[:5]))
        counts[kind] = outcome.inserted
    pictures = json.loads((directory / "situation_pictures.json").read_text(encoding="utf-8"))
    from . import queries

    promise = queries.promises(engine, KOMMUNKOD)[0]
    for item in pictures:
        start, end = dt.date.fromisoformat(item["period_start"]), dt.date.fromisoformat(item["period_end"])
        save_picture(engine, KOMMUNKOD, promise_id=promise.id, period_kind="månad", start=start, end=end,
                     label=item["period_label"], texts=item["texts"], summary=item.get("summary"), actions=[],
                     hotspots=item.get("hotspots"), actor=ACTOR, approved_by=item["approved_by"],
                     approved_at=dt.datetime.fromisoformat(item["approved_at"]))  # fmt: skip
    counts["situation_pictures"] = len(pictures)
    return counts
