"""an organisation's standing documents, and the versions each proposal was submitted with

The deed and its ministry decree, the board's decree, the NPWP, the chair's KTP and the
domicile letter live on the organisation's profile with their validity (a replaced version is
kept, never deleted); every proposal's checklist reuses them, and a submitted proposal records
which version of each it used (issue 16).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applicant_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("blob_key", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_applicant_documents_applicant_id",
        "applicant_documents",
        ["applicant_id"],
        unique=False,
    )
    op.create_table(
        "proposal_standing_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("applicant_document_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["applicant_document_id"], ["applicant_documents.id"]),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "kind"),
    )
    op.create_index(
        "ix_proposal_standing_documents_proposal_id",
        "proposal_standing_documents",
        ["proposal_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_proposal_standing_documents_proposal_id", table_name="proposal_standing_documents"
    )
    op.drop_table("proposal_standing_documents")
    op.drop_index("ix_applicant_documents_applicant_id", table_name="applicant_documents")
    op.drop_table("applicant_documents")
