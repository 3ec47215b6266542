"""Map page: presence as of a date, filtered; a click on the map narrows the tables below.

The map comes first; the date, playback and layer controls sit under it. The URL carries the
whole view (core/viewstate.py) and follows every change, so the address bar can be shared.
"""

import streamlit as st

from core.viewstate import ViewState
from dashboard import controls, data, layers, tables
from dashboard.text import md

# A compact title line: the map, not the heading, fills the first screen.
# The main block's top padding shrinks to what clears the header bar (60 px).
COMPACT = (
    "<style>[data-testid='stMain'] h1 {font-size: 1.6rem; padding: 0 0 0.25rem 0;}"
    "[data-testid='stMainBlockContainer'] {padding-top: 3.5rem;}</style>"
)

st.html(layers.bundle_preload_html() + COMPACT, unsafe_allow_javascript=True)  # first: see its docstring
url, version = data.database_url(), data.version()
problems = controls.load_view(layers.LAYER_IDS)
span = data.date_range(url, version)
filters = controls.filters_sidebar(*data.countries_in_store(url, version))

st.title("Foreign military presence")
for problem in problems:
    st.warning(f"Link not fully applied — {md(problem)}", icon=":material/link_off:")
if span is None:
    st.info("The store holds no reports yet. Add one on the Submit page, or import a CSV there.")
    st.pydeck_chart(layers.deck([layers.countries_layer(), layers.borders_layer()]), key="map")
    st.page_link("views/submit.py", label="Submit a report", icon=":material/add_circle:")
    st.stop()

heading, map_area = st.empty(), st.container()
as_of = controls.as_of_control(*span, data.newest_counted_date(url, version))
description = filters.describe("Presence", as_of=as_of)
heading.markdown(f"**{md(description)}**")  # it quotes the typed source filter
pairs, points = data.presence_and_points(url, version, as_of, filters)
hosts = data.host_totals(url, version, as_of, filters)
present = pairs[pairs["status"] == "present"]

st.session_state.setdefault("layers", list(layers.LAYER_IDS))
shown = st.pills("Layers", layers.LAYER_IDS, selection_mode="multi", key="layers")
cols = st.columns(4)
cols[0].metric("Countries hosting foreign troops", f"{len(hosts):,}")
cols[1].metric("Deploying countries", f"{present['deployer'].nunique():,}")
cols[2].metric(
    "Troops abroad (best estimate)",
    f"{int(present['troops'].sum()):,}",
    help=f"Low–high: {int(present['troops_low'].sum()):,}–{int(present['troops_high'].sum()):,}",
)
newest = pairs["last_report_date"].max() if not pairs.empty else None
cols[3].metric("Newest report", newest.isoformat() if newest else "—")

framed = bool(filters.deployers or filters.hosts)  # a filter to countries zooms the map to them
deck = layers.map_deck(shown, hosts, pairs, points, framed=framed)
with map_area:
    event = st.pydeck_chart(deck, key="map", on_select="rerun", selection_mode="single-object")
    st.html(layers.legend_html() + layers.TOOLTIP_FIT, unsafe_allow_javascript=True)

focus = layers.focus_of(event)
if focus:
    st.session_state.pop("view_pair", None)  # a click on the map replaces the linked pair
elif st.session_state.get("view_pair"):
    deployer, host = st.session_state["view_pair"]
    focus = layers.Focus(deployer=deployer, host=host)
if focus:
    st.info(f"Tables narrowed to {md(focus.describe())} — click the same shape again to clear.")
    if st.session_state.get("view_pair"):
        st.button("Show all pairs", key="clear_pair", on_click=st.session_state.pop, args=("view_pair", None))
shown_pairs, picked = tables.presence_table(pairs, focus, as_of, description)
pair = picked or ((focus.deployer, focus.host) if focus and focus.deployer else None)
layer_choice = tuple(layer for layer in layers.LAYER_IDS if layer in shown)
controls.save_view(
    ViewState(
        as_of=as_of,
        filters=filters,
        pair=pair,
        layers=None if layer_choice == layers.LAYER_IDS else layer_choice,
    )
)
if picked:
    tables.pair_detail(url, version, picked, as_of, filters, description)
else:
    narrowed = bool(focus or st.session_state.get("pair_search") or filters.statuses or filters.min_troops)
    subset = tuple(zip(shown_pairs["deployer"], shown_pairs["host"], strict=True)) if narrowed else None
    tables.reports_section(url, version, as_of, filters, subset, description)
controls.keep_playing()  # last: it waits, then reruns the page one step on
