"""The tables under the map: presence per pair, one pair's history, the reports behind, downloads;
and the compare page's table of changes."""

from __future__ import annotations

import datetime as dt
import io
import json

import altair as alt
import pandas as pd
import streamlit as st

from core import countries, excel
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


def names_of(codes: pd.Series) -> pd.Series:
    """Country names of ISO codes ("" for none), looked up once per distinct code: a rerun names
    thousands of pairs."""
    table = {code: countries.name_of(code) if code else "" for code in codes.unique()}
    return codes.map(table)


def narrow(pairs: pd.DataFrame, focus: Focus | None, search: str) -> pd.DataFrame:
    """The pairs a map click and a search leave, with country names added for display."""
    frame = pairs.assign(
        deployer_name=names_of(pairs["deployer"]),
        host_name=names_of(pairs["host"]),
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


def presence_table(
    pairs: pd.DataFrame, focus: Focus | None, as_of: dt.date | None = None, description: str = ""
) -> tuple[pd.DataFrame, tuple[str, str] | None]:
    """Show the pairs, with downloads of them as computed (CSV, Excel) when given the date; returns
    (pairs shown, the (deployer, host) of the selected row or None)."""
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
    if as_of is not None:
        presence_downloads(shown, as_of, description)
    return shown, (None if picked is None else (picked["deployer"], picked["host"]))


def table_csv(frame: pd.DataFrame) -> bytes:
    out = io.StringIO()
    excel.write_table_csv(frame, out)
    return out.getvalue().encode("utf-8")


def presence_downloads(shown: pd.DataFrame, as_of: dt.date, description: str) -> None:
    """The pairs the table shows, as computed (best / low / high, sources, last report, conflict)."""
    stem = f"garrison-presence-{as_of.isoformat()}"
    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        "Presence CSV",
        # Built only when clicked: a rerun (a moved date) pays nothing for the downloads.
        lambda: table_csv(excel.presence_export(shown)),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_presence_csv",
        on_click="ignore",
        help=f"The pairs shown, as computed: {description}",
    )
    right.download_button(
        "Presence Excel",
        lambda: excel.write_xlsx({"presence": excel.presence_export(shown)}),
        file_name=f"{stem}.xlsx",
        mime=excel.XLSX_MIME,
        key="download_presence_xlsx",
        on_click="ignore",
        help=f"The pairs shown, as computed: {description}",
    )


# One colour scale for the chart's lines, band and report marks, so its one legend names them all in words.
SERIES = {
    "figure (best estimate)": "#1f4e79",
    "low–high range": "#9ecae1",
    "counted": "#d62728",
    "confirmation": "#2ca02c",
    "superseded": "#8c8c8c",
    "announced": "#ff7f0e",
}


def history_chart(history: pd.DataFrame, reports: pd.DataFrame, as_of: dt.date) -> alt.LayerChart:
    """The pair's figure over time as steps, its spread as a band, and each report as a mark; one
    legend says in words what each colour is (figure, low–high range, counted, superseded ...)."""
    if not history.empty:
        # Carry the last figure to the as-of date so the latest step has a visible length.
        last = history.iloc[[-1]].assign(date=max(as_of, history["date"].max()))
        history = pd.concat([history, last], ignore_index=True)
    # The series names are data so that the one colour legend lists them beside the report roles.
    history = history.assign(date=pd.to_datetime(history["date"]), band="low–high range", line="figure (best estimate)")
    for column in ("troops", "troops_low", "troops_high"):
        history[column] = pd.to_numeric(history[column], errors="coerce").astype("float64")
    marks = reports.assign(date=pd.to_datetime(reports["date"]), troops=reports["troops"].astype("float64"))
    scale = alt.Scale(domain=list(SERIES), range=list(SERIES.values()))
    key = alt.Legend(title=None, orient="top", symbolOpacity=1)
    x = alt.X("date:T", title=None)
    steps = alt.Chart(history).encode(x=x)
    band = steps.mark_area(interpolate="step-after", opacity=0.45).encode(
        y=alt.Y("troops_low:Q", title="troops"),
        y2="troops_high:Q",
        color=alt.Color("band:N", scale=scale, legend=key),
    )
    line = steps.mark_line(interpolate="step-after", strokeWidth=2).encode(
        y="troops:Q", color=alt.Color("line:N", scale=scale, legend=key)
    )
    dots = (
        alt.Chart(marks)
        .mark_point(filled=True, size=80, opacity=0.9)
        .encode(
            x=x,
            y="troops:Q",
            shape=alt.Shape("status:N", title="status", legend=alt.Legend(orient="top")),
            color=alt.Color("role:N", scale=scale, legend=key),
            tooltip=[
                alt.Tooltip("date:T"),
                alt.Tooltip("troops:Q"),
                alt.Tooltip("role:N", title="part in the figure"),
                alt.Tooltip("count_kind:N", title="count"),
                alt.Tooltip("status:N"),
                alt.Tooltip("source_name:N", title="source"),
                alt.Tooltip("location:N"),
            ],
        )
    )
    today = alt.Chart(pd.DataFrame({"date": [pd.Timestamp(as_of)]})).mark_rule(strokeDash=[4, 3]).encode(x=x)
    return alt.layer(band, line, dots, today).resolve_scale(color="shared").properties(height=280)


def pair_detail(
    url: str,
    version: tuple,
    pair: tuple[str, str],
    as_of: dt.date,
    filters: Filters | None = None,
    description: str = "",
) -> None:
    """One pair: its history chart, the reports behind its figure (with their part in it), and the
    downloads of its reports (the selection keeps them: bug 4 of issue 11)."""
    deployer, host = pair
    st.subheader(f"{countries.name_of(deployer)} in {countries.name_of(host)}")
    history = data.pair_history(url, version, deployer, host)
    behind = data.reports_behind(url, version, deployer, host, as_of)
    if behind.empty:
        st.info("No report of this pair is dated on or before the as-of date.")
    else:
        st.altair_chart(history_chart(history, behind, as_of), width="stretch")
        st.caption(
            "Steps: the figure as of each report date (band: low–high, where sources disagree). "
            "Marks: every report, coloured by its part in the figure."
        )
    st.subheader("Reports behind it")
    if not behind.empty:
        shown = behind.assign(source_url=behind["source_url"].map(safe_url))
        # What each report does for the figure comes first: that is what this table is opened for.
        shown = shown[["role", "conflict", *(c for c in shown.columns if c not in ("role", "conflict"))]]
        event = reports_grid(shown, key="pair_reports")
        st.caption(f"{len(shown):,} report{'s' if len(shown) != 1 else ''} of this pair. Select one for its history.")
        rows = event["selection"]["rows"] if event else []
        if rows and rows[0] < len(shown):
            report_history(url, version, int(shown.iloc[rows[0]]["id"]))
    report_downloads(url, as_of, filters or Filters(), (pair,), "", description)


def report_history(url: str, version: tuple, report_id: int) -> None:
    """A report's audit trail (who created, edited, approved it, and when), in an expander."""
    history = data.report_history(url, version, report_id)
    with st.expander(f"History of report #{report_id} ({len(history)} entries)", expanded=True):
        shown = history.assign(changes=history["changes"].map(lambda c: json.dumps(c, ensure_ascii=False)))
        st.dataframe(shown.drop(columns=["report_id"]), hide_index=True, width="stretch")


def _number_text(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Reports as people read them: country names beside the codes (the grid shows the names, see
    READABLE_CONFIG) and empty cells, never "None", for missing values. The grid prints a missing
    number as "None", so a number column with gaps becomes text (digits as the CSV writes them)."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values) or not values.isna().any():
            continue
        if pd.api.types.is_numeric_dtype(values):
            frame[column] = values.map(_number_text).astype(object)
        else:
            frame[column] = values.astype(object).where(values.notna(), "")
    for column in ("host", "deployer"):
        if column in frame:
            names = names_of(frame[column])
            frame.insert(frame.columns.get_loc(column), f"{column}_name", names)
    return frame


# The codes stay in the frame (for selections and tests) but the grid shows the names in their place.
READABLE_CONFIG = {
    "deployer_name": st.column_config.TextColumn("Deployer"),
    "host_name": st.column_config.TextColumn("Host"),
    "deployer": None,
    "host": None,
}


def reports_grid(frame: pd.DataFrame, key: str | None = None):
    """Reports as a table (user text as grid cells, never markup); selectable when given a key."""
    columns = [c for c in frame.columns if c not in HIDDEN_REPORT_COLUMNS]
    shown = readable(frame[columns])
    config = {**REPORT_CONFIG, **READABLE_CONFIG}
    if key is None:
        return st.dataframe(shown, hide_index=True, column_config=config, width="stretch")
    return st.dataframe(
        shown,
        hide_index=True,
        column_config=config,
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
    report_downloads(url, as_of, filters, pairs, text.strip(), description)


def report_downloads(
    url: str, as_of: dt.date, filters: Filters, pairs: tuple | None, text: str, description: str
) -> None:
    """The reports a view stands for (no display limit): canonical CSV, GeoJSON, Excel."""
    stem = f"garrison-{as_of.isoformat()}"
    left, middle, right = st.columns(3)
    left.download_button(
        "Download CSV",
        lambda: data.export(url, as_of, filters, pairs, text, "csv"),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_csv",
        on_click="ignore",
        help=f"Canonical CSV (imports back): {description}",
    )
    middle.download_button(
        "Download GeoJSON",
        lambda: data.export(url, as_of, filters, pairs, text, "geojson"),
        file_name=f"{stem}.geojson",
        mime="application/geo+json",
        key="download_geojson",
        on_click="ignore",
        help="Points with every report field as properties (`position` says when a point is the host's "
        "drawing point rather than a reported place), for QGIS",
    )
    right.download_button(
        "Download Excel",
        lambda: data.export_xlsx(url, as_of, filters, pairs, text),
        file_name=f"{stem}.xlsx",
        mime=excel.XLSX_MIME,
        key="download_xlsx",
        on_click="ignore",
        help=f"The same reports as a workbook (no cell is a formula): {description}",
    )


# --- the compare page ----------------------------------------------------------------------------


def change_config(date_from: dt.date, date_to: dt.date) -> dict:
    """Column labels of the changes table, with the two dates in them."""
    then, now = date_from.isoformat(), date_to.isoformat()
    none = "none: no report dated by then"
    return {
        "deployer_name": st.column_config.TextColumn("Deployer"),
        "host_name": st.column_config.TextColumn("Host"),
        "kind": st.column_config.TextColumn(
            "Change",
            help="arrived / left: present at one date only; grew / shrank / unchanged: present at both; "
            "unknown: present at both, a number missing at one",
        ),
        "change": st.column_config.NumberColumn("Net", format="%+d", help="Troops at the second date minus the first"),
        "troops_from": st.column_config.NumberColumn(f"Troops {then}", help="0 when not present then"),
        "troops_to": st.column_config.NumberColumn(f"Troops {now}", help="0 when not present then"),
        "status_from": st.column_config.TextColumn(f"Status {then}", help=none),
        "status_to": st.column_config.TextColumn(f"Status {now}", help=none),
        "sources_from": st.column_config.NumberColumn(f"Sources {then}"),
        "sources_to": st.column_config.NumberColumn(f"Sources {now}"),
        "last_report_from": st.column_config.DateColumn(f"Last report {then}"),
        "last_report_to": st.column_config.DateColumn(f"Last report {now}"),
    }


def changes_table(frame: pd.DataFrame, date_from: dt.date, date_to: dt.date) -> None:
    """The pairs that changed between two dates (core.changes.changes_between rows)."""
    config = change_config(date_from, date_to)
    st.dataframe(frame[list(config)], key="changes", hide_index=True, column_config=config, width="stretch")


def changes_downloads(frame: pd.DataFrame, hosts: pd.DataFrame, date_from: dt.date, date_to: dt.date) -> None:
    stem = f"garrison-changes-{date_from.isoformat()}-to-{date_to.isoformat()}"
    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        "Changes CSV",
        lambda: table_csv(frame),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_changes_csv",
        on_click="ignore",
    )
    right.download_button(
        "Changes Excel",
        lambda: excel.write_xlsx({"pairs": frame, "hosts": hosts}),
        file_name=f"{stem}.xlsx",
        mime=excel.XLSX_MIME,
        key="download_changes_xlsx",
        on_click="ignore",
        help="Two sheets: the pairs, and the net change per host",
    )
