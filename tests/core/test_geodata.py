"""Checks on the committed country data built by ``scripts/build_geodata.py``."""

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import shape

REPO_ROOT = Path(__file__).resolve().parents[2]
GEOJSON = REPO_ROOT / "core" / "data" / "countries.geojson"
CSV = REPO_ROOT / "core" / "data" / "countries.csv"

MAX_BYTES = 1.5 * 1024 * 1024

# Small states that aggressive simplification would erase, plus a few large or multi-part countries.
REQUIRED = "BHR SGP DJI MLT QAT CYP XKX FRA NOR USA RUS AND LIE MCO SMR VAT LUX MDV TUV".split()


@pytest.fixture(scope="module")
def features():
    return json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def rows():
    with CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_geojson_size():
    assert GEOJSON.stat().st_size < MAX_BYTES


def test_feature_properties(features):
    assert features
    for feat in features:
        assert set(feat["properties"]) == {"iso3", "name"}
        assert feat["properties"]["name"]
    codes = Counter(f["properties"]["iso3"] for f in features)
    assert [c for c, n in codes.items() if n > 1] == []


@pytest.mark.parametrize("iso3", REQUIRED)
def test_country_has_one_valid_feature(features, iso3):
    matches = [f for f in features if f["properties"]["iso3"] == iso3]
    assert len(matches) == 1
    geom = shape(matches[0]["geometry"])
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert not geom.is_empty
    assert geom.is_valid
    assert geom.area > 0


def test_csv_columns(rows):
    assert rows
    assert list(rows[0]) == ["iso3", "name", "lat", "lon", "continent", "region", "subregion", "iso"]


def test_csv_row_for_every_feature(features, rows):
    feature_codes = {f["properties"]["iso3"] for f in features}
    csv_codes = {r["iso3"] for r in rows}
    assert feature_codes - csv_codes == set()


def test_csv_lat_lon_in_range(rows):
    for r in rows:
        assert -90 <= float(r["lat"]) <= 90, r
        assert -180 <= float(r["lon"]) <= 180, r


def test_csv_codes_unique(rows):
    codes = Counter(r["iso3"] for r in rows)
    assert [c for c, n in codes.items() if n > 1] == []
    iso_codes = [r["iso3"] for r in rows if r["iso"] == "1"]
    assert len(iso_codes) == len(set(iso_codes))
    assert {r["iso"] for r in rows} <= {"0", "1"}
