"""Layer builders: ids, data and tooltips checked on the deck JSON the browser receives."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from core import presence, views
from core.store import reading
from dashboard import layers

AS_OF = dt.date(2019, 7, 1)
SHAPES = {
    "MLI": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
    "NER": {"type": "Polygon", "coordinates": [[[2, 0], [3, 0], [3, 1], [2, 0]]]},
    "VEN": {"type": "Polygon", "coordinates": [[[5, 0], [6, 0], [6, 1], [5, 0]]]},
}


def spec_of(*built) -> dict:
    return json.loads(layers.deck(list(built)).to_json())


@pytest.fixture
def fixture_view(fixture_engine):
    with reading(fixture_engine) as session:
        pairs, points = views.presence_and_points(session, AS_OF)
    return pairs, points, presence.totals(pairs, "host")


def test_deck_has_the_four_layers_in_order_and_no_base_map(fixture_view):
    pairs, points, hosts = fixture_view
    spec = spec_of(
        layers.countries_layer(),
        layers.presence_layer(hosts, SHAPES),
        layers.arcs_layer(pairs),
        layers.points_layer(points),
    )
    assert [layer["id"] for layer in spec["layers"]] == list(layers.LAYER_IDS)
    assert "mapProvider" not in spec  # map_provider=None: no tiles, no token, no request
    assert spec["layers"][0]["data"] == layers.COUNTRIES_URL


def test_presence_layer_sends_only_hosts_present_with_shades(fixture_view):
    _, _, hosts = fixture_view
    layer = spec_of(layers.presence_layer(hosts, SHAPES))["layers"][0]
    features = layer["data"]["features"]
    assert {f["properties"]["iso3"] for f in features} == {"MLI", "NER", "VEN"}
    mali = next(f for f in features if f["properties"]["iso3"] == "MLI")
    assert mali["properties"]["fill"] == layers.shade(1_788)
    assert mali["properties"]["tooltip"].startswith("Mali: 1,788 troops (foreign)")
    niger = next(f for f in features if f["properties"]["iso3"] == "NER")
    assert "~950 troops (800–1,100)" in niger["properties"]["tooltip"]
    assert "2 sources" in niger["properties"]["tooltip"]


def test_arcs_join_deployer_to_host_with_width_by_troops(fixture_view):
    pairs, _, _ = fixture_view
    data = spec_of(layers.arcs_layer(pairs))["layers"][0]["data"]
    present = pairs[pairs["status"] == "present"]
    expected = set(zip(present["deployer"], present["host"], strict=True))
    assert {(a["deployer"], a["host"]) for a in data} == expected
    by_pair = {(a["deployer"], a["host"]): a for a in data}
    assert by_pair[("USA", "DEU")]["width"] > by_pair[("RUS", "VEN")]["width"]
    assert by_pair[("RUS", "VEN")]["tooltip"].splitlines()[0] == "Russia → Venezuela"
    assert by_pair[("USA", "DEU")]["colour"] == layers.deployer_colour("USA")


def test_points_use_report_location_or_the_host_point(fixture_view):
    _, points, _ = fixture_view
    data = spec_of(layers.points_layer(points))["layers"][0]["data"]
    caracas = next(p for p in data if p["deployer"] == "RUS")
    assert caracas["position"] == [-66.904, 10.481]
    assert caracas["tooltip"].splitlines()[:2] == ["Russia in Venezuela", "Caracas"]
    germany = next(p for p in data if p["host"] == "DEU")
    assert germany["tooltip"].splitlines()[1] == "no coordinates given: drawn at the country's point"
    assert germany["radius"] > caracas["radius"]


def test_arcs_and_points_are_capped_so_the_deck_stays_small():
    pairs = pd.DataFrame(
        {
            "deployer": ["USA"] * 50,
            "host": ["DEU"] * 50,
            "troops": range(50),
            "troops_low": range(50),
            "troops_high": range(50),
            "sources": 1,
            "last_report_date": dt.date(2020, 1, 1),
            "status": "present",
        }
    )
    data = spec_of(layers.arcs_layer(pairs, limit=10))["layers"][0]["data"]
    assert len(data) == 10
    assert {a["tooltip"].splitlines()[1] for a in data} >= {"49 troops"}
    points = pairs.assign(location=None, mission=None, lat=50.0, lon=10.0, located=True)
    data = spec_of(layers.points_layer(points, limit=10))["layers"][0]["data"]
    assert len(data) == 10
    assert any("49 troops" in p["tooltip"] for p in data)  # the largest are the ones kept


def test_user_text_reaches_the_browser_as_text_only():
    points = pd.DataFrame(
        [
            {
                "deployer": "RUS",
                "host": "VEN",
                "location": "<img src=x onerror=alert(1)>",
                "mission": None,
                "lat": 10.0,
                "lon": -66.0,
                "located": True,
                "troops": 5,
                "troops_low": 5,
                "troops_high": 5,
                "sources": 1,
                "last_report_date": dt.date(2019, 1, 1),
            }
        ]
    )
    deck = layers.deck([layers.points_layer(points)])
    assert json.loads(deck.to_json())["layers"][0]["data"][0]["tooltip"].splitlines()[1].startswith("<img")
    assert set(layers.TOOLTIP) == {"text", "style"}  # innerText, never innerHTML


@pytest.mark.parametrize(
    ("troops", "expected"),
    [
        (5, layers.SHADES[0][1]),
        (10, layers.SHADES[1][1]),
        (999, layers.SHADES[2][1]),
        (35_000, layers.SHADES[4][1]),
        (2_000_000, layers.SHADES[5][1]),
        (None, layers.UNKNOWN_SHADE),
    ],
)
def test_shade_is_one_class_per_decade(troops, expected):
    assert layers.shade(troops)[:3] == list(expected)


def test_legend_covers_every_class_and_is_built_from_constants():
    labels = [label for label, _ in layers.legend()]
    assert labels == ["1–10", "10–100", "100–1k", "1k–10k", "10k–100k", "≥ 100k", "present, number unknown"]
    assert all(label in layers.legend_html() for label in labels)


@pytest.mark.parametrize(
    ("troops", "low", "high", "text"),
    [
        (1750, 1750, 1750, "1,750 troops"),
        (950, 800, 1100, "~950 troops (800–1,100)"),
        (pd.NA, pd.NA, pd.NA, "troops: number unknown"),
    ],
)
def test_troops_text(troops, low, high, text):
    assert layers.troops_text(troops, low, high) == text


@pytest.mark.parametrize(
    ("event", "focus"),
    [
        (None, None),
        ({"selection": {"indices": {}, "objects": {}}}, None),
        ({"selection": {"objects": {"presence": [{"properties": {"iso3": "MLI"}}]}}}, layers.Focus(country="MLI")),
        ({"selection": {"objects": {"countries": [{"properties": {"iso3": "FRA"}}]}}}, layers.Focus(country="FRA")),
        (
            {"selection": {"objects": {"arcs": [{"deployer": "USA", "host": "NER"}]}}},
            layers.Focus(deployer="USA", host="NER"),
        ),
        (
            {"selection": {"objects": {"points": [{"deployer": "RUS", "host": "VEN"}]}}},
            layers.Focus(deployer="RUS", host="VEN"),
        ),
    ],
)
def test_focus_of_a_selection(event, focus):
    assert layers.focus_of(event) == focus


def test_encoded_polygons_are_spliced_into_valid_json(fixture_view):
    _, _, hosts = fixture_view
    encoded = {code: layers.Encoded(shape) for code, shape in SHAPES.items()}
    plain = spec_of(layers.presence_layer(hosts, SHAPES))
    spliced = spec_of(layers.presence_layer(hosts, encoded))
    assert spliced == plain
    assert spliced["layers"][0]["data"]["features"][0]["geometry"]["type"] == "Polygon"
