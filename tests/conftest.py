"""Shared fixtures: one deterministic fixture store for tests (and the same CSV for demos)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.ingest import import_csv
from core.store import make_engine, upgrade, writing

REPO = Path(__file__).resolve().parents[1]
FIXTURE_CSV = REPO / "tests" / "fixtures" / "reports.csv"
SHARED = REPO.parent / "shared"
DATASETS = SHARED / "datasets"
# Fixed "today" so that validation of fixture dates never depends on the clock.
TODAY = dt.date(2026, 11, 27)


def shared_file(name: str) -> Path:
    """A file of ../shared/datasets; the test is skipped (with the reason) when it is absent."""
    path = DATASETS / name
    if not path.exists():
        pytest.skip(f"{path} not found: the shared datasets are not beside this checkout")
    return path


@pytest.fixture
def engine(tmp_path):
    """An empty store: a real SQLite file (WAL) in a temp dir, schema at head."""
    eng = make_engine(f"sqlite:///{tmp_path / 'garrison.sqlite'}")
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def fixture_engine(engine):
    """A store holding tests/fixtures/reports.csv."""
    with writing(engine) as session, FIXTURE_CSV.open(encoding="utf-8") as f:
        result = import_csv(session, f, today=TODAY)
    assert result.ok, result.errors
    return engine


@pytest.fixture
def fixture_db_url(fixture_engine) -> str:
    return fixture_engine.url.render_as_string(hide_password=False)
