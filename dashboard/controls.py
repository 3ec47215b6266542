"""Shared controls: the sidebar filters and the as-of date. Each owns its session-state keys."""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from core import countries, viewstate
from core.domain import STATUSES
from core.filters import Filters
from core.viewstate import CompareView, ViewState

# Each filter widget's key and the value that means "no restriction" (what Clear filters sets).
FILTER_DEFAULTS = {"deployers": [], "hosts": [], "regions": [], "statuses": [], "min_troops": None, "source_text": ""}
FILTER_KEYS = tuple(FILTER_DEFAULTS)
AS_OF_KEYS = ("as_of", "as_of_slider", "as_of_input")
# Playback: seconds between steps, by the label the speed control shows.
SPEEDS = {"slow": 2.0, "normal": 1.0, "fast": 0.5}
STEPS = tuple(viewstate.STEP_MONTHS)


def regions() -> list[str]:
    """Continents and UN subregions of the country registry, as the region filter offers them."""
    return viewstate.regions()


def map_link(deployer: str, host: str, as_of: dt.date) -> dict[str, str | list[str]]:
    """Query parameters of a map link that shows one pair as of a date."""
    return ViewState(as_of, Filters(deployers=(deployer,), hosts=(host,))).to_params()


def _url_params() -> dict[str, list[str]]:
    params = st.query_params
    return {name: params.get_all(name) for name in sorted(params.keys())}


def _new_url() -> dict[str, list[str]] | None:
    """The URL's parameters when it is not one this session wrote (a fresh page, a pasted or followed
    link), else None."""
    current = _url_params()
    # Not only the last one written: a change made while the browser has not yet taken the newest URL
    # arrives with an older one of ours, and applying that would undo the change before it.
    if not current or current in st.session_state.get("views_written", []):
        return None
    _remember(current)
    return current


def _apply_filters(f: Filters) -> None:
    st.session_state.update(
        {
            "deployers": list(f.deployers),
            "hosts": list(f.hosts),
            "regions": list(f.regions),
            "statuses": list(f.statuses),
            "min_troops": f.min_troops,
            "source_text": f.source_text,
        }
    )


def load_view(layer_ids: tuple[str, ...]) -> list[str]:
    """Put the map view a URL asks for into the widgets' state, when the URL is new to this session.
    Returns the URL's problems, to be shown."""
    current = _new_url()
    if current is None:
        return []
    view, problems = ViewState.from_params(current, layer_ids)
    state = st.session_state
    _apply_filters(view.filters)
    state["layers"] = list(view.layers if view.layers is not None else layer_ids)
    state["view_pair"] = view.pair
    state.pop("as_of", None)
    if view.as_of:
        state["as_of"] = view.as_of
    return problems


def load_compare(kinds: tuple[str, ...]) -> list[str]:
    """As load_view, for the compare page: its dates, filters and shown kinds of change."""
    current = _new_url()
    if current is None:
        return []
    view, problems = CompareView.from_params(current, kinds)
    state = st.session_state
    _apply_filters(view.filters)
    for key, date in (("compare_from", view.date_from), ("compare_to", view.date_to)):
        if date:
            state[key] = date
    if view.kinds is not None:
        state["compare_kinds"] = list(view.kinds)
    return problems


def save_view(view: ViewState | CompareView) -> None:
    """Write the view into the URL (only when it changed), so the address bar can be copied at any time."""
    params = view.to_params()
    wanted = {name: value if isinstance(value, list) else [value] for name, value in params.items()}
    if wanted != _url_params():
        st.query_params.from_dict(params)
    _remember(dict(sorted(wanted.items())))


def _remember(params: dict, keep: int = 50) -> None:
    written = [p for p in st.session_state.get("views_written", []) if p != params]
    st.session_state["views_written"] = [*written[-(keep - 1) :], params]


def _clear_filters() -> None:
    # Set each widget to its empty value rather than dropping the key: a dropped key lets the browser
    # send its old value back with the next change, and the filters return.
    state = st.session_state
    for key, empty in FILTER_DEFAULTS.items():
        state[key] = list(empty) if isinstance(empty, list) else empty
    state.pop("view_pair", None)


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
            select_all=False,  # Enter then picks the best match ("Mali"), not every match
            placeholder="Any deploying country",
        )
        hosts = st.multiselect(
            "Host(s)",
            options(host_options, "hosts"),
            format_func=name,
            key="hosts",
            persist_state="session",
            select_all=False,
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


def _from_slider() -> None:
    state = st.session_state
    state["as_of"], state["playing"] = state["as_of_slider"], False
    state.pop("as_of_error", None)


def _from_box(first: dt.date, end: dt.date) -> None:
    state = st.session_state
    state.pop("as_of_error", None)
    state["playing"] = False
    try:
        date = viewstate.parse_as_of(state["as_of_input"])
    except ValueError as exc:
        state["as_of_error"] = str(exc)
        return
    if not first <= date <= end:
        state["as_of_error"] = f"{date.isoformat()} is outside the reports' dates; shown as of the nearest."
    state["as_of"] = min(max(date, first), end)


def as_of_control(
    first: dt.date, last: dt.date, newest: dt.date | None = None, today: dt.date | None = None
) -> dt.date:
    """A slider over the data's months, a date box (applies on Enter) and playback, kept in step.

    Opens on `newest`, the newest counted report (an announcement dated ahead does not move it)."""
    today = today or dt.date.today()
    end = max(last, today)
    state = st.session_state
    value = state.get("as_of") or newest or min(last, today)
    value = min(max(value, first), end)
    stops = sorted(set(viewstate.month_ends(first, end)) | {first, value})
    # The canonical value lives in "as_of"; the widgets mirror it and write it back when moved.
    state["as_of"] = state["as_of_slider"] = value
    state["as_of_input"] = value.isoformat()
    slider, box, *play = st.columns([4.2, 1.4, 0.75, 0.75, 0.75, 1.25, 1.25], gap="small", vertical_alignment="bottom")
    slider.select_slider(
        "As of",
        stops,
        key="as_of_slider",
        format_func=lambda d: d.isoformat(),
        on_change=_from_slider,
        help="Steps by month; type a day in the date box.",
    )
    box.text_input(
        "Date",
        key="as_of_input",
        max_chars=10,
        on_change=_from_box,
        args=(first, end),
        help="YYYY-MM-DD, or YYYY-MM / YYYY for the end of that month or year; Enter applies it.",
    )
    _playback(first, end, play)
    if state.get("as_of_error"):
        st.warning(state["as_of_error"], icon=":material/event_busy:")
    return value


def _toggle_play(first: dt.date, end: dt.date) -> None:
    state = st.session_state
    state["playing"] = not state.get("playing")
    if state["playing"] and state.get("as_of", end) >= end:
        state["as_of"] = first  # play from the start once the end is reached


def _step(forward: bool, first: dt.date, end: dt.date) -> None:
    state = st.session_state
    state["playing"] = False
    date = viewstate.step_date(state["as_of"], state.get("play_step", "month"), forward)
    state["as_of"] = min(max(date, first), end)


def _advance(end: dt.date) -> None:
    """One playback step: the next month, quarter or year end; playback stops at the last date."""
    state = st.session_state
    date = viewstate.step_date(state["as_of"], state.get("play_step", "month"))
    if date >= end:
        date, state["playing"] = end, False
    state["as_of"] = date


def keep_playing() -> None:
    """While playing: once the page is drawn, wait the speed's interval, move the date one step and rerun.
    The page calls it last. The wait is in the script run, not a browser timer (a fragment's run_every):
    Streamlit's browser drops a timer tick that fires while a run is in progress, and under load playback
    stopped after one step. The wait is in slices, each ending in an (empty) element: Streamlit takes a
    pending request at an element, so a click during the wait (pause, a filter, another page, Back) runs
    at once as the user asked, instead of being merged into this page's st.rerun()."""
    state = st.session_state
    if not state.get("playing") or "play_end" not in state:
        return
    slot, until = st.empty(), time.monotonic() + SPEEDS[state.get("play_speed", "normal")]
    while time.monotonic() < until:
        time.sleep(0.05)
        slot.empty()
    _advance(state["play_end"])
    st.rerun()


def _playback(first: dt.date, end: dt.date, columns: list) -> None:
    """Play / pause, a step back and forward, the step size and the speed. While playing, the page's
    last call, keep_playing, moves the date one step."""
    state = st.session_state
    state.setdefault("play_step", "month")
    state.setdefault("play_speed", "normal")
    back, toggle, forward, step, speed = columns
    back.button(
        ":material/skip_previous:", key="play_back", help="One step back", on_click=_step, args=(False, first, end)
    )
    playing = bool(state.get("playing"))
    toggle.button(
        ":material/pause:" if playing else ":material/play_arrow:",
        key="play_toggle",
        help="Pause" if playing else "Play through time",
        type="primary",
        on_click=_toggle_play,
        args=(first, end),
    )
    forward.button(
        ":material/skip_next:", key="play_forward", help="One step forward", on_click=_step, args=(True, first, end)
    )
    step.selectbox("Step", STEPS, key="play_step")
    speed.selectbox("Speed", list(SPEEDS), key="play_speed")

    state["play_end"] = end
