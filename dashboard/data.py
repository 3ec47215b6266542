"""Cached data access: the only st.cache_* functions, each wrapping one core call.

Queries are keyed on the database URL, the filters and the store version, so a new report shows
up on the next rerun while repeated reruns (a moved slider, a clicked row) hit the cache.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import itertools
import json
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from core import audit, countries, ingest, login, presence, profiles, review, store, views
from core import export as exports
from core import extract as extraction
from core.domain import CSV_COLUMNS, ReportData
from core.extraction.gazetteer import gazetteer
from core.filters import Filters
from dashboard import layers

STATIC_POLYGONS = Path(__file__).resolve().parent / "static" / "countries.geojson"


def polygons() -> Path:
    """core/data/countries.geojson, the canonical polygons (core.countries.MissingData when absent)."""
    return countries.data_path("countries.geojson")


# The browser's copy is lighter than core's: simplified further and rounded to 0.01 degree (about 1 km),
# 1.1 MB -> ~0.6 MB and 63 k -> 38 k vertices, which a software-GL browser tessellates in about half
# the time. The marker opens the file, so a copy made by another recipe is redone.
BROWSER_TOLERANCE, BROWSER_DECIMALS = 0.1, 2
BROWSER_MARKER = f'{{"simplified":"{BROWSER_TOLERANCE}/{BROWSER_DECIMALS}",'


def publish_polygons(source: Path | None = None, target: Path = STATIC_POLYGONS) -> Path:
    """Write the country polygons where Streamlit serves static files (lightened for the browser),
    and their outlines beside them (borders_path), when missing, older than the source or made by
    another recipe.

    Each feature gains a `tooltip` property (its name): the map's one tooltip template reads it.
    """
    source = source or polygons()
    if _published(source, target) and _published(source, borders_path(target)):
        return target
    collection = json.loads(source.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        feature["properties"]["tooltip"] = feature["properties"]["name"]
        feature["geometry"] = _lighter(feature["geometry"])
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    outlines = json.dumps(border_segments(collection["features"]), separators=(",", ":"))
    # The outlines are a list (what deck.gl's LineLayer loads): the marker opens its first segment.
    _write_static(borders_path(target), "[" + BROWSER_MARKER + outlines[2:])
    _write_static(target, BROWSER_MARKER + text[1:])  # last: its date vouches for both files
    return target


def borders_path(polygons_file: Path) -> Path:
    """The outlines published beside a polygons file (layers.BORDERS_URL beside layers.COUNTRIES_URL)."""
    return polygons_file.with_name("borders.json")


def border_segments(features: list[dict]) -> list[dict]:
    """Every edge of every ring once, as {"s": [lon, lat], "t": [lon, lat]}: a border two countries share
    is drawn once. The map draws these with deck.gl's LineLayer (see layers.borders_layer)."""
    seen: set[tuple[tuple[float, float], tuple[float, float]]] = set()
    segments = []
    for feature in features:
        geometry = feature["geometry"]
        polygons_ = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for ring in (ring for polygon in polygons_ for ring in polygon):
            for start, end in itertools.pairwise(ring):
                a, b = tuple(start), tuple(end)
                key = (a, b) if a <= b else (b, a)
                if a != b and key not in seen:
                    seen.add(key)
                    segments.append({"s": list(a), "t": list(b)})
    return segments


def _published(source: Path, target: Path) -> bool:
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        return False
    with target.open("rb") as f:
        head = f.read(len(BROWSER_MARKER) + 1)
    return head.lstrip(b"[").startswith(BROWSER_MARKER.encode())


def _write_static(target: Path, text: str) -> None:
    partial = target.with_suffix(".tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # atomic: a browser never fetches half a file
    except OSError as exc:
        raise OSError(
            f"cannot write {target} ({exc.strerror}): Streamlit serves the map's polygons from the app's "
            "static folder, so install garrison where the user who runs the dashboard can write "
            "(a virtual environment)"
        ) from exc


def _lighter(geometry: dict) -> dict:
    """The geometry simplified and rounded for the browser; a tiny state that would vanish or lose
    half its area keeps its rounded outline, or its original one."""
    import shapely
    from shapely.geometry import mapping, shape

    original = shape(geometry)
    grid = 10.0**-BROWSER_DECIMALS
    for candidate in (original.simplify(BROWSER_TOLERANCE, preserve_topology=True), original):
        light = shapely.set_precision(candidate, grid)
        if not light.is_empty and light.area >= 0.5 * original.area:
            return json.loads(json.dumps(mapping(light)))  # tuples to lists, as JSON has them
    return geometry


@st.cache_resource
def publish_once() -> Path:
    """publish_polygons, once per server process."""
    return publish_polygons()


_heap_settled = False


def settle_heap() -> None:
    """Once per server process, after its first complete page run: hide every object alive then (the
    imported libraries, the caches) from the garbage collector.

    Streamlit runs a full collection after every script run (runner.postScriptGC); over the ~200 k
    objects of the loaded app that takes 0.1-0.25 s holding the GIL, while the browser waits for the
    static files and the messages the same process serves. Objects created later are collected as
    before, and a frozen object whose last reference goes is still freed (only a cycle among frozen
    objects stays, e.g. a prepared store replaced by a newer version: once per process at most).
    A module flag, not st.cache_resource: clearing Streamlit's caches must not freeze again.
    """
    global _heap_settled
    if not _heap_settled:
        _heap_settled = True
        gc.collect()
        gc.freeze()


@st.cache_resource
def shapes() -> dict[str, layers.Encoded]:
    """Country geometries by ISO3, loaded and JSON-encoded once per process (for the presence layer)."""
    publish_once()
    collection = json.loads(polygons().read_text(encoding="utf-8"))
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
def newest_counted_date(url: str, version: tuple) -> dt.date | None:
    with store.reading(_engine(url)) as session:
        return views.newest_counted_date(session)


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
    return presence.totals(pairs, "host")


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


@st.cache_data(max_entries=64)
def report_history(url: str, version: tuple, report_id: int) -> pd.DataFrame:
    """core.audit.history of a report a table shows (published: the caller picks it from one)."""
    with store.reading(_engine(url)) as session:
        return audit.history(session, report_id)


@st.cache_data(max_entries=4)
def check_csv(text: str) -> tuple[pd.DataFrame, list[ingest.RowError], int]:
    """(preview of the first rows, every error with its line, number of valid rows) for an upload
    already read by core.ingest.read_upload.

    Raises ingest.CsvFormatError for a bad header.
    """
    rows = list(ingest.read_csv(text))
    valid, errors = ingest.validate_rows(rows)
    # The preview comes from the same parse as the import: no second reader with other rules or limits.
    preview = pd.DataFrame([cells for _, cells in rows[:20] if "__width__" not in cells], dtype=str)
    return preview, errors, len(valid)


@st.cache_data(max_entries=8)
def pending_count(url: str, version: tuple) -> int:
    """How many reports await review (a number, no report text: safe to cache). Editors' navigation
    shows it on every rerun."""
    with store.reading(_engine(url)) as session:
        return review.pending_count(session)


@st.cache_resource
def login_guard() -> login.Guard:
    """Failed logins per browser id, shared by every session of this process (survives a reload)."""
    return login.Guard()


@st.cache_resource
def login_sessions() -> login.Sessions:
    """Signed-in editors by session token (the cookie that keeps an editor signed in across reloads)."""
    return login.Sessions()


# Review reads: NOT cached. They hold pending reports, and st.cache_data is shared by every session;
# keeping them out of it means no anonymous session can ever be handed one from a cache.


def pending_queue() -> pd.DataFrame:
    with store.reading(engine()) as session:
        return review.pending_queue(session)


def review_context(report_id: int) -> dict:
    with store.reading(engine()) as session:
        return review.review_context(session, report_id)


# Writes: not cached; the store version they change refreshes every cached query above.


def possible_duplicates(report: ReportData, include_pending: bool = False) -> list[dict]:
    """Stored reports of the same pair, date and source; pending ones only for editors (an anonymous
    session must never be shown a pending report)."""
    wanted = ("published", "pending") if include_pending else ("published",)
    with store.reading(engine()) as session:
        return [
            {
                "id": r.id,
                "date": r.date,
                "troops": r.troops,
                "source_name": r.source_name,
                "status": r.status,
                **({"review_state": r.review_state} if include_pending else {}),
            }
            for r in ingest.possible_duplicates(session, report, review_states=wanted)
        ]


def submit_report(report: ReportData, actor: review.Actor, policy: review.Policy, channel: str = "form") -> dict:
    """Store one validated report through review.submit (pending, or published in single-user mode);
    returns it as a dict with its id and review_state (canonical columns)."""
    with store.writing(engine()) as session:
        row = review.submit(session, report, actor, channel, policy)
        return {"id": row.id, "review_state": row.review_state, **{c: getattr(row, c) for c in CSV_COLUMNS}}


def submit_csv(
    text: str, actor: review.Actor, policy: review.Policy, source_name: str, progress
) -> ingest.ImportResult:
    """Atomic import through review.submit_csv (one audit row): with any invalid line nothing is added."""
    with store.writing(engine()) as session:
        return review.submit_csv(session, text, actor, "csv", policy, source_name=source_name, progress=progress)


def submit_profile(
    text: str, profile: str, actor: review.Actor, policy: review.Policy, source_name: str, progress
) -> profiles.ProfileResult:
    """A dataset in its own layout through review.submit_profile (one audit row); atomic like submit_csv."""
    with store.writing(engine()) as session:
        result = review.submit_profile(
            session, profile, io.StringIO(text), actor, "profile", policy, source_name=source_name, progress=progress
        )
        if not result.ok:
            session.rollback()
        return result


REVIEW_ACTIONS = {"approve": review.approve, "reject": review.reject, "edit": review.edit, "delete": review.delete}


def review_action(action: str, report_id: int, actor: review.Actor, expected_version: int, **kwargs):
    """One editor action in its own transaction (change and audit row commit together).
    Raises the core.review errors (their str() is the message for the editor)."""
    with store.writing(engine()) as session:
        row = REVIEW_ACTIONS[action](session, report_id, actor, expected_version=expected_version, **kwargs)
        return {"id": row.id, "version": row.version, "review_state": row.review_state}


# Compare two dates and Excel downloads (dashboard/views/compare.py, dashboard/tables.py). Imported here,
# not at the top, so that this block stays one piece beside the rest of the module.


@st.cache_data(max_entries=32)
def changes(url: str, version: tuple, date_from: dt.date, date_to: dt.date, filters: Filters) -> pd.DataFrame:
    from core.changes import changes_between

    with store.reading(_engine(url)) as session:
        return changes_between(session, date_from, date_to, filters)


def export_xlsx(url: str, as_of: dt.date, filters: Filters, pairs: tuple | None, text: str) -> bytes:
    """The reports data.export would give, as an Excel workbook (formula-safe). Not cached: download only."""
    from core import excel

    with store.reading(_engine(url)) as session:
        frame = views.reports_as_of(session, as_of, filters, pairs, None, text)
    return excel.write_xlsx({"reports": frame[excel.REPORT_EXPORT]})
