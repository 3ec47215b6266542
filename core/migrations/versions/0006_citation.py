"""The citation chain: the agency a report's source cites and the person or office quoted.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reports", sa.Column("cited_agency", sa.String(200), nullable=True))
    op.add_column("reports", sa.Column("speaker", sa.String(200), nullable=True))


def downgrade() -> None:
    # In place (SQLite >= 3.35): a batch copy of the table would lose the partial indexes' WHERE.
    op.execute("ALTER TABLE reports DROP COLUMN speaker")
    op.execute("ALTER TABLE reports DROP COLUMN cited_agency")
