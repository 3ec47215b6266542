"""Layer builders: ids, data and tooltips checked on the deck JSON the browser receives."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest

from core import countries, presence, views
from core.store import reading
from dashboard import layers

AS_OF = dt.date(2019, 7, 1)
SHAPES = {  # the presence layer ignores shapes now; kept to show the old call still works
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


def fill_of(expression: str, iso3: str) -> list[int]:
    """Evaluate the shading expression the way deck.gl does for a feature with this code: the
    builder only nests `(tests)?[colour]:rest` with `properties.iso3=='XXX'` tests joined by `||`."""
    assert expression.startswith("@@=")
    rest = expression[3:]
    while rest.startswith("("):
        match = re.fullmatch(r"\(([^)]*)\)\?(\[[\d,]+\]):(.*)", rest)
        assert match, rest[:80]
        codes = re.findall(r"properties\.iso3=='([A-Z]{3})'", match[1])
        assert "||".join(f"properties.iso3=='{c}'" for c in codes) == match[1]
        if iso3 in codes:
            return json.loads(match[2])
        rest = match[3]
    return json.loads(rest)


def test_map_deck_has_the_static_countries_and_borders_then_arcs_and_points(fixture_view):
    pairs, points, hosts = fixture_view
    spec = json.loads(layers.map_deck(layers.LAYER_IDS, hosts, pairs, points).to_json())
    assert [layer["id"] for layer in spec["layers"]] == ["countries", "borders", "arcs", "points"]
    assert "mapProvider" not in spec  # map_provider=None: no tiles, no token, no request
    countries, borders = spec["layers"][:2]
    assert countries["data"] == layers.COUNTRIES_URL  # the polygons never travel in the deck
    # Outlines by the LineLayer only: the GeoJsonLayer's own (a PathLayer) slow a software-GL load.
    assert countries["stroked"] is False
    assert (borders["@@type"], borders["data"]) == ("LineLayer", layers.BORDERS_URL)
    assert borders.get("pickable") is not True  # a hover on a border names the country under it
    assert borders["widthMaxPixels"] <= 1  # deck.gl 9 thickens lines as the map zooms in
    assert spec["initialViewState"] == {**layers.DEFAULT_VIEW}


def test_presence_shades_the_static_polygons_by_iso_code(fixture_view):
    pairs, _, hosts = fixture_view
    layer = spec_of(layers.countries_layer(hosts, pairs))["layers"][0]
    assert layer["data"] == layers.COUNTRIES_URL
    assert fill_of(layer["getFillColor"], "MLI") == layers.shade(1_788)
    assert fill_of(layer["getFillColor"], "DEU") == layers.shade(35_000)
    assert fill_of(layer["getFillColor"], "RUS") == [236, 233, 226, 255]  # no foreign troops: the base
    later = spec_of(layers.countries_layer(hosts.iloc[:1], pairs))["layers"][0]
    assert later["updateTriggers"]["getFillColor"] != layer["updateTriggers"]["getFillColor"]
    alone = spec_of(layers.presence_layer(hosts))["layers"][0]
    assert alone["id"] == "presence" and fill_of(alone["getFillColor"], "RUS") == [0, 0, 0, 0]


def test_host_tooltip_names_its_largest_deployers(fixture_view):
    pairs, _, hosts = fixture_view
    notes = layers.host_notes(hosts, pairs)
    assert set(notes) == set(hosts["host"])
    niger = notes["NER"].splitlines()
    assert niger[0] == "~950 troops (800–1,100) from abroad"
    assert niger[1] == "from 1 country: United States 950"
    assert "2 sources" in niger[2]
    template = layers.tooltip(notes)["html"]
    # The hovered feature's {iso3} names the one hidden block the style shows; {tooltip} is its name.
    assert template.startswith("<style>#gh span{display:none}#gh .g{iso3}{display:block}</style>{tooltip}")
    assert "<span class=gNER>~950 troops (800–1,100) from abroad\nfrom 1 country: United States 950" in template
    assert re.findall(r"{(\w+)}", template) == ["iso3", "tooltip"]  # no other placeholder
    assert layers.tooltip(None) == layers.TOOLTIP  # no shading: the plain text template


def test_host_notes_are_escaped_and_cannot_make_placeholders():
    template = layers.tooltip({"VEN": "<img src=x onerror=alert(1)> {tooltip}"})["html"]
    assert "<img" not in template and "&lt;img" in template
    assert re.findall(r"{(\w+)}", template) == ["iso3", "tooltip"]
    assert "VE'" not in layers.tooltip({"VE'": "x"})["html"]  # only ISO codes name a block


def synthetic(n_hosts: int = 240, per_host: int = 25) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Pairs, points and host totals as large as a 1 M-report store gives (every country a host)."""
    codes = [c.iso3 for c in countries.registry().by_iso3.values() if c.lat is not None][:n_hosts]
    rows = [
        {
            "deployer": codes[(i + j + 1) % len(codes)],
            "host": host,
            "troops": 10 + 37 * j * (i % 7 + 1),
            "troops_low": 5,
            "troops_high": 20_000,
            "sources": 3,
            "last_report_date": dt.date(2020, 1, 1),
            "status": "present",
            "conflict": False,
            "source_names": ("Outlet A", "Outlet B", "Outlet C"),
        }
        for i, host in enumerate(codes)
        for j in range(per_host)
    ]
    pairs = pd.DataFrame(rows)
    points = pairs.assign(location="Camp Somewhere", mission="Operation Long Name", lat=10.123456, lon=20.654321)
    points = points.assign(located=True)
    return pairs, points, presence.totals(pairs, "host")


def test_a_date_change_sends_under_100_kb_even_with_every_country_a_host():
    pairs, points, hosts = synthetic()
    deck = layers.map_deck(layers.LAYER_IDS, hosts, pairs, points)
    sent = len(deck.to_json().encode()) + len(json.dumps(deck._tooltip).encode())
    assert sent <= 100_000, sent
    spec = {layer["id"]: layer for layer in json.loads(deck.to_json())["layers"]}
    assert len(spec["arcs"]["data"]) == layers.MAX_ARCS
    assert len(spec["points"]["data"]) <= layers.MAX_POINTS + len(hosts)


def test_arcs_join_deployer_to_host_with_width_by_troops(fixture_view):
    pairs, _, _ = fixture_view
    data = spec_of(layers.arcs_layer(pairs))["layers"][0]["data"]
    present = pairs[pairs["status"] == "present"]
    expected = set(zip(present["deployer"], present["host"], strict=True))
    assert {(a["deployer"], a["host"]) for a in data} == expected
    by_pair = {(a["deployer"], a["host"]): a for a in data}
    assert by_pair[("USA", "DEU")]["width"] > by_pair[("RUS", "VEN")]["width"]
    assert by_pair[("RUS", "VEN")]["tooltip"].splitlines()[0] == "Russia → Venezuela"
    assert by_pair[("USA", "DEU")]["colour"][:3] == layers.deployer_colour("USA")[:3]
    # Direction: the deployer's colour at the source, one host colour at the target, for every arc.
    layer = spec_of(layers.arcs_layer(pairs))["layers"][0]
    assert layer["getTargetColor"] == "@@=[{},{},{},colour[3]]".format(*layers.HOST_END)
    assert [a["width"] for a in data] == sorted(a["width"] for a in data)  # the largest drawn last, on top


def test_beyond_the_largest_arcs_are_faint_and_great_circles(fixture_view):
    pairs, _, _ = fixture_view
    many = pd.concat([pairs] * 40, ignore_index=True)
    many["troops"] = range(len(many))
    layer = spec_of(layers.arcs_layer(many))["layers"][0]
    assert layer["greatCircle"] is True  # along the surface: nothing rises off the top of the map
    alphas = [a["colour"][3] for a in layer["data"]]
    assert alphas[-layers.FADE_AFTER :] == [230] * layers.FADE_AFTER
    assert set(alphas[: -layers.FADE_AFTER]) == {90}


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
    assert len(data) == 11  # the ten largest, then the other 40 as one point at the host's point
    assert any("49 troops" in p["tooltip"] for p in data)  # the largest are the ones kept
    grouped = data[0]  # drawn first: under the others
    assert grouped["tooltip"] == f"40 smaller deployments in Germany: {sum(range(40)):,} troops"
    assert "deployer" not in grouped and layers.focus_of({"selection": {"objects": {"points": [grouped]}}}) is None


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


def pixel(view: dict, lon: float, lat: float, width: int = 900, height: int = 520) -> tuple[float, float]:
    """Where (lon, lat) lands on a width x height Web Mercator map showing `view`."""
    world = 512 * 2 ** view["zoom"]
    y = layers._mercator(lat) - layers._mercator(view["latitude"])
    return width / 2 + (lon - view["longitude"]) / 360 * world, height / 2 + y * world


@pytest.mark.parametrize(
    "pairs",
    [
        [("FRA", "MLI")],
        [("FRA", "BRA")],  # wide rather than tall: the width decides the zoom
        [("USA", "DEU"), ("USA", "JPN")],
        [("GBR", "EST"), ("GBR", "CYP"), ("TUR", "QAT")],
    ],
)
@pytest.mark.parametrize("width", [358, 900, 1600])  # the map at 390 px (a phone), at 1400 px, full HD
def test_view_of_frames_every_deployer_and_host(pairs, width):
    frame = pd.DataFrame(pairs, columns=["deployer", "host"])
    view = json.loads(layers.view_of(frame).to_json())  # one view for every width: the server cannot know it
    spots = {
        code: pixel(view, countries.get(code).lon, countries.get(code).lat, width=width) for code in {*frame.stack()}
    }
    if (
        view["zoom"] == layers.DEFAULT_VIEW["zoom"]
        and max(x for x, _ in spots.values()) - min(x for x, _ in spots.values()) > width
    ):
        return  # wider than a phone shows of the world view (USA to Japan at 358 px): no framing can help
    for code, (x, y) in spots.items():
        assert 0 <= x <= width and 0 <= y <= 520, (code, x, y)
    assert view["zoom"] >= layers.DEFAULT_VIEW["zoom"]  # never further out than the world view


def test_view_of_nothing_is_the_world_view():
    assert json.loads(layers.view_of(pd.DataFrame(columns=["deployer", "host"])).to_json()) == layers.DEFAULT_VIEW
