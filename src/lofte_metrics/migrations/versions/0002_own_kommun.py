"""own kommun: kommun table, everything scoped to a kommun, promises with refs, versioned lägesbild

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:00:00

A database written by 0001 held one kommun. This revision adds the ``kommun`` table and fills
it from the areas and promises already there, then gives incidents, presence, indicators, type
mappings and lägesbilder the kommun they belong to (from their area where they have one, else
the database's one kommun). Commitments and activities are keyed per promise, type mappings per
kommun, and each lägesbild row becomes version 1 of its period.
"""

import datetime as dt
import re

import sqlalchemy as sa
from alembic import op

import lofte_metrics.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UNKNOWN_KOMMUN = "0000"


def _kommun_rows(conn: sa.Connection) -> list[dict]:
    """One row per kommunkod the old database uses, named from the reference data when known."""
    from lofte_metrics import reference

    codes: dict[str, dict] = {}
    for code, name, kind in conn.execute(sa.text("SELECT kommunkod, name, kind FROM area")):
        entry = codes.setdefault(code, {"name": None, "police_area": None})
        if kind == "kommun":
            entry["name"] = re.sub(r"\s+(kommun|stad)$", "", name)
    for code, name, police in conn.execute(
        sa.text("SELECT kommunkod, kommun_name, police_area FROM promise ORDER BY period_start")
    ):
        entry = codes.setdefault(code, {"name": None, "police_area": None})
        entry["name"] = entry["name"] or name
        entry["police_area"] = police
    rows = []
    now = dt.datetime.now(dt.UTC)
    for code, entry in sorted(codes.items()):
        known = reference.kommun(code)
        name = known.name if known else (entry["name"] or code)
        rows.append({
            "code": code, "name": name,
            "official_name": known.official_name if known else reference.official_name(name),
            "lan_code": known.lan_code if known else None, "lan_name": known.lan_name if known else None,
            "police_area": entry["police_area"], "created_at": now,
        })  # fmt: skip
    return rows


def upgrade() -> None:
    conn = op.get_bind()
    kommun = op.create_table(
        "kommun",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("official_name", sa.String(length=160), nullable=False),
        sa.Column("lan_code", sa.String(length=2), nullable=True),
        sa.Column("lan_name", sa.String(length=80), nullable=True),
        sa.Column("police_area", sa.String(length=120), nullable=True),
        sa.Column("created_at", lofte_metrics.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("length(code) = 4", name=op.f("ck_kommun_code_len")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_kommun_batch_id_import_batch"), ondelete="SET NULL"
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("code", name=op.f("pk_kommun")),
    )
    with op.batch_alter_table("kommun", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kommun_batch_id"), ["batch_id"], unique=False)

    rows = _kommun_rows(conn)
    has_rows = any(
        conn.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first()
        for table in ("incident", "presence", "indicator", "situation_picture", "incident_type")
    )
    if not rows and has_rows:
        # Incidents without any kommun: keep them under a placeholder a person can rename.
        now = dt.datetime.now(dt.UTC)
        rows = [{"code": UNKNOWN_KOMMUN, "name": "Okänd kommun", "official_name": "Okänd kommun", "lan_code": None,
                 "lan_name": None, "police_area": None, "created_at": now}]  # fmt: skip
    if rows:
        conn.execute(kommun.insert(), rows)
    default = rows[0]["code"] if rows else UNKNOWN_KOMMUN
    # The kommun of the newest promise is the one the old database was about.
    newest = conn.execute(sa.text("SELECT kommunkod FROM promise ORDER BY period_start DESC LIMIT 1")).scalar()
    default = newest or default

    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kommunkod", sa.String(length=4), nullable=True))
        batch_op.create_index(batch_op.f("ix_import_batch_kommunkod"), ["kommunkod"], unique=False)

    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_kommunkod"), ["kommunkod"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_area_kommunkod_kommun"), "kommun", ["kommunkod"], ["code"])

    # --- promise: a ref per kommun, and the batch that wrote it
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
    seen: set[tuple[str, str]] = set()
    for pid, code, start in conn.execute(sa.text("SELECT id, kommunkod, period_start FROM promise ORDER BY id")):
        ref = str(start)[:4]
        if (code, ref) in seen:
            ref = f"{ref}-{pid}"
        seen.add((code, ref))
        conn.execute(sa.text("UPDATE promise SET ref = :ref WHERE id = :id"), {"ref": ref, "id": pid})
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.alter_column("ref", existing_type=sa.String(length=40), nullable=False)
        batch_op.create_index(batch_op.f("ix_promise_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_promise_kommunkod"), ["kommunkod"], unique=False)
        batch_op.create_unique_constraint("uq_promise_kommunkod_ref", ["kommunkod", "ref"])
        batch_op.create_foreign_key(batch_op.f("fk_promise_batch_id_import_batch"), "import_batch", ["batch_id"],
                                    ["id"], ondelete="SET NULL")  # fmt: skip
        batch_op.create_foreign_key(batch_op.f("fk_promise_kommunkod_kommun"), "kommun", ["kommunkod"], ["code"])

    with op.batch_alter_table("focus_area", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_focus_area_batch_id"), ["batch_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_focus_area_batch_id_import_batch"), "import_batch", ["batch_id"],
                                    ["id"], ondelete="SET NULL")  # fmt: skip

    # --- commitments and activities are keyed per promise
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promise_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
    conn.execute(sa.text(
        "UPDATE commitment SET promise_id = (SELECT promise_id FROM focus_area WHERE focus_area.id = "
        "commitment.focus_area_id)"))  # fmt: skip
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.alter_column("promise_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_commitment_ref", type_="unique")
        batch_op.create_unique_constraint("uq_commitment_promise_ref", ["promise_id", "ref"])
        batch_op.create_index(batch_op.f("ix_commitment_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitment_focus_area_id"), ["focus_area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitment_promise_id"), ["promise_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_commitment_promise_id_promise"), "promise", ["promise_id"], ["id"],
                                    ondelete="CASCADE")  # fmt: skip
        batch_op.create_foreign_key(batch_op.f("fk_commitment_batch_id_import_batch"), "import_batch", ["batch_id"],
                                    ["id"], ondelete="SET NULL")  # fmt: skip

    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promise_id", sa.Integer(), nullable=True))
    conn.execute(sa.text(
        "UPDATE activity SET promise_id = (SELECT promise_id FROM commitment WHERE commitment.id = "
        "activity.commitment_id)"))  # fmt: skip
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.alter_column("promise_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_activity_ref", type_="unique")
        batch_op.create_unique_constraint("uq_activity_promise_ref", ["promise_id", "ref"])
        batch_op.create_index(batch_op.f("ix_activity_promise_id"), ["promise_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_activity_promise_id_promise"), "promise", ["promise_id"], ["id"],
                                    ondelete="CASCADE")  # fmt: skip

    with op.batch_alter_table("activity_report", schema=None) as batch_op:
        batch_op.drop_constraint("uq_activity_report_ref", type_="unique")
        batch_op.create_unique_constraint("uq_activity_report_activity_ref", ["activity_id", "ref"])

    # --- the type mapping belongs to a kommun: one copy per kommun of the old global table
    old_types = list(conn.execute(sa.text("SELECT name, focus_key, sensitive FROM incident_type")))
    op.drop_table("incident_type")
    incident_type = op.create_table(
        "incident_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kommunkod", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("focus_key", sa.String(length=40), nullable=True),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("classified", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_incident_type_batch_id_import_batch"), ondelete="SET NULL"
        ),  # fmt: skip
        sa.ForeignKeyConstraint(["kommunkod"], ["kommun.code"], name=op.f("fk_incident_type_kommunkod_kommun")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_type")),
        sa.UniqueConstraint("kommunkod", "name", name="uq_incident_type_kommunkod_name"),
    )
    with op.batch_alter_table("incident_type", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_type_batch_id"), ["batch_id"], unique=False)
    copies = [
        # A row in the old table was a person's decision: it counts as classified.
        {"kommunkod": row["code"], "name": name, "focus_key": focus, "sensitive": bool(sensitive), "classified": True}
        for row in rows
        for name, focus, sensitive in old_types
    ]
    if copies:
        conn.execute(incident_type.insert(), copies)

    # --- incidents and presence know their kommun
    area_kommun = "(SELECT kommunkod FROM area WHERE area.id = {table}.area_id)"
    for table in ("incident", "presence"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("kommunkod", sa.String(length=4), nullable=True))
        conn.execute(sa.text(f"UPDATE {table} SET kommunkod = COALESCE({area_kommun.format(table=table)}, :k)"),
                     {"k": default})  # fmt: skip
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.alter_column("kommunkod", existing_type=sa.String(length=4), nullable=False)
        batch_op.create_index("ix_incident_kommunkod_local_date", ["kommunkod", "local_date"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_incident_kommunkod_kommun"), "kommun", ["kommunkod"], ["code"])
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.alter_column("kommunkod", existing_type=sa.String(length=4), nullable=False)
        batch_op.drop_constraint("uq_presence_ref", type_="unique")
        batch_op.create_unique_constraint("uq_presence_kommunkod_ref", ["kommunkod", "ref"])
        batch_op.create_index("ix_presence_kommunkod_local_date", ["kommunkod", "local_date"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_presence_kommunkod_kommun"), "kommun", ["kommunkod"], ["code"])

    # --- indicators per kommun
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kommunkod", sa.String(length=4), nullable=True))
    conn.execute(sa.text("UPDATE indicator SET kommunkod = :k"), {"k": default})
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.alter_column("kommunkod", existing_type=sa.String(length=4), nullable=False)
        batch_op.drop_constraint("uq_indicator_key", type_="unique")
        batch_op.create_unique_constraint("uq_indicator_kommunkod_key", ["kommunkod", "key"])
        batch_op.create_foreign_key(batch_op.f("fk_indicator_kommunkod_kommun"), "kommun", ["kommunkod"], ["code"])

    # --- lägesbild: versions, drafts and approvals, an åtgärdsplan
    with op.batch_alter_table("situation_picture", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kommunkod", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("period_kind", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("actions", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("created_by", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("created_at", lofte_metrics.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
    conn.execute(
        sa.text(
            "UPDATE situation_picture SET kommunkod = COALESCE((SELECT kommunkod FROM promise WHERE promise.id = "
            "situation_picture.promise_id), :k), version = 1, "
            "status = CASE WHEN approved_at IS NULL THEN 'utkast' ELSE 'godkänd' END"
        ),
        {"k": default},
    )
    for pid, start, end in conn.execute(sa.text("SELECT id, period_start, period_end FROM situation_picture")):
        start_d, end_d = (dt.date.fromisoformat(str(d)[:10]) for d in (start, end))
        month_end = (start_d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        if start_d.day == 1 and end_d == month_end:
            kind = "månad"
        elif start_d.weekday() == 0 and (end_d - start_d).days == 6:
            kind = "vecka"
        else:
            kind = "period"
        conn.execute(sa.text("UPDATE situation_picture SET period_kind = :k WHERE id = :id"), {"k": kind, "id": pid})
    with op.batch_alter_table("situation_picture", schema=None) as batch_op:
        for column, kind in (("kommunkod", sa.String(length=4)), ("period_kind", sa.String(length=10)),
                             ("version", sa.Integer()), ("status", sa.String(length=10))):  # fmt: skip
            batch_op.alter_column(column, existing_type=kind, nullable=False)
        batch_op.drop_constraint("uq_situation_picture_period", type_="unique")
        batch_op.create_unique_constraint(
            "uq_situation_picture_version", ["kommunkod", "period_start", "period_end", "version"]
        )
        batch_op.create_check_constraint("status", "status IN ('utkast', 'godkänd')")
        batch_op.create_check_constraint("period_kind", "period_kind IN ('månad', 'vecka', 'period')")
        batch_op.create_check_constraint("approved_when", "status = 'utkast' OR approved_at IS NOT NULL")
        batch_op.create_index(batch_op.f("ix_situation_picture_batch_id"), ["batch_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_situation_picture_kommunkod_kommun"), "kommun", ["kommunkod"],
                                    ["code"])  # fmt: skip
        batch_op.create_foreign_key(batch_op.f("fk_situation_picture_batch_id_import_batch"), "import_batch",
                                    ["batch_id"], ["id"], ondelete="SET NULL")  # fmt: skip


def downgrade() -> None:
    raise NotImplementedError("0002 has no downgrade: restore the database from a backup taken before upgrading.")
