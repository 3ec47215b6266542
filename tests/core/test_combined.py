"""Real datasets combined in one store: the figure stays one honest figure, never a sum of sources.

Starter data + troopdata (country-year) + MDI + Geo-PKO (Africa) + the Wikipedia base list, from
../shared/datasets (skipped when absent), against each dataset alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from core.filters import Filters
from core.ingest import import_csv
from core.presence import presence_as_of
from core.profiles import import_profile
from core.store import make_engine, reading, upgrade, writing
from tests.conftest import TODAY, shared_file

STARTER = Path(__file__).resolve().parents[2] / "data" / "reports.csv"
FILES = {
    "troopdata": "troopdata_country_year.csv",
    "mdi": "mdi_iiss_deployments_2014_2021.csv",
    "geopko": "geopko_africa_1994_2018.csv",
    "bases": "wikipedia_overseas_bases_2019.csv",
}
YEAR_ENDS = [dt.date(year, 12, 31) for year in (2014, 2015, 2016, 2017)]


def _store(tmp_path: Path, name: str, profiles: list[str], starter: bool):
    engine = make_engine(f"sqlite:///{tmp_path / f'{name}.sqlite'}")
    upgrade(engine)
    with writing(engine) as session:
        if starter:
            assert import_csv(session, STARTER.read_text(encoding="utf-8"), today=TODAY).ok
        for profile in profiles:
            result = import_profile(session, profile, shared_file(FILES[profile]), today=TODAY)
            assert not result.errors, result.errors[:3]
    return engine


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    for name in FILES.values():
        shared_file(name)
    tmp = tmp_path_factory.mktemp("combined")
    made = {
        "combined": _store(tmp, "combined", list(FILES), starter=True),
        "mdi": _store(tmp, "mdi", ["mdi"], starter=False),
        "geopko": _store(tmp, "geopko", ["geopko"], starter=False),
    }
    yield made
    for engine in made.values():
        engine.dispose()


def _pairs(engine, as_of: dt.date, filters: Filters | None = None) -> dict[tuple[str, str], dict]:
    with reading(engine) as session:
        frame = presence_as_of(session, as_of, filters)
    return {(r["deployer"], r["host"]): r for r in frame.to_dict("records")}


@pytest.mark.shared
@pytest.mark.parametrize(
    ("pair", "expected", "source"),
    [
        (("USA", "DEU"), 35729, "DMDC"),  # troopdata_country_year.csv, Germany 2019, troops_ad
        (("FRA", "DJI"), 1450, "IISS Military Balance"),  # mdi_iiss_deployments_2014_2021.csv, FRA Djibouti 2019
    ],
)
def test_a_base_list_without_numbers_keeps_the_figure(stores, pair, expected, source):
    """The Wikipedia pair (2019-09, no count) is newer than the figure: it confirms, never erases it."""
    row = _pairs(stores["combined"], dt.date(2019, 12, 31), Filters(deployers=(pair[0],), hosts=(pair[1],)))[pair]
    assert row["troops"] == expected
    assert row["status"] == "present"
    assert source in row["source_names"]
    assert row["last_report_date"] > row["figure_date"]  # confirmed after the figure's date


@pytest.mark.shared
def test_mdi_and_geopko_together_lie_between_them_alone(stores):
    """Every pair both datasets cover at a 2014-2017 year end: the combined figure lies between the
    two single-dataset figures (5 % slack), so one contingent is never counted twice."""
    checked = []
    for as_of in YEAR_ENDS:
        combined = _pairs(stores["combined"], as_of)
        mdi, geopko = _pairs(stores["mdi"], as_of), _pairs(stores["geopko"], as_of)
        for pair in mdi.keys() & geopko.keys():
            a, b = mdi[pair]["troops"], geopko[pair]["troops"]
            if pd.isna(a) or pd.isna(b):
                continue
            got = combined[pair]["troops"]
            assert min(a, b) * 0.95 <= got <= max(a, b) * 1.05, (pair, as_of, a, b, got)
            checked.append((pair, as_of, a > 0 and b > 0))
    assert len(checked) >= 30
    assert sum(both for *_, both in checked) == 15  # the 15 pairs both datasets show present


@pytest.mark.shared
def test_netherlands_in_mali_is_not_counted_twice(stores):
    row = _pairs(stores["combined"], dt.date(2017, 12, 31), Filters(deployers=("NLD",), hosts=("MLI",)))
    mdi = _pairs(stores["mdi"], dt.date(2017, 12, 31), Filters(deployers=("NLD",), hosts=("MLI",)))
    got, alone = row[("NLD", "MLI")]["troops"], mdi[("NLD", "MLI")]["troops"]
    assert got <= alone  # was 409 = MDI 258 + 1 + Geo-PKO 150
