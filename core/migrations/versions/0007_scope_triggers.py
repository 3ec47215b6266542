"""The database keeps the scopes table: triggers add the scope of every inserted or updated report, so a
report written by plain SQL is as visible to presence as one written by Garrison.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BACKFILL = "SELECT DISTINCT deployer, host, scope_key FROM reports"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"INSERT OR IGNORE INTO scopes (deployer, host, scope_key) {BACKFILL}")
        for event in ("INSERT", "UPDATE OF deployer, host, scope_key"):
            name = "reports_scope_" + event.split()[0].lower()
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON reports BEGIN "
                "INSERT OR IGNORE INTO scopes (deployer, host, scope_key) "
                "VALUES (NEW.deployer, NEW.host, NEW.scope_key); END"
            )
        return
    op.execute(f"INSERT INTO scopes (deployer, host, scope_key) {BACKFILL} ON CONFLICT DO NOTHING")
    # Statement-level with a transition table: one set insert per import, not one per row.
    op.execute(
        "CREATE FUNCTION garrison_keep_scopes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO scopes (deployer, host, scope_key) SELECT DISTINCT deployer, host, scope_key FROM new_rows "
        "ON CONFLICT DO NOTHING; RETURN NULL; END $$"
    )
    for event in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER reports_scope_{event.lower()} AFTER {event} ON reports "
            "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION garrison_keep_scopes()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER reports_scope_insert")
        op.execute("DROP TRIGGER reports_scope_update")
        return
    op.execute("DROP TRIGGER reports_scope_insert ON reports")
    op.execute("DROP TRIGGER reports_scope_update ON reports")
    op.execute("DROP FUNCTION garrison_keep_scopes()")
