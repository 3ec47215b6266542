"""The bundled starter dataset: loads cleanly, is broad enough to tell a story, and every row is sourced."""

import csv
import datetime as dt

import pytest

from core.countries import resolve
from core.domain import CSV_COLUMNS
from core.filters import Filters
from core.ingest import import_csv, read_csv, validate_rows
from core.presence import presence_as_of
from core.store import reading, writing
from tests.conftest import REPO, TODAY

STARTER = REPO / "data" / "reports.csv"


@pytest.fixture(scope="module")
def rows():
    with STARTER.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_header_is_canonical():
    # The canonical columns up to `notes`: the starter file has no citation chain (cited_agency, speaker,
    # optional since migration 0006), and such 16-column files import as they always did.
    header = STARTER.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(CSV_COLUMNS[:16])
    assert CSV_COLUMNS[16:] == ("cited_agency", "speaker")


def test_every_row_validates():
    valid, errors = validate_rows(read_csv(STARTER.read_text(encoding="utf-8")), today=TODAY)
    assert errors == []
    assert len(valid) >= 250


def test_breadth(rows):
    assert len({r["deployer"] for r in rows}) >= 20
    assert len({r["host"] for r in rows}) >= 70
    years = [int(r["date"][:4]) for r in rows]
    assert min(years) <= 2001 and max(years) >= 2025


def test_every_row_has_a_source(rows):
    assert all(r["source_name"].strip() for r in rows)
    assert all(r["source_url"] == "" or r["source_url"].startswith(("http://", "https://")) for r in rows)


def test_founding_article_and_its_announced_follow_up(rows):
    venezuela = [r for r in rows if (r["deployer"], r["host"]) == ("RUS", "VEN")]
    present = [r for r in venezuela if r["status"] == "present" and r["source_name"] == "Interfax"]
    announced = [r for r in venezuela if r["status"] == "announced" and r["troops"] == ""]
    assert [(r["troops"], r["date"], r["count_kind"]) for r in present] == [("100", "2019-03", "approx")]
    assert announced and all(r["source_name"] == "Interfax" for r in announced)


@pytest.mark.parametrize(
    ("pair", "before", "after"),
    [
        (("FRA", "MLI"), "2019-12-31", "2023-01-01"),
        (("USA", "AFG"), "2011-06-30", "2022-01-01"),
        (("USA", "NER"), "2023-06-30", "2025-01-01"),
    ],
)
def test_major_withdrawals_tell_their_story(tmp_path, pair, before, after):
    """Presence is large before the pull-out and ends after it."""
    from core.store import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite'}")
    upgrade(engine)
    with writing(engine) as session:
        assert import_csv(session, STARTER.read_text(encoding="utf-8"), today=TODAY).ok
    filters = Filters(deployers=(pair[0],), hosts=(pair[1],))
    with reading(engine) as session:
        then = presence_as_of(session, dt.date.fromisoformat(before), filters)
        later = presence_as_of(session, dt.date.fromisoformat(after), filters)
    assert then["troops"].iloc[0] > 500
    assert later["status"].iloc[0] == "withdrawn" or later["troops"].iloc[0] < 0.1 * then["troops"].iloc[0]


def test_countries_resolve(rows):
    for code in {r["deployer"] for r in rows} | {r["host"] for r in rows}:
        assert resolve(code).iso3 == code
