"""The reports table.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("deployer", sa.String(3), nullable=False),
        sa.Column("host", sa.String(3), nullable=False),
        sa.Column("troops", sa.Integer),
        sa.Column("troops_max", sa.Integer),
        sa.Column("count_kind", sa.String(10), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("date_precision", sa.String(5), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("mission", sa.String(200)),
        sa.Column("location", sa.String(200)),
        sa.Column("scope_key", sa.String(402), nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("source_name", sa.String(200), nullable=False),
        sa.Column("source_url", sa.String(2000)),
        sa.Column("source_date", sa.String(10)),
        sa.Column("notes", sa.Text),
        sa.Column("review_state", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reports_scope_date", "reports", ["deployer", "host", "scope_key", "date"])
    op.create_index("ix_reports_host_date", "reports", ["host", "date"])
    op.create_index("ix_reports_date", "reports", ["date"])


def downgrade() -> None:
    op.drop_table("reports")
