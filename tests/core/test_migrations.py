"""Alembic owns the schema: a store made at the first revision keeps its data through every upgrade."""

import datetime as dt

import pytest
from sqlalchemy import text

from core.filters import Filters
from core.presence import presence_as_of
from core.store import current_revision, make_engine, reading, upgrade

OLD_COLUMNS = (
    "deployer",
    "host",
    "troops",
    "count_kind",
    "date",
    "date_precision",
    "status",
    "mission",
    "location",
    "scope_key",
    "source_name",
)
OLD_ROWS = [
    dict(zip(OLD_COLUMNS, row, strict=True))
    for row in [
        ("RUS", "VEN", 100, "approx", dt.date(2019, 3, 1), "month", "present", None, "Caracas", "|caracas", "Interfax"),
        (
            "FRA",
            "MLI",
            1750,
            "exact",
            dt.date(2019, 6, 30),
            "day",
            "present",
            "Operation Barkhane",
            None,
            "operation barkhane|",
            "Ministry",
        ),
        ("FRA", "MLI", 25, "exact", dt.date(2019, 6, 30), "day", "present", "MINUSMA", None, "minusma|", "UN"),
    ]
]


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite'}"
    return request.getfixturevalue("postgres_url")


def test_data_survives_upgrade_from_the_first_revision(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as conn:
        conn.execute(
            text(
                f"INSERT INTO reports ({', '.join(OLD_COLUMNS)}, review_state, version, created_at, updated_at)"
                f" VALUES ({', '.join(':' + c for c in OLD_COLUMNS)}, 'published', 1, :now, :now)"
            ),
            [{**row, "now": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)} for row in OLD_ROWS],
        )

    upgrade(engine)
    assert current_revision(engine) == "0008"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reports")).scalar() == 3
        # 0006: rows stored before the citation chain have no agency or speaker, not an empty string.
        chain = conn.execute(text("SELECT cited_agency, speaker FROM reports")).all()
        assert chain == [(None, None)] * 3
        scopes = set(map(tuple, conn.execute(text("SELECT deployer, host, scope_key FROM scopes"))))
    assert scopes == {(r["deployer"], r["host"], r["scope_key"]) for r in OLD_ROWS}
    with reading(engine) as session:
        pairs = presence_as_of(session, dt.date(2019, 12, 31), Filters())
    assert dict(zip(pairs["deployer"], pairs["troops"], strict=True)) == {"FRA": 1775, "RUS": 100}
    engine.dispose()


def test_downgrade_and_upgrade_again(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(engine)
    from alembic import command

    from core.store import _alembic_config, write_engine

    with write_engine(engine).begin() as connection:
        command.downgrade(_alembic_config(connection), "0001")
    assert current_revision(engine) == "0001"
    upgrade(engine)
    assert current_revision(engine) == "0008"
    engine.dispose()
