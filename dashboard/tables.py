"""The tables under the map: presence per pair, one pair's history, the reports behind, downloads."""

from __future__ import annotations

import datetime as dt
import json

import altair as alt
import pandas as pd
import streamlit as st

from core import countries
from core.filters import Filters
from dashboard import data
from dashboard.layers import Focus

REPORT_LIMIT = 1_000
PAIR_COLUMNS = {
    "deployer_name": st.column_config.TextColumn("Deployer"),
    "host_name": st.column_config.TextColumn("Host"),
    "troops": st.column_config.NumberColumn("Troops", help="Best estimate (median where sources disagree)"),
    "troops_low": st.column_config.NumberColumn("Low"),
    "troops_high": st.column_config.NumberColumn("High"),
    "sources": st.column_config.NumberColumn("Sources"),
    "last_report_date": st.column_config.DateColumn("Last report", help="Newest report the figure rests on"),
    "figure_date": st.column_config.DateColumn("Figure from", help="Date of the evidence the number comes from"),
    "days_since_report": st.column_config.NumberColumn("Days since", help="Age of the newest report counted"),
    "status": st.column_config.TextColumn("Status"),
    "conflict": st.column_config.CheckboxColumn("Conflict", help="Sources disagree on this figure"),
    "figures": st.column_config.TextColumn("What each source gave"),
}
REPORT_CONFIG = {
    # Only http(s) links become clickable (see safe_url); anything else shows as empty.
    "source_url": st.column_config.LinkColumn("Source URL", validate=r"^https?://"),
    "role": st.column_config.TextColumn(
        "Role",
        help="counted: the figure rests on it; confirmation: presence without a number; "
        "superseded: newer evidence replaced it; announced: a planned move, listed",
    ),
    "conflict": st.column_config.CheckboxColumn("Conflict", help="Part of a disagreement between sources"),
    "cited_agency": st.column_config.TextColumn("Agency cited", help="The agency the source quotes"),
    "speaker": st.column_config.TextColumn("Speaker", help="The person or office quoted"),
}
# Derived flags that the role column already says.
HIDDEN_REPORT_COLUMNS = ("scope_key", "version", "counted", "confirmation")


def safe_url(url) -> str | None:
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


def narrow(pairs: pd.DataFrame, focus: Focus | None, search: str) -> pd.DataFrame:
    """The pairs a map click and a search leave, with country names added for display."""
    frame = pairs.assign(
        deployer_name=pairs["deployer"].map(countries.name_of),
        host_name=pairs["host"].map(countries.name_of),
        figures=pairs["figures"].fillna(""),
    )
    if focus and focus.country:
        frame = frame[(frame["deployer"] == focus.country) | (frame["host"] == focus.country)]
    elif focus:
        frame = frame[(frame["deployer"] == focus.deployer) & (frame["host"] == focus.host)]
    words = search.strip().casefold()
    if words:
        haystack = (
            frame["deployer_name"]
            + " "
            + frame["host_name"]
            + " "
            + frame["deployer"]
            + " "
            + frame["host"]
            + " "
            + frame["status"]
        ).str.casefold()
        frame = frame[haystack.str.contains(words, regex=False)]
    return frame.reset_index(drop=True)


def presence_table(pairs: pd.DataFrame, focus: Focus | None) -> tuple[pd.DataFrame, tuple[str, str] | None]:
    """Show the pairs; returns (pairs shown, the (deployer, host) of the selected row or None)."""
    search = st.text_input("Search pairs", key="pair_search", placeholder="Country name or code, status")
    shown = narrow(pairs, focus, search)
    event = st.dataframe(
        shown[list(PAIR_COLUMNS)],
        key="pairs",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        column_config=PAIR_COLUMNS,
        width="stretch",
    )
    rows = event["selection"]["rows"] if event else []
    picked = shown.iloc[rows[0]] if rows and rows[0] < len(shown) else None
    st.caption(f"{len(shown):,} of {len(pairs):,} pairs. Select a row for its history and sources.")
    return shown, (None if picked is None else (picked["deployer"], picked["host"]))


def history_chart(history: pd.DataFrame, reports: pd.DataFrame, as_of: dt.date) -> alt.LayerChart:
    """The pair's figure over time as steps, its spread as a band, and each report as a mark."""
    if not history.empty:
        # Carry the last figure to the as-of date so the latest step has a visible length.
        last = history.iloc[[-1]].assign(date=max(as_of, history["date"].max()))
        history = pd.concat([history, last], ignore_index=True)
    history = history.assign(date=pd.to_datetime(history["date"]))
    for column in ("troops", "troops_low", "troops_high"):
        history[column] = pd.to_numeric(history[column], errors="coerce").astype("float64")
    marks = reports.assign(date=pd.to_datetime(reports["date"]), troops=reports["troops"].astype("float64"))
    x = alt.X("date:T", title=None)
    steps = alt.Chart(history).encode(x=x)
    band = steps.mark_area(interpolate="step-after", opacity=0.2).encode(
        y=alt.Y("troops_low:Q", title="troops"), y2="troops_high:Q"
    )
    line = steps.mark_line(interpolate="step-after").encode(y="troops:Q")
    dots = (
        alt.Chart(marks)
        .mark_point(filled=True, size=70)
        .encode(
            x=x,
            y="troops:Q",
            shape="status:N",
            color=alt.Color("role:N", title="report"),
            tooltip=["date:T", "troops:Q", "count_kind:N", "status:N", "source_name:N", "location:N"],
        )
    )
    today = alt.Chart(pd.DataFrame({"date": [pd.Timestamp(as_of)]})).mark_rule(strokeDash=[4, 3]).encode(x=x)
    return alt.layer(band, line, dots, today).properties(height=260)


def pair_detail(url: str, version: tuple, pair: tuple[str, str], as_of: dt.date) -> None:
    deployer, host = pair
    st.subheader(f"{countries.name_of(deployer)} in {countries.name_of(host)}")
    history = data.pair_history(url, version, deployer, host)
    behind = data.reports_behind(url, version, deployer, host, as_of)
    if behind.empty:
        st.info("No report of this pair is dated on or before the as-of date.")
        return
    st.altair_chart(history_chart(history, behind, as_of), width="stretch")
    st.caption(
        "Steps: the figure as of each report date (band: low–high). Marks: every report. "
        "Select a report for its history."
    )
    shown = behind.assign(source_url=behind["source_url"].map(safe_url))
    # What each report does for the figure comes first: that is what this table is opened for.
    shown = shown[["role", "conflict", *(c for c in shown.columns if c not in ("role", "conflict"))]]
    event = reports_grid(shown, key="pair_reports")
    rows = event["selection"]["rows"] if event else []
    if rows and rows[0] < len(shown):
        report_history(url, version, int(shown.iloc[rows[0]]["id"]))


def report_history(url: str, version: tuple, report_id: int) -> None:
    """A report's audit trail (who created, edited, approved it, and when), in an expander."""
    history = data.report_history(url, version, report_id)
    with st.expander(f"History of report #{report_id} ({len(history)} entries)", expanded=True):
        shown = history.assign(changes=history["changes"].map(lambda c: json.dumps(c, ensure_ascii=False)))
        st.dataframe(shown.drop(columns=["report_id"]), hide_index=True, width="stretch")


def reports_grid(frame: pd.DataFrame, key: str | None = None):
    """Reports as a table (user text as grid cells, never markup); selectable when given a key."""
    columns = [c for c in frame.columns if c not in HIDDEN_REPORT_COLUMNS]
    if key is None:
        return st.dataframe(frame[columns], hide_index=True, column_config=REPORT_CONFIG, width="stretch")
    return st.dataframe(
        frame[columns],
        hide_index=True,
        column_config=REPORT_CONFIG,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
    )


def reports_section(
    url: str, version: tuple, as_of: dt.date, filters: Filters, pairs: tuple | None, description: str
) -> None:
    """The reports behind the pairs shown, a search over them, and downloads of all of them."""
    st.subheader("Reports behind it")
    text = st.text_input("Search reports", key="report_search", placeholder="Source, mission, location, notes")
    frame = data.reports(url, version, as_of, filters, pairs, text.strip(), REPORT_LIMIT + 1)
    more = len(frame) > REPORT_LIMIT
    frame = frame.head(REPORT_LIMIT)
    reports_grid(frame.assign(source_url=frame["source_url"].map(safe_url)))
    st.caption(
        f"The first {REPORT_LIMIT:,} reports, newest first; downloads hold all of them."
        if more
        else f"{len(frame):,} reports."
    )
    stem = f"garrison-{as_of.isoformat()}"
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        lambda: data.export(url, as_of, filters, pairs, text.strip(), "csv"),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_csv",
        on_click="ignore",
        help=f"Canonical CSV (imports back): {description}",
    )
    right.download_button(
        "Download GeoJSON",
        lambda: data.export(url, as_of, filters, pairs, text.strip(), "geojson"),
        file_name=f"{stem}.geojson",
        mime="application/geo+json",
        key="download_geojson",
        on_click="ignore",
        help="Points with every report field as properties, for QGIS",
    )
