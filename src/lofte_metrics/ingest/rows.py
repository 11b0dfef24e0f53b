"""One typed row per file line, validated with pydantic, with Swedish column names and messages.

Each import kind has a row model (fields in English) and a column map (the Swedish headers a
person writes, with the spellings we accept). ``validate_rows`` turns a :class:`Table` into
valid rows plus a list of :class:`Problem` (row, column, value, message), never raising.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from ..models import ACTIVITY_STATUSES, ACTOR_KINDS, LAT_MAX, LAT_MIN, LON_MAX, LON_MIN, OWNERS, PRECISIONS
from . import parsing
from .progress import Progress, report
from .reading import FileProblem, Table

Text = Annotated[str, BeforeValidator(parsing.text)]
OptText = Annotated[str | None, BeforeValidator(parsing.text)]
LongText = Annotated[str, BeforeValidator(parsing.long_text)]
OptLongText = Annotated[str | None, BeforeValidator(parsing.long_text)]


def Short(length: int) -> Any:  # noqa: N802 - reads as a type in the row models
    """A required one-line text of at most ``length`` characters (the column's width)."""
    return Annotated[str, BeforeValidator(parsing.text), Field(max_length=length)]


def OptShort(length: int) -> Any:  # noqa: N802
    return Annotated[str | None, BeforeValidator(parsing.text), Field(max_length=length)]


Int = Annotated[int, BeforeValidator(parsing.integer)]
OptInt = Annotated[int | None, BeforeValidator(parsing.integer)]
OptFloat = Annotated[float | None, BeforeValidator(parsing.number)]
Float = Annotated[float, BeforeValidator(parsing.number)]
Date = Annotated[dt.date, BeforeValidator(parsing.date)]
OptDate = Annotated[dt.date | None, BeforeValidator(parsing.date)]
Moment = Annotated[dt.datetime, BeforeValidator(parsing.moment)]
OptBool = Annotated[bool | None, BeforeValidator(parsing.boolean)]


def _choice(options: Sequence[str], aliases: dict[str, str] | None = None) -> Callable[[Any], str | None]:
    def parse(value: Any) -> str | None:
        raw = parsing.text(value)
        if raw is None:
            return None
        key = raw.lower()
        key = (aliases or {}).get(key, key)
        if key not in options:
            raise ValueError(f"ska vara en av: {', '.join(options)}")
        return key

    return parse


Owner = Annotated[
    str,
    BeforeValidator(
        _choice(OWNERS, {"polisen": "polis", "kommunen": "kommun", "båda": "gemensamt", "tillsammans": "gemensamt"})
    ),
]
Status = Annotated[
    str,
    BeforeValidator(
        _choice(
            ACTIVITY_STATUSES, {"pagar": "pågår", "genomford": "genomförd", "installd": "inställd", "klar": "genomförd"}
        )
    ),
]
Actor = Annotated[
    str,
    BeforeValidator(
        _choice(
            ACTOR_KINDS,
            {"ordningsvakter": "ordningsvakt", "trygghetsvärdar": "trygghetsvärd", "fältassistent": "fältsekreterare"},
        )
    ),
]


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def _point_ok(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise ValueError("lat och lon måste anges tillsammans")
    if lat is not None and lon is not None and not (LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX):
        raise ValueError(f"punkten {lat}, {lon} ligger inte i Sverige (WGS84, lat {LAT_MIN}–{LAT_MAX})")


class ActivityRow(Row):
    ref: Short(40)  # type: ignore[valid-type]
    commitment_ref: Short(40)  # type: ignore[valid-type]
    title: Short(300)  # type: ignore[valid-type]
    owner: Owner
    responsible_unit: OptShort(200) = None  # type: ignore[valid-type]
    planned_start: Date
    planned_end: Date
    planned_count: Int = Field(ge=0, le=1_000_000)
    status: Status = "planerad"
    area_code: OptShort(40) = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _order(self) -> ActivityRow:
        if self.planned_end < self.planned_start:
            raise ValueError("slutdatum före startdatum")
        return self


class ReportRow(Row):
    ref: OptShort(60) = None  # type: ignore[valid-type]
    activity_ref: Short(40)  # type: ignore[valid-type]
    date: Date
    count: Int = Field(default=1, ge=0, le=1_000_000)
    hours: OptFloat = Field(default=None, ge=0, le=10_000)
    place: OptShort(200) = None  # type: ignore[valid-type]
    lat: OptFloat = None
    lon: OptFloat = None
    note: OptLongText = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _point(self) -> ReportRow:
        _point_ok(self.lat, self.lon)
        return self


#: a place's precision from what people write (``plats``, ``kommundel``, ``lan``)
precision_choice = _choice(PRECISIONS, {"plats": "punkt", "exakt": "punkt", "kommundel": "område", "lan": "län"})
Precision = Annotated[str | None, BeforeValidator(precision_choice)]


class IncidentRow(Row):
    source: OptShort(40) = None  # type: ignore[valid-type]
    source_id: Short(80)  # type: ignore[valid-type]
    occurred_at: Moment
    type: Short(120)  # type: ignore[valid-type]
    lat: OptFloat = None
    lon: OptFloat = None
    area_code: OptShort(40) = None  # type: ignore[valid-type]
    place_name: OptShort(200) = None  # type: ignore[valid-type]
    summary: OptLongText = Field(default=None, max_length=4000)
    precision: Precision = None

    @model_validator(mode="after")
    def _place(self) -> IncidentRow:
        _point_ok(self.lat, self.lon)
        if self.lat is None and not self.area_code:
            raise ValueError("ange antingen lat/lon eller en områdeskod")
        if self.precision == "punkt" and self.lat is None:
            raise ValueError("platsprecision punkt kräver lat och lon")
        return self


class PresenceRow(Row):
    ref: OptShort(60) = None  # type: ignore[valid-type]
    actor_kind: Actor
    started_at: Moment
    ended_at: Moment
    place: OptShort(200) = None  # type: ignore[valid-type]
    lat: OptFloat = None
    lon: OptFloat = None
    area_code: OptShort(40) = None  # type: ignore[valid-type]
    focus_key: OptShort(40) = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _checks(self) -> PresenceRow:
        if self.ended_at <= self.started_at:
            raise ValueError("sluttiden måste vara efter starttiden")
        if self.ended_at - self.started_at > dt.timedelta(hours=24):
            raise ValueError("ett pass kan vara högst 24 timmar")
        _point_ok(self.lat, self.lon)
        if self.lat is None and not self.area_code:
            raise ValueError("ange antingen lat/lon eller en områdeskod")
        return self


_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|T[1-3]|\d{1,2}))?$", re.IGNORECASE)


def period_bounds(label: str) -> tuple[dt.date, dt.date]:
    """``2022``, ``2022-H1``, ``2022-Q3``, ``2022-05`` -> first and last day."""
    match = _PERIOD.match(label.strip())
    if not match:
        raise ValueError("är ingen period (skriv t.ex. 2022, 2022-H1, 2022-Q3 eller 2022-05)")
    year, part = int(match.group(1)), (match.group(2) or "").upper()
    if not part:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if part[0] in "HQT":
        size = {"H": 6, "Q": 3, "T": 4}[part[0]]
        index = int(part[1]) - 1
        first = dt.date(year, 1 + size * index, 1)
        last_month = size * (index + 1)
    else:
        month = int(part)
        if not 1 <= month <= 12:
            raise ValueError("är ingen period (månad 1–12)")
        first, last_month = dt.date(year, month, 1), month
    after = dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
    return first, after - dt.timedelta(days=1)


def _period(value: Any) -> str:
    raw = parsing.text(value)
    if raw is None:
        raise ValueError("saknas")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raw = str(int(value))
    period_bounds(raw)
    return raw.upper() if "-" in raw and raw[5:6].isalpha() else raw


class IndicatorRow(Row):
    indicator: Short(60)  # type: ignore[valid-type]
    period: Annotated[str, BeforeValidator(_period)]
    value: Float
    baseline: OptFloat = None
    target: OptFloat = None
    name: OptShort(200) = None  # type: ignore[valid-type]
    unit: OptShort(40) = None  # type: ignore[valid-type]
    higher_is_better: OptBool = None
    source: OptShort(200) = None  # type: ignore[valid-type]
    focus_key: OptShort(40) = None  # type: ignore[valid-type]


_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def focus_key(value: Any) -> str | None:
    """A fokusområde's key: lower-case letters, digits, - and _ (``trygghet``, ``unga-narkotika``)."""
    raw = parsing.text(value)
    if raw is None:
        return None
    key = raw.lower()
    if not _KEY.match(key):
        raise ValueError("ska vara små bokstäver a–z, siffror, - eller _ (t.ex. trygghet)")
    return key


def slug(text: str) -> str:
    """A key made from a name: ``Trygghet i offentlig miljö`` -> ``trygghet-i-offentlig-miljo``."""
    folded = text.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40] or "fokus"


FocusKey = Annotated[str | None, BeforeValidator(focus_key)]


class PromiseRow(Row):
    ref: OptShort(40) = None  # type: ignore[valid-type]
    title: Short(200)  # type: ignore[valid-type]
    kommunkod: OptShort(4) = None  # type: ignore[valid-type]
    police_area: OptShort(120) = None  # type: ignore[valid-type]
    period_start: Date
    period_end: Date
    signed_date: OptDate = None
    signatories: OptLongText = Field(default=None, max_length=2000)
    summary: OptLongText = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _order(self) -> PromiseRow:
        if self.period_end < self.period_start:
            raise ValueError("slutdatum före startdatum")
        if self.kommunkod is not None and not (len(self.kommunkod) == 4 and self.kommunkod.isdigit()):
            raise ValueError("kommunkoden ska vara fyra siffror, t.ex. 0580")
        return self


class FocusAreaRow(Row):
    key: FocusKey = None
    name: Short(200)  # type: ignore[valid-type]
    description: OptLongText = Field(default=None, max_length=2000)
    sort_order: OptInt = Field(default=None, ge=0, le=1000)


class CommitmentRow(Row):
    ref: Short(40)  # type: ignore[valid-type]
    focus: Short(200)  # type: ignore[valid-type]
    owner: Owner
    text: LongText = Field(max_length=2000)
    target_count: OptInt = Field(default=None, ge=0, le=1_000_000)
    target_unit: OptShort(80) = None  # type: ignore[valid-type]
    due_date: OptDate = None


class TypeRow(Row):
    type: Short(120)  # type: ignore[valid-type]
    focus_key: OptShort(200) = None  # type: ignore[valid-type]
    sensitive: OptBool = None


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Swedish header in templates
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""
    help: str = ""


M = TypeVar("M", bound=Row)


@dataclass(frozen=True)
class Kind(Generic[M]):
    key: str
    title: str
    model: type[M]
    columns: tuple[Column, ...]


ACTIVITIES = Kind("activities", "Aktiviteter", ActivityRow, (
    Column("ref", "id", ("aktivitets-id", "ref", "aktivitetsid"), True, "A-101", "Unikt id; samma id uppdaterar"),
    Column("commitment_ref", "åtagande", ("åtagande-id", "commitment"), True, "T1", "Åtagandets id, t.ex. T1"),
    Column("title", "aktivitet", ("titel", "namn", "beskrivning"), True, "Trygghetsvandring i Björkdal"),
    Column("owner", "ägare", ("ansvarig part", "owner"), True, "kommun", "polis, kommun eller gemensamt"),
    Column("responsible_unit", "ansvarig", ("ansvarig enhet", "enhet"), False, "Trygghetssamordnaren"),
    Column("planned_start", "start", ("startdatum", "planerad start", "från"), True, "2022-04-01"),
    Column("planned_end", "slut", ("slutdatum", "planerat slut", "till"), True, "2022-04-30"),
    Column("planned_count", "planerat antal", ("antal", "planerat"), True, "2"),
    Column("status", "status", (), False, "planerad", "planerad, pågår, genomförd eller inställd"),
    Column("area_code", "område", ("områdeskod", "kommundel"), False, "", "Kommundelens kod, t.ex. 0580-01"),
))  # fmt: skip

REPORTS = Kind("reports", "Genomföranden", ReportRow, (
    Column("ref", "id", ("rapport-id", "ref"), False, "A-101-R1", "Unikt id; samma id uppdaterar raden"),
    Column("activity_ref", "aktivitet", ("aktivitets-id", "aktivitetsid"), True, "A-101", "Aktivitetens id"),
    Column("date", "datum", ("dag", "genomfört"), True, "2022-04-12"),
    Column("count", "antal", (), False, "1"),
    Column("hours", "timmar", ("tid", "tid (h)"), False, "2,5"),
    Column("place", "plats", (), False, "Björkdals centrum"),
    Column("lat", "lat", ("latitud",), False, "58,9636"),
    Column("lon", "lon", ("longitud",), False, "16,7318"),
    Column("note", "anteckning", ("kommentar", "notering"), False, "12 deltagare"),
))  # fmt: skip

INCIDENTS = Kind("incidents", "Händelser", IncidentRow, (
    Column("source", "källa", ("kalla",), False, "egen", "Källans namn; annars filens"),
    Column("source_id", "id", ("händelse-id", "källans id", "ärende"), True, "2022-00123"),
    Column("occurred_at", "tid", ("tidpunkt", "datum", "inträffade"), True, "2022-06-07 18:30"),
    Column("type", "typ", ("händelsetyp", "brottstyp"), True, "Skadegörelse"),
    Column("lat", "lat", ("latitud",), False, "58,9502"),
    Column("lon", "lon", ("longitud",), False, "16,7503"),
    Column("area_code", "områdeskod", ("område", "kommundel"), False, "0499-01"),
    Column("place_name", "plats", (), False, "Torget"),
    Column("summary", "sammanfattning", ("beskrivning",), False, "Krossad ruta"),
    Column("precision", "platsprecision", ("precision", "plats känd till"), False, "punkt",
           "punkt, område, kommun eller län: hur noga platsen är känd (standard: punkt med lat/lon, annars område)"),
))  # fmt: skip

PRESENCE = Kind("presence", "Närvaro", PresenceRow, (
    Column("ref", "id", ("pass-id",), False, "N-1"),
    Column("actor_kind", "aktör", ("aktor", "vem"), True, "ordningsvakt", ", ".join(ACTOR_KINDS)),
    Column("started_at", "start", ("starttid", "från"), True, "2022-06-10 22:00"),
    Column("ended_at", "slut", ("sluttid", "till"), True, "2022-06-11 03:00"),
    Column("place", "plats", (), False, "Torget"),
    Column("lat", "lat", ("latitud",), False, "58,9502"),
    Column("lon", "lon", ("longitud",), False, "16,7503"),
    Column("area_code", "områdeskod", ("område",), False, "0499-01"),
    Column("focus_key", "fokusområde", ("fokus",), False, "trygghet"),
))  # fmt: skip

INDICATORS = Kind("indicators", "Indikatorer", IndicatorRow, (
    Column("indicator", "indikator", ("nyckel", "id"), True, "otrygga_kvall"),
    Column("period", "period", ("år",), True, "2022", "2022, 2022-H1, 2022-Q3 eller 2022-05"),
    Column("value", "värde", ("utfall",), True, "27,4"),
    Column("baseline", "utgångsläge", ("baslinje", "basvärde"), False, "31,2"),
    Column("target", "mål", ("målvärde",), False, "25"),
    Column("name", "namn", ("benämning",), False, "Andel otrygga"),
    Column("unit", "enhet", (), False, "%"),
    Column("higher_is_better", "högre är bättre", (), False, "nej"),
    Column("source", "källa", (), False, "Polisens trygghetsmätning"),
    Column("focus_key", "fokusområde", ("fokus",), False, "trygghet"),
))  # fmt: skip

TYPES = Kind("types", "Händelsetyper", TypeRow, (
    Column("type", "händelsetyp", ("typ", "namn"), True, "Misshandel"),
    Column("focus_key", "fokusområde", ("fokus",), False, "trygghet",
           "Fokusområdets nyckel eller namn; tomt = inget fokusområde"),
    Column("sensitive", "känslig", ("känslig typ",), False, "nej", "ja: visas aldrig på kartan eller per plats"),
))  # fmt: skip

# The promise workbook: one sheet each, read with the same machinery as the table kinds.
PROMISE = Kind("promise", "Löfte", PromiseRow, (
    Column("ref", "id", ("löftes-id",), False, "2024", "Kort namn på löftet; samma id uppdaterar det"),
    Column("title", "titel", ("namn", "rubrik"), True, "Medborgarlöfte Linköping 2024"),
    Column("kommunkod", "kommunkod", ("kommun",), False, "0580", "Fyra siffror; annars den valda kommunen"),
    Column("police_area", "lokalpolisområde", ("polisområde",), False, "Lokalpolisområde Linköping"),
    Column("period_start", "från", ("start", "startdatum", "gäller från"), True, "2024-01-01"),
    Column("period_end", "till", ("slut", "slutdatum", "gäller till"), True, "2024-12-31"),
    Column("signed_date", "undertecknat", ("datum för underskrift", "undertecknad"), False, "2024-02-14"),
    Column("signatories", "undertecknare", ("undertecknat av",), False,
           "Anna Andersson, kommunstyrelsens ordförande; Erik Berg, lokalpolisområdeschef",
           "Flera namn skiljs med semikolon eller radbrytning"),
    Column("summary", "sammanfattning", ("beskrivning",), False, "Kommunen och polisen lovar tillsammans …"),
))  # fmt: skip

FOCUS_AREAS = Kind("focus_areas", "Fokusområden", FocusAreaRow, (
    Column("key", "nyckel", ("id", "kod"), False, "trygghet",
           "Små bokstäver; tomt = skapas från namnet. Kopplar händelsetyper till fokusområdet"),
    Column("name", "namn", ("fokusområde",), True, "Trygghet i offentlig miljö"),
    Column("description", "beskrivning", (), False, "Närvaro på rätt platser …"),
    Column("sort_order", "ordning", ("sortering",), False, "1"),
))  # fmt: skip

COMMITMENTS = Kind("commitments", "Åtaganden", CommitmentRow, (
    Column("ref", "id", ("åtagande-id",), True, "T1", "Unikt inom löftet, t.ex. T1"),
    Column("focus", "fokusområde", ("fokus",), True, "trygghet", "Fokusområdets nyckel eller namn"),
    Column("owner", "ägare", ("part",), True, "polis", "polis, kommun eller gemensamt"),
    Column("text", "åtagande", ("text", "polisen lovar att"), True,
           "Polisen lovar att genomföra minst 50 riktade närvaropass vid Resecentrum."),
    Column("target_count", "mål", ("målantal", "antal"), False, "50"),
    Column("target_unit", "enhet", ("målenhet",), False, "närvaropass"),
    Column("due_date", "klart senast", ("slutdatum", "datum"), False, "2024-12-31"),
))  # fmt: skip

KINDS: dict[str, Kind[Any]] = {k.key: k for k in (ACTIVITIES, REPORTS, INCIDENTS, PRESENCE, INDICATORS, TYPES)}
#: the promise workbook's sheets, in the order they are read and written
PROMISE_SHEETS: dict[str, Kind[Any]] = {k.title: k for k in (PROMISE, FOCUS_AREAS, COMMITMENTS, ACTIVITIES)}


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.strip().lower().replace("\u00a0", " "))


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    value: str | None
    message: str
    #: the workbook sheet (or editor table) the row is on, when there are several
    sheet: str | None = None

    def line(self, file_name: str) -> str:
        where = [file_name]
        if self.sheet:
            where.append(f"blad {self.sheet}")
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn '{self.column}'")
        shown = self.value if self.value is None or len(self.value) <= 80 else self.value[:77] + "…"
        value = f" (värde: '{shown}')" if shown not in (None, "") else ""
        return f"{', '.join(where)}: {self.message}{value}"


def map_columns(kind: Kind[Any], header: list[str], file_name: str) -> dict[str, int]:
    """Field -> column index; a missing required column is a file problem."""
    positions: dict[str, int] = {}
    normalised = [_norm(h) for h in header]
    for column in kind.columns:
        names = {_norm(column.header), *(_norm(a) for a in column.aliases), _norm(column.field)}
        for i, h in enumerate(normalised):
            if h in names and i not in positions.values():
                positions[column.field] = i
                break
    missing = [c.header for c in kind.columns if c.required and c.field not in positions]
    if missing:
        raise FileProblem(
            f"{file_name}: kolumn saknas: {', '.join(missing)}. Rubrikerna i filen är: "
            f"{', '.join(h for h in header if h)}. Hämta mallen för {kind.title.lower()} för rätt rubriker."
        )
    return positions


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing" or (
        kind in ("string_type", "int_type", "float_type", "date_type", "datetime_type") and error.get("input") is None
    ):
        return "saknas"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("greater_than_equal", "greater_than"):
        return f"måste vara minst {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"får vara högst {ctx.get('le', ctx.get('lt'))}"
    if kind in ("string_too_long", "too_long"):
        return f"får vara högst {ctx.get('max_length')} tecken"
    return "har fel format"


def validate_rows(
    kind: Kind[M], table: Table, file_name: str, sheet: str | None = None, progress: Progress | None = None
) -> tuple[list[tuple[int, M]], list[Problem]]:
    positions = map_columns(kind, table.header, f"{file_name}, blad {sheet}" if sheet else file_name)
    headers = {c.field: table.header[positions[c.field]] for c in kind.columns if c.field in positions}
    valid: list[tuple[int, M]] = []
    problems: list[Problem] = []
    for i, (number, cells) in enumerate(table.rows):
        report(progress, "Kontrollerar raderna", i, len(table.rows))
        data = {field: cells[index] for field, index in positions.items()}
        data = {k: v for k, v in data.items() if parsing.text(v) is not None or not isinstance(v, str)}
        data = {k: v for k, v in data.items() if v is not None}
        try:
            valid.append((number, kind.model.model_validate(data)))
        except ValidationError as exc:
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else None
                raw = data.get(field) if field else None
                problems.append(Problem(number, headers.get(field) if field else None,
                                        None if raw is None else str(raw), _message(error), sheet))  # fmt: skip
    return valid, problems
