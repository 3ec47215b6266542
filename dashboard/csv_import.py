"""CSV upload: template, preview, per-line errors, then an atomic import with a progress bar.

Owns the session-state keys "upload", "import", "import_result" and "import_limited". Uploads are read
by core.ingest.read_upload (refuses images, archives, binary, non-UTF-8 and more than MAX_ROWS rows)
and stored through core.review.submit_csv (pending, or published in single-user mode).
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import streamlit as st

from core.domain import CSV_COLUMNS
from core.ingest import MAX_UPLOAD_ROWS, CsvFormatError, read_upload
from core.profiles import DESCRIPTIONS, ProfileFormatError, summary_table
from dashboard import auth, data
from dashboard.text import md

MAX_ROWS = MAX_UPLOAD_ROWS

EXAMPLE = {
    "deployer": "France",
    "host": "Mali",
    "troops": "1750",
    "count_kind": "exact",
    "date": "2019-06-30",
    "status": "present",
    "mission": "Operation Barkhane",
    "source_name": "Ministry of the Armed Forces",
    "source_url": "https://example.org/article",
    "source_date": "2019-07-01",
    "notes": "Delete this example row; one report per line.",
}


def template() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow([EXAMPLE.get(c, "") for c in CSV_COLUMNS])
    return out.getvalue()


CANONICAL = "canonical"
LAYOUTS = {CANONICAL: "Garrison CSV (canonical columns)"} | {
    name: f"{name}: {description}" for name, description in DESCRIPTIONS.items()
}


def show() -> None:
    layout = st.selectbox(
        "Layout of the file",
        list(LAYOUTS),
        format_func=LAYOUTS.get,
        key="upload_layout",
        help="A public dataset in its own layout is mapped by an import profile.",
    )
    if layout != CANONICAL:
        _show_profile(layout)
        return
    st.download_button(
        "Download the CSV template",
        template(),
        file_name="garrison-template.csv",
        mime="text/csv",
        key="template",
        on_click="ignore",
    )
    megabytes = st.get_option("server.maxUploadSize")
    upload = st.file_uploader(
        "CSV file (UTF-8, canonical columns)",
        type=["csv"],
        key="upload",
        help=f"Up to {MAX_ROWS:,} rows and {megabytes} MB per file; `garrison import` takes bigger files.",
    )
    if upload is None:
        st.caption(
            "Columns: " + ", ".join(CSV_COLUMNS) + ". Dates as YYYY-MM-DD, YYYY-MM or YYYY. "
            f"Up to {MAX_ROWS:,} rows and {megabytes} MB per file."
        )
        return
    try:
        text = read_upload(upload.getvalue(), max_rows=MAX_ROWS, name=upload.name)
        preview, errors, valid = data.check_csv(text)
    except CsvFormatError as exc:
        # The message quotes the file's name and header: escaped, so it shows as text.
        st.error(md(exc))
        return
    if not valid and not errors:
        st.error(md(f"{upload.name} has a header but no reports: add one report per line below it."))
        return
    st.markdown(f"**Preview** (first {len(preview)} rows)")
    st.dataframe(preview, hide_index=True)
    if errors:
        st.error(
            f"{len({e.line for e in errors}):,} line(s) have errors; nothing will be imported until "
            "they are fixed (the import is all or nothing). Fix the file and upload it again."
        )
        st.dataframe(pd.DataFrame([vars(e) for e in errors]), hide_index=True)
        return
    st.success(f"{valid:,} valid report(s), ready to import.")
    state = st.session_state
    if st.button(f"Import {valid:,} report(s)", key="import", type="primary"):
        state.pop("import_limited", None)
        actor = auth.actor()
        wait = auth.submission_wait(actor)
        if wait:
            state["import_limited"] = auth.wait_message(wait)
        else:
            bar = st.progress(0.0, text="Importing…")
            result = data.submit_csv(
                text, actor, auth.policy(), upload.name, progress=lambda done, total: bar.progress(done / max(total, 1))
            )
            bar.progress(1.0, text="Done")
            state["import_result"] = result
    if state.get("import_limited"):
        st.error(state["import_limited"])
    result = state.get("import_result")
    if result is not None:
        if not result.ok:
            st.error(f"Nothing imported: {len(result.errors)} error(s).")
        elif auth.policy().single_user:
            st.success(f"Import finished: {result.summary()}.")
        else:
            st.success(
                f"Import finished: {result.summary()}. The reports await review by an editor and "
                "will show on the map once approved."
            )


def _show_profile(profile: str) -> None:
    """A dataset file through its import profile: preview, one atomic import, the profile's summary table."""
    megabytes = st.get_option("server.maxUploadSize")
    upload = st.file_uploader(
        f"{profile} file (UTF-8 CSV)",
        type=["csv"],
        key="upload_profile",
        help=f"Up to {MAX_ROWS:,} rows and {megabytes} MB; `garrison import --profile {profile}` takes bigger files.",
    )
    if upload is None:
        return
    try:
        text = read_upload(upload.getvalue(), max_rows=MAX_ROWS, name=upload.name)
        preview = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, nrows=20)
    except (CsvFormatError, ValueError) as exc:
        st.error(md(exc))
        return
    st.markdown(f"**Preview** (first {len(preview)} rows)")
    st.dataframe(preview, hide_index=True)
    state = st.session_state
    if st.button("Import with this profile", key="import_profile", type="primary"):
        state.pop("import_limited", None)
        actor = auth.actor()
        wait = auth.submission_wait(actor)
        if wait:
            state["import_limited"] = auth.wait_message(wait)
        else:
            bar = st.progress(0.0, text="Importing…")
            try:
                result = data.submit_profile(
                    text,
                    profile,
                    actor,
                    auth.policy(),
                    upload.name,
                    progress=lambda stage, done, total: bar.progress(
                        min(done / max(total, 1), 1.0), text=f"{stage}: {done:,} of {total:,}"
                    ),
                )
            except ProfileFormatError as exc:
                st.error(md(exc))
                return
            bar.progress(1.0, text="Done")
            state["profile_result"] = result
    if state.get("import_limited"):
        st.error(state["import_limited"])
    result = state.get("profile_result")
    if result is not None:
        if result.ok:
            st.success(
                f"Import finished: {result.imported:,} imported."
                + ("" if auth.policy().single_user else " They await review by an editor.")
            )
        else:
            st.error(f"Nothing imported: {len(result.errors):,} error(s); the first are listed below.")
            st.dataframe(pd.DataFrame([vars(e) for e in result.errors[:200]]), hide_index=True)
        st.code(summary_table(result), language=None)  # plain text: names from the file stay text
