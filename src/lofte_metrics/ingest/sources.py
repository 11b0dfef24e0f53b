"""Formats with a shape of their own: the police's public event feed, Brå's yearly
"Anmälda brott kommunerna" CSV and GeoJSON areas (WGS84 or SWEREF 99 TM)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from typing import Any

from .. import reference
from ..formatting import MONTHS, STOCKHOLM
from ..models import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN
from . import parsing
from .reading import FileProblem, read_csv, read_json
from .rows import Problem

POLISEN_SOURCE = "polisens_handelser"

# Variants the feed has used for one type; keys are lower case. "Larm Inbrott" is an alarm, not
# a burglary, and stays a type of its own.
TYPE_VARIANTS = {
    "inbrott, försök": "Inbrott, försök",
    "stöld/inbrott": "Stöld/inbrott",
    "mord/dråp": "Mord/dråp",
    "mord/dråp, försök": "Mord/dråp, försök",
    "fylleri/lob": "Fylleri/LOB",
    "våld/hot mot tjänsteman": "Våld/hot mot tjänsteman",
}


def known_type_names() -> dict[str, str]:
    """The shipped types' own spellings, by lower case."""
    return {name.lower(): name for name in reference.default_types()}


def normalise_type(raw: str, known: dict[str, str] | None = None) -> str:
    """Trim, fold spaces, and use one spelling per type: the known one, else a capital first letter."""
    cleaned = re.sub(r"\s+", " ", raw).strip().strip(",").strip()
    cleaned = re.sub(r"\s*,\s*", ", ", cleaned)
    key = cleaned.lower()
    if known and key in known:
        return known[key]
    if key in TYPE_VARIANTS:
        return TYPE_VARIANTS[key]
    shipped = known_type_names()
    if key in shipped:
        return shipped[key]
    return cleaned[:1].upper() + cleaned[1:].lower() if cleaned else cleaned


_FEED_TIME = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[.:](\d{2})\s*$", re.IGNORECASE)
_FEED_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{1,2}):(\d{2}):(\d{2}) ([+-]\d{2}):?(\d{2})$")


def feed_published(raw: str) -> dt.datetime:
    """``2025-06-07 6:38:18 +02:00`` (unpadded hour, varying offset) -> aware datetime."""
    match = _FEED_DATETIME.match(raw.strip())
    if not match:
        raise ValueError("datetime har okänt format (väntat t.ex. 2025-06-07 6:38:18 +02:00)")
    day, hour, minute, second, off_h, off_m = match.groups()
    sign = -1 if off_h.startswith("-") else 1
    offset = dt.timezone(sign * dt.timedelta(hours=abs(int(off_h)), minutes=int(off_m)))
    base = dt.date.fromisoformat(day)
    return dt.datetime.combine(base, dt.time(int(hour), int(minute), int(second)), tzinfo=offset)


def event_time(name_time: str, published: dt.datetime) -> dt.datetime:
    """``07 juni 06.32`` has no year: take the publication's, or the year before for a December
    event published in January. In the hour that repeats when the clocks go back, the event is
    the later of the two moments that is not after its publication."""
    match = _FEED_TIME.match(name_time)
    if not match:
        return published.astimezone(dt.UTC)
    day, month_name, hour, minute = match.groups()
    month = MONTHS.index(month_name.lower()) + 1 if month_name.lower() in MONTHS else None
    if month is None:
        return published.astimezone(dt.UTC)
    local = published.astimezone(STOCKHOLM)
    year = local.year - 1 if month > local.month + 1 else local.year
    try:
        first = dt.datetime(year, month, int(day), int(hour), int(minute), tzinfo=STOCKHOLM)
    except ValueError:
        return published.astimezone(dt.UTC)
    second = first.replace(fold=1)
    moments = sorted({first.astimezone(dt.UTC), second.astimezone(dt.UTC)})
    fitting = [m for m in moments if m <= published.astimezone(dt.UTC)]
    return fitting[-1] if fitting else moments[0]


@dataclass(frozen=True)
class FeedRecord:
    row: int
    values: dict[str, Any]
    #: the kommun the record names, when it names one (any of Sweden's kommuner)
    kommunkod: str | None
    #: the län's name when the record knows only the län
    lan_only: str | None


@dataclass(frozen=True)
class FeedResult:
    records: list[FeedRecord]
    problems: list[Problem]
    notices: int  # "Sammanfattning …", "Uppdatering", "Information": not incidents


def parse_polisen(
    data: bytes, file_name: str, kommuner: dict[str, str], known_types: dict[str, str] | None = None
) -> FeedResult:
    """The JSON array of ``polisen.se/api/events``.

    ``kommuner`` maps every folded form of a kommun's name to its kommunkod; each record gets
    the kommun it names (from ``location.name``, or from the end of ``name`` when the location
    is the län). The feed's point is the kommun's or the län's centre, never the scene:
    precision ``kommun`` or ``län``.
    """
    records = read_json(data, file_name)
    if isinstance(records, dict):
        records = [records]
    if not isinstance(records, list) or not records:
        raise FileProblem(f"{file_name}: väntade en lista med händelser från polisens API.")
    result: list[FeedRecord] = []
    problems: list[Problem] = []
    notices = 0
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(Problem(number, None, str(record)[:60], "är ingen händelse (väntade ett objekt)"))
            continue
        try:
            raw_type = parsing.text(record.get("type")) or ""
            if not raw_type:
                raise KeyError("type")
            if reference.is_notice(raw_type):
                notices += 1
                continue
            if "id" not in record or record["id"] in (None, "") or isinstance(record["id"], (dict, list)):
                raise KeyError("id")
            published = feed_published(str(record.get("datetime", "")))
            name_parts = [p.strip() for p in str(record.get("name", "")).split(",")]
            occurred = event_time(name_parts[0], published) if name_parts else published
            location = record.get("location")
            if not isinstance(location, dict):
                raise ValueError("location saknas eller är inget objekt med name och gps")
            place = parsing.text(location.get("name")) or ""
            last_name_part = name_parts[-1] if len(name_parts) >= 3 else ""
            is_lan = reference.is_lan_name(place)
            kommun_name = place
            if is_lan:
                kommun_name = "" if not last_name_part or reference.is_lan_name(last_name_part) else last_name_part
            gps = str(location.get("gps") or "")
            try:
                lat_text, lon_text = gps.split(",")
                lat, lon = float(lat_text), float(lon_text)
            except ValueError:
                raise ValueError(f"location.gps '{gps[:40]}' är ingen punkt (lat,lon)") from None
            if not (LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX):
                raise ValueError(f"location.gps {lat},{lon} ligger inte i Sverige")
        except KeyError as exc:
            problems.append(Problem(number, str(exc.args[0]), None, "saknas"))
            continue
        except ValueError as exc:
            problems.append(Problem(number, "datetime" if "datetime" in str(exc) else "location",
                                    None, str(exc)))  # fmt: skip
            continue
        kommunkod = kommuner.get(reference.fold(kommun_name)) if kommun_name else None
        summary = parsing.long_text(html.unescape(str(record.get("summary") or "")))
        values = {
            "source": POLISEN_SOURCE,
            "source_id": str(record["id"])[:80],
            "occurred_at": occurred,
            "type": normalise_type(raw_type, known_types)[:120],
            "lat": lat,
            "lon": lon,
            "precision": "län" if is_lan else "kommun",
            "place_name": (kommun_name or place)[:200] or None,
            "summary": summary[:4000] if summary else None,
            "url": (parsing.text(record.get("url")) or "")[:500] or None,
        }
        result.append(FeedRecord(number, values, kommunkod, place if is_lan and not kommunkod else None))
    return FeedResult(result, problems, notices)


# --------------------------------------------------------------------------- Brå


@dataclass(frozen=True)
class BraRow:
    kommun: str
    count: int
    per_100k: float


def parse_bra(data: bytes, file_name: str) -> tuple[list[tuple[int, BraRow]], list[Problem]]:
    """``Kommun;Antal;Per 100 000 inv.`` with spaces as thousands separators."""
    table = read_csv(data, file_name)
    header = [h.strip().lower().replace("\u00a0", " ") for h in table.header]
    try:
        i_kommun = header.index("kommun")
        i_count = header.index("antal")
        i_rate = next(i for i, h in enumerate(header) if h.startswith("per 100"))
    except (ValueError, StopIteration):
        raise FileProblem(
            f"{file_name}: väntade Brås rubriker 'Kommun;Antal;Per 100 000 inv.', fick: {';'.join(table.header)}."
        ) from None
    rows: list[tuple[int, BraRow]] = []
    problems: list[Problem] = []
    for number, cells in table.rows:
        kommun = parsing.text(cells[i_kommun])
        if not kommun:
            problems.append(Problem(number, table.header[i_kommun], None, "saknas"))
            continue
        if kommun.lower() in ("riket", "hela landet", "totalt"):
            continue
        try:
            count = parsing.integer(cells[i_count])
            rate = parsing.number(cells[i_rate])
        except ValueError as exc:
            bad = i_count if "heltal" in str(exc) or parsing.text(cells[i_count]) else i_rate
            problems.append(Problem(number, table.header[bad], parsing.text(cells[bad]), str(exc)))
            continue
        if count is None or rate is None:
            problems.append(Problem(number, table.header[i_count if count is None else i_rate], None, "saknas"))
            continue
        rows.append((number, BraRow(kommun, count, rate)))
    return rows, problems


# --------------------------------------------------------------------------- areas


def parse_areas(
    data: bytes, file_name: str, default_kommunkod: str | None
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """GeoJSON polygons; SWEREF 99 TM (EPSG:3006) coordinates are reprojected to WGS84."""
    doc = read_json(data, file_name, "GeoJSON")
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not doc.get("features"):
        raise FileProblem(f"{file_name}: väntade en GeoJSON FeatureCollection med minst ett område.")
    import shapely
    from shapely.geometry import mapping, shape

    crs_name = json.dumps(doc.get("crs") or {})
    features: list[dict[str, Any]] = []
    problems: list[Problem] = []
    transformer = None
    for number, feature in enumerate(doc["features"], start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            problems.append(Problem(number, None, None, "är inget GeoJSON-objekt (Feature) med properties"))
            continue
        props = {str(k).lower(): v for k, v in (feature.get("properties") or {}).items()}
        code = parsing.text(props.get("kod") or props.get("code") or props.get("områdeskod"))
        name = parsing.text(props.get("namn") or props.get("name"))
        if not code:
            problems.append(Problem(number, "kod", None, "saknas"))
            continue
        if not name:
            problems.append(Problem(number, "namn", code, "saknas"))
            continue
        try:
            geometry = shape(feature.get("geometry"))
        except Exception:  # noqa: BLE001 - shapely raises several kinds for bad geometry
            problems.append(Problem(number, "geometry", code, "är ingen giltig polygon"))
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(number, "geometry", code, f"ska vara en polygon, inte {geometry.geom_type}"))
            continue
        minx, miny, maxx, maxy = geometry.bounds
        if "3006" in crs_name or maxx > 180 or maxy > 90:
            if transformer is None:
                from pyproj import Transformer

                transformer = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
            geometry = shapely.transform(geometry, transformer.transform, interleaved=False)
            minx, miny, maxx, maxy = geometry.bounds
        if not (LON_MIN <= minx and maxx <= LON_MAX and LAT_MIN <= miny and maxy <= LAT_MAX):
            problems.append(Problem(number, "geometry", code, "ligger inte i Sverige (WGS84 eller SWEREF 99 TM)"))
            continue
        if not geometry.is_valid:
            geometry = geometry.buffer(0)
        kommunkod = parsing.text(props.get("kommunkod")) or default_kommunkod
        if not kommunkod or len(kommunkod) != 4 or not kommunkod.isdigit():
            problems.append(Problem(number, "kommunkod", kommunkod, "ska vara fyra siffror, t.ex. 0499"))
            continue
        kind = (parsing.text(props.get("typ") or props.get("kind")) or "kommundel").lower()
        if kind not in ("kommun", "kommundel", "plats"):
            problems.append(Problem(number, "typ", kind, "ska vara kommun, kommundel eller plats"))
            continue
        centre = geometry.representative_point()
        population = props.get("invånare", props.get("population"))
        try:
            people = parsing.integer(population) if population not in (None, "") else None
            if people is not None and people < 0:
                raise ValueError("får inte vara negativt")
        except ValueError as exc:
            problems.append(Problem(number, "invånare", str(population)[:40], str(exc)))
            continue
        if len(code) > 40 or len(name) > 200:
            problems.append(Problem(number, "kod" if len(code) > 40 else "namn", code[:40],
                                    "är för lång (kod högst 40 tecken, namn högst 200)"))  # fmt: skip
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code, "name": name, "kind": kind, "kommunkod": kommunkod,
                    "parent": parsing.text(props.get("förälder") or props.get("parent")),
                    "population": people,
                    "centre_lat": round(centre.y, 6), "centre_lon": round(centre.x, 6),
                },
                "geometry": json.loads(json.dumps(mapping(geometry))),
            }
        )  # fmt: skip
    return features, problems
