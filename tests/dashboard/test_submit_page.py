"""AppTest of the submit page: the form and the CSV upload, against the fixture store."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from core.domain import CSV_COLUMNS
from core.models import Audit
from core.store import make_engine, reading
from dashboard import auth, csv_import
from dashboard.text import plain
from tests.dashboard.conftest import count_reports

PAGE = "views/submit.py"
SUBMIT = "FormSubmitter:report-Save report"


def fill(at, **values):
    for key, value in values.items():
        widget = next(
            w
            for kind in ("selectbox", "number_input", "date_input", "text_input", "text_area")
            for w in getattr(at, kind)
            if w.key == f"f_{key}"
        )
        widget.set_value(value)
    return at


def valid_report(**changes) -> dict:
    values = dict(
        deployer="FRA",
        host="TCD",
        count_kind="approx",
        troops=1000,
        date=dt.date(2023, 5, 1),
        date_precision="month",
        status="present",
        location="N'Djamena",
        source_name="Le Monde",
        source_url="https://www.lemonde.fr/article",
        source_date=dt.date(2023, 5, 3),
    )
    values.update(changes)
    return values


def test_page_renders_the_form_and_the_upload(app):
    at = app(PAGE)
    assert [t.label for t in at.tabs] == ["One report", "Upload a CSV"]
    assert at.button(key=SUBMIT)


def test_a_valid_report_is_stored_and_shown_with_a_map_link(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    at = fill(app(PAGE), **valid_report())
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert count_reports(fixture_db_url) == before + 1
    assert at.success[0].value.startswith("Saved report #")
    assert "France in Chad" in at.success[0].value
    saved = at.session_state["form_saved"]
    assert (saved["deployer"], saved["host"], saved["troops"], saved["date"]) == (
        "FRA",
        "TCD",
        1000,
        dt.date(2023, 5, 1),
    )
    # The saved report shows on the map at once: the store version changed, so caches miss.
    at.switch_page("views/map.py")
    at.query_params.update({"deployer": "FRA", "host": "TCD", "as_of": "2023-05-01"})
    at.run()
    table = at.dataframe[0].value
    shown = zip(table["deployer_name"], table["host_name"], table["troops"], strict=True)
    assert list(shown) == [("France", "Chad", 1000)]


def test_an_invalid_report_shows_field_errors_keeps_input_and_stores_nothing(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    at = fill(app(PAGE), **valid_report(host="FRA", source_name="", source_url="javascript:alert(1)"))
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert count_reports(fixture_db_url) == before
    errors = [plain(e.value) for e in at.error]  # messages quoting input are escaped markdown
    assert any(e.startswith("host: must differ from deployer") for e in errors)
    assert any(e.startswith("source name: required") for e in errors)
    assert any(e.startswith("source url: only http:// and https://") for e in errors)
    assert "Nothing was saved" in errors[-1]
    assert at.text_input(key="f_source_url").value == "javascript:alert(1)"
    assert at.selectbox(key="f_deployer").value == "FRA"


def test_a_possible_duplicate_asks_before_saving(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    duplicate = valid_report(
        deployer="USA",
        host="JPN",
        troops=54000,
        count_kind="exact",
        date=dt.date(2020, 1, 1),
        date_precision="year",
        source_name="Fixture DMDC",
        location="",
        source_url="",
        source_date=None,
    )
    at = fill(app(PAGE), **duplicate)
    at.button(key=SUBMIT).click().run()
    assert count_reports(fixture_db_url) == before
    assert "same pair, date and source" in at.warning[0].value
    at.button(key="form_confirm").click().run()
    assert not at.exception
    assert count_reports(fixture_db_url) == before + 1
    assert at.success[0].value.startswith("Saved report #")


def upload(at, text: str):
    at.file_uploader(key="upload").set_value(("reports.csv", text.encode(), "text/csv"))
    return at.run()


def test_the_template_is_a_canonical_csv_that_validates():
    from core.ingest import read_csv, validate_rows

    lines = csv_import.template().splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    assert len(lines) == 2
    valid, errors = validate_rows(read_csv(csv_import.template()))
    assert errors == [] and len(valid) == 1


def test_a_csv_with_a_bad_line_imports_nothing_and_lists_the_line(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    text = (
        ",".join(CSV_COLUMNS) + "\n"
        "FRA,TCD,1000,,exact,2023-05-01,day,present,,,,,Le Monde,,,\n"
        "FRA,Atlantis,10,,exact,2023-05-01,day,present,,,,,Le Monde,,,\n"
    )
    at = upload(app(PAGE), text)
    assert not at.exception
    assert "1 line(s) have errors" in at.error[0].value
    errors = at.dataframe[-1].value  # preview first, then the errors
    assert list(errors["line"]) == [3] and list(errors["field"]) == ["host"]
    assert not [b for b in at.button if b.key == "import"]  # no button that cannot be pressed
    assert count_reports(fixture_db_url) == before


def test_a_good_csv_imports_with_a_summary(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    text = (
        ",".join(CSV_COLUMNS) + "\n"
        "FRA,TCD,1000,,exact,2023-05-01,day,present,,,,,Le Monde,,,\n"
        "USA,JPN,55000,,exact,2020,year,present,,,,,Fixture DMDC,,,\n"
        "ITA,LBN,1100,,approx,2022-01,month,present,UNIFIL,,,,UN,,,\n"
    )
    at = upload(app(PAGE), text)
    assert "3 valid report(s)" in at.success[0].value
    at.button(key="import").click().run()
    assert not at.exception
    assert count_reports(fixture_db_url) == before + 2
    assert any("imported 2, skipped 1 duplicates" in s.value for s in at.success)


def test_a_csv_with_a_bad_header_is_refused(app):
    at = upload(app(PAGE), "country,troops\nFRA,10\n")
    assert "missing required column" in at.error[0].value


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.csv", PNG, "photo.csv is a PNG image, not a CSV text file"),
        ("book.csv", b"PK\x03\x04" + bytes(64), "is a ZIP archive"),
        ("wide.csv", "deployer,host\n".encode("utf-16"), "is UTF-16 text"),
        (
            "latin.csv",
            "deployer,host,date,source_name\nFRA,TCD,2023,Le Télégramme\n".encode("latin-1"),
            "is not UTF-8 text",
        ),
        ("nul.csv", b"deployer,host\x00\n", "is binary"),
        ("[x](javascript:alert(1)).csv", PNG, "[x](javascript:alert(1)).csv is a PNG image"),
    ],
)
def test_an_upload_that_is_not_a_csv_is_refused_with_a_message(app, fixture_db_url, name, content, message):
    at = app(PAGE)
    at.file_uploader(key="upload").set_value((name, content, "text/csv")).run()
    assert not at.exception
    assert message in plain(at.error[0].value)  # escaped: a name like a link shows as text
    assert not [b for b in at.button if b.key == "import"]


def test_an_upload_over_the_row_limit_is_refused(app, monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_ROWS", 3)
    text = ",".join(CSV_COLUMNS) + "\n" + "FRA,TCD,1000,,exact,2023-05-01,day,present,,,,,Le Monde,,,\n" * 4
    at = upload(app(PAGE), text)
    assert "4 records after the header; the limit is 3 rows" in plain(at.error[0].value)
    assert "Up to 3 rows and 50 MB per file" in at.file_uploader(key="upload").proto.help


def test_anonymous_submissions_are_rate_limited_per_session(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    at = app(PAGE)
    for troops in range(1, auth.SUBMISSIONS + 2):
        fill(at, **valid_report(troops=troops, source_name=f"Outlet {troops}")).button(key=SUBMIT).click().run()
    assert not at.exception
    assert count_reports(fixture_db_url) == before + auth.SUBMISSIONS
    assert at.error[0].value.startswith("Too many submissions from this session")


BASES = ",Country,Overseas Base\n0,Australia,Malaysia\n1,Turkey,Qatar\n2,France,France\n"


def test_a_dataset_imports_through_its_profile_with_the_summary_table(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    at = app(PAGE)
    at.selectbox(key="upload_layout").set_value("bases").run()
    at.file_uploader(key="upload_profile").set_value(("bases.csv", BASES.encode(), "text/csv"))
    at.run()
    at.button(key="import_profile").click().run()
    assert not at.exception
    assert count_reports(fixture_db_url) == before + 2
    assert "Import finished: 2 imported" in at.success[0].value
    table = at.code[0].value
    assert "profile bases" in table and "domestic" in table  # France in France is skipped with its reason
    # Audited as the CLI audits it: channel "profile" (a canonical CSV upload is channel "csv").
    engine = make_engine(fixture_db_url)
    with reading(engine) as session:
        newest = session.execute(select(Audit).order_by(Audit.id.desc()).limit(1)).scalar_one()
    engine.dispose()
    assert (newest.action, newest.channel, json.loads(newest.changes)["profile"]) == ("import", "profile", "bases")


def test_a_file_without_the_profile_columns_is_refused_with_a_message(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    at = app(PAGE)
    at.selectbox(key="upload_layout").set_value("mdi").run()
    at.file_uploader(key="upload_profile").set_value(("x.csv", b"a,b\n1,2\n", "text/csv"))
    at.run()
    at.button(key="import_profile").click().run()
    assert not at.exception
    assert at.error and count_reports(fixture_db_url) == before


ROW = "FRA,TCD,1000,,exact,2023-05-01,day,present,,,,,Le Monde,,,{notes}\n"


def test_an_upload_with_cr_only_line_endings_is_read_like_the_cli_reads_it(app):
    text = (",".join(CSV_COLUMNS) + "\n" + ROW.format(notes="a") + ROW.format(notes="b")).replace("\n", "\r")
    at = upload(app(PAGE), text)
    assert not at.exception
    assert "2 valid report(s), ready to import." in at.success[0].value


def test_an_upload_with_a_field_over_131072_characters_names_line_and_field(app):
    text = ",".join(CSV_COLUMNS) + "\n" + ROW.format(notes="n" * 140_000)
    at = upload(app(PAGE), text)
    assert not at.exception
    errors = at.dataframe[-1].value
    assert list(errors["line"]) == [2] and list(errors["field"]) == ["notes"]
    assert not [b for b in at.button if b.key == "import"]


def test_a_header_only_upload_offers_no_import(app):
    at = upload(app(PAGE), ",".join(CSV_COLUMNS) + "\n")
    assert not at.exception
    assert "has a header but no reports" in plain(at.error[0].value)
    assert not [b for b in at.button if b.key == "import"]
