"""moderation: reports and photos hidden from the public with a reason, staff-only timeline

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("reports", "photos"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("hidden_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("timeline", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("staff_only", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("timeline", schema=None) as batch_op:
        batch_op.drop_column("staff_only")
    for table in ("photos", "reports"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("hidden_reason")
            batch_op.drop_column("hidden_at")
