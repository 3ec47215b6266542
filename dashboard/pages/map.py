"""Map page: presence as of a date, filtered; a click on the map narrows the tables below."""

import streamlit as st

from dashboard import controls, data, layers, tables
from dashboard.text import md

url, version = data.database_url(), data.version()
controls.apply_link()
span = data.date_range(url, version)
filters = controls.filters_sidebar(*data.countries_in_store(url, version))

st.title("Foreign military presence")
if span is None:
    st.info("The store holds no reports yet. Add one on the Submit page, or import a CSV there.")
    st.pydeck_chart(layers.deck([layers.countries_layer()]), key="map")
    st.page_link("pages/submit.py", label="Submit a report", icon=":material/add_circle:")
    st.stop()

as_of = controls.as_of_control(*span)
description = filters.describe("Presence", as_of=as_of)
st.markdown(f"**{md(description)}**")  # it quotes the typed source filter
pairs, points = data.presence_and_points(url, version, as_of, filters)
hosts = data.host_totals(url, version, as_of, filters)
present = pairs[pairs["status"] == "present"]

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

shown = st.pills(
    "Layers",
    layers.LAYER_IDS,
    selection_mode="multi",
    default=list(layers.LAYER_IDS),
    key="layers",
)
builders = {
    "countries": lambda: layers.countries_layer(),
    "presence": lambda: layers.presence_layer(hosts, data.shapes()),
    "arcs": lambda: layers.arcs_layer(pairs),
    "points": lambda: layers.points_layer(points),
}
deck = layers.deck([builders[layer_id]() for layer_id in layers.LAYER_IDS if layer_id in shown])
event = st.pydeck_chart(deck, key="map", on_select="rerun", selection_mode="single-object")
st.html(layers.legend_html())

focus = layers.focus_of(event)
if focus:
    st.info(f"Tables narrowed to {md(focus.describe())} — click the same shape again to clear.")
shown_pairs, picked = tables.presence_table(pairs, focus, as_of, description)
if picked:
    tables.pair_detail(url, version, picked, as_of, filters, description)
else:
    narrowed = bool(focus or st.session_state.get("pair_search") or filters.statuses or filters.min_troops)
    subset = tuple(zip(shown_pairs["deployer"], shown_pairs["host"], strict=True)) if narrowed else None
    tables.reports_section(url, version, as_of, filters, subset, description)
