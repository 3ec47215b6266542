import csv
import datetime as dt
import io

import pandas as pd
import pytest
from sqlalchemy import event, func, select

from core.domain import CSV_COLUMNS
from core.export import reports_frame, write_csv, write_json
from core.ingest import CsvFormatError, import_csv, read_csv
from core.models import Report
from core.store import reading, writing
from tests.conftest import FIXTURE_CSV, TODAY

HEADER = "deployer,host,troops,count_kind,date,source_name\n"


def good_rows(n, start=0):
    return "".join(f"USA,DEU,{1000 + i},exact,2019-01-{1 + i % 28:02d},DMDC {i}\n" for i in range(start, start + n))


def count(any_engine):
    with reading(any_engine) as session:
        return session.scalar(select(func.count(Report.id)))


def run_import(any_engine, text, **kwargs):
    with writing(any_engine) as session:
        return import_csv(session, text, today=TODAY, **kwargs)


def test_one_bad_row_at_line_1000_imports_nothing_and_names_the_line(any_engine):
    text = HEADER + good_rows(998) + "USA,Narnia,5,exact,2019-01-01,DMDC\n"
    assert text.count("\n") == 1000
    result = run_import(any_engine, text)
    assert not result.ok
    [message] = [str(e) for e in result.errors]
    # the closest names are core.countries' business; the line and the field are this test's
    assert message.startswith("line 1000: host: unknown country 'Narnia'; did you mean Armenia, Argentina")
    assert result.imported == 0
    assert count(any_engine) == 0


def test_skip_invalid_imports_the_rest_and_lists_the_errors(any_engine):
    text = HEADER + good_rows(3) + "USA,DEU,many,exact,2019-01-01,X\n" + good_rows(2, start=3)
    result = run_import(any_engine, text, skip_invalid=True)
    assert (result.imported, result.invalid) == (5, 1)
    assert [str(e) for e in result.errors] == ["line 5: troops: 'many' is not a whole number"]
    assert count(any_engine) == 5


def test_exact_duplicates_are_skipped_and_counted(any_engine):
    text = HEADER + good_rows(3)
    assert run_import(any_engine, text).summary() == "imported 3, skipped 0 duplicates"
    again = run_import(any_engine, text + good_rows(1, start=3) + good_rows(1, start=3))
    assert (again.imported, again.duplicates) == (1, 4)
    assert count(any_engine) == 4


def test_same_pair_and_date_from_another_source_is_not_a_duplicate(any_engine):
    run_import(any_engine, HEADER + "RUS,VEN,100,approx,2019-03,Interfax\n")
    result = run_import(any_engine, HEADER + "RUS,VEN,100,approx,2019-03,Reuters\n")
    assert (result.imported, result.duplicates) == (1, 0)


def test_status_is_part_of_a_duplicate(any_engine):
    """Issue #10 case 8: `present 1000` after `announced 1000`, same source and date, was dropped."""
    text = "deployer,host,troops,date,status,source_name\n"
    run_import(any_engine, text + "RUS,VEN,1000,2019-03,announced,Interfax\n")
    result = run_import(
        any_engine, text + "RUS,VEN,1000,2019-03,present,Interfax\n" + "RUS,VEN,1000,2019-03,announced,Interfax\n"
    )
    assert (result.imported, result.duplicates) == (1, 1)
    assert count(any_engine) == 2


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("deployer,host,date\nRUS,VEN,2019\n", "missing required column(s) source_name"),
        ("deployer,host,date,source_name,colour\n", "unknown column(s) colour"),
    ],
)
def test_bad_headers_are_refused_before_any_row(text, fragment):
    with pytest.raises(CsvFormatError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        list(read_csv(text))


def test_line_numbers_count_physical_lines_across_quoted_newlines(any_engine):
    text = (
        HEADER.strip()
        + ",notes\n"
        + 'RUS,VEN,100,approx,2019-03,Interfax,"a note\nover two lines"\n'
        + "RUS,VEN,oops,approx,2019-03,Interfax,\n"
    )
    result = run_import(any_engine, text)
    assert [e.line for e in result.errors] == [4]


def test_too_many_cells_is_a_row_error(any_engine):
    result = run_import(any_engine, HEADER + "RUS,VEN,100,approx,2019-03,Interfax,extra\n")
    assert [str(e) for e in result.errors] == ["line 2: row: has 7 cells but the header has 6"]


def test_column_order_and_case_are_free(any_engine):
    result = run_import(any_engine, "Source_Name,DATE,host,deployer\nInterfax,2019-03,Venezuela,Russia\n")
    assert result.imported == 1


def test_round_trip_is_lossless(any_engine, tmp_path):
    """fixture CSV -> store -> CSV -> new store -> CSV: the two exports are identical."""
    with writing(any_engine) as session, FIXTURE_CSV.open(encoding="utf-8") as f:
        assert import_csv(session, f, today=TODAY).ok
    first = io.StringIO()
    with reading(any_engine) as session:
        write_csv(reports_frame(session), first)

    from core.store import make_engine, upgrade

    other = make_engine(f"sqlite:///{tmp_path / 'other.sqlite'}")
    upgrade(other)
    with writing(other) as session:
        assert import_csv(session, first.getvalue(), today=TODAY).imported == FIXTURE_CSV.read_text().count("\n") - 1
    second = io.StringIO()
    with reading(other) as session:
        write_csv(reports_frame(session), second)
    assert first.getvalue() == second.getvalue()
    assert first.getvalue().splitlines()[0] == ",".join(CSV_COLUMNS)
    # every fixture line survives, whatever the order; the fixture has the first 16 columns, the export
    # adds the two (empty) citation-chain columns
    assert sorted(first.getvalue().splitlines()[1:]) == sorted(
        line + ",," for line in FIXTURE_CSV.read_text().splitlines()[1:]
    )


def test_json_export_keeps_numbers_and_nulls(any_fixture_engine):
    out = io.StringIO()
    with reading(any_fixture_engine) as session:
        write_json(reports_frame(session), out)
    import json

    records = json.loads(out.getvalue())
    seed = next(r for r in records if r["host"] == "VEN" and r["status"] == "present")
    assert seed["troops"] == 100 and seed["troops_max"] is None and seed["date"] == "2019-03"


def test_possible_duplicates_leave_pending_reports_out_when_asked(any_engine):
    from core.ingest import add_report, possible_duplicates
    from core.validation import validate

    report = validate({"deployer": "RUS", "host": "VEN", "date": "2019-03", "source_name": "Interfax"}, today=TODAY)
    with writing(any_engine) as session:
        add_report(session, report, review_state="pending")
        add_report(session, report)
        add_report(session, report, review_state="deleted")
    with reading(any_engine) as session:
        everyone = possible_duplicates(session, report)
        public = possible_duplicates(session, report, review_states=("published",))
    assert sorted(r.review_state for r in everyone) == ["pending", "published"]
    assert [r.review_state for r in public] == ["published"]


def test_citation_chain_round_trips_and_sixteen_columns_still_import(engine, tmp_path):
    header16 = ",".join(CSV_COLUMNS[:16])
    assert "cited_agency" not in header16
    old = header16 + "\nRUS,VEN,100,,exact,2019-03,,present,,Caracas,,,Example Outlet,,,\n"
    chain = ",".join(CSV_COLUMNS) + (
        "\nRUS,VEN,100,,exact,2019-03,,present,,Caracas,,,Interfax,,,,Interfax,Deputy Foreign Minister Ana Sol\n"
    )
    with writing(engine) as session:
        assert import_csv(session, old, today=TODAY).imported == 1
        assert import_csv(session, chain, today=TODAY).imported == 1
    out = io.StringIO()
    with reading(engine) as session:
        write_csv(reports_frame(session), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    by_source = {r["source_name"]: (r["cited_agency"], r["speaker"]) for r in rows}
    assert by_source == {"Example Outlet": ("", ""), "Interfax": ("Interfax", "Deputy Foreign Minister Ana Sol")}


def test_a_bulk_import_dated_ahead_is_an_announcement_that_counts_only_from_its_date(any_engine):
    """README (status, rule 9): an `announced` report may be dated in the future; it is stored as published
    `announced`, listed from its date (it has no source_date saying it was known earlier) and never counted.
    A `present` report dated ahead is refused, naming the line."""
    from core.presence import presence_as_of

    ahead = TODAY + dt.timedelta(days=40)
    text = (
        "deployer,host,troops,count_kind,date,status,source_name\n"
        "FRA,MLI,1000,exact,2020-01-01,present,Agency A\n"
        f"FRA,MLI,3000,exact,{ahead},announced,Agency B\n"
        f"FRA,NER,500,exact,{ahead},announced,Agency C\n"
        f"FRA,TCD,700,exact,{ahead},present,Agency D\n"
    )
    result = run_import(any_engine, text, skip_invalid=True)
    assert [str(e) for e in result.errors] == [
        "line 5: date: is in the future: only an 'announced' report may be dated ahead"
    ]
    assert result.imported == 3
    with reading(any_engine) as session:
        stored = session.execute(select(Report.host, Report.status, Report.review_state, Report.date)).all()
        assert sorted(stored) == [
            ("MLI", "announced", "published", ahead),
            ("MLI", "present", "published", dt.date(2020, 1, 1)),
            ("NER", "announced", "published", ahead),
        ]
        for day in (TODAY, ahead - dt.timedelta(days=1)):
            pairs = presence_as_of(session, day).set_index("host")
            assert list(pairs.index) == ["MLI"]  # Niger: nothing known yet
            assert (pairs.loc["MLI", "troops"], pairs.loc["MLI", "announced"]) == (1000, 0)
        for day in (ahead, ahead + dt.timedelta(days=1)):
            pairs = presence_as_of(session, day).set_index("host")
            # Listed from its date, never counted: Mali keeps 1,000; Niger is announced, with no figure.
            assert (pairs.loc["MLI", "troops"], pairs.loc["MLI", "announced"]) == (1000, 1)
            assert pairs.loc["NER", "status"] == "announced" and pd.isna(pairs.loc["NER", "troops"])


def test_a_csv_import_writes_its_submitter_with_the_rows_and_its_audit_row_rewrites_none(any_engine):
    """submit_csv stores submitted_by in the insert itself; record_import then stamps only rows written
    without one (the profiles' path), so a large import is not rewritten after it is stored."""
    from core import audit
    from core.review import Actor, Policy, submit_csv

    data = "deployer,host,troops,date,source_name\nFRA,MLI,100,2019-03,X\nRUS,VEN,200,2019,Y\n"
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    with writing(any_engine) as session:
        event.listen(any_engine, "before_cursor_execute", seen)
        try:
            alice = Actor("alice", is_editor=True)
            result = submit_csv(session, data, alice, "cli", Policy(), review_state="published")
        finally:
            event.remove(any_engine, "before_cursor_execute", seen)
        assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")], statements
        stamped = session.execute(select(Report.submitted_by, Report.created_at, Report.updated_at)).all()
        assert [who for who, *_ in stamped] == ["alice", "alice"]
        assert all(created == updated for _, created, updated in stamped)  # no UPDATE touched them
        assert import_csv(session, "deployer,host,date,source_name\nFRA,NER,2020,Z\n").imported == 1
        unstamped = session.execute(select(Report.id).where(Report.submitted_by.is_(None))).scalars().all()
        audit.record_import(session, "bob", "cli", [*result.ids, *unstamped])
        owners = dict(session.execute(select(Report.id, Report.submitted_by)).all())
    assert [owners[i] for i in result.ids] == ["alice", "alice"] and [owners[i] for i in unstamped] == ["bob"]
