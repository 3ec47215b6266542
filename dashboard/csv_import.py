"""CSV upload: template, preview, per-line errors, then an atomic import with a progress bar.

Owns the session-state keys "upload", "import" and "import_result".
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import streamlit as st

from core.domain import CSV_COLUMNS
from core.ingest import CsvFormatError
from dashboard import data

EXAMPLE = {
    "deployer": "France", "host": "Mali", "troops": "1750", "count_kind": "exact", "date": "2019-06-30",
    "status": "present", "mission": "Operation Barkhane", "source_name": "Ministry of the Armed Forces",
    "source_url": "https://example.org/article", "source_date": "2019-07-01",
    "notes": "Delete this example row; one report per line.",
}


def template() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow([EXAMPLE.get(c, "") for c in CSV_COLUMNS])
    return out.getvalue()


def show() -> None:
    st.download_button("Download the CSV template", template(), file_name="garrison-template.csv",
                       mime="text/csv", key="template", on_click="ignore")
    upload = st.file_uploader("CSV file (UTF-8, canonical columns)", type=["csv"], key="upload")
    if upload is None:
        st.caption("Columns: " + ", ".join(CSV_COLUMNS) + ". Dates as YYYY-MM-DD, YYYY-MM or YYYY.")
        return
    content = upload.getvalue()
    try:
        preview, errors, valid = data.check_csv(content)
    except CsvFormatError as exc:
        st.error(str(exc))
        return
    except UnicodeDecodeError:
        st.error("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.")
        return
    st.markdown(f"**Preview** (first {len(preview)} rows)")
    st.dataframe(preview, hide_index=True)
    if errors:
        st.error(
            f"{len({e.line for e in errors}):,} line(s) have errors; nothing will be imported until "
            "they are fixed (the import is all or nothing)."
        )
        st.dataframe(pd.DataFrame([vars(e) for e in errors]), hide_index=True)
    else:
        st.success(f"{valid:,} valid report(s), ready to import.")
    if st.button(f"Import {valid:,} report(s)", key="import", type="primary", disabled=bool(errors)):
        bar = st.progress(0.0, text="Importing…")
        result = data.import_csv(
            content.decode("utf-8-sig"), progress=lambda done, total: bar.progress(done / max(total, 1))
        )
        bar.progress(1.0, text="Done")
        st.session_state["import_result"] = result
    result = st.session_state.get("import_result")
    if result is not None:
        if result.ok:
            st.success(f"Import finished: {result.summary()}.")
        else:
            st.error(f"Nothing imported: {len(result.errors)} error(s).")
