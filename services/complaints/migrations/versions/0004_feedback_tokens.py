"""single-use tokens of the "Sudah diperbaiki?" email's links

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("feedback_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_tokens_report_id"), ["report_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_tokens_report_id"))
    op.drop_table("feedback_tokens")
