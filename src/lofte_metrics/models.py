"""The domain of DESIGN.md as SQLAlchemy 2.0 models.

Swedish words live in the UI; identifiers here are English. Enumerations are stored
as their Swedish values (``polis``/``kommun``/``gemensamt``, ``planerad``/…) because those
are the words in the files people import, and check constraints keep them honest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

OWNERS = ("polis", "kommun", "gemensamt")
ACTIVITY_STATUSES = ("planerad", "pågår", "genomförd", "inställd")
PRECISIONS = ("punkt", "område", "kommun", "län")
#: precisions that locate an incident well enough to draw it in a map cell: only a real point
#: (an event known only to its kommundel, drawn at the kommundel's centre, would be a false hotspot)
MAPPABLE_PRECISIONS = ("punkt",)
AREA_KINDS = ("kommun", "kommundel", "plats")
PICTURE_STATUSES = ("utkast", "godkänd")
ROLES = ("läsare", "redaktör", "godkännare", "administratör")
PICTURE_PERIODS = ("månad", "vecka", "period")
ACTOR_KINDS = ("polis", "fältsekreterare", "ordningsvakt", "trygghetsvärd", "kommunpersonal")

# Sweden's bounding box, generously: Smygehuk to Treriksröset, Koster to Haparanda.
LAT_MIN, LAT_MAX = 55.0, 69.1
LON_MIN, LON_MAX = 10.5, 24.2

#: H3 resolution of the stored map cell (about 0.1 km² per cell, ~200 m across)
H3_RESOLUTION = 9

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _latlon_ok(lat: str = "lat", lon: str = "lon") -> str:
    return (
        f"({lat} IS NULL AND {lon} IS NULL) OR "
        f"({lat} IS NOT NULL AND {lon} IS NOT NULL AND "
        f"{lat} BETWEEN {LAT_MIN} AND {LAT_MAX} AND {lon} BETWEEN {LON_MIN} AND {LON_MAX})"
    )


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A time-zone aware timestamp, stored as UTC on every backend.

    SQLite has no time zones; PostgreSQL has ``timestamptz``. Both give back an aware
    datetime in UTC, and a naive datetime is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a time zone (Europe/Stockholm or UTC)")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class BatchMixin:
    """Every imported row knows the import batch that wrote it."""

    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"), index=True)


class ImportBatch(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(80))
    file_name: Mapped[str] = mapped_column(String(255))
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_inserted: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime]
    undone_at: Mapped[dt.datetime | None]
    #: the kommun the batch wrote to (None for a batch that is not about one kommun)
    kommunkod: Mapped[str | None] = mapped_column(String(4), index=True)
    #: what an import replaced, so that undo can put it back
    replaced: Mapped[list[Any] | None]

    __table_args__ = (
        CheckConstraint(
            "rows_total >= 0 AND rows_inserted >= 0 AND rows_updated >= 0 AND rows_rejected >= 0",
            name="counts_nonneg",
        ),
    )


class Kommun(BatchMixin, Base):
    """A kommun this database follows; everything else is scoped to one of these."""

    __tablename__ = "kommun"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    official_name: Mapped[str] = mapped_column(String(160))
    lan_code: Mapped[str | None] = mapped_column(String(2))
    lan_name: Mapped[str | None] = mapped_column(String(80))
    police_area: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[dt.datetime]
    #: the privacy policy's minimum count for anything finer than the kommun (see ``privacy``)
    min_count: Mapped[int] = mapped_column(Integer, default=5, server_default="5")

    __table_args__ = (
        CheckConstraint("length(code) = 4", name="code_len"),
        CheckConstraint("min_count BETWEEN 3 AND 100", name="min_count_range"),
    )


def kommun_fk() -> Any:
    return ForeignKey("kommun.code")


class Area(BatchMixin, Base):
    """Kommun, kommundel or plats, with an optional GeoJSON polygon (WGS84)."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    kommunkod: Mapped[str] = mapped_column(String(4), kommun_fk(), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    population: Mapped[int | None]
    centre_lat: Mapped[float | None]
    centre_lon: Mapped[float | None]
    geometry: Mapped[dict[str, Any] | None]

    parent: Mapped[Area | None] = relationship(remote_side=[id])

    __table_args__ = (
        CheckConstraint(_in("kind", AREA_KINDS), name="kind"),
        CheckConstraint("length(kommunkod) = 4", name="kommunkod_len"),
        CheckConstraint(_latlon_ok("centre_lat", "centre_lon"), name="centre_in_sweden"),
        CheckConstraint("population IS NULL OR population >= 0", name="population_nonneg"),
    )


class Promise(BatchMixin, Base):
    """Medborgarlöfte: a signed promise for a period, one kommun + one lokalpolisområde.

    ``ref`` names it within its kommun (``2022``, ``2024–2025``): the key a re-imported
    workbook updates.
    """

    __tablename__ = "promise"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    kommunkod: Mapped[str] = mapped_column(String(4), kommun_fk(), index=True)
    kommun_name: Mapped[str] = mapped_column(String(120))
    police_area: Mapped[str] = mapped_column(String(120))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    signed_date: Mapped[dt.date | None] = mapped_column(Date)
    signatories: Mapped[list[Any] | None]
    summary: Mapped[str | None] = mapped_column(Text)

    focus_areas: Mapped[list[FocusArea]] = relationship(
        back_populates="promise", order_by="FocusArea.sort_order", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("kommunkod", "ref", name="uq_promise_kommunkod_ref"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint("length(kommunkod) = 4", name="kommunkod_len"),
    )


class FocusArea(BatchMixin, Base):
    """Fokusområde, e.g. trygghet, narkotika, trafik. ``key`` links incidents via IncidentType."""

    __tablename__ = "focus_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(ForeignKey("promise.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    promise: Mapped[Promise] = relationship(back_populates="focus_areas")
    commitments: Mapped[list[Commitment]] = relationship(back_populates="focus_area", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("promise_id", "key", name="uq_focus_area_promise_key"),)


class Commitment(BatchMixin, Base):
    """Åtagande: one promised thing with an owner and often a target count."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(ForeignKey("promise.id", ondelete="CASCADE"), index=True)
    focus_area_id: Mapped[int] = mapped_column(ForeignKey("focus_area.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    target_count: Mapped[int | None]
    target_unit: Mapped[str | None] = mapped_column(String(80))
    due_date: Mapped[dt.date | None] = mapped_column(Date)

    focus_area: Mapped[FocusArea] = relationship(back_populates="commitments")
    activities: Mapped[list[Activity]] = relationship(back_populates="commitment")

    __table_args__ = (
        UniqueConstraint("promise_id", "ref", name="uq_commitment_promise_ref"),
        CheckConstraint(_in("owner", OWNERS), name="owner"),
        CheckConstraint("target_count IS NULL OR target_count >= 0", name="target_nonneg"),
    )


class Activity(BatchMixin, Base):
    """Aktivitet: planned work that fulfils a commitment."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(ForeignKey("promise.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(20))
    responsible_unit: Mapped[str | None] = mapped_column(String(200))
    planned_start: Mapped[dt.date] = mapped_column(Date)
    planned_end: Mapped[dt.date] = mapped_column(Date)
    planned_count: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="planerad")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))

    commitment: Mapped[Commitment] = relationship(back_populates="activities")
    reports: Mapped[list[ActivityReport]] = relationship(back_populates="activity", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("promise_id", "ref", name="uq_activity_promise_ref"),
        CheckConstraint(_in("owner", OWNERS), name="owner"),
        CheckConstraint(_in("status", ACTIVITY_STATUSES), name="status"),
        CheckConstraint("planned_end >= planned_start", name="period_order"),
        CheckConstraint("planned_count >= 0", name="planned_nonneg"),
    )


class ActivityReport(BatchMixin, Base):
    """Genomförande: one carried-out occurrence of an activity."""

    __tablename__ = "activity_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(60))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    hours: Mapped[float | None] = mapped_column(Float)
    place: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    note: Mapped[str | None] = mapped_column(Text)

    activity: Mapped[Activity] = relationship(back_populates="reports")

    __table_args__ = (
        UniqueConstraint("activity_id", "ref", name="uq_activity_report_activity_ref"),
        CheckConstraint("count >= 0", name="count_nonneg"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_nonneg"),
        CheckConstraint(_latlon_ok(), name="in_sweden"),
    )


class IncidentType(BatchMixin, Base):
    """A kommun's mapping from an incident type to a focus area, and whether it is sensitive.

    A type nobody has classified (``classified`` false) is sensitive until someone decides:
    unknown means closed.
    """

    __tablename__ = "incident_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    kommunkod: Mapped[str] = mapped_column(String(4), kommun_fk())
    name: Mapped[str] = mapped_column(String(120))
    focus_key: Mapped[str | None] = mapped_column(String(40))
    sensitive: Mapped[bool] = mapped_column(Boolean, default=True)
    classified: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("kommunkod", "name", name="uq_incident_type_kommunkod_name"),)


class Incident(BatchMixin, Base):
    """Händelse: one event from a source, with the precision of its place."""

    __tablename__ = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    kommunkod: Mapped[str] = mapped_column(String(4), kommun_fk())
    source: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(80))
    #: (no index of its own, nor type or cell: every query reads a kommun's period through
    #: ``ix_incident_kommun_period_groups``, and each index is written for every imported row)
    occurred_at: Mapped[dt.datetime]
    #: the Europe/Stockholm calendar date of occurred_at, for week and month sums in SQL
    local_date: Mapped[dt.date] = mapped_column(Date)
    type: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    precision: Mapped[str] = mapped_column(String(10))
    cell: Mapped[str | None] = mapped_column(String(16))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    place_name: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[dt.datetime | None]

    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_incident_source_source_id"),
        # a kommun's period, with the columns aggregates group by: counted from the index alone
        Index("ix_incident_kommun_period_groups", "kommunkod", "local_date", "type", "area_id", "source", "precision",
              "cell"),  # fmt: skip
        CheckConstraint(_in("precision", PRECISIONS), name="precision"),
        CheckConstraint(_latlon_ok(), name="in_sweden"),
    )


class Presence(BatchMixin, Base):
    """Närvaro: time an actor spent in a place."""

    __tablename__ = "presence"

    id: Mapped[int] = mapped_column(primary_key=True)
    kommunkod: Mapped[str] = mapped_column(String(4), kommun_fk())
    ref: Mapped[str | None] = mapped_column(String(60))
    actor_kind: Mapped[str] = mapped_column(String(30))
    started_at: Mapped[dt.datetime] = mapped_column(index=True)
    ended_at: Mapped[dt.datetime]
    local_date: Mapped[dt.date] = mapped_column(Date, index=True)
    hours: Mapped[float] = mapped_column(Float)
    place: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    cell: Mapped[str | None] = mapped_column(String(16), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    focus_key: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        UniqueConstraint("kommunkod", "ref", name="uq_presence_kommunkod_ref"),
        Index("ix_presence_kommunkod_local_date", "kommunkod", "local_date"),
        CheckConstraint(_in("actor_kind", ACTOR_KINDS), name="actor_kind"),
        CheckConstraint("ended_at > started_at", name="end_after_start"),
        CheckConstraint("hours > 0 AND hours <= 24", name="hours_range"),
        CheckConstraint(_latlon_ok(), name="in_sweden"),
    )


class Indicator(Base):
    """A measured figure (trygghetsindex, andel otrygga, anmälda brott per 100 000 inv.)."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    kommunkod: Mapped[str] = mapped_column(String(4), kommun_fk())
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(200))
    focus_key: Mapped[str | None] = mapped_column(String(40))
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)

    values: Mapped[list[IndicatorValue]] = relationship(back_populates="indicator", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("kommunkod", "key", name="uq_indicator_kommunkod_key"),)


class IndicatorValue(BatchMixin, Base):
    __tablename__ = "indicator_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    period_label: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float]
    baseline: Mapped[float | None]
    target: Mapped[float | None]
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))

    indicator: Mapped[Indicator] = relationship(back_populates="values")

    __table_args__ = (
        UniqueConstraint("indicator_id", "period_start", "area_id", name="uq_indicator_value_period"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )


class SituationPicture(BatchMixin, Base):
    """Lägesbild: the steering group's assessment of a period, one row per saved version.

    Versions are never changed: saving a draft or approving it adds a new row with the next
    ``version``. What the pages show is the newest approved version of a period (or the newest
    draft, marked as one, when nothing is approved yet).
    """

    __tablename__ = "situation_picture"

    id: Mapped[int] = mapped_column(primary_key=True)
    kommunkod: Mapped[str] = mapped_column(String(4), kommun_fk())
    promise_id: Mapped[int | None] = mapped_column(ForeignKey("promise.id", ondelete="SET NULL"))
    period_kind: Mapped[str] = mapped_column(String(10), default="månad")
    period_label: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[dt.date] = mapped_column(Date, index=True)
    period_end: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(10), default="utkast")
    summary: Mapped[str | None] = mapped_column(Text)
    #: focus key -> assessment text
    texts: Mapped[dict[str, Any]]
    #: [{"name": ..., "lat": ..., "lon": ..., "note": ...}]
    hotspots: Mapped[list[Any] | None]
    #: the åtgärdsplan: [{"text": ..., "activity_ref": ..., "focus_key": ...}]
    actions: Mapped[list[Any] | None]
    created_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[dt.datetime | None]
    approved_at: Mapped[dt.datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("kommunkod", "period_start", "period_end", "version", name="uq_situation_picture_version"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint(_in("status", PICTURE_STATUSES), name="status"),
        CheckConstraint(_in("period_kind", PICTURE_PERIODS), name="period_kind"),
        CheckConstraint("status = 'utkast' OR approved_at IS NOT NULL", name="approved_when"),
    )


class UserRole(BatchMixin, Base):
    """A person's role in a kommun, managed by its administrators (beside the roles the identity
    provider's claims give). ``identity`` is what the provider says: the e-mail, else the subject."""

    __tablename__ = "user_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))
    kommunkod: Mapped[str] = mapped_column(String(4), kommun_fk())
    role: Mapped[str] = mapped_column(String(20))

    __table_args__ = (
        UniqueConstraint("kommunkod", "identity", "role", name="uq_user_role_kommunkod_identity_role"),
        CheckConstraint(_in("role", ROLES), name="role"),
    )


class ScreenLink(BatchMixin, Base):
    """A read-only link for a wall screen: one kommun, some pages, until it expires or is revoked.
    The link carries a signed token naming ``ref``; the row is what can be revoked."""

    __tablename__ = "screen_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    kommunkod: Mapped[str] = mapped_column(String(4), kommun_fk())
    label: Mapped[str] = mapped_column(String(120))
    pages: Mapped[list[Any]]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class AuditEvent(Base):
    """One write, for the audit trail: who, when, what, and the values before and after. Rows are
    only ever added: triggers in the database refuse to change or delete them."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    kommunkod: Mapped[str | None] = mapped_column(String(4), index=True)
    action: Mapped[str] = mapped_column(String(40))
    what: Mapped[str] = mapped_column(String(300))
    #: the import batch the write made or undid (not a foreign key: the trail outlives rows)
    batch_id: Mapped[int | None]
    details: Mapped[dict[str, Any] | None]


class AppSetting(Base):
    """Small settings the program keeps itself, such as the secret that signs screen links when
    none is configured."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
