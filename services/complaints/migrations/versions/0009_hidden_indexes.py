"""the moderators' list of what is hidden: indexes on reports.hidden_at and photos.hidden_at

The list (services/complaints/moderation.py, hidden_reports) looks for the few hidden reports
and photos among all of them; without these indexes every page of it read every report.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_hidden_at", ["hidden_at"], unique=False)
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index("ix_photos_hidden_at", ["hidden_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index("ix_photos_hidden_at")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_hidden_at")
