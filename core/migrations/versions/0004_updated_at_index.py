"""Index on reports.updated_at: the store version (the dashboard's cache key) is then two index lookups.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_updated_at", "reports", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_reports_updated_at", table_name="reports")
