"""session versions (signing out ends every session) and registration notices

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("sessions_ended_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_users_sessions_ended_at"), ["sessions_ended_at"], unique=False
        )

    op.create_table(
        "registration_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("email_key", sa.String(length=254), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("registration_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_notices_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registration_notices_email_key"), ["email_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("registration_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_notices_email_key"))
        batch_op.drop_index(batch_op.f("ix_registration_notices_created_at"))
    op.drop_table("registration_notices")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_sessions_ended_at"))
        batch_op.drop_column("sessions_ended_at")
        batch_op.drop_column("session_version")
