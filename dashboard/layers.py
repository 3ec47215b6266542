"""Pure pydeck builders for the map: explicit layer ids, data computed here, text-only tooltips."""

from __future__ import annotations

import functools
import html
import json
import math
import re
import secrets
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize  # private: tests/dashboard/test_pydeck_contract.py

from core import countries

COUNTRIES_URL = "app/static/countries.geojson"
BORDERS_URL = "app/static/borders.json"  # the polygons' edges, published beside them (dashboard/data.py)
# One template for every layer: each object carries its own `tooltip` text (innerText, never HTML).
TOOLTIP = {"text": "{tooltip}", "style": {"whiteSpace": "pre-line", "fontSize": "13px"}}
# What the user can switch on and off. "countries" and "presence" are one deck layer (id "countries"):
# the static polygons, drawn as the base map and/or shaded by presence.
LAYER_IDS = ("countries", "presence", "arcs", "points")
DEFAULT_VIEW = {"latitude": 25, "longitude": 15, "zoom": 1.1}

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
# Most arcs and points drawn: beyond this the map is a hairball and each date change sends more than
# the 100 kB budget (an arc or a point costs ~150 bytes with its tooltip).
MAX_ARCS = 120
MAX_POINTS = 100
# Hosts whose smaller points are drawn as one grouped point (the largest groups; every host's total
# is in its shading and tooltip anyway).
MAX_GROUPED = 30
# Arcs beyond the largest FADE_AFTER are drawn faint.
FADE_AFTER = 60
# Where an arc ends: every arc fades from its deployer's colour to this at the host.
HOST_END = (120, 20, 20)
# The points of smaller deployments grouped per host beyond MAX_POINTS.
GROUPED = (120, 120, 120)


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


def swatches_html(classes: list[tuple[str, list[int]]]) -> str:
    """Colour swatches with their labels, for a legend built only from fixed classes (never user data)."""
    return "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:14px">'
        f'<span style="width:14px;height:14px;margin-right:5px;border:1px solid #999;'
        f'background:rgb({r},{g},{b})"></span>{label}</span>'
        for label, (r, g, b, *_) in classes
    )


def legend_html() -> str:
    """The shading legend as HTML built only from the fixed classes above (never from user data)."""
    swatches = swatches_html(legend())
    end = "rgb({},{},{})".format(*HOST_END)
    arcs = (
        '<span style="display:inline-flex;align-items:center;margin-right:14px">'
        f'<span style="width:44px;height:4px;margin-right:5px;background:linear-gradient(90deg,{{start}},{end})">'
        "</span>arc: deployer (its colour) → host (dark red); width by troops, the largest on top, "
        f"small ones faint; at most {MAX_ARCS} drawn</span>"
    ).replace("{start}", "rgb({},{},{})".format(*PALETTE[0]))
    dots = (
        '<span style="display:inline-flex;align-items:center;margin-right:14px">'
        '<span style="width:12px;height:12px;border-radius:50%;margin-right:5px;border:1px solid #333;'
        'background:rgb({},{},{})"></span>point: where troops are (area by troops; grey: smaller ones '
        "grouped per host)</span>"
    ).format(*PALETTE[0])
    return (
        f'<div style="font-size:0.85rem;line-height:1.8"><b>Foreign troops per host</b> (log scale): {swatches}'
        f"<br>{arcs}{dots}</div>"
    )


# deck.gl puts its tooltip right of and below the pointer, whatever the room: near the map's right or
# bottom edge it ran off the map (Japan at 1400 px). This moves it to the pointer's left / up by the
# overflow, through the CSS `translate` property, which adds to the `transform` deck.gl positions it
# with. Our own constant script (no report text): the only st.html that runs JavaScript.
TOOLTIP_FIT = """<script>(() => {
  if (window.garrisonTooltipFit) return;
  window.garrisonTooltipFit = true;
  const fit = (tip) => {
    const at = /translate\\((-?[\\d.]+)px, (-?[\\d.]+)px\\)/.exec(tip.style.transform);
    const room = tip.parentElement;
    if (!at || !room || tip.style.display === "none") return;
    const [x, y] = [Number(at[1]), Number(at[2])];
    const dx = x + tip.offsetWidth > room.clientWidth ? -Math.min(tip.offsetWidth + 16, x) : 0;
    const dy = Math.max(Math.min(0, room.clientHeight - y - tip.offsetHeight), -y);
    const wanted = dx || dy ? `${dx}px ${dy}px` : "";
    if (tip.style.translate !== wanted) tip.style.translate = wanted;
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.target.classList && change.target.classList.contains("deck-tooltip")) fit(change.target);
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["style"]});
})();</script>"""


def bundle_preload_html() -> str:
    """A script that starts fetching Streamlit's deck.gl bundle (DeckGlJsonChart, ~3 MB) at once, and a
    style that hides its own empty element; "" when the installed Streamlit has no single such file.

    The browser asks for that bundle only when the map element arrives, after the page's queries, and
    then fetches it from the same Python process that is still running the page (and on a cold server
    reading the store). Sent first, the bundle is fetched and compiled meanwhile, as Streamlit's own
    index.html does for its start-up modules (`<link rel=modulepreload>`). Our constant code only.
    Served by dashboard/server.py, a map page's index.html names the bundle already (preload_links);
    this is for a visit that opened on another page, or an app run by plain `streamlit run app.py`.
    """
    names = _deck_bundles()
    if len(names) != 1:
        return ""
    return (
        "<style>[data-testid='stElementContainer']:has(#garrison-preload){display:none}</style>"
        "<span id=garrison-preload></span><script>(() => {"
        "if (document.querySelector('link[data-garrison]')) return;"
        "const link = Object.assign(document.createElement('link'), "
        f"{{rel: 'modulepreload', crossOrigin: '', href: './static/js/{names[0]}'}});"
        "link.dataset.garrison = ''; document.head.append(link);})();</script>"
    )


def preload_links() -> str:
    """<link> tags that fetch deck.gl's bundle and the country polygons as the page opens (see
    dashboard/preload.py). Each request is made as the map makes it later (a module; the stylesheet in
    CORS mode, as Streamlit's loader asks for it; the polygons as deck.gl fetches them), or the browser
    would fetch it again."""
    names = _deck_bundles()
    links = [
        f'<link rel="preload" as="fetch" crossorigin="anonymous" href="./{url}">'
        for url in (COUNTRIES_URL, BORDERS_URL)
    ]
    if len(names) == 1:
        links.append(f'<link rel="modulepreload" crossorigin href="./static/js/{names[0]}" data-garrison>')
        links += [f'<link rel="modulepreload" crossorigin href="./static/js/{name}">' for name in _deck_imports()]
        # The stylesheet itself, not a preload: a preload not used within 3 s of the page's load event (the
        # map comes later on a slow machine) draws a console warning, and Streamlit's loader adds no second
        # link for a stylesheet already there.
        links += [f'<link rel="stylesheet" crossorigin href="./static/css/{name}">' for name in _deck_styles()]
    return "".join(links)


@functools.cache
def _deck_imports() -> tuple[str, ...]:
    """The modules deck.gl's bundle imports once it runs (its WebGL device among them): each would be
    one more round trip to the busy server after the bundle, were it not preloaded. Read from the
    bundle's dependency map (its first line, as Streamlit's build writes it); none if that changed."""
    import streamlit

    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js" / _deck_bundles()[0]
    code = bundle.read_text(encoding="utf-8")
    found = re.search(r"__vite__mapDeps=.*?\[([^\]]*)\]", code[:4096])
    names = re.findall(r'"\./([\w.-]+\.js)"', found.group(1)) if found else []
    # The WebGL device is imported by name (WebGPU, unused by the map, is left out).
    names += sorted(set(re.findall(r"import\(`\./(webgl-device\.[\w-]+\.js)`\)", code)))
    return tuple(n for n in dict.fromkeys(names) if (bundle.parent / n).is_file())


@functools.cache
def _deck_styles() -> tuple[str, ...]:
    import streamlit

    folder = Path(streamlit.__file__).parent / "static" / "static" / "css"
    return tuple(sorted(p.name for p in folder.glob("DeckGlJsonChart.*.css") if re.fullmatch(r"[\w.-]+", p.name)))


@functools.cache
def _deck_bundles() -> list[str]:
    import streamlit

    folder = Path(streamlit.__file__).parent / "static" / "static" / "js"
    return sorted(p.name for p in folder.glob("DeckGlJsonChart.*.js") if re.fullmatch(r"[\w.-]+", p.name))


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


def countries_layer(
    hosts: pd.DataFrame | None = None,
    pairs: pd.DataFrame | None = None,
    url: str = COUNTRIES_URL,
    base: bool = True,
    layer_id: str = "countries",
) -> pdk.Layer:
    """Every country's polygon, fetched once from the static file; with `hosts`, hosts shaded by
    their foreign troops.

    The shading is a deck.gl expression over the feature's ISO code (a few bytes per host), so a new
    date sends no polygon: the file stays loaded in the browser. `base=False` leaves non-hosts
    transparent (the base map switched off, the shading kept).
    """
    base_fill = [236, 233, 226, 255] if base else [0, 0, 0, 0]
    fill: str | list[int] = base_fill
    if hosts is not None and not hosts.empty:
        fill = shade_expression(hosts, base_fill)
    return pdk.Layer(
        "GeoJsonLayer",
        data=url,
        id=layer_id,
        pickable=True,
        stroked=False,  # the outlines are borders_layer
        filled=True,
        get_fill_color=fill,
        # deck.gl compares accessor functions by identity, not by text: a changed shading needs a trigger.
        update_triggers={"getFillColor": zlib.crc32(str(fill).encode())},
    )


def borders_layer() -> pdk.Layer:
    """Every country's outline, drawn over the polygons from their own static file.

    A LineLayer rather than the GeoJsonLayer's own outlines (`stroked`, a PathLayer with joints), which
    headless Chromium's software GL (SwiftShader) draws about a second slower on every map load, and
    not for their vertices (outlines simplified to 0.4 degree instead of 0.1 loaded no faster). Loads
    side by side in one browser, store of data/reports.csv, to the countries drawn: 5.8-7.2 s with the
    PathLayer, 4.5-5.9 s with this layer (11 pairs; medians 6.5 and 5.4 s).
    """
    return pdk.Layer(
        "LineLayer",
        data=BORDERS_URL,
        id="borders",
        get_source_position="s",
        get_target_position="t",
        get_color=[150, 150, 150, 255],
        get_width=0.5,
        width_units="pixels",
        width_max_pixels=1,  # deck.gl 9 thickens lines as the map zooms in, whatever the units
    )


def shade_expression(hosts: pd.DataFrame, otherwise: list[int]) -> str:
    """A deck.gl expression giving each host its shade, `otherwise` for the rest.

    The expression language has no function calls (so no `[...].includes()`) and no object literals:
    one `==` test per host, joined with `||` per shade class, then nested conditionals.
    """
    classes: dict[tuple[int, ...], list[str]] = {}
    for code, troops in zip(hosts["host"], hosts["troops"], strict=True):
        if re.fullmatch(r"[A-Z]{3}", str(code)):  # codes only: nothing else reaches the expression
            classes.setdefault(tuple(shade(troops)), []).append(code)
    expression = json.dumps(otherwise)
    for colour, codes in classes.items():
        test = "||".join(f"properties.iso3=='{code}'" for code in codes)
        expression = f"({test})?{list(colour)}:{expression}".replace(" ", "")
    return expression


def presence_layer(hosts: pd.DataFrame, shapes: object = None, pairs: pd.DataFrame | None = None) -> pdk.Layer:
    """The presence shading without the base map (the static polygons, non-hosts transparent).

    `shapes` is accepted and ignored: polygons no longer travel with the presence."""
    return countries_layer(hosts, pairs, base=False, layer_id="presence")


def host_notes(hosts: pd.DataFrame, pairs: pd.DataFrame, top: int = 2) -> dict[str, str]:
    """Per host ISO code, the lines its tooltip shows under its name: troops, largest deployers, evidence."""
    present = pairs.loc[pairs["status"] == "present", ["deployer", "host", "troops"]]
    # Vectorised to the few rows shown: a 1 M-report store has ~6,000 pairs present on a date.
    shown = present.sort_values("troops", ascending=False, na_position="last").groupby("host", sort=False).head(top)
    largest: dict[str, list[str]] = {}
    columns = (shown["deployer"].tolist(), shown["host"].tolist(), shown["troops"].tolist())
    for deployer, host, troops in zip(*columns, strict=True):
        number = "?" if pd.isna(troops) else f"{int(troops):,}"
        largest.setdefault(host, []).append(f"{countries.name_of(deployer)} {number}")
    notes = {}
    for row in hosts.itertuples(index=False):
        deployers = int(row.deployers)
        names = largest.get(row.host, [])
        more = f" and {deployers - len(names)} more" if deployers > len(names) else ""
        notes[row.host] = "\n".join(
            [
                f"{troops_text(row.troops, row.troops_low, row.troops_high)} from abroad",
                f"from {deployers} countr{'ies' if deployers != 1 else 'y'}: {', '.join(names)}{more}",
                _evidence(row.sources, row.last_report_date),
            ]
        )
    return notes


def tooltip(notes: Mapping[str, str] | None = None) -> dict:
    """The one tooltip template of every layer; with host notes, the hovered host's notes under its name.

    A template can only insert the hovered object's own properties, and the static polygons carry
    only names. So the notes of every host travel in the template (a few kB), each hidden, and a
    style rule naming the hovered feature's `{iso3}` shows its own. That needs the HTML template:
    Streamlit HTML-escapes every inserted property, and the notes are escaped here, braces included
    (a brace would make a placeholder), so report text still shows as text.
    """
    if not notes:
        return TOOLTIP
    hidden = "".join(
        f"<span class=g{code}>{_escape(text)}</span>"
        for code, text in sorted(notes.items())
        if re.fullmatch(r"[A-Z]{3}", code)
    )
    style = "<style>#gh span{display:none}#gh .g{iso3}{display:block}</style>"
    return {"html": f"{style}{{tooltip}}<div id=gh>{hidden}</div>", "style": TOOLTIP["style"]}


def _escape(text: str) -> str:
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


def _point(iso3: str) -> list[float] | None:
    country = countries.registry().by_iso3.get(iso3)
    if country is None or country.lat is None or country.lon is None:
        return None
    return [round(country.lon, 2), round(country.lat, 2)]


def _largest(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    return frame.sort_values("troops", ascending=False, na_position="last").head(limit)


def _fade(rank: int, total: int) -> int:
    """Opacity by rank among the drawn: the largest opaque, the long tail faint (still hoverable)."""
    return 230 if total <= FADE_AFTER or rank < FADE_AFTER else 90


def arcs_layer(pairs: pd.DataFrame, limit: int = MAX_ARCS) -> pdk.Layer:
    """Deployer → host arcs of the largest pairs present: width by troops (log), deployer's colour at
    the source fading to HOST_END at the host; the largest drawn last, so on top."""
    present = _largest(pairs[pairs["status"] == "present"], limit)
    data = []
    for rank, row in enumerate(present.itertuples(index=False)):
        source, target = _point(row.deployer), _point(row.host)
        if source is None or target is None:
            continue
        troops = 0 if pd.isna(row.troops) else int(row.troops)
        alpha = _fade(rank, len(present))
        data.append(
            {
                "deployer": row.deployer,
                "host": row.host,
                "source": source,
                "target": target,
                "width": round(1 + 1.2 * math.log10(max(troops, 1)), 1),
                "colour": [*deployer_colour(row.deployer)[:3], alpha],
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
        data=data[::-1],  # deck.gl draws in order: smallest first, the largest on top
        id="arcs",
        pickable=True,
        get_source_position="source",
        get_target_position="target",
        get_source_color="colour",
        get_target_color=f"[{HOST_END[0]},{HOST_END[1]},{HOST_END[2]},colour[3]]",  # same fading
        get_width="width",
        width_units="pixels",
        # Zoomed in, deck.gl 9 thickens arcs with the zoom whatever the units: clamp in pixels.
        width_min_pixels=1,
        width_max_pixels=6,
        get_height=0,  # flat on the surface: no hook where a tall arc meets the ground, nothing off the top
        # Along the globe's surface: no arc rises off the top of the map.
        great_circle=True,
    )


def _point_tooltip(row) -> str:
    place = ", ".join(t for t in (row.mission, row.location) if isinstance(t, str) and t)
    where = "no coordinates given: drawn at the country's point" if not row.located else ""
    lines = [
        f"{countries.name_of(row.deployer)} in {countries.name_of(row.host)}",
        place,
        where,
        troops_text(row.troops, row.troops_low, row.troops_high),
    ]  # no evidence line: the pair's arc and the host's tooltip carry it
    return "\n".join(line for line in lines if line)


def _radius(troops) -> int:
    return round(1_500 * math.sqrt(max(0 if pd.isna(troops) else int(troops), 1)))


def points_layer(points: pd.DataFrame, limit: int = MAX_POINTS) -> pdk.Layer:
    """Where the troops are: report locations, else the host's point; area by troops. Beyond `limit`,
    the smaller points of each host become one grey point at the host's point."""
    ranked = points.sort_values("troops", ascending=False, na_position="last")
    data = []
    for row in ranked.head(limit).itertuples(index=False):
        data.append(
            {
                "deployer": row.deployer,
                "host": row.host,
                "position": [round(float(row.lon), 3), round(float(row.lat), 3)],
                "radius": _radius(row.troops),
                "colour": deployer_colour(row.deployer),
                "tooltip": _point_tooltip(row),
            }
        )
    data += _grouped_points(ranked.iloc[limit:])
    return pdk.Layer(
        "ScatterplotLayer",
        data=data[::-1],  # the largest drawn last, on top of the small ones
        id="points",
        pickable=True,
        get_position="position",
        get_radius="radius",
        get_fill_color=f"colour||[{GROUPED[0]},{GROUPED[1]},{GROUPED[2]},150]",  # grouped points: grey
        get_line_color=[40, 40, 40, 200],
        stroked=True,
        line_width_min_pixels=1,
        radius_min_pixels=3,
        radius_max_pixels=40,
    )


def _grouped_points(rest: pd.DataFrame) -> list[dict]:
    """One point per host for the points beyond the cap (no deployer: a click on it picks nothing)."""
    grouped = []
    if rest.empty:
        return grouped
    troops = rest.groupby("host")["troops"]
    by_host = pd.DataFrame({"size": troops.size(), "troops": troops.sum(min_count=1)})
    for host, size, troops in by_host.sort_values("troops", ascending=False).head(MAX_GROUPED).itertuples():
        position = _point(str(host))
        if position is None:
            continue
        number = "number unknown" if pd.isna(troops) else f"{int(troops):,} troops"
        grouped.append(
            {
                "position": position,
                "radius": _radius(troops),
                "tooltip": f"{size:,} smaller deployments in {countries.name_of(str(host))}: {number}",
            }
        )
    return grouped[::-1]


# The narrowest map a framed view must fit: a 390 px phone less the page's side padding. The server
# never learns the browser's width, so one view serves every width: wider maps show more around it.
NARROWEST_MAP = 358


def view_of(pairs: pd.DataFrame, width: int = NARROWEST_MAP, height: int = 520) -> pdk.ViewState:
    """The view that frames the deployers and hosts of `pairs` (the default view when none has a point).

    Pure: a bounding box in Web Mercator, zoomed so it fills 80% of a `width` x `height` map; the
    default width is the narrowest map (NARROWEST_MAP), so the box stays in view on a phone too.
    """
    spots = [p for code in {*pairs["deployer"], *pairs["host"]} if (p := _point(str(code))) is not None]
    if not spots:
        return pdk.ViewState(**DEFAULT_VIEW)
    lons = [lon for lon, _ in spots]
    ys = [_mercator(lat) for _, lat in spots]
    span_x = max(max(lons) - min(lons), 1.0) / 360
    span_y = max(max(ys) - min(ys), 0.005)
    zoom = math.log2(0.8 * min(width / (512 * span_x), height / (512 * span_y)))
    centre_lat = math.degrees(math.atan(math.sinh(2 * math.pi * (0.5 - (max(ys) + min(ys)) / 2))))
    return pdk.ViewState(
        latitude=round(centre_lat, 3),
        longitude=round((max(lons) + min(lons)) / 2, 3),
        zoom=round(min(max(zoom, DEFAULT_VIEW["zoom"]), 6.0), 2),  # never further out than the world view
    )


def _mercator(lat: float) -> float:
    """Web Mercator y in [0, 1] (0 at the top) of a latitude."""
    lat = max(min(lat, 85.0), -85.0)
    return 0.5 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


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


def deck(
    layers: list[pdk.Layer],
    height: int = 520,
    view: pdk.ViewState | None = None,
    tooltip_spec: dict | None = None,
) -> pdk.Deck:
    """The map: no base-map provider (offline, no token), our own polygons as the first layer."""
    return CompactDeck(
        layers=layers,
        map_provider=None,
        initial_view_state=view or pdk.ViewState(**DEFAULT_VIEW),
        tooltip=tooltip_spec or TOOLTIP,
        height=height,
    )


def map_deck(
    shown, hosts: pd.DataFrame, pairs: pd.DataFrame, points: pd.DataFrame, framed: bool = False, height: int = 520
) -> pdk.Deck:
    """The map page's deck: the layers of LAYER_IDS in `shown`; `framed` zooms to the pairs present
    (a filter to countries), else the world view."""
    shown = set(shown)
    present = pairs[pairs["status"] == "present"]
    built, notes = [], None
    if shown & {"countries", "presence"}:
        shaded = hosts if "presence" in shown else None
        built += [countries_layer(shaded, pairs, base="countries" in shown), borders_layer()]
        notes = host_notes(hosts, pairs) if shaded is not None else None
    if "arcs" in shown:
        built.append(arcs_layer(pairs))
    if "points" in shown:
        built.append(points_layer(points))
    view = view_of(present) if framed and not present.empty else None
    return deck(built, height=height, view=view, tooltip_spec=tooltip(notes))


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
