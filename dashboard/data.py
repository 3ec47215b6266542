"""Cached data access: the only st.cache_* functions, each wrapping one core call.

Queries are keyed on the database URL, the filters and the store version, so a new report shows
up on the next rerun while repeated reruns (a moved slider, a clicked row) hit the cache.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from core import export as exports
from core import extract as extraction
from core import ingest, presence, store, views
from core.domain import CSV_COLUMNS, ReportData
from core.extraction.gazetteer import gazetteer
from core.filters import Filters
from dashboard import layers

REPO = Path(__file__).resolve().parents[1]
POLYGONS = REPO / "data" / "countries.geojson"
STATIC_POLYGONS = Path(__file__).resolve().parent / "static" / "countries.geojson"


def publish_polygons(source: Path = POLYGONS, target: Path = STATIC_POLYGONS) -> Path:
    """Copy the country polygons where Streamlit serves static files, when missing or older.

    Each feature gains a `tooltip` property (its name): the map's one tooltip template reads it.
    """
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    collection = json.loads(source.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        feature["properties"]["tooltip"] = feature["properties"]["name"]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    partial.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    partial.replace(target)  # atomic: a browser never fetches half a file
    return target


@st.cache_resource
def publish_once() -> Path:
    """publish_polygons, once per server process."""
    return publish_polygons()


@st.cache_resource
def shapes() -> dict[str, layers.Encoded]:
    """Country geometries by ISO3, loaded and JSON-encoded once per process (for the presence layer)."""
    publish_once()
    collection = json.loads(POLYGONS.read_text(encoding="utf-8"))
    return {f["properties"]["iso3"]: layers.Encoded(f["geometry"]) for f in collection["features"]}


@st.cache_resource
def warm_extractor() -> None:
    """Build the extractor's gazetteer once per process (0.2-0.6 s cold); an extraction then takes ~10 ms."""
    gazetteer()


def extract_drafts(text: str, published: dt.date | None) -> list[extraction.Draft]:
    """Draft reports from an article (core.extract.extract). Not cached: cheap, and nothing is stored."""
    warm_extractor()
    return extraction.extract(text, published)


def database_url() -> str:
    return store.default_url()


@st.cache_resource
def _engine(url: str) -> Engine:
    engine = store.make_engine(url)
    # A fresh clone, a new temp store or a store made by an older version: bring the schema to
    # head (idempotent) rather than fail on missing tables.
    store.upgrade(engine)
    return engine


def engine() -> Engine:
    return _engine(database_url())


def version() -> tuple:
    """Changes whenever reports change; every cached query takes it as an argument."""
    with store.reading(engine()) as session:
        return store.store_version(session)


@st.cache_data(max_entries=8)
def date_range(url: str, version: tuple) -> tuple[dt.date, dt.date] | None:
    with store.reading(_engine(url)) as session:
        return presence.date_range(session)


@st.cache_data(max_entries=8)
def countries_in_store(url: str, version: tuple) -> tuple[list[str], list[str]]:
    with store.reading(_engine(url)) as session:
        return views.countries_in_store(session)


@st.cache_data(max_entries=64)
def presence_and_points(
    url: str, version: tuple, as_of: dt.date, filters: Filters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    with store.reading(_engine(url)) as session:
        return views.presence_and_points(session, as_of, filters)


@st.cache_data(max_entries=64)
def host_totals(url: str, version: tuple, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    pairs, _ = presence_and_points(url, version, as_of, filters)
    return views.totals(pairs, "host")


@st.cache_data(max_entries=64)
def reports(
    url: str, version: tuple, as_of: dt.date, filters: Filters, pairs: tuple | None, text: str, limit: int
) -> pd.DataFrame:
    with store.reading(_engine(url)) as session:
        return views.reports_as_of(session, as_of, filters, pairs, limit, text)


def export(url: str, as_of: dt.date, filters: Filters, pairs: tuple | None, text: str, kind: str) -> bytes:
    """Every report a table selection stands for (no display limit), as canonical CSV or GeoJSON.

    Not cached: it runs only when a download button is clicked.
    """
    with store.reading(_engine(url)) as session:
        frame = views.reports_as_of(session, as_of, filters, pairs, None, text)
    if kind == "geojson":
        return json.dumps(exports.to_geojson(frame), ensure_ascii=False).encode("utf-8")
    out = io.StringIO()
    exports.write_csv(frame, out)
    return out.getvalue().encode("utf-8")


@st.cache_data(max_entries=64)
def reports_behind(url: str, version: tuple, deployer: str, host: str, as_of: dt.date) -> pd.DataFrame:
    with store.reading(_engine(url)) as session:
        return presence.reports_behind(session, deployer, host, as_of)


@st.cache_data(max_entries=64)
def pair_history(url: str, version: tuple, deployer: str, host: str) -> pd.DataFrame:
    with store.reading(_engine(url)) as session:
        return presence.pair_history(session, deployer, host)


@st.cache_data(max_entries=4)
def check_csv(content: bytes) -> tuple[pd.DataFrame, list[ingest.RowError], int]:
    """(preview of the first rows, every error with its line, number of valid rows) for an upload.

    Raises ingest.CsvFormatError for a bad header.
    """
    text = content.decode("utf-8-sig")
    valid, errors = ingest.validate_rows(ingest.read_csv(text))
    preview = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, nrows=20)
    return preview, errors, len(valid)


# Writes: not cached; the store version they change refreshes every cached query above.


def possible_duplicates(report: ReportData) -> list[dict]:
    with store.reading(engine()) as session:
        return [
            {"id": r.id, "date": r.date, "troops": r.troops, "source_name": r.source_name, "status": r.status}
            for r in ingest.possible_duplicates(session, report)
        ]


def save_report(report: ReportData) -> dict:
    """Store one validated report; returns it as a dict with its id (canonical columns)."""
    with store.writing(engine()) as session:
        row = ingest.add_report(session, report)
        return {"id": row.id, **{c: getattr(row, c) for c in CSV_COLUMNS}}


def import_csv(text: str, progress) -> ingest.ImportResult:
    """Atomic import: with any invalid line nothing is added (see core.ingest.import_csv)."""
    with store.writing(engine()) as session:
        return ingest.import_csv(session, text, progress=progress)
