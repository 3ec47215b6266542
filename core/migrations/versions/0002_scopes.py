"""Scopes table and partial indexes for presence as of a date.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COUNTED_SQL = "review_state = 'published' AND status IN ('present', 'withdrawn')"
ANNOUNCED_SQL = "review_state = 'published' AND status = 'announced'"


def upgrade() -> None:
    op.create_table(
        "scopes",
        sa.Column("deployer", sa.String(3), primary_key=True),
        sa.Column("host", sa.String(3), primary_key=True),
        sa.Column("scope_key", sa.String(402), primary_key=True),
    )
    op.create_index("ix_scopes_host", "scopes", ["host"])
    op.execute("INSERT INTO scopes (deployer, host, scope_key) SELECT DISTINCT deployer, host, scope_key FROM reports")
    op.drop_index("ix_reports_scope_date", table_name="reports")
    op.drop_index("ix_reports_host_date", table_name="reports")
    op.create_index("ix_reports_pair_date", "reports", ["deployer", "host", "date"])
    op.create_index(
        "ix_reports_counted",
        "reports",
        ["deployer", "host", "scope_key", "date"],
        sqlite_where=sa.text(COUNTED_SQL),
        postgresql_where=sa.text(COUNTED_SQL),
    )
    op.create_index(
        "ix_reports_announced",
        "reports",
        ["deployer", "host", "date"],
        sqlite_where=sa.text(ANNOUNCED_SQL),
        postgresql_where=sa.text(ANNOUNCED_SQL),
    )


def downgrade() -> None:
    op.drop_index("ix_reports_announced", table_name="reports")
    op.drop_index("ix_reports_counted", table_name="reports")
    op.drop_index("ix_reports_pair_date", table_name="reports")
    op.create_index("ix_reports_host_date", "reports", ["host", "date"])
    op.create_index("ix_reports_scope_date", "reports", ["deployer", "host", "scope_key", "date"])
    op.drop_index("ix_scopes_host", table_name="scopes")
    op.drop_table("scopes")
