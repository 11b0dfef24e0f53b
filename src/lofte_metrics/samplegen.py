"""A seeded generator of the sample kommun: Ekviken, about 41 000 inhabitants, in Södermanland.

Ekviken is fictional, but it lies on real coordinates with a town in the middle, countryside
around it, a railway station with a drug scene, a square with weekend-night trouble, a guest
harbour that is busy in summer and two roads where the traffic accidents happen. Its 2022
medborgarlöfte has three focus areas: trygghet, narkotika med fokus på unga and trafiksäkerhet.

``python -m lofte_metrics.samplegen sample_data`` writes the files the app starts on; the same
seed always gives the same files. ``generate_incidents`` also makes scaled data for benchmarks.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.ops import voronoi_diagram

from .formatting import MONTHS, STOCKHOLM

SEED = 20221016
KOMMUNKOD = "0499"
KOMMUN = "Ekviken"
POLICE_AREA = "Lokalpolisområde Ekviken"
POPULATION = 41_230
CENTRE = (58.9500, 16.7500)  # lat, lon of the town square: the point the public feed gives
FIRST_DAY = dt.date(2020, 10, 19)  # a Monday
LAST_DAY = dt.date(2022, 10, 16)  # a Sunday: the sample's "today" is the 17th
PROMISE_START = dt.date(2022, 1, 1)
PROMISE_END = dt.date(2022, 12, 31)

# code, name, seed point (lat, lon), population
DISTRICTS: list[tuple[str, str, tuple[float, float], int]] = [
    ("0499-01", "Centrum", (58.9500, 16.7500), 5_900),
    ("0499-02", "Stationsområdet", (58.9440, 16.7330), 3_400),
    ("0499-03", "Hamnen", (58.9575, 16.7730), 2_800),
    ("0499-04", "Björkdal", (58.9640, 16.7310), 7_600),
    ("0499-05", "Sjöängen", (58.9380, 16.7680), 6_300),
    ("0499-06", "Lundby", (59.0250, 16.7000), 4_100),
    ("0499-07", "Vreta", (58.8750, 16.7850), 3_900),
    ("0499-08", "Ekeby", (58.9600, 16.5900), 3_730),
    ("0499-09", "Kustbyn", (58.9650, 16.9200), 3_500),
]

# name, lat, lon, district code, spread in metres
PLACES: dict[str, tuple[float, float, str, float]] = {
    "Torget": (58.9502, 16.7503, "0499-01", 90),
    "Storgatan": (58.9512, 16.7470, "0499-01", 140),
    "Resecentrum": (58.9446, 16.7336, "0499-02", 90),
    "Björkdals centrum": (58.9636, 16.7318, "0499-04", 110),
    "Ekvikens gymnasium": (58.9405, 16.7610, "0499-05", 90),
    "Gästhamnen": (58.9578, 16.7728, "0499-03", 110),
    "Väg 55 vid Vretakorset": (58.9010, 16.7790, "0499-07", 250),
    "Väg 52 vid Lundby": (59.0150, 16.7050, "0499-06", 300),
    "Köpcentrum Ekeby": (58.9560, 16.6050, "0499-08", 150),
    "Sjöängens skola": (58.9365, 16.7720, "0499-05", 80),
}

# incident type, focus key, sensitive
INCIDENT_TYPES: list[tuple[str, str | None, bool]] = [
    ("Misshandel", "trygghet", False),
    ("Misshandel, grov", "trygghet", False),
    ("Ordningslagen", "trygghet", False),
    ("Bråk", "trygghet", False),
    ("Skadegörelse", "trygghet", False),
    ("Stöld", "trygghet", False),
    ("Stöld/inbrott", "trygghet", False),
    ("Inbrott", "trygghet", False),
    ("Rån", "trygghet", False),
    ("Olaga hot", "trygghet", False),
    ("Knivlagen", "trygghet", False),
    ("Fylleri/LOB", "trygghet", False),
    ("Narkotikabrott", "narkotika", False),
    ("Rattfylleri", "trafik", False),
    ("Trafikolycka", "trafik", False),
    ("Trafikolycka, personskada", "trafik", False),
    ("Trafikolycka, singel", "trafik", False),
    ("Trafikolycka, vilt", "trafik", False),
    ("Trafikbrott", "trafik", False),
    ("Olovlig körning", "trafik", False),
    ("Våldtäkt", "trygghet", True),
    ("Sedlighetsbrott", "trygghet", True),
    ("Ofredande/förargelse", "trygghet", True),
    ("Brand", None, False),
    ("Övrigt", None, False),
]

FOCUS_AREAS = [
    ("trygghet", "Trygghet i offentlig miljö",
     "Närvaro på rätt platser, kommunikation om det faktiska läget och att bemöta felaktiga uppgifter."),
    ("narkotika", "Narkotika med fokus på unga",
     "Minska ungas tillgång till narkotika och fånga upp unga i riskzon tidigt."),
    ("trafik", "Trafiksäkerhet",
     "Färre olyckor och rattfylleri på väg 55, väg 52 och vid skolorna."),
]  # fmt: skip


@dataclass(frozen=True)
class Pattern:
    """One recurring kind of incident: where, what, how often, and when in the day."""

    types: tuple[tuple[str, float], ...]
    per_week: float
    place: str | None  # None: anywhere in the town or the kommun
    hours: tuple[float, float]  # mean hour and spread
    weekend: float = 1.0  # factor for Friday night to Sunday
    summer: float = 1.0  # factor for June to August
    winter: float = 1.0  # factor for November to February
    change_2022: float = 1.0  # the year of the promise
    source: str = "polis_rapport"
    precision: str = "punkt"


PATTERNS: list[Pattern] = [
    Pattern((("Misshandel", 4), ("Ordningslagen", 3), ("Bråk", 2), ("Misshandel, grov", 0.5),
             ("Fylleri/LOB", 2)), 5.0, "Torget", (0.5, 2.5), weekend=3.2, summer=1.3, change_2022=0.78),
    Pattern((("Stöld", 4), ("Skadegörelse", 2), ("Olaga hot", 1)), 3.0, "Storgatan", (15.0, 4.0),
            change_2022=0.9),
    Pattern((("Narkotikabrott", 5), ("Ordningslagen", 1), ("Stöld", 2), ("Knivlagen", 0.4)), 3.2,
            "Resecentrum", (20.0, 3.0), weekend=1.4, change_2022=1.35),
    Pattern((("Skadegörelse", 4), ("Narkotikabrott", 2), ("Rån", 0.6), ("Brand", 1)), 2.6,
            "Björkdals centrum", (21.0, 2.5), change_2022=0.95),
    Pattern((("Narkotikabrott", 3), ("Skadegörelse", 2)), 1.2, "Ekvikens gymnasium", (14.0, 3.0),
            summer=0.2, change_2022=1.2),
    Pattern((("Ordningslagen", 3), ("Misshandel", 2), ("Stöld", 2)), 0.3, "Gästhamnen", (23.0, 2.5),
            weekend=2.0, summer=9.0, winter=0.2),
    Pattern((("Trafikolycka", 4), ("Trafikolycka, personskada", 2), ("Trafikolycka, singel", 1),
             ("Rattfylleri", 1)), 1.6, "Väg 55 vid Vretakorset", (16.0, 4.0), winter=1.6),
    Pattern((("Rattfylleri", 3), ("Trafikolycka", 2), ("Trafikolycka, vilt", 3), ("Olovlig körning", 1)),
            1.4, "Väg 52 vid Lundby", (18.0, 5.0), winter=1.4, change_2022=1.1),
    Pattern((("Stöld", 5), ("Stöld/inbrott", 1)), 1.6, "Köpcentrum Ekeby", (14.0, 3.0), summer=0.9),
    Pattern((("Trafikbrott", 3), ("Trafikolycka", 1)), 0.8, "Sjöängens skola", (8.0, 1.0), summer=0.1),
    # Spread over the town: the everyday background.
    Pattern((("Stöld", 3), ("Inbrott", 2), ("Skadegörelse", 3), ("Olaga hot", 1), ("Misshandel", 1),
             ("Våldtäkt", 0.15), ("Sedlighetsbrott", 0.1), ("Ofredande/förargelse", 0.3), ("Övrigt", 1)),
            16.0, None, (15.0, 6.0)),
    # The kommun's fault reports: vandalism seen by the public, with a point.
    Pattern((("Skadegörelse", 1),), 3.0, None, (12.0, 3.0), summer=1.3, source="felanmalan"),
    # Tips from residents, known only to the district.
    Pattern((("Narkotikabrott", 3), ("Ordningslagen", 1)), 0.8, None, (19.0, 3.0), source="tips",
            precision="område", change_2022=1.3),
    # The public police feed: the kommun's centre point only, never the scene.
    Pattern((("Trafikolycka", 3), ("Rattfylleri", 2), ("Misshandel", 1), ("Brand", 1), ("Rån", 0.4),
             ("Stöld/inbrott", 1), ("Våldtäkt", 0.1)), 4.0, None, (14.0, 6.0), source="polisens_handelser",
            precision="kommun"),
]  # fmt: skip

SUMMARIES: dict[str, tuple[str, ...]] = {
    "Misshandel": ("En man i 20-årsåldern slagen vid {place}.", "Bråk som övergick i misshandel vid {place}."),
    "Misshandel, grov": ("Person allvarligt skadad efter misshandel vid {place}.",),
    "Ordningslagen": ("Berusade personer stör ordningen vid {place}.", "Högljutt sällskap avvisat vid {place}."),
    "Bråk": ("Bråk mellan flera personer vid {place}.",),
    "Skadegörelse": ("Krossade rutor vid {place}.", "Klotter på fasad vid {place}.", "Vandaliserat busskur vid {place}."),
    "Stöld": ("Cykel stulen vid {place}.", "Snatteri i butik vid {place}.", "Stöld ur bil vid {place}."),
    "Stöld/inbrott": ("Inbrott i förråd vid {place}.",),
    "Inbrott": ("Inbrott i lägenhet i {area}.", "Inbrott i villa i {area}."),
    "Rån": ("Ungdom rånad på mobiltelefon vid {place}.",),
    "Olaga hot": ("Person hotad vid {place}.",),
    "Knivlagen": ("Person med kniv omhändertagen vid {place}.",),
    "Fylleri/LOB": ("Kraftigt berusad person omhändertagen vid {place}.",),
    "Narkotikabrott": ("Ung person med narkotika påträffad vid {place}.", "Misstänkt narkotikaförsäljning vid {place}.",
                       "Eget bruk av narkotika, person i 17-årsåldern, vid {place}."),
    "Rattfylleri": ("Bilförare misstänkt för rattfylleri på {place}.",),
    "Trafikolycka": ("Två bilar i kollision på {place}.", "Plåtskada vid {place}."),
    "Trafikolycka, personskada": ("Kollision med personskada på {place}.",),
    "Trafikolycka, singel": ("Bil i diket på {place}.",),
    "Trafikolycka, vilt": ("Viltolycka med rådjur på {place}.",),
    "Trafikbrott": ("Hastighetsöverträdelse vid {place}.",),
    "Olovlig körning": ("Förare utan körkort stoppad på {place}.",),
    "Våldtäkt": ("Anmälan om våldtäkt.",),
    "Sedlighetsbrott": ("Anmälan om sedlighetsbrott.",),
    "Ofredande/förargelse": ("Anmälan om ofredande.",),
    "Brand": ("Brand i container vid {place}.", "Bilbrand i {area}."),
    "Övrigt": ("Polisen kallad till {place}.",),
}  # fmt: skip


# --------------------------------------------------------------------------- geometry


def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return lat + north_m / 111_320.0, lon + east_m / (111_320.0 * math.cos(math.radians(lat)))


def kommun_polygon() -> Polygon:
    """An irregular boundary about 40 km east–west and 25 km north–south."""
    rng = np.random.default_rng(SEED + 1)
    points = []
    for i in range(28):
        angle = 2 * math.pi * i / 28
        radius = 1 + 0.12 * rng.standard_normal()
        north = 13_000 * radius * math.sin(angle)
        east = 21_000 * radius * math.cos(angle)
        lat, lon = _offset(CENTRE[0] + 0.005, CENTRE[1] + 0.01, north, east)
        points.append((round(lon, 5), round(lat, 5)))
    return Polygon(points).buffer(0)


def _inside(lat: float, lon: float, boundary: Polygon) -> tuple[float, float]:
    """A point that drifted out of the kommun is put back just inside its boundary (nearest point,
    nudged towards the middle): the sample's incidents all happen in Ekviken."""
    point = Point(lon, lat)
    if boundary.contains(point):
        return lat, lon
    from shapely.ops import nearest_points

    edge = nearest_points(boundary.exterior, point)[0]
    middle = boundary.representative_point()
    x = edge.x + (middle.x - edge.x) * 0.01
    y = edge.y + (middle.y - edge.y) * 0.01
    return y, x


def district_polygons() -> dict[str, Polygon]:
    boundary = kommun_polygon()
    seeds = MultiPoint([Point(lon, lat) for _, _, (lat, lon), _ in DISTRICTS])
    cells = voronoi_diagram(seeds, envelope=boundary.buffer(0.2))
    result: dict[str, Polygon] = {}
    for code, _, (lat, lon), _ in DISTRICTS:
        for cell in cells.geoms:
            if cell.contains(Point(lon, lat)):
                clipped = cell.intersection(boundary).simplify(0.0002)
                result[code] = clipped
                break
    return result


def _round_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    def rounded(coords: Any) -> Any:
        if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
            return [round(float(c), 5) for c in coords]
        return [rounded(c) for c in coords]

    return {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])}


def areas_geojson() -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "properties": {"code": KOMMUNKOD, "name": f"{KOMMUN} kommun", "kind": "kommun",
                           "kommunkod": KOMMUNKOD, "parent": None, "population": POPULATION,
                           "centre_lat": CENTRE[0], "centre_lon": CENTRE[1]},
            "geometry": _round_geometry(mapping(kommun_polygon())),
        }
    ]  # fmt: skip
    polygons = district_polygons()
    for code, name, (lat, lon), population in DISTRICTS:
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "kind": "kommundel", "kommunkod": KOMMUNKOD,
                               "parent": KOMMUNKOD, "population": population,
                               "centre_lat": lat, "centre_lon": lon},
                "geometry": _round_geometry(mapping(polygons[code])),
            }
        )  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- incidents


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _season(pattern: Pattern, day: dt.date) -> float:
    factor = 1.0
    if day.month in (6, 7, 8):
        factor *= pattern.summer
    if day.month in (11, 12, 1, 2):
        factor *= pattern.winter
    if day.weekday() >= 4:
        factor *= pattern.weekend
    else:
        factor *= 1 - (pattern.weekend - 1) * 3 / 4 / 4 if pattern.weekend > 1 else 1.0
    if day >= PROMISE_START:
        factor *= pattern.change_2022
    return max(factor, 0.05)


def _district_of(lat: float, lon: float, polygons: dict[str, Polygon]) -> str | None:
    point = Point(lon, lat)
    for code, polygon in polygons.items():
        if polygon.contains(point):
            return code
    return None


def _district_name(code: str) -> str:
    return next(name for c, name, _, _ in DISTRICTS if c == code)


def generate_incidents(
    first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY, scale: float = 1.0, seed: int = SEED
) -> list[dict[str, Any]]:
    """Incidents with a weekly, weekday and seasonal rhythm around Ekviken's real hotspots."""
    rng = np.random.default_rng(seed)
    polygons = district_polygons()
    boundary = kommun_polygon()
    town = [code for code, *_ in DISTRICTS[:5]]
    rows: list[dict[str, Any]] = []
    serial = {"polis_rapport": 0, "felanmalan": 0, "tips": 0, "polisens_handelser": 0}
    for day in _days(first, last):
        for pattern in PATTERNS:
            lam = pattern.per_week / 7 * _season(pattern, day) * scale
            for _ in range(int(rng.poisson(lam))):
                names = [t for t, _ in pattern.types]
                weights = np.array([w for _, w in pattern.types], dtype=float)
                kind = str(rng.choice(names, p=weights / weights.sum()))
                hour = (pattern.hours[0] + pattern.hours[1] * rng.standard_normal()) % 24
                when_day = day + dt.timedelta(days=1) if pattern.hours[0] < 5 and hour < 6 else day
                local = dt.datetime.combine(when_day, dt.time(int(hour), int(rng.integers(0, 60))),
                                            tzinfo=STOCKHOLM)  # fmt: skip
                if local.date() > last:
                    continue
                if pattern.place:
                    plat, plon, district, spread = PLACES[pattern.place]
                    lat, lon = _offset(plat, plon, *(rng.standard_normal(2) * spread))
                    place = pattern.place
                else:
                    district = str(rng.choice(town, p=[0.22, 0.14, 0.1, 0.32, 0.22]))
                    if rng.random() < 0.18:
                        district = str(rng.choice([c for c, *_ in DISTRICTS[5:]]))
                    _, _, (dlat, dlon), _ = next(d for d in DISTRICTS if d[0] == district)
                    spread = 700 if district in town else 2500
                    lat, lon = _offset(dlat, dlon, *(rng.standard_normal(2) * spread))
                    place = _district_name(district)
                lat, lon = _inside(lat, lon, boundary)
                located = _district_of(lat, lon, polygons) or district
                serial[pattern.source] += 1
                precision = pattern.precision
                if precision == "kommun":
                    lat, lon, area_code = CENTRE[0], CENTRE[1], KOMMUNKOD
                elif precision == "område":
                    _, _, (lat, lon), _ = next(d for d in DISTRICTS if d[0] == located)
                    area_code = located
                else:
                    area_code = located
                summary = str(rng.choice(SUMMARIES[kind])).format(place=place, area=_district_name(located))
                prefix = {
                    "polis_rapport": "PR",
                    "felanmalan": "FA",
                    "tips": "TIPS",
                    "polisens_handelser": "PH",
                }
                rows.append(
                    {
                        "source": pattern.source,
                        "source_id": f"{prefix[pattern.source]}-{serial[pattern.source]:06d}",
                        "occurred_at": local.isoformat(timespec="minutes"),
                        "type": kind,
                        "lat": round(lat, 5),
                        "lon": round(lon, 5),
                        "precision": precision,
                        "area_code": area_code,
                        "place_name": KOMMUN if precision == "kommun" else place,
                        "summary": summary if precision != "kommun" else f"{kind}, {KOMMUN}.",
                    }
                )
    rows.sort(key=lambda r: r["occurred_at"])
    return rows


# --------------------------------------------------------------------------- presence

# actor, place, weekdays, start hour, duration hours, per week, from-date, months
PRESENCE_PLANS: list[tuple[str, str, tuple[int, ...], float, float, float, dt.date, tuple[int, ...]]] = [
    ("polis", "Torget", (4, 5), 21.0, 4.0, 1.2, FIRST_DAY, tuple(range(1, 13))),
    ("polis", "Torget", (4, 5), 21.0, 4.0, 1.4, PROMISE_START, tuple(range(1, 13))),
    ("polis", "Resecentrum", (1, 3, 4), 17.0, 3.0, 1.0, FIRST_DAY, tuple(range(1, 13))),
    ("polis", "Resecentrum", (0, 2, 4, 5), 18.0, 3.0, 1.6, PROMISE_START, tuple(range(1, 13))),
    (
        "polis",
        "Sjöängens skola",
        (0, 1, 2, 3),
        7.5,
        1.5,
        0.8,
        PROMISE_START,
        (1, 2, 3, 4, 5, 8, 9, 10, 11, 12),
    ),
    ("polis", "Väg 55 vid Vretakorset", (1, 3), 15.0, 3.0, 0.7, FIRST_DAY, tuple(range(1, 13))),
    ("polis", "Köpcentrum Ekeby", (2, 5), 13.0, 2.0, 0.5, FIRST_DAY, tuple(range(1, 13))),
    ("ordningsvakt", "Torget", (4, 5), 22.0, 5.0, 2.0, FIRST_DAY, tuple(range(1, 13))),
    ("fältsekreterare", "Björkdals centrum", (1, 3, 4), 17.0, 4.0, 2.0, FIRST_DAY, tuple(range(1, 13))),
    ("fältsekreterare", "Resecentrum", (2, 4), 18.0, 3.0, 1.0, PROMISE_START, tuple(range(1, 13))),
    ("fältsekreterare", "Sjöängens skola", (0, 2), 12.0, 2.0, 1.0, FIRST_DAY, (1, 2, 3, 4, 5, 9, 10, 11, 12)),
    ("trygghetsvärd", "Gästhamnen", (3, 4, 5), 19.0, 5.0, 3.0, FIRST_DAY, (6, 7, 8)),
    ("trygghetsvärd", "Storgatan", (4, 5), 18.0, 4.0, 1.0, PROMISE_START, tuple(range(1, 13))),
    ("kommunpersonal", "Sjöängen", (0, 1, 2, 3, 4), 10.0, 3.0, 1.0, FIRST_DAY, tuple(range(1, 13))),
]

FOCUS_OF_PLACE = {
    "Torget": "trygghet", "Storgatan": "trygghet", "Resecentrum": "narkotika",
    "Björkdals centrum": "narkotika", "Sjöängens skola": "trafik", "Väg 55 vid Vretakorset": "trafik",
    "Köpcentrum Ekeby": "trygghet", "Gästhamnen": "trygghet", "Sjöängen": "trygghet",
}  # fmt: skip


def generate_presence(seed: int = SEED) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed + 2)
    boundary = kommun_polygon()
    rows: list[dict[str, Any]] = []
    for day in _days(FIRST_DAY, LAST_DAY):
        for actor, place, weekdays, start_h, hours, per_week, since, months in PRESENCE_PLANS:
            if day < since or day.month not in months or day.weekday() not in weekdays:
                continue
            if rng.random() > per_week / len(weekdays):
                continue
            if place in PLACES:
                plat, plon, _, spread = PLACES[place]
            else:
                code = next(c for c, n, _, _ in DISTRICTS if n == place)
                plat, plon = next(p for c, _, p, _ in DISTRICTS if c == code)
                spread = 400
            lat, lon = _inside(*_offset(plat, plon, *(rng.standard_normal(2) * spread * 0.6)), boundary)
            start = dt.datetime.combine(day, dt.time(int(start_h), int(60 * (start_h % 1))), tzinfo=STOCKHOLM)
            start += dt.timedelta(minutes=int(rng.integers(-30, 31)))
            duration = max(0.5, hours + 0.5 * rng.standard_normal())
            end = start + dt.timedelta(minutes=round(duration * 60))
            rows.append(
                {
                    "ref": f"N-{len(rows) + 1:06d}",
                    "actor_kind": actor,
                    "started_at": start.isoformat(timespec="minutes"),
                    "ended_at": end.isoformat(timespec="minutes"),
                    "place": place,
                    "lat": round(lat, 5),
                    "lon": round(lon, 5),
                    "focus_key": FOCUS_OF_PLACE.get(place),
                }
            )
    return rows


# --------------------------------------------------------------------------- the promise

COMMITMENTS: list[dict[str, Any]] = [
    {"ref": "T1", "focus": "trygghet", "owner": "polis", "target_count": 150, "target_unit": "närvaropass",
     "text": "Polisen lovar att genomföra minst 150 riktade närvaropass vid Torget och Resecentrum "
             "under kvällar och helger."},
    {"ref": "T2", "focus": "trygghet", "owner": "kommun", "target_count": 9, "target_unit": "trygghetsvandringar",
     "text": "Kommunen lovar att genomföra trygghetsvandringar i samtliga nio kommundelar och åtgärda "
             "det som kommer fram inom tre månader."},
    {"ref": "T3", "focus": "trygghet", "owner": "gemensamt", "target_count": 12, "target_unit": "kommunikationsinsatser",
     "text": "Tillsammans lovar vi att varje månad berätta hur läget faktiskt är och bemöta felaktiga "
             "uppgifter som sprids."},
    {"ref": "N1", "focus": "narkotika", "owner": "polis", "target_count": 40, "target_unit": "insatser",
     "text": "Polisen lovar att genomföra minst 40 riktade insatser mot narkotikaförsäljning vid "
             "Resecentrum och i Björkdal."},
    {"ref": "N2", "focus": "narkotika", "owner": "kommun", "target_count": 20, "target_unit": "föräldravandringar",
     "text": "Kommunen lovar att fältsekreterare och skolor genomför föräldravandringar och föräldramöten "
             "om narkotika i årskurs 7–9."},
    {"ref": "N3", "focus": "narkotika", "owner": "gemensamt", "target_count": 10, "target_unit": "SSPF-möten",
     "text": "Tillsammans lovar vi att utveckla SSPF-samverkan så att fler unga i riskzon fångas upp tidigt."},
    {"ref": "F1", "focus": "trafik", "owner": "polis", "target_count": 50, "target_unit": "trafikkontroller",
     "text": "Polisen lovar att genomföra minst 50 trafikkontroller med fokus på hastighet och rattfylleri "
             "vid skolor och på väg 55."},
    {"ref": "F2", "focus": "trafik", "owner": "kommun", "target_count": 3, "target_unit": "åtgärder",
     "text": "Kommunen lovar att bygga om de tre mest olycksdrabbade korsningarna och skolvägarna."},
    {"ref": "F3", "focus": "trafik", "owner": "gemensamt", "target_count": 2, "target_unit": "trafiksäkerhetsveckor",
     "text": "Tillsammans lovar vi att genomföra trafiksäkerhetsveckor vid skolstarten i januari och augusti."},
]  # fmt: skip


PROMISE = {
    "ref": "2022",
    "title": f"Medborgarlöfte {KOMMUN} 2022",
    "signed_date": dt.date(2022, 2, 14),
    "signatories": ["Anna Lindqvist, kommunstyrelsens ordförande", "Mikael Sandberg, lokalpolisområdeschef"],
    "summary": "Ekvikens kommun och lokalpolisområde Ekviken lovar tillsammans att öka tryggheten i centrum och vid "
               "Resecentrum, minska ungas väg in i narkotika och göra vägarna säkrare.",
}  # fmt: skip


def promise_workbook(activities: list[dict[str, Any]]) -> bytes:
    """The promise as the workbook a kommun fills in (sheets Löfte, Fokusområden, Åtaganden, Aktiviteter):
    the sample takes the same road into the database as a real kommun's promise."""
    from .ingest.importer import workbook
    from .ingest.rows import PROMISE_SHEETS

    sheets = {
        "Löfte": [[PROMISE["ref"], PROMISE["title"], KOMMUNKOD, POLICE_AREA, PROMISE_START, PROMISE_END,
                   PROMISE["signed_date"], "; ".join(PROMISE["signatories"]), PROMISE["summary"]]],
        "Fokusområden": [[k, n, d, i] for i, (k, n, d) in enumerate(FOCUS_AREAS)],
        "Åtaganden": [[c["ref"], c["focus"], c["owner"], c["text"], c["target_count"], c["target_unit"], None]
                      for c in COMMITMENTS],
        "Aktiviteter": [[a["ref"], a["commitment_ref"], a["title"], a["owner"], a["responsible_unit"],
                         dt.date.fromisoformat(a["planned_start"]), dt.date.fromisoformat(a["planned_end"]),
                         a["planned_count"], a["status"], a["area_code"] or None] for a in activities],
    }  # fmt: skip
    return workbook({title: (PROMISE_SHEETS[title].columns, rows) for title, rows in sheets.items()})


# activity: commitment, title, owner, unit, start, end, planned count, district, fate
# fate: "done" (finished on time), "late" (behind and past its end), "cancelled", "normal"
ACTIVITY_PLAN: list[tuple[str, str, str, str, str, str, int, str | None, str]] = [
    ("T1", "Närvaropass Torget, kvartal 1", "polis", "Ingripandeverksamheten", "2022-01-01", "2022-03-31", 35, "0499-01", "done"),
    ("T1", "Närvaropass Torget, kvartal 2", "polis", "Ingripandeverksamheten", "2022-04-01", "2022-06-30", 35, "0499-01", "done"),
    ("T1", "Närvaropass Torget, kvartal 3", "polis", "Ingripandeverksamheten", "2022-07-01", "2022-09-30", 35, "0499-01", "late"),
    ("T1", "Närvaropass Torget, kvartal 4", "polis", "Ingripandeverksamheten", "2022-10-01", "2022-12-31", 45, "0499-01", "normal"),
    ("T1", "Närvaropass Resecentrum, vår", "polis", "Kommunpolisen", "2022-02-01", "2022-06-15", 20, "0499-02", "done"),
    ("T1", "Närvaropass Resecentrum, höst", "polis", "Kommunpolisen", "2022-08-15", "2022-12-15", 20, "0499-02", "normal"),
    ("T2", "Trygghetsvandring Centrum och Stationsområdet", "kommun", "Trygghetssamordnaren", "2022-03-01", "2022-03-31", 2, "0499-01", "done"),
    ("T2", "Trygghetsvandring Björkdal", "kommun", "Trygghetssamordnaren", "2022-04-01", "2022-04-30", 1, "0499-04", "done"),
    ("T2", "Trygghetsvandring Hamnen och Sjöängen", "kommun", "Trygghetssamordnaren", "2022-05-01", "2022-05-31", 2, "0499-03", "done"),
    ("T2", "Trygghetsvandringar på landsbygden", "kommun", "Trygghetssamordnaren", "2022-08-15", "2022-09-30", 4, "0499-06", "late"),
    ("T2", "Åtgärder efter trygghetsvandringarna (belysning, buskage)", "kommun", "Tekniska förvaltningen", "2022-04-01", "2022-12-31", 12, None, "normal"),
    ("T3", "Månadsbrev om lägesbilden på kommunens webb", "gemensamt", "Kommunikationsenheten", "2022-01-01", "2022-12-31", 12, None, "normal"),
    ("T3", "Dialogmöten med föreningar och näringsliv i centrum", "gemensamt", "Kommunpolisen", "2022-02-01", "2022-11-30", 4, "0499-01", "normal"),
    ("T3", "Bemöta ryktesspridning i lokala Facebookgrupper", "gemensamt", "Kommunikationsenheten", "2022-01-01", "2022-06-30", 6, None, "cancelled"),
    ("N1", "Riktade insatser mot försäljning vid Resecentrum, vår", "polis", "Lokala narkotikagruppen", "2022-01-15", "2022-06-30", 15, "0499-02", "done"),
    ("N1", "Riktade insatser mot försäljning i Björkdal", "polis", "Lokala narkotikagruppen", "2022-03-01", "2022-09-30", 12, "0499-04", "late"),
    ("N1", "Riktade insatser vid Resecentrum, höst", "polis", "Lokala narkotikagruppen", "2022-08-15", "2022-12-31", 13, "0499-02", "normal"),
    ("N2", "Föräldravandringar Björkdal, helger", "kommun", "Fältsekreterarna", "2022-01-01", "2022-06-15", 8, "0499-04", "done"),
    ("N2", "Föräldravandringar Sjöängen och Centrum", "kommun", "Fältsekreterarna", "2022-08-20", "2022-12-15", 8, "0499-05", "normal"),
    ("N2", "Föräldramöten om narkotika i årskurs 7–9", "kommun", "Elevhälsan", "2022-02-01", "2022-05-31", 4, None, "late"),
    ("N2", "Föräldrautbildning 'Tonårsföräldraskap'", "kommun", "Socialförvaltningen", "2022-09-01", "2022-12-15", 2, None, "normal"),
    ("N3", "SSPF-möten, vår", "gemensamt", "SSPF-gruppen", "2022-01-15", "2022-06-15", 5, None, "done"),
    ("N3", "SSPF-möten, höst", "gemensamt", "SSPF-gruppen", "2022-08-15", "2022-12-15", 5, None, "normal"),
    ("N3", "Gemensam rutin för orosanmälan vid narkotikabrott", "gemensamt", "Socialförvaltningen", "2022-02-01", "2022-04-30", 1, None, "done"),
    ("N3", "Utbildning i tidiga tecken för fritidsgårdspersonal", "gemensamt", "Fritidsförvaltningen", "2022-03-01", "2022-05-31", 2, None, "cancelled"),
    ("F1", "Trafikkontroller väg 55, vår", "polis", "Trafikpolisen", "2022-03-01", "2022-06-30", 12, "0499-07", "done"),
    ("F1", "Trafikkontroller vid skolor, vår", "polis", "Kommunpolisen", "2022-01-10", "2022-06-10", 10, "0499-05", "done"),
    ("F1", "Rattfyllerikontroller väg 52", "polis", "Trafikpolisen", "2022-04-01", "2022-09-30", 10, "0499-06", "late"),
    ("F1", "Trafikkontroller väg 55, höst", "polis", "Trafikpolisen", "2022-08-15", "2022-11-30", 10, "0499-07", "normal"),
    ("F1", "Trafikkontroller vid skolor, höst", "polis", "Kommunpolisen", "2022-08-15", "2022-12-15", 8, "0499-05", "normal"),
    ("F2", "Ombyggnad av Vretakorset", "kommun", "Tekniska förvaltningen", "2022-04-01", "2022-09-30", 1, "0499-07", "late"),
    ("F2", "Säker skolväg till Sjöängens skola", "kommun", "Tekniska förvaltningen", "2022-05-01", "2022-08-15", 1, "0499-05", "done"),
    ("F2", "Hastighetsdämpande åtgärder Storgatan", "kommun", "Tekniska förvaltningen", "2022-09-01", "2022-12-31", 1, "0499-01", "normal"),
    ("F3", "Trafiksäkerhetsvecka vid skolstart i januari", "gemensamt", "Kommunpolisen och skolorna", "2022-01-10", "2022-01-21", 1, "0499-05", "done"),
    ("F3", "Trafiksäkerhetsvecka vid skolstart i augusti", "gemensamt", "Kommunpolisen och skolorna", "2022-08-15", "2022-08-26", 1, "0499-05", "done"),
    ("T1", "Helgnärvaro i Gästhamnen under sommaren", "polis", "Ingripandeverksamheten", "2022-06-01", "2022-08-31", 15, "0499-03", "done"),
    ("T2", "Trygghetsvärdar i Gästhamnen", "kommun", "Fritidsförvaltningen", "2022-06-15", "2022-08-15", 20, "0499-03", "done"),
    ("N1", "Kontroller av knark i trafiken", "polis", "Trafikpolisen", "2022-05-01", "2022-12-31", 10, None, "normal"),
    ("T3", "Medborgardialog i Björkdal", "gemensamt", "Kommunpolisen", "2022-10-01", "2022-11-30", 2, "0499-04", "normal"),
    ("N2", "Sommarlovsaktiviteter med fältsekreterare", "kommun", "Fältsekreterarna", "2022-06-15", "2022-08-15", 6, "0499-04", "done"),
]  # fmt: skip

REPORT_PLACES = {
    "0499-01": "Torget", "0499-02": "Resecentrum", "0499-03": "Gästhamnen", "0499-04": "Björkdals centrum",
    "0499-05": "Sjöängens skola", "0499-06": "Väg 52 vid Lundby", "0499-07": "Väg 55 vid Vretakorset",
}  # fmt: skip


def generate_activities(seed: int = SEED) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Activities and their reports, as they stand on the sample's last day."""
    rng = np.random.default_rng(seed + 3)
    today = LAST_DAY
    activities: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    for i, (commitment, title, owner, unit, start, end, planned, district, fate) in enumerate(ACTIVITY_PLAN):
        ref = f"A-{i + 1:03d}"
        start_d, end_d = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        span_end = min(end_d, today)
        elapsed = max(0.0, min(1.0, ((span_end - start_d).days + 1) / ((end_d - start_d).days + 1)))
        if fate == "done":
            done, status = planned, "genomförd"
        elif fate == "late":
            done, status = int(planned * rng.uniform(0.45, 0.75)), "pågår"
        elif fate == "cancelled":
            done, status = int(planned * 0.3), "inställd"
        elif start_d > today:
            done, status = 0, "planerad"
        else:
            done, status = round(planned * elapsed * rng.uniform(0.7, 1.1)), "pågår"
            done = min(done, planned)
        activities.append(
            {"ref": ref, "commitment_ref": commitment, "title": title, "owner": owner, "responsible_unit": unit,
             "planned_start": start, "planned_end": end, "planned_count": planned, "status": status,
             "area_code": district or ""}
        )  # fmt: skip
        if done == 0:
            continue
        days_available = max(1, (span_end - start_d).days + 1)
        if status == "genomförd":
            days_available = (end_d - start_d).days + 1
        offsets = sorted(int(x) for x in rng.integers(0, days_available, size=done))
        for j, offset in enumerate(offsets):
            day = start_d + dt.timedelta(days=offset)
            place = REPORT_PLACES.get(district or "", _district_name(district) if district else "Hela kommunen")
            lat: float | str = ""
            lon: float | str = ""
            if place in PLACES:
                plat, plon, _, spread = PLACES[place]
                la, lo = _offset(plat, plon, *(rng.standard_normal(2) * spread))
                lat, lon = round(la, 5), round(lo, 5)
            reports.append(
                {"ref": f"{ref}-R{j + 1:03d}", "activity_ref": ref, "date": day.isoformat(), "count": 1,
                 "hours": round(float(rng.choice([1.5, 2, 2.5, 3, 4])), 1), "place": place,
                 "lat": lat, "lon": lon, "note": ""}
            )  # fmt: skip
    return activities, reports


# --------------------------------------------------------------------------- indicators

INDICATORS: list[dict[str, Any]] = [
    {"key": "otrygga_kvall", "name": "Andel som känner sig otrygga ute sent en kväll i sitt område",
     "unit": "%", "source": "Polisens trygghetsmätning", "focus_key": "trygghet", "higher_is_better": False},
    {"key": "problemindex", "name": "Problemindex (ordningsstörningar och brott i bostadsområdet)",
     "unit": "index", "source": "Polisens trygghetsmätning", "focus_key": "trygghet", "higher_is_better": False},
    {"key": "fortroende_polis", "name": "Förtroende för polisens arbete i lokalområdet",
     "unit": "%", "source": "Polisens trygghetsmätning", "focus_key": None, "higher_is_better": True},
    {"key": "narkotika_ak9", "name": "Andel elever i årskurs 9 som någon gång använt narkotika",
     "unit": "%", "source": "Drogvaneundersökning (CAN)", "focus_key": "narkotika", "higher_is_better": False},
    {"key": "anmalda_brott_100k", "name": "Anmälda brott per 100 000 invånare",
     "unit": "per 100 000 inv.", "source": "Brå", "focus_key": None, "higher_is_better": False},
    {"key": "trafikskadade", "name": "Svårt skadade och dödade i trafiken",
     "unit": "personer", "source": "Transportstyrelsen (Strada)", "focus_key": "trafik", "higher_is_better": False},
]  # fmt: skip

INDICATOR_VALUES: dict[str, list[tuple[int, float]]] = {
    "otrygga_kvall": [(2018, 27.0), (2019, 28.5), (2020, 29.0), (2021, 31.2), (2022, 27.4)],
    "problemindex": [(2018, 3.4), (2019, 3.6), (2020, 3.5), (2021, 3.9), (2022, 3.6)],
    "fortroende_polis": [(2018, 58.0), (2019, 56.5), (2020, 57.2), (2021, 54.8), (2022, 59.1)],
    "narkotika_ak9": [(2018, 6.1), (2019, 6.8), (2020, 7.4), (2021, 8.3), (2022, 7.9)],
    "anmalda_brott_100k": [(2017, 10_420.0), (2018, 10_180.0), (2019, 10_655.0), (2020, 9_980.0),
                           (2021, 10_310.0)],
    "trafikskadade": [(2018, 9.0), (2019, 11.0), (2020, 8.0), (2021, 12.0), (2022, 7.0)],
}  # fmt: skip
BASELINE_YEAR = 2021
TARGETS = {"otrygga_kvall": 25.0, "problemindex": 3.4, "fortroende_polis": 60.0, "narkotika_ak9": 7.0,
           "anmalda_brott_100k": 9_800.0, "trafikskadade": 6.0}  # fmt: skip


def indicator_rows() -> list[dict[str, Any]]:
    """Every indicator value with its definition, in the columns of the indicators import."""
    definitions = {d["key"]: d for d in INDICATORS}
    rows = []
    for key, series in INDICATOR_VALUES.items():
        baseline = dict(series).get(BASELINE_YEAR)
        d = definitions[key]
        for year, value in series:
            rows.append({"indicator": key, "period": str(year), "value": value,
                         "baseline": baseline if baseline is not None else "", "target": TARGETS[key],
                         "name": d["name"], "unit": d["unit"], "higher_is_better": "ja" if d["higher_is_better"] else "nej",
                         "source": d["source"], "focus_key": d["focus_key"] or ""})  # fmt: skip
    return rows


# --------------------------------------------------------------------------- lägesbild texts


def _month_counts(incidents: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, int]]:
    focus = {name: key for name, key, _ in INCIDENT_TYPES}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in incidents:
        key = focus.get(row["type"])
        if key is None:
            continue
        month = row["occurred_at"][:7]
        place = row["place_name"]
        counts.setdefault((month, key), {})
        counts[(month, key)][place] = counts[(month, key)].get(place, 0) + 1
    return counts


def _trend_word(now: int, before: int) -> str:
    if before == 0 or abs(now - before) <= 2 * math.sqrt(max(before, 1)):
        return "i nivå med månaden innan"
    return "fler än månaden innan" if now > before else "färre än månaden innan"


FOCUS_NOTES = {
    "trygghet": "Närvaron vid Torget fredag och lördag kväll fortsätter. Ordningsvakterna rapporterar färre "
                "störningar efter att belysningen i parken byttes.",
    "narkotika": "Fältsekreterarna ser fortsatt unga från Björkdal vid Resecentrum på kvällstid. "
                 "Fler tips om försäljning har kommit in efter föräldravandringarna.",
    "trafik": "Vretakorset är fortsatt den mest olycksdrabbade platsen. Kontrollerna på väg 52 ger "
              "utslag på rattfylleri främst fredagskvällar.",
}  # fmt: skip


def situation_pictures(incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Monthly lägesbild texts, written as a trygghetssamordnare would, from the month's figures."""
    counts = _month_counts(incidents)
    pictures = []
    month = dt.date(2021, 10, 1)
    while month <= dt.date(2022, 9, 1):
        label = month.strftime("%Y-%m")
        previous = (month - dt.timedelta(days=1)).strftime("%Y-%m")
        next_month = (month + dt.timedelta(days=32)).replace(day=1)
        texts = {}
        hotspots = []
        for key, _name, _ in FOCUS_AREAS:
            places = counts.get((label, key), {})
            total = sum(places.values())
            before = sum(counts.get((previous, key), {}).values())
            ranked = [p for p, _ in sorted(places.items(), key=lambda kv: -kv[1]) if p != KOMMUN][:2]
            where = " och ".join(ranked) if ranked else "hela kommunen"
            texts[key] = (
                f"{total} händelser under {MONTHS[month.month - 1]}, {_trend_word(total, before)}. "
                f"Mest vid {where}. {FOCUS_NOTES[key]}"
            )
            for place in ranked[:1]:
                if place in PLACES:
                    lat, lon, _, _ = PLACES[place]
                    hotspots.append({"name": place, "focus_key": key, "lat": lat, "lon": lon})
        approved = dt.datetime.combine(next_month + dt.timedelta(days=9), dt.time(10, 0), tzinfo=STOCKHOLM)
        pictures.append(
            {
                "period_label": f"{MONTHS[month.month - 1].capitalize()} {month.year}",
                "period_start": month.isoformat(),
                "period_end": (next_month - dt.timedelta(days=1)).isoformat(),
                "summary": f"Styrgruppens lägesbild för {MONTHS[month.month - 1]} {month.year}.",
                "texts": texts,
                "hotspots": hotspots,
                "approved_at": approved.isoformat(timespec="minutes"),
                "approved_by": "Styrgruppen för medborgarlöftet",
            }
        )
        month = next_month
    return pictures


# --------------------------------------------------------------------------- writing


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_sample(target: Path) -> dict[str, int]:
    """Write every file of the sample kommun into ``target``; returns row counts per file."""
    target.mkdir(parents=True, exist_ok=True)
    incidents = generate_incidents()
    presence = generate_presence()
    activities, reports = generate_activities()
    for stale in ("promise.json", "activities.csv", "indicator_values.csv"):  # the sample's earlier layout
        (target / stale).unlink(missing_ok=True)
    _write_json(target / "areas.geojson", areas_geojson())
    (target / "promise.xlsx").write_bytes(promise_workbook(activities))
    _write_csv(target / "incident_types.csv",
               [{"type": n, "focus_key": k or "", "sensitive": int(s)} for n, k, s in INCIDENT_TYPES])  # fmt: skip
    _write_csv(target / "incidents.csv", incidents)
    _write_csv(target / "presence.csv", presence)
    _write_csv(target / "activity_reports.csv", reports)
    _write_csv(target / "indicators.csv", indicator_rows())
    _write_json(target / "situation_pictures.json", situation_pictures(incidents))
    return {"incidents": len(incidents), "presence": len(presence), "activities": len(activities),
            "activity_reports": len(reports)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "sample_data")
    counts = write_sample(target)
    for name, n in counts.items():
        print(f"{name}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
