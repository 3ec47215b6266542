"""dashboard.data: the static polygons and the downloads (plain functions, no page needed)."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import os

from core.domain import CSV_COLUMNS
from core.filters import Filters
from dashboard import data
from tests.conftest import FIXTURE_CSV

TINY = ["BHR", "SGP", "DJI", "MLT", "QAT", "CYP"]


def test_polygons_are_published_once_with_a_tooltip_and_tiny_states(tmp_path):
    target = tmp_path / "static" / "countries.geojson"
    data.publish_polygons(target=target)
    features = json.loads(target.read_text(encoding="utf-8"))["features"]
    by_code = {f["properties"]["iso3"]: f for f in features}
    assert set(TINY) <= set(by_code)
    assert by_code["MLT"]["properties"]["tooltip"] == "Malta"
    stamp = target.stat().st_mtime_ns
    data.publish_polygons(target=target)
    assert target.stat().st_mtime_ns == stamp  # up to date: not rewritten


def test_the_borders_are_published_beside_the_polygons_each_edge_once(tmp_path):
    import shapely
    from shapely.geometry import shape

    target = tmp_path / "static" / "countries.geojson"
    data.publish_polygons(target=target)
    features = json.loads(target.read_text(encoding="utf-8"))["features"]
    segments = json.loads(data.borders_path(target).read_text(encoding="utf-8"))
    assert data.borders_path(target).name == "borders.json"
    edges = [(tuple(s["s"]), tuple(s["t"])) for s in segments]
    assert len({frozenset(edge) for edge in edges}) == len(edges)  # a shared border once
    vertices = {tuple(xy) for f in features for xy in shapely.get_coordinates(shape(f["geometry"])).tolist()}
    assert {point for edge in edges for point in edge} == vertices  # every outline, nothing else
    data.borders_path(target).unlink()
    data.publish_polygons(target=target)
    assert json.loads(data.borders_path(target).read_text(encoding="utf-8")) == segments  # missing: redone


def test_polygons_are_republished_when_the_source_is_newer(tmp_path):
    target = tmp_path / "countries.geojson"
    target.write_text("{}")
    os.utime(target, (0, 0))
    data.publish_polygons(target=target)
    assert json.loads(target.read_text(encoding="utf-8"))["features"]


def test_the_app_serves_the_polygons_from_its_static_folder():
    assert data.STATIC_POLYGONS.parent.name == "static"
    assert data.STATIC_POLYGONS.parent.parent.joinpath("app.py").exists()


def test_csv_download_is_exactly_the_filtered_reports(fixture_db_url):
    body = data.export(fixture_db_url, dt.date(2019, 7, 1), Filters(deployers=("FRA",)), None, "", "csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {r["deployer"] for r in rows} == {"FRA"}
    assert all(r["date"] <= "2019-07-01" for r in rows)
    with FIXTURE_CSV.open(encoding="utf-8") as f:
        expected = [r for r in csv.DictReader(f) if r["deployer"] == "FRA" and r["date"] <= "2019-07-01"]
    assert len(rows) == len(expected)  # the 2022 withdrawal is after the date


def test_geojson_download_has_points_with_properties(fixture_db_url):
    body = data.export(fixture_db_url, dt.date(2024, 12, 31), Filters(), (("RUS", "VEN"),), "", "geojson")
    collection = json.loads(body)
    assert collection["type"] == "FeatureCollection"
    first = collection["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [-66.9036, 10.4806]}
    assert first["properties"]["source_name"] == "Interfax"


def test_the_browser_copy_is_lighter_and_keeps_every_country(tmp_path):
    import shapely
    from shapely.geometry import shape

    target = tmp_path / "countries.geojson"
    data.publish_polygons(target=target)
    source = {f["properties"]["iso3"]: f for f in json.loads(data.polygons().read_text(encoding="utf-8"))["features"]}
    published = {f["properties"]["iso3"]: f for f in json.loads(target.read_text(encoding="utf-8"))["features"]}
    assert published.keys() == source.keys()
    assert target.stat().st_size < 0.7 * data.polygons().stat().st_size
    for code in TINY:
        light, full = shape(published[code]["geometry"]), shape(source[code]["geometry"])
        assert not light.is_empty and light.area >= 0.5 * full.area, code
    coordinates = shapely.get_coordinates(shape(published["FRA"]["geometry"]))
    assert (abs(coordinates * 100 - (coordinates * 100).round()) < 1e-6).all()  # rounded to 0.01 degree


def test_the_first_complete_page_run_hides_the_loaded_app_from_the_collector(app):
    # Streamlit collects every generation after each run; frozen, the libraries and caches are not walked.
    gc.unfreeze()
    data._heap_settled = False
    try:
        app()
        assert data._heap_settled and gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # the rest of this test process collects as before
