"""Hostile values for the privacy tests (AppTest and browser): what a viewer can put in a link and
an importer in a file, and a poisoned copy of the sample files that carries them."""

from __future__ import annotations

from pathlib import Path

# --------------------------------------------------------------------------- hostile values

#: values a viewer can put in a link or an importer in a file: Markdown, LaTeX, HTML, icons,
#: autolinks, list and heading starts, SQL, paths, impossible numbers and dates, control characters
HOSTILE = [
    "[Logga in igen](https://evil.example/login)",
    "![bild](https://evil.example/x.png)",
    "$\\frac{1}{2}$ och $$x^2$$",
    "<img src=x onerror=alert(1)><a href='https://evil.example'>a</a><b>fet</b>",
    ":material/warning: :red[röd] **fet** _kursiv_",
    "www.evil.example och evil@evil.example och https://evil.example",
    "# Rubrik",
    "- lista",
    "1. lista",
    "' OR 1=1; DROP TABLE incident; --",
    "../../../etc/passwd",
    "\x00\x07\x1b[31m\u202e\ufeffstyrtecken",
    "0001-01-01",
    "9999-12-31",
    "2022-W99",
    "-1",
    "1e308",
    "nan",
    ",,,,",
    "😀" * 50,
    "x" * 100_000,
]

#: what a hostile value looks like if an element rendered it instead of showing it as text
RENDERED = ["](https://evil", "![bild]", "$\\frac", "$$x", ":material/warning:", ":red[röd]", "**fet**", "_kursiv_",
            "www.evil", "evil@evil", "\x1b", "\u202e"]  # fmt: skip

#: text that only a traceback or a database error puts on a page
INTERNALS = ["Traceback", 'File "/', "sqlalchemy", "sqlite3.", "psycopg", "OperationalError", "[SQL:"]


def _limit(value: str, width: int) -> str:
    return value[:width]


#: the longest one-word value each column takes (a name that cannot wrap)
WIDE = "W" * 200


def hostile_sample(directory: Path) -> Path:
    """A copy of the sample files with a hostile value in every text a file can bring: the
    promise's texts, focus areas, commitments, activities, area names, places, summaries, notes,
    indicator names, lägesbild texts, and types of its own (classified and not)."""
    import csv
    import io
    import json
    import shutil

    from openpyxl import load_workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from lofte_metrics.sample import SAMPLE_DIR

    shutil.copytree(SAMPLE_DIR, directory, dirs_exist_ok=True)
    # a NUL makes a CSV binary (refused whole, tested elsewhere); every other character is kept
    values = [v.replace("\x00", "") for v in HOSTILE if len(v) < 1000] + [WIDE]

    def pick(i: int, width: int) -> str:
        return _limit(values[i % len(values)], width)

    book = load_workbook(directory / "promise.xlsx")
    widths = {"titel": 200, "lokalpolisområde": 120, "undertecknare": 200, "sammanfattning": 4000, "namn": 200,
              "beskrivning": 2000, "åtagande": 2000, "enhet": 80, "aktivitet": 300, "ansvarig": 200}  # fmt: skip
    for ws in book.worksheets[:4]:
        header = [c.value for c in ws[1]]
        for row in range(2, ws.max_row + 1):
            for col, name in enumerate(header, start=1):
                if name in widths and not (ws.title == "Aktiviteter" and name == "åtagande"):
                    ws.cell(row, col).value = ILLEGAL_CHARACTERS_RE.sub("", pick(row + col, widths[name]))
    book.save(directory / "promise.xlsx")

    def rewrite(name: str, columns: dict[str, int], extra: list[dict[str, str]] = ()) -> None:
        text = (directory / name).read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        for i, row in enumerate(rows):
            if i % 3 == 0:
                for column, width in columns.items():
                    row[column] = pick(i // 3 + len(column), width)
        rows += list(extra)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        (directory / name).write_text(out.getvalue(), encoding="utf-8")

    named_types = [pick(i, 120) for i in range(6)]
    rewrite("incident_types.csv", {}, [{"type": t, "focus_key": "trygghet", "sensitive": "0"} for t in named_types])
    made = [{"source": "polis_rapport", "source_id": f"H-{i:04d}",
             "occurred_at": f"2022-03-{1 + i % 28:02d}T21:00+01:00", "type": kind, "lat": "58.95011",
             "lon": "16.74937", "precision": "punkt", "area_code": "0499-01",
             "place_name": pick(i, 200), "summary": pick(i + 1, 2000)}
            for i, kind in enumerate([t for t in named_types for _ in range(8)] + [pick(7, 120)] * 8)]  # fmt: skip
    rewrite("incidents.csv", {"place_name": 200, "summary": 2000}, made)
    rewrite("presence.csv", {"place": 200})
    rewrite("activity_reports.csv", {"place": 200, "note": 2000})
    rewrite("indicators.csv", {"name": 200, "unit": 40, "source": 200})
    geo = json.loads((directory / "areas.geojson").read_text(encoding="utf-8"))
    for i, feature in enumerate(geo["features"]):
        if feature["properties"]["kind"] != "kommun":
            feature["properties"]["name"] = pick(i, 200)
    (directory / "areas.geojson").write_text(json.dumps(geo, ensure_ascii=False), encoding="utf-8")
    pictures = json.loads((directory / "situation_pictures.json").read_text(encoding="utf-8"))
    for i, picture in enumerate(pictures):
        picture["summary"] = pick(i, 4000)
        picture["texts"] = {key: pick(i + j, 8000) for j, key in enumerate(picture["texts"])}
        picture["approved_by"] = pick(i + 3, 200)
    (directory / "situation_pictures.json").write_text(json.dumps(pictures, ensure_ascii=False), encoding="utf-8")
    return directory
