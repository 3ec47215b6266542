"""Shared controls: the sidebar filters and the as-of date. Each owns its session-state keys."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core import countries
from core.domain import STATUSES
from core.filters import Filters

FILTER_KEYS = ("deployers", "hosts", "regions", "statuses", "min_troops", "source_text")
AS_OF_KEYS = ("as_of", "as_of_slider", "as_of_input")
# Map links (from the submit page, or shared) carry these query parameters.
LINK_PARAMS = ("deployer", "host", "as_of")


def regions() -> list[str]:
    """Continents and UN subregions of the country registry, as the region filter offers them."""
    names = {c.continent for c in countries.all_countries()} | {c.region for c in countries.all_countries()}
    return sorted(n for n in names if n)


def map_link(deployer: str, host: str, as_of: dt.date) -> dict[str, str]:
    """Query parameters of a map link that shows one pair as of a date."""
    return {"deployer": deployer, "host": host, "as_of": as_of.isoformat()}


def apply_link() -> None:
    """Turn map-link query parameters into filter and date state once, then drop them from the URL."""
    params = st.query_params
    if not any(p in params for p in LINK_PARAMS):
        return
    state = st.session_state
    for param, key in (("deployer", "deployers"), ("host", "hosts")):
        code = params.get(param, "").upper()
        if code in countries.registry().by_iso3:
            state[key] = [code]
    try:
        state["as_of"] = dt.date.fromisoformat(params.get("as_of", ""))
    except ValueError:
        pass
    for param in LINK_PARAMS:
        params.pop(param, None)


def _clear_filters() -> None:
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)


def filters_sidebar(deployer_options: list[str], host_options: list[str]) -> Filters:
    """The filter widgets in the sidebar; returns them as one Filters value."""
    state = st.session_state
    name = countries.name_of

    def options(choices: list[str], key: str) -> list[str]:
        # A chosen country stays selectable even when the store no longer lists it.
        return sorted(set(choices) | set(state.get(key) or []), key=name)

    with st.sidebar:
        st.header("Filters")
        deployers = st.multiselect(
            "Deployer(s)",
            options(deployer_options, "deployers"),
            format_func=name,
            key="deployers",
            persist_state="session",
            placeholder="Any deploying country",
        )
        hosts = st.multiselect(
            "Host(s)",
            options(host_options, "hosts"),
            format_func=name,
            key="hosts",
            persist_state="session",
            placeholder="Any host country",
        )
        chosen_regions = st.multiselect(
            "Host region / continent",
            regions(),
            key="regions",
            persist_state="session",
            placeholder="Anywhere",
        )
        statuses = st.multiselect(
            "Status",
            list(STATUSES),
            key="statuses",
            persist_state="session",
            placeholder="Any status",
            help="present: counted troops; withdrawn: presence ended; announced: planned, not yet counted",
        )
        min_troops = st.number_input(
            "Minimum troops",
            min_value=0,
            step=100,
            value=None,
            key="min_troops",
            persist_state="session",
            help="Pairs whose best estimate is below this are hidden (pairs without a number too).",
        )
        source_text = st.text_input(
            "Source contains",
            key="source_text",
            persist_state="session",
            help="Text in the source name or URL, e.g. Interfax or un.org",
        )
        st.button("Clear filters", on_click=_clear_filters, key="clear_filters")
    return Filters(
        deployers=tuple(deployers),
        hosts=tuple(hosts),
        regions=tuple(chosen_regions),
        statuses=tuple(statuses),
        min_troops=int(min_troops) if min_troops else None,
        source_text=source_text.strip(),
    )


def _from(widget_key: str) -> None:
    st.session_state["as_of"] = st.session_state[widget_key]


def as_of_control(first: dt.date, last: dt.date, today: dt.date | None = None) -> dt.date:
    """A slider over the data's dates and a date input, kept in step; opens on the newest report."""
    today = today or dt.date.today()
    end = max(last, today)
    state = st.session_state
    value = state.get("as_of") or min(last, today)
    value = min(max(value, first), end)
    # The canonical value lives in "as_of"; both widgets mirror it and write it back when moved.
    state["as_of"] = state["as_of_slider"] = state["as_of_input"] = value
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    left.slider(
        "As of",
        min_value=first,
        max_value=end,
        key="as_of_slider",
        format="YYYY-MM-DD",
        on_change=_from,
        args=("as_of_slider",),
    )
    right.date_input(
        "Date",
        value=None,
        min_value=first,
        max_value=end,
        key="as_of_input",
        format="YYYY-MM-DD",
        on_change=_from,
        args=("as_of_input",),
    )
    return value
