"""Partial index on pending reports: the review queue and its count read only the pending rows.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PENDING_SQL = "review_state = 'pending'"


def upgrade() -> None:
    op.create_index(
        "ix_reports_pending",
        "reports",
        ["created_at", "id"],
        sqlite_where=sa.text(PENDING_SQL),
        postgresql_where=sa.text(PENDING_SQL),
    )


def downgrade() -> None:
    op.drop_index("ix_reports_pending", table_name="reports")
