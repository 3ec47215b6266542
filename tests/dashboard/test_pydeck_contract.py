"""dashboard.layers.CompactDeck leans on pydeck's json_tools.default_serialize, which pydeck does not
document: these tests fail, naming it, as soon as a pydeck release changes what it does."""

from __future__ import annotations

import json

import pydeck as pdk

from dashboard import layers

SHAPE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}


def _layers() -> list[pdk.Layer]:
    """Layers with the attribute kinds the map uses: snake_case keys, accessors, inline data, a URL."""
    feature = {"type": "Feature", "geometry": SHAPE, "properties": {"iso3": "MLI", "fill": [1, 2, 3]}}
    return [
        layers.countries_layer(),
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": [feature]},
            id="presence",
            get_fill_color="properties.fill",
            pickable=True,
            auto_highlight=True,
        ),
        pdk.Layer(
            "ArcLayer",
            [{"s": [0, 0], "t": [1, 1], "w": 2}],
            id="arcs",
            get_source_position="s",
            get_target_position="t",
            get_width="w",
        ),
    ]


def test_compact_deck_writes_what_pydeck_writes():
    """Same JSON value as pydeck's own Deck.to_json (its public output), only without indentation."""
    ours = layers.deck(_layers())
    assert json.loads(ours.to_json()) == json.loads(pdk.Deck.to_json(ours))
    assert "\n" not in ours.to_json()


def test_encoded_values_are_spliced_in_unchanged():
    encoded = layers.Encoded({"MLI": SHAPE})
    spec = json.loads(layers.deck([pdk.Layer("GeoJsonLayer", encoded, id="presence")]).to_json())
    assert spec["layers"][0]["data"] == {"MLI": SHAPE}


def test_the_private_serializer_still_has_the_shape_compact_deck_expects():
    from pydeck.bindings import json_tools

    layer = pdk.Layer("ArcLayer", [], id="x", get_source_position="s")
    attrs = json_tools.default_serialize(layer)  # camelCase keys, None values and private keys dropped
    assert attrs["getSourcePosition"] == "@@=s" and attrs["id"] == "x" and "_kwargs" not in attrs
