""" "Paste an article": drafts from core.extract as cards with their evidence; one of them fills the form.

Owns the session-state keys that start with "article_". Nothing is stored here: "Use this draft" only
sets the report form's widget values (its "f_" keys); the form's own Save validates and stores.
Every piece of pasted text reaches the page through dashboard.text (markdown) or as plain text.
"""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from core import countries
from core.domain import COUNT_KINDS, STATUSES
from core.extract import Draft
from core.validation import parse_partial_date
from dashboard import data
from dashboard.text import md, md_piece

MAX_CHARS = 100_000
_COUNTS = {"exact": "{}", "approx": "about {}", "at_least": "at least {}", "at_most": "up to {}"}


def highlighted(evidence: dict) -> str:
    """The evidence sentence as markdown: every piece escaped, the spans wrapped in a highlight.

    Spans outside the sentence (a side named earlier in the article) are left to the legend.
    """
    sentence, offset = evidence.get("sentence", ""), evidence.get("start", 0)
    cuts: list[tuple[int, int]] = []
    for start, end, _ in sorted(evidence.get("spans", {}).values()):
        start, end = max(start - offset, 0), min(end - offset, len(sentence))
        if start >= end:
            continue
        if cuts and start <= cuts[-1][1]:  # overlapping spans (host and location) become one
            cuts[-1] = (cuts[-1][0], max(cuts[-1][1], end))
        else:
            cuts.append((start, end))
    parts, at = [], 0
    for start, end in cuts:
        parts.append(md_piece(sentence[at:start]))
        piece = sentence[start:end]
        # Edge spaces go outside the wrapper: "** x**" would not be bold.
        parts.append(md_piece(piece[: len(piece) - len(piece.lstrip())]))
        parts.append(f":orange-background[**{md(piece)}**]" if piece.strip() else "")
        parts.append(md_piece(piece[len(piece.rstrip()) :]))
        at = end
    parts.append(md_piece(sentence[at:]))
    return "".join(parts).strip()


def legend(evidence: dict) -> str:
    """`field “words”` for every span, escaped: which words gave which field."""
    spans = evidence.get("spans", {})
    return " · ".join(f"{field.replace('_', ' ')} “{md(span[2])}”" for field, span in spans.items())


def summary(draft: Draft) -> str:
    """ "Russia → Venezuela · about 100 · 2019-03 · present · Interfax · confidence 0.7", escaped."""
    if draft.troops is None:
        count = "no number"
    elif draft.count_kind == "range" and draft.troops_max is not None:
        count = f"{draft.troops:,}–{draft.troops_max:,}"
    else:
        count = _COUNTS.get(draft.count_kind, "{}").format(f"{draft.troops:,}")
    pieces = [
        f"**{md(countries.name_of(draft.deployer))} → {md(countries.name_of(draft.host))}**",
        md(count),
        md(draft.date or "no date in the text"),
        md(draft.status),
        md(_chain(draft)),
        f"confidence {draft.confidence:.1f}",
    ]
    if draft.location:
        pieces.insert(2, md(f"at {draft.location}"))
    return " · ".join(pieces)


def _chain(draft: Draft) -> str:
    """'Interfax, quoting Ivan Gil': who the figure comes from, as far as the text says."""
    if draft.speaker and draft.speaker != draft.source_name:
        return f"{draft.source_name or 'no source named'}, quoting {draft.speaker}"
    return draft.source_name or "no source named"


def form_values(fields: dict) -> dict:
    """Canonical report fields (Draft.to_report_fields) as the report form's widget values ("f_" keys).

    A country outside the form's list, an unknown qualifier or status is left for the user to pick.
    """
    codes = {c.iso3 for c in countries.all_countries()}
    date, precision = None, "day"
    if fields.get("date"):
        date, precision = parse_partial_date(fields["date"])
    published = parse_partial_date(fields["source_date"])[0] if fields.get("source_date") else None
    kind = fields.get("count_kind") if fields.get("count_kind") in COUNT_KINDS else "unknown"
    return {
        "f_deployer": fields["deployer"] if fields.get("deployer") in codes else None,
        "f_host": fields["host"] if fields.get("host") in codes else None,
        "f_count_kind": kind,
        "f_troops": fields.get("troops"),
        "f_troops_max": fields.get("troops_max") if kind == "range" else None,
        "f_date": date,
        "f_date_precision": fields.get("date_precision") or precision,
        "f_status": fields["status"] if fields.get("status") in STATUSES else STATUSES[0],
        "f_mission": fields.get("mission") or "",
        "f_location": fields.get("location") or "",
        "f_lat": fields.get("lat"),
        "f_lon": fields.get("lon"),
        "f_source_name": fields.get("source_name") or "",
        "f_source_url": fields.get("source_url") or "",
        "f_cited_agency": fields.get("cited_agency") or "",
        "f_speaker": fields.get("speaker") or "",
        "f_source_date": published,
        "f_notes": fields.get("notes") or "",
    }


def _extract() -> None:
    state = st.session_state
    state.pop("article_chosen", None)
    text = state.get("article_text") or ""
    if not text.strip():
        state["article_result"] = None
        return
    started = time.perf_counter()
    drafts = data.extract_drafts(text, state.get("article_published"))
    state["article_result"] = {"drafts": drafts, "seconds": time.perf_counter() - started}


def _use(index: int) -> None:
    """Runs as a callback, before the form is drawn: the only moment its widget values may be set."""
    state = st.session_state
    draft: Draft = state["article_result"]["drafts"][index]
    published: dt.date | None = state.get("article_published")
    fields = draft.to_report_fields(
        source_name=(state.get("article_source_name") or "").strip() or None,
        source_url=(state.get("article_source_url") or "").strip() or None,
        published=published,
    )
    state.update(form_values(fields))
    state["form_channel"] = "extract"  # report_form's audit channel: this report came from a text
    # An earlier attempt's field errors, or a report waiting for "Save anyway", belong to other values.
    for key in ("form_errors", "form_pending"):
        state.pop(key, None)
    state["article_chosen"] = index


def _card(index: int, draft: Draft) -> None:
    with st.container(border=True):
        st.markdown(f"{index + 1}\\. {summary(draft)}")
        evidence = draft.evidence
        if evidence.get("sentence"):
            st.markdown(highlighted(evidence))
            if evidence.get("spans"):
                st.caption(legend(evidence))
        for other in draft.also[:3]:
            st.caption(f"Also: {highlighted(other)}")
        if draft.notes:
            st.caption(f"Notes: {md(draft.notes)}")
        st.button(
            "Use this draft", key=f"article_use_{index}", on_click=_use, args=(index,), icon=":material/edit_note:"
        )


def show() -> None:
    with st.expander("Paste an article", icon=":material/article:"):
        st.caption(
            "Paste a news text: the deployments it states come back as drafts with the words they came from. "
            "Choosing one fills the form below; nothing is stored until you save the form."
        )
        with st.form("article", border=False):
            st.text_area(
                "Article text",
                key="article_text",
                height=220,
                max_chars=MAX_CHARS,
                placeholder="Paste the article's text here",
            )
            day, name, url = st.columns([1, 1, 2])
            # Labels differ from the form's ("Source name", "Source URL"): one label, one field.
            day.date_input(
                "Article published on",
                value=None,
                min_value=dt.date(1900, 1, 1),
                max_value=dt.date(2100, 12, 31),
                key="article_published",
                format="YYYY-MM-DD",
                help="Resolves 'on Thursday' or 'in March'; the report date when the text gives none",
            )
            name.text_input(
                "Outlet",
                key="article_source_name",
                placeholder="e.g. Reuters",
                help="The source of a draft whose text attributes the figure to no one",
            )
            url.text_input("Article URL", key="article_source_url", placeholder="https://…")
            st.form_submit_button("Extract drafts", on_click=_extract, icon=":material/manage_search:")

        state = st.session_state
        if "article_result" not in state:
            return
        result = state["article_result"]
        if result is None:
            st.warning("Paste the article's text first.")
            return
        drafts = result["drafts"]
        if not drafts:
            st.info("No deployment found in this text.", icon=":material/search_off:")
            return
        st.caption(f"{len(drafts)} draft(s) in {result['seconds']:.2f} s. Check each against the text.")
        for index, draft in enumerate(drafts):
            _card(index, draft)
        if state.get("article_chosen") is not None:
            st.success(
                f"Draft {state['article_chosen'] + 1} is in the form below: check every field, then save.",
                icon=":material/arrow_downward:",
            )
