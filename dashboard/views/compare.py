"""Compare page: presence at two dates, per pair — what arrived, left, grew or shrank — on a map
shaded by net change per host, in a table, and as downloads."""

import datetime as dt

import streamlit as st

from core import changes
from core.viewstate import CompareView
from dashboard import compare_layers, controls, data, layers, tables
from dashboard.text import md

DEFAULT_KINDS = tuple(k for k in changes.KINDS if k != "unchanged")

url, version = data.database_url(), data.version()
problems = controls.load_compare(changes.KINDS)
span = data.date_range(url, version)
filters = controls.filters_sidebar(*data.countries_in_store(url, version))
state = st.session_state

st.title("Compare two dates")
for problem in problems:
    st.warning(f"Link not fully applied — {md(problem)}", icon=":material/link_off:")
if span is None:
    st.info("The store holds no reports yet. Add one on the Submit page, or import a CSV there.")
    st.stop()

first, last = span
end = max(last, dt.date.today())
# As the map: the newest counted report, not a future announcement, ends the default span.
newest = data.newest_counted_date(url, version) or last
# A date a link put in the state is the widget's value; passing a default as well makes Streamlit warn.
state.setdefault("compare_from", max(first, newest - dt.timedelta(days=365)))
state.setdefault("compare_to", newest)
for key, label in (("compare_from", "From"), ("compare_to", "To")):
    # A linked date outside the store's span would make the date box raise: bring it inside and say so.
    if isinstance(state[key], dt.date) and not first <= state[key] <= end:
        moved = min(max(state[key], first), end)
        st.warning(f"“{label}” {state[key].isoformat()} is outside the reports' span: shown as {moved.isoformat()}.")
        state[key] = moved
left, right = st.columns(2)
date_from = left.date_input("From", min_value=first, max_value=end, key="compare_from", format="YYYY-MM-DD")
date_to = right.date_input("To", min_value=first, max_value=end, key="compare_to", format="YYYY-MM-DD")
if date_from is None or date_to is None:
    st.info("Pick both dates.")
    st.stop()
if date_from > date_to:
    st.error(f"“From” ({date_from.isoformat()}) is after “To” ({date_to.isoformat()}): swap the two dates.")
    st.stop()

frame = data.changes(url, version, date_from, date_to, filters)
hosts = changes.host_changes(frame)
st.markdown(f"**{md(filters.describe(f'Changes from {date_from.isoformat()} to {date_to.isoformat()}'))}**")

counts = frame["kind"].value_counts()
cols = st.columns(5)
for col, kind in zip(cols, ("arrived", "left", "grew", "shrank", "unchanged"), strict=True):
    col.metric(f"Pairs that {kind}" if kind != "unchanged" else "Pairs unchanged", f"{int(counts.get(kind, 0)):,}")

deck = layers.deck(
    [compare_layers.shaded_countries_layer(hosts), layers.borders_layer(), compare_layers.change_points_layer(hosts)],
    height=460,
)
st.pydeck_chart(deck, key="compare_map")
st.html(compare_layers.legend_html() + layers.TOOLTIP_FIT, unsafe_allow_javascript=True)

st.subheader("Pairs")
state.setdefault("compare_kinds", list(DEFAULT_KINDS))
shown = st.pills("Show", list(changes.KINDS), selection_mode="multi", key="compare_kinds")
kinds = tuple(k for k in changes.KINDS if k in (shown or ()))
controls.save_view(CompareView(date_from, date_to, filters, None if kinds == DEFAULT_KINDS else kinds))
picked = frame[frame["kind"].isin(shown or [])].reset_index(drop=True)
tables.changes_table(picked, date_from, date_to)
st.caption(f"{len(picked):,} of {len(frame):,} pairs present at either date. Downloads hold all of them.")
tables.changes_downloads(frame, hosts, date_from, date_to)
