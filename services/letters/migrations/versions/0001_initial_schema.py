"""initial schema of letters: letters, dispositions, agenda counters and the outbox

Revision ID: 0001
Revises:
Create Date: 2026-12-01 07:00:15
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_published_at"), ["published_at"], unique=False)
    op.create_table(
        "agenda_counters",
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency", "year"),
    )
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("agenda_number", sa.String(length=60), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("letter_number", sa.String(length=100), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scan_key", sa.String(length=300), nullable=True),
        sa.Column("scan_size", sa.Integer(), nullable=True),
        sa.Column("registered_by", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency", "year", "sequence", name="uq_letters_agenda"),
        sa.UniqueConstraint("agenda_number"),
    )
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.create_index(
            "ix_letters_agency_received", ["agency", "received_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_letters_registered_by"), ["registered_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_letters_status"), ["status"], unique=False)
    op.create_table(
        "dispositions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("from_user_id", sa.Integer(), nullable=False),
        sa.Column("from_name", sa.String(length=200), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=False),
        sa.Column("to_name", sa.String(length=200), nullable=False),
        sa.Column("instruction", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["letter_id"], ["letters.id"]),
        sa.ForeignKeyConstraint(["parent_id"], ["dispositions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dispositions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispositions_letter_id"), ["letter_id"], unique=False)
        batch_op.create_index(
            "ix_dispositions_to_status", ["to_user_id", "status"], unique=False
        )


def downgrade() -> None:
    op.drop_table("dispositions")
    op.drop_table("letters")
    op.drop_table("agenda_counters")
    op.drop_table("outbox")
