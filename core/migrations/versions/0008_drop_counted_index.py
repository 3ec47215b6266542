"""Drop ix_reports_counted: no query uses it since presence is computed from the rows read once per store
version (core/asof.py), and rebuilding it was the costliest part of a large import.

Every query the app and the CLI run was checked with EXPLAIN QUERY PLAN on a store of a million reports:
none chose it. The EXISTS over counted reports in views.countries_in_store seeks ix_reports_pair_date,
whose (deployer, host) prefix it shares.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COUNTED_SQL = "review_state = 'published' AND status IN ('present', 'withdrawn')"


def upgrade() -> None:
    op.drop_index("ix_reports_counted", table_name="reports")


def downgrade() -> None:
    op.create_index(
        "ix_reports_counted",
        "reports",
        ["deployer", "host", "scope_key", "date"],
        sqlite_where=sa.text(COUNTED_SQL),
        postgresql_where=sa.text(COUNTED_SQL),
    )
