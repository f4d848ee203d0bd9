"""the public trail: a hash chain per report that anyone can recompute (issue 17)

Every public line of a report's timeline (not the staff-only moderation lines) is an entry of
its chain `complaints/<public id>` (servicekit.trail). Reports filed before this migration get
their chain from their timeline, in its order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:30:00
"""

import sqlalchemy as sa
from alembic import op

from servicekit.database import UtcDateTime
from servicekit.trail_store import backfill_rows, create_trail_table, trail_table

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_trail_table(op, sa)
    lines = op.get_bind().execute(
        sa.text(
            "SELECT r.public_id, t.at, t.action, t.from_status, t.to_status, t.actor_label, "
            "t.note FROM timeline t JOIN reports r ON r.id = t.report_id "
            "WHERE NOT t.staff_only AND r.public_id IS NOT NULL ORDER BY r.id, t.at, t.id"
        ).columns(at=UtcDateTime())
    )
    rows = backfill_rows(
        (
            f"complaints/{line.public_id}",
            line.at,
            {
                "action": line.action,
                "from_status": line.from_status,
                "to_status": line.to_status,
                "actor": line.actor_label,
                "note": line.note,
            },
        )
        for line in lines
    )
    for start in range(0, len(rows), 1000):
        op.bulk_insert(trail_table(), rows[start : start + 1000])


def downgrade() -> None:
    op.drop_table("public_trail")
