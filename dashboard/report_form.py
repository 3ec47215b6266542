"""The report form: widgets for the canonical fields; core validates, this shows errors beside fields.

Owns the session-state keys that start with "f_" (widgets) and "form_" (outcome of a submission).
Saving goes through core.review.submit: pending until an editor approves it, or published at once in
single-user mode. A feature that fills the form (e.g. from an article) may set "form_channel" to
"extract" so the audit trail says where the report came from.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core import countries
from core.domain import CSV_COLUMNS, STATUSES, ReportData
from core.validation import validate
from dashboard import auth, controls, data
from dashboard.text import md

QUALIFIERS = {
    "exact": "exactly",
    "approx": "about",
    "at_least": "at least",
    "at_most": "up to",
    "range": "range (troops to max)",
    "unknown": "no number given",
}
PRECISIONS = {"day": "day", "month": "month (date is within it)", "year": "year (date is within it)"}
# The widest dates a report can carry; date_input otherwise only offers ±10 years.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def _raw() -> dict:
    """The typed values under the canonical column names that core.validation reads."""
    state = st.session_state
    raw = {field: state.get(f"f_{field}") for field in CSV_COLUMNS}
    if raw["count_kind"] != "range":
        raw["troops_max"] = None  # a max typed before switching away from "range" is not meant
    return raw


def _submit() -> None:
    state = st.session_state
    for key in ("form_errors", "form_pending", "form_saved", "form_limited"):
        state.pop(key, None)
    result = validate(_raw())
    if isinstance(result, list):
        errors: dict[str, list[str]] = {}
        for error in result:
            errors.setdefault(error.field, []).append(error.message)
        state["form_errors"] = errors
        return
    duplicates = data.possible_duplicates(result, include_pending=auth.actor().is_editor)
    if duplicates:
        state["form_pending"] = (result, duplicates)
        return
    _save(result)


def _save(report: ReportData) -> None:
    state = st.session_state
    state.pop("form_pending", None)
    actor = auth.actor()
    wait = auth.submission_wait(actor)
    if wait:
        state["form_limited"] = auth.wait_message(wait)
        return
    channel = "extract" if state.pop("form_channel", None) == "extract" else "form"
    state["form_saved"] = data.submit_report(report, actor, auth.policy(), channel)


def _cancel() -> None:
    st.session_state.pop("form_pending", None)


def _errors(*fields: str) -> None:
    for field in fields:
        for message in st.session_state.get("form_errors", {}).get(field, []):
            # Messages may quote what was typed: escaped, so it shows as text.
            st.error(f"{field.replace('_', ' ')}: {md(message)}", icon=":material/error:")


def show() -> None:
    codes = [c.iso3 for c in countries.all_countries()]
    name = countries.name_of
    with st.form("report", border=True):
        left, right = st.columns(2)
        with left:
            st.selectbox(
                "Deployer (whose forces)",
                codes,
                index=None,
                format_func=name,
                key="f_deployer",
                placeholder="Type to search a country",
                accept_new_options=True,  # a name not in the list reaches core, which says what it is
            )
            _errors("deployer")
            st.selectbox(
                "Host (where they are)",
                codes,
                index=None,
                format_func=name,
                key="f_host",
                placeholder="Type to search a country",
                accept_new_options=True,
            )
            _errors("host")
            st.selectbox("Count", list(QUALIFIERS), format_func=QUALIFIERS.get, key="f_count_kind")
            _errors("count_kind")
            low, high = st.columns(2)
            # No widget bounds here or for lat/lon: the browser would refuse -5 without a word; core
            # checks the ranges and says what is allowed.
            low.number_input("Troops", step=1, value=None, key="f_troops")
            high.number_input("Max (range only)", step=1, value=None, key="f_troops_max")
            _errors("troops", "troops_max")
            day, precision = st.columns(2)
            day.date_input("Date", value=None, min_value=EARLIEST, max_value=LATEST, key="f_date", format="YYYY-MM-DD")
            precision.selectbox("Known to the", list(PRECISIONS), format_func=PRECISIONS.get, key="f_date_precision")
            _errors("date", "date_precision")
            st.selectbox("Status", list(STATUSES), key="f_status")
            _errors("status")
        with right:
            st.text_input("Mission (optional)", key="f_mission", placeholder="e.g. Operation Barkhane")
            st.text_input("Location (optional)", key="f_location", placeholder="Base or city")
            lat, lon = st.columns(2)
            lat.number_input("Latitude", value=None, format="%.4f", key="f_lat")
            lon.number_input("Longitude", value=None, format="%.4f", key="f_lon")
            _errors("mission", "location", "lat", "lon")
            st.text_input("Source name", key="f_source_name", placeholder="Outlet, ministry or dataset")
            _errors("source_name")
            agency, speaker = st.columns(2)
            agency.text_input("Agency cited (optional)", key="f_cited_agency", placeholder="e.g. Interfax")
            speaker.text_input("Speaker (optional)", key="f_speaker", placeholder="Who is quoted, with title")
            _errors("cited_agency", "speaker")
            st.text_input("Source URL", key="f_source_url", placeholder="https://…")
            _errors("source_url")
            st.date_input(
                "Published on (optional)",
                value=None,
                min_value=EARLIEST,
                max_value=LATEST,
                key="f_source_date",
                format="YYYY-MM-DD",
            )
            _errors("source_date")
            st.text_area("Notes (optional)", key="f_notes", placeholder="Quote the passage that gives the figure")
            _errors("notes")
        st.form_submit_button("Save report", type="primary", on_click=_submit)

    state = st.session_state
    if state.get("form_errors"):
        problems = [
            f"- {field.replace('_', ' ')}: {md(message)}"
            for field, messages in state["form_errors"].items()
            for message in messages
        ]
        st.error("Nothing was saved: correct the fields marked above.\n\n" + "\n".join(problems))
    if state.get("form_pending"):
        report, duplicates = state["form_pending"]
        st.warning(f"{len(duplicates)} stored report(s) have the same pair, date and source. Save this one as well?")
        st.dataframe(duplicates, hide_index=True)
        yes, no = st.columns(2)
        yes.button("Save anyway", key="form_confirm", on_click=_save, args=(report,))
        no.button("Cancel", key="form_cancel", on_click=_cancel)
    if state.get("form_limited"):
        st.error(state["form_limited"])
    if state.get("form_saved"):
        saved = state["form_saved"]
        pair = f"{name(saved['deployer'])} in {name(saved['host'])}"
        if saved.get("review_state") == "pending":
            st.success(
                f"Received report #{saved['id']}: {pair}. It awaits review by an editor and will show "
                "on the map once approved."
            )
            st.dataframe([saved], hide_index=True)
            return
        st.success(f"Saved report #{saved['id']}: {pair}.")
        st.dataframe([saved], hide_index=True)
        st.page_link(
            "views/map.py",
            label="See it on the map",
            icon=":material/public:",
            query_params=controls.map_link(saved["deployer"], saved["host"], saved["date"]),
        )
