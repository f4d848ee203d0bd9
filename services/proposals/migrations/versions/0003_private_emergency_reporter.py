"""emergency reporters out of the public timeline

The timeline entry of an emergency bansos carried who reported it (a name, an office, a
phone): private data shown in the public registry. It now says only that staff opened it;
the reporter stays in proposals.source_note and the audit log, both private.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NOTE = "Dibuka oleh petugas atas laporan kepala desa, camat atau OPD."


def upgrade() -> None:
    op.execute(
        sa.text("UPDATE stage_changes SET note = :note WHERE action = 'open_emergency'").bindparams(
            note=NOTE
        )
    )


def downgrade() -> None:
    pass  # the reporters' details are not put back into public view
