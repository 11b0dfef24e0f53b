"""privacy policy: each kommun's minimum count for anything finer than the kommun

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 12:00:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kommun", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_count", sa.Integer(), server_default="5", nullable=False))
        batch_op.create_check_constraint("min_count_range", "min_count BETWEEN 3 AND 100")
    # The secret that fixes the random rounding of fine counts (privacy.Policy): made once, here.
    op.get_bind().execute(sa.text("INSERT INTO app_setting (key, value) VALUES ('privacy_salt', :value)"),
                          {"value": secrets.token_urlsafe(32)})  # fmt: skip


def downgrade() -> None:
    raise NotImplementedError("0004 has no downgrade: restore the database from a backup taken before upgrading.")
