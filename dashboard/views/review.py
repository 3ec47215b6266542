"""Review page (editors only): the pending queue, oldest first, and one report to act on."""

import streamlit as st

from dashboard import auth, data, review_panel

actor = auth.actor()
st.title("Review")
if not actor.is_editor:  # not in the navigation for others, but /review can be opened or reloaded
    if auth.policy().single_user:
        st.info(auth.NOTHING_TO_REVIEW)
    else:
        st.info(auth.SIGN_IN_PROMPT, icon=":material/login:")
    st.stop()

review_panel.messages()
queue = data.pending_queue()
if queue.empty:
    st.info("No report awaits review.")
    st.stop()
more = " (the oldest 200 shown)" if queue.attrs.get("truncated") else ""
st.caption(f"{len(queue):,} report(s) await review{more}, oldest first. Select one to review it.")
review_panel.show(actor, review_panel.queue_table(queue))
