"""access and audit: user roles per kommun, screen links, the append-only audit trail, settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:00:00
"""

import sqlalchemy as sa
from alembic import op

import lofte_metrics.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The audit trail can only grow: the database itself refuses to change or delete a row.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event kan inte ändras'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event kan inte tas bort'); END",
]
PG_TRIGGERS = [
    "CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'audit_event kan bara läggas till'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
]


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_setting")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", lofte_metrics.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("kommunkod", sa.String(length=4), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_kommunkod"), ["kommunkod"], unique=False)
    op.create_table(
        "screen_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("kommunkod", sa.String(length=4), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", lofte_metrics.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", lofte_metrics.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", lofte_metrics.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_screen_link_batch_id_import_batch"), ondelete="SET NULL"
        ),  # fmt: skip
        sa.ForeignKeyConstraint(["kommunkod"], ["kommun.code"], name=op.f("fk_screen_link_kommunkod_kommun")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen_link")),
        sa.UniqueConstraint("ref", name=op.f("uq_screen_link_ref")),
    )
    with op.batch_alter_table("screen_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screen_link_batch_id"), ["batch_id"], unique=False)
    op.create_table(
        "user_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("kommunkod", sa.String(length=4), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "role IN ('läsare', 'redaktör', 'godkännare', 'administratör')", name=op.f("ck_user_role_role")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_user_role_batch_id_import_batch"), ondelete="SET NULL"
        ),  # fmt: skip
        sa.ForeignKeyConstraint(["kommunkod"], ["kommun.code"], name=op.f("fk_user_role_kommunkod_kommun")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_role")),
        sa.UniqueConstraint("kommunkod", "identity", "role", name="uq_user_role_kommunkod_identity_role"),
    )
    with op.batch_alter_table("user_role", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_role_batch_id"), ["batch_id"], unique=False)
    for statement in SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else PG_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("0003 has no downgrade: restore the database from a backup taken before upgrading.")
