"""the public trail: a hash chain per proposal that anyone can recompute (issue 17)

Every public step of a submitted proposal (the public timeline's line) is an entry of its
chain `proposals/<public id>` (servicekit.trail). Proposals submitted before this migration get
their chain from their timeline, in its order.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:20:00
"""

import sqlalchemy as sa
from alembic import op

from servicekit.database import UtcDateTime
from servicekit.trail_store import backfill_rows, create_trail_table, trail_table

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_trail_table(op, sa)
    lines = op.get_bind().execute(
        sa.text(
            "SELECT p.public_id, s.at, s.action, s.from_stage, s.to_stage, s.actor_label, "
            "s.note, s.amount FROM stage_changes s JOIN proposals p ON p.id = s.proposal_id "
            "WHERE p.submitted_at IS NOT NULL AND p.stage <> 'draft' ORDER BY p.id, s.id"
        ).columns(at=UtcDateTime())
    )
    rows = backfill_rows(
        (
            f"proposals/{line.public_id}",
            line.at,
            {
                "action": line.action,
                "from_stage": line.from_stage,
                "to_stage": line.to_stage,
                "actor": line.actor_label,
                "note": line.note,
                "amount": line.amount,
            },
        )
        for line in lines
    )
    for start in range(0, len(rows), 1000):
        op.bulk_insert(trail_table(), rows[start : start + 1000])


def downgrade() -> None:
    op.drop_table("public_trail")
