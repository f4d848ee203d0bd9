"""supporters may choose status emails, and stop them by the emails' link

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("supports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notify", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("optout_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_supports_optout_token", ["optout_token"])


def downgrade() -> None:
    with op.batch_alter_table("supports", schema=None) as batch_op:
        batch_op.drop_constraint("uq_supports_optout_token", type_="unique")
        batch_op.drop_column("optout_token")
        batch_op.drop_column("notify")
