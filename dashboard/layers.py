"""Pure pydeck builders for the map: explicit layer ids, data computed here, text-only tooltips."""

from __future__ import annotations

import json
import math
import re
import secrets
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize  # private: tests/dashboard/test_pydeck_contract.py

from core import countries

COUNTRIES_URL = "app/static/countries.geojson"
# One template for every layer: each object carries its own `tooltip` text (innerText, never HTML).
TOOLTIP = {"text": "{tooltip}", "style": {"whiteSpace": "pre-line", "fontSize": "13px"}}
LAYER_IDS = ("countries", "presence", "arcs", "points")

# Fixed decade classes (not relative to the data) so a colour means the same number at every date.
SHADES = (
    (1, (254, 230, 206)),
    (10, (253, 190, 133)),
    (100, (253, 141, 60)),
    (1_000, (230, 85, 13)),
    (10_000, (166, 54, 3)),
    (100_000, (99, 32, 2)),
)
UNKNOWN_SHADE = (189, 189, 204)
# Tableau 10: distinct enough for neighbouring arcs; a deployer keeps its colour across dates.
PALETTE = (
    (78, 121, 167),
    (242, 142, 43),
    (225, 87, 89),
    (118, 183, 178),
    (89, 161, 79),
    (237, 201, 72),
    (176, 122, 161),
    (255, 157, 167),
    (156, 117, 95),
    (186, 176, 172),
)
# Most arcs and points drawn: beyond this the map is unreadable and the deck JSON grows without bound.
MAX_ARCS = 600
MAX_POINTS = 1_000


def shade(troops) -> list[int]:
    """RGBA fill for a host's total foreign troops (log scale, one class per decade)."""
    if troops is None or pd.isna(troops):
        return [*UNKNOWN_SHADE, 200]
    rgb = SHADES[0][1]
    for floor, colour in SHADES:
        if troops >= floor:
            rgb = colour
    return [*rgb, 210]


def legend() -> list[tuple[str, list[int]]]:
    """(label, RGBA) per class of the presence shading, smallest first."""
    labels = []
    for i, (floor, _) in enumerate(SHADES):
        upper = SHADES[i + 1][0] if i + 1 < len(SHADES) else None
        label = f"{_short(floor)}–{_short(upper)}" if upper else f"≥ {_short(floor)}"
        labels.append((label, shade(floor)))
    labels.append(("present, number unknown", shade(None)))
    return labels


def legend_html() -> str:
    """The shading legend as HTML built only from the fixed classes above (never from user data)."""
    swatches = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:14px">'
        f'<span style="width:14px;height:14px;margin-right:5px;border:1px solid #999;'
        f'background:rgb({r},{g},{b})"></span>{label}</span>'
        for label, (r, g, b, _) in legend()
    )
    return (
        f'<div style="font-size:0.85rem;line-height:1.8"><b>Foreign troops per host</b> (log scale): {swatches}</div>'
    )


def deployer_colour(iso3: str) -> list[int]:
    return [*PALETTE[zlib.crc32(iso3.encode()) % len(PALETTE)], 170]


def _short(n: int) -> str:
    return f"{n // 1000:,}k" if n >= 1000 and n % 1000 == 0 else f"{n:,}"


def troops_text(troops, low, high) -> str:
    """'1,750 troops', '~950 troops (800–1,100)' when sources disagree, 'troops: number unknown'."""
    if troops is None or pd.isna(troops):
        return "troops: number unknown"
    text = f"{int(troops):,} troops"
    if not (pd.isna(low) or pd.isna(high)) and int(low) != int(high):
        text = f"~{text} ({int(low):,}–{int(high):,})"
    return text


def _evidence(sources, last_report_date) -> str:
    count = int(sources) if not pd.isna(sources) else 0
    return f"{count} source{'s' if count != 1 else ''} · last report {last_report_date}"


def countries_layer(url: str = COUNTRIES_URL) -> pdk.Layer:
    """The base map: every country's polygon, fetched once from the static file."""
    return pdk.Layer(
        "GeoJsonLayer",
        data=url,
        id="countries",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color=[236, 233, 226, 255],
        get_line_color=[150, 150, 150, 255],
        line_width_min_pixels=0.5,
    )


def presence_layer(hosts: pd.DataFrame, shapes: Mapping[str, dict | Encoded]) -> pdk.Layer:
    """Hosts shaded by total foreign troops; only hosts present are sent, with their polygons."""
    features = []
    for row in hosts.itertuples(index=False):
        geometry = shapes.get(row.host)
        if geometry is None:
            continue
        deployers = int(row.deployers)
        tooltip = "\n".join(
            [
                f"{row.host_name}: {troops_text(row.troops, row.troops_low, row.troops_high)} (foreign)",
                f"{deployers} deploying countr{'ies' if deployers != 1 else 'y'}",
                _evidence(row.sources, row.last_report_date),
            ]
        )
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"iso3": row.host, "fill": shade(row.troops), "tooltip": tooltip},
            }
        )
    return pdk.Layer(
        "GeoJsonLayer",
        data={"type": "FeatureCollection", "features": features},
        id="presence",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[120, 120, 120, 255],
        line_width_min_pixels=0.5,
    )


def _point(iso3: str) -> list[float] | None:
    country = countries.registry().by_iso3.get(iso3)
    if country is None or country.lat is None or country.lon is None:
        return None
    return [round(country.lon, 3), round(country.lat, 3)]


def _largest(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    return frame.sort_values("troops", ascending=False, na_position="last").head(limit)


def arcs_layer(pairs: pd.DataFrame, limit: int = MAX_ARCS) -> pdk.Layer:
    """Deployer → host arcs of the pairs present; width by troops (log), colour by deployer."""
    present = _largest(pairs[pairs["status"] == "present"], limit)
    data = []
    for row in present.itertuples(index=False):
        source, target = _point(row.deployer), _point(row.host)
        if source is None or target is None:
            continue
        troops = 0 if pd.isna(row.troops) else int(row.troops)
        data.append(
            {
                "deployer": row.deployer,
                "host": row.host,
                "source": source,
                "target": target,
                "width": round(0.5 + 0.9 * math.log10(max(troops, 1)), 1),
                "colour": deployer_colour(row.deployer),
                "tooltip": "\n".join(
                    [
                        f"{countries.name_of(row.deployer)} → {countries.name_of(row.host)}",
                        troops_text(row.troops, row.troops_low, row.troops_high),
                        _evidence(row.sources, row.last_report_date),
                    ]
                ),
            }
        )
    return pdk.Layer(
        "ArcLayer",
        data=data,
        id="arcs",
        pickable=True,
        get_source_position="source",
        get_target_position="target",
        get_source_color="colour",
        get_target_color="colour",
        get_width="width",
        width_units="pixels",
        great_circle=True,
    )


def points_layer(points: pd.DataFrame, limit: int = MAX_POINTS) -> pdk.Layer:
    """Where the troops are: report locations, else the host's point; area by troops."""
    data = []
    for row in _largest(points, limit).itertuples(index=False):
        troops = 0 if pd.isna(row.troops) else int(row.troops)
        place = ", ".join(t for t in (row.mission, row.location) if isinstance(t, str) and t)
        where = "no coordinates given: drawn at the country's point" if not row.located else ""
        data.append(
            {
                "deployer": row.deployer,
                "host": row.host,
                "position": [round(float(row.lon), 3), round(float(row.lat), 3)],
                "radius": round(1_500 * math.sqrt(max(troops, 1))),
                "colour": deployer_colour(row.deployer),
                "tooltip": "\n".join(
                    line
                    for line in [
                        f"{countries.name_of(row.deployer)} in {countries.name_of(row.host)}",
                        place,
                        where,
                        troops_text(row.troops, row.troops_low, row.troops_high),
                        _evidence(row.sources, row.last_report_date),
                    ]
                    if line
                ),
            }
        )
    return pdk.Layer(
        "ScatterplotLayer",
        data=data,
        id="points",
        pickable=True,
        get_position="position",
        get_radius="radius",
        get_fill_color="colour",
        get_line_color=[40, 40, 40, 200],
        stroked=True,
        line_width_min_pixels=1,
        radius_min_pixels=3,
        radius_max_pixels=40,
    )


class Encoded:
    """A value JSON-encoded once (a country's polygons) and spliced verbatim into every deck JSON.

    Encoding the host polygons' floats on each rerun cost ~0.27 s with 239 hosts; splicing costs ~0.01 s.
    """

    __slots__ = ("text",)

    def __init__(self, value) -> None:
        self.text = json.dumps(value, separators=(",", ":"))


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation (pydeck indents by 2: polygons grow 6x) and whose
    Encoded values are spliced in rather than re-encoded."""

    def to_json(self) -> str:
        nonce, pieces = secrets.token_hex(16), []

        def default(value):
            if isinstance(value, Encoded):
                pieces.append(value.text)
                return f"{nonce}{len(pieces) - 1}"
            return default_serialize(value)

        text = json.dumps(self, sort_keys=True, default=default, separators=(",", ":"))
        # A fresh random nonce per call: no text from a report can forge a splice point.
        return re.sub(f'"{nonce}(\\d+)"', lambda m: pieces[int(m.group(1))], text) if pieces else text


def deck(layers: list[pdk.Layer], height: int = 520) -> pdk.Deck:
    """The map: no base-map provider (offline, no token), our own polygons as the first layer."""
    return CompactDeck(
        layers=layers,
        map_provider=None,
        initial_view_state=pdk.ViewState(latitude=25, longitude=15, zoom=1.1),
        tooltip=TOOLTIP,
        height=height,
    )


@dataclass(frozen=True)
class Focus:
    """What a click on the map picked: a country (either role) or one deployer → host pair."""

    country: str | None = None
    deployer: str | None = None
    host: str | None = None

    def describe(self) -> str:
        if self.country:
            return f"{countries.name_of(self.country)} (as deployer or host)"
        return f"{countries.name_of(self.deployer)} in {countries.name_of(self.host)}"


def focus_of(event) -> Focus | None:
    """The Focus of a pydeck selection event (`{"selection": {"objects": {layer_id: [object]}}}`)."""
    if not event:
        return None
    objects = (event.get("selection") or {}).get("objects") or {}
    for layer_id, picked in objects.items():
        if not picked:
            continue
        obj = picked[0] or {}
        if layer_id in ("countries", "presence"):
            code = (obj.get("properties") or {}).get("iso3")
            if code:
                return Focus(country=code)
        elif obj.get("deployer") and obj.get("host"):
            return Focus(deployer=obj["deployer"], host=obj["host"])
    return None
