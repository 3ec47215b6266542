"""Pure pydeck builders for the compare page: hosts shaded by net change on a diverging scale.

The country polygons are the static file the map page draws (fetched once, never resent): only a
colour per changed host travels with each rerun, as a deck.gl expression on the polygons' iso3.
"""

from __future__ import annotations

import hashlib
import math
import re

import pandas as pd
import pydeck as pdk

from core import countries
from dashboard.layers import COUNTRIES_URL, swatches_html

# Diverging classes by the size of the net change, one per decade (fixed, so a colour means the same
# number for every pair of dates): more troops in warm tones, fewer in cool ones (ColorBrewer RdBu).
MORE = ((1, (253, 219, 199)), (100, (244, 165, 130)), (1_000, (214, 96, 77)), (10_000, (178, 24, 43)))
FEWER = ((1, (209, 229, 240)), (100, (146, 197, 222)), (1_000, (67, 147, 195)), (10_000, (33, 102, 172)))
NO_CHANGE = (247, 247, 247)
UNKNOWN = (189, 189, 204)
BASE_FILL = [236, 233, 226, 255]
ISO3 = re.compile(r"^[A-Z]{3}$")
KIND_WORDS = {
    "arrived": "arrived",
    "left": "left",
    "grew": "grew",
    "shrank": "shrank",
    "unchanged": "unchanged",
    "unknown": "number unknown",
}


def change_colour(change) -> list[int]:
    """RGBA for a host's net change: warm for more troops, cool for fewer, light for none."""
    if change is None or pd.isna(change):
        return [*UNKNOWN, 220]
    if change == 0:
        return [*NO_CHANGE, 230]
    classes = MORE if change > 0 else FEWER
    rgb = classes[0][1]
    for floor, colour in classes:
        if abs(change) >= floor:
            rgb = colour
    return [*rgb, 230]


def signed(change) -> str:
    """'+1,788', '−950' (a real minus sign), '0', 'unknown'."""
    if change is None or pd.isna(change):
        return "unknown"
    change = int(change)
    return f"+{change:,}" if change > 0 else (f"−{-change:,}" if change < 0 else "0")


def _fill_expression(hosts: pd.DataFrame) -> str:
    """A deck.gl expression colouring each changed host by its iso3, the rest as the base map."""
    expression = str(BASE_FILL)
    for row in hosts.itertuples(index=False):
        if not ISO3.match(str(row.host)):  # codes come from the store; only plain codes enter an expression
            continue
        expression = f"(properties.iso3 == '{row.host}' ? {change_colour(row.change)} : {expression})"
    return expression


def shaded_countries_layer(hosts: pd.DataFrame, url: str = COUNTRIES_URL) -> pdk.Layer:
    """The static country polygons, hosts shaded by net change (core.changes.host_changes rows)."""
    expression = _fill_expression(hosts)
    return pdk.Layer(
        "GeoJsonLayer",
        data=url,
        id="countries",
        pickable=True,
        stroked=False,  # the outlines are layers.borders_layer
        filled=True,
        get_fill_color=expression,
        # The polygons do not change, only the colours: recolour when the expression does.
        update_triggers={"getFillColor": hashlib.sha1(expression.encode()).hexdigest()[:16]},
    )


def _kinds_text(row) -> str:
    parts = [f"{int(getattr(row, k))} {KIND_WORDS[k]}" for k in KIND_WORDS if int(getattr(row, k, 0) or 0)]
    return ", ".join(parts) + (" (pairs)" if parts else "")


def change_points_layer(hosts: pd.DataFrame) -> pdk.Layer:
    """A dot per changed host at its drawing point, sized by the change, with the change as text."""
    data = []
    registry = countries.registry().by_iso3
    for row in hosts.itertuples(index=False):
        if not pd.isna(row.change) and row.change == 0:
            continue  # the polygon's shade says "no change"; a dot would only add clutter
        country = registry.get(row.host)
        if country is None or country.lat is None or country.lon is None:
            continue
        size = 0 if pd.isna(row.change) else abs(int(row.change))
        data.append(
            {
                "host": row.host,
                "position": [round(country.lon, 3), round(country.lat, 3)],
                "radius": round(1_500 * math.sqrt(max(size, 1))),
                "colour": change_colour(row.change),
                "tooltip": f"{row.host_name}: {signed(row.change)} troops\n{_kinds_text(row)}",
            }
        )
    return pdk.Layer(
        "ScatterplotLayer",
        data=data,
        id="changes",
        pickable=True,
        get_position="position",
        get_radius="radius",
        get_fill_color="colour",
        get_line_color=[60, 60, 60, 220],
        stroked=True,
        line_width_min_pixels=1,
        radius_min_pixels=4,
        radius_max_pixels=36,
    )


def legend() -> list[tuple[str, list[int]]]:
    """(label, RGBA) per class of the diverging scale: most fewer first, most more last."""

    def short(n: int) -> str:
        return f"{n // 1000:,}k" if n >= 1000 else f"{n:,}"

    floors = [floor for floor, _ in MORE]
    spans = [f"{short(low)}–{short(high)}" for low, high in zip(floors, floors[1:], strict=False)] + [
        f"{short(floors[-1])} or more"
    ]
    fewer = [(f"−{span}", change_colour(-floor)) for span, floor in zip(spans, floors, strict=True)][::-1]
    more = [(f"+{span}", change_colour(floor)) for span, floor in zip(spans, floors, strict=True)]
    return [*fewer, ("no change", change_colour(0)), *more, ("present, number unknown", change_colour(None))]


def legend_html() -> str:
    """The legend as HTML built only from the fixed classes above (never from user data)."""
    swatches = swatches_html(legend())
    return (
        f'<div style="font-size:0.85rem;line-height:1.8"><b>Net change in foreign troops per host</b>: {swatches}</div>'
    )
