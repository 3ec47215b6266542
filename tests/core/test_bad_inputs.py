"""Every bad input of issue 12 with the message it gets: refused naming line and field, never read silently."""

import pytest

from core.domain import CSV_COLUMNS
from core.ingest import CsvFormatError, read_csv, read_upload, validate_rows
from tests.conftest import TODAY

HEADER = "deployer,host,troops,count_kind,date,source_name,lat,lon,notes\n"


def row(troops="100", date="2019-03", lat="", lon="", notes="", kind="approx"):
    return f"Russia,Venezuela,{troops},{kind},{date},Interfax,{lat},{lon},{notes}\n"


def messages(data: bytes) -> list[str]:
    """What the upload page and the CLI say about a file: its format error, or every row error."""
    try:
        text = read_upload(data, name="f.csv")
        valid, errors = validate_rows(read_csv(text), today=TODAY)
    except CsvFormatError as exc:
        return [str(exc)]
    return [str(e) for e in errors]


BAD = [
    ("european thousands", row(troops="1.000"), "line 2: troops: '1.000' is ambiguous"),
    ("european decimal comma", row(troops='"10,00"'), "line 2: troops: '10,00' is ambiguous"),
    ("arabic-indic digits", row(troops="١٠٠"), "line 2: troops: '١٠٠' is not a whole number: write it with"),
    ("fullwidth digits", row(troops="１００"), "line 2: troops: '１００' is not a whole number: write it with"),
    ("exponent", row(troops="1e6"), "line 2: troops: '1e6' is not a whole number"),
    ("year 0001", row(date="0001"), "line 2: date: '0001' is not a date: year 0001 is before 1800"),
    ("arabic-indic year", row(date="٢٠١٩"), "line 2: date: '٢٠١٩' is not a date"),
    ("lat NaN", row(lat="NaN", lon="10"), "line 2: lat: 'NaN' is not a number"),
    ("lon inf", row(lat="10", lon="inf"), "line 2: lon: 'inf' is not a number"),
    ("lat exponent", row(lat="1e1", lon="10"), "line 2: lat: '1e1' is not a number"),
    ("fullwidth lat", row(lat="１０", lon="10"), "line 2: lat: '１０' is not a number"),
    ("a field over csv's 131,072", row(notes="n" * 200_000), "line 2: notes: is 200,000 characters long"),
]


@pytest.mark.parametrize(("name", "line", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_values_are_refused_naming_line_and_field(name, line, message):
    found = messages((HEADER + line).encode())
    assert any(m.startswith(message) for m in found), found


FILES = [
    (
        "a quote never closed",
        (HEADER + row() + row(notes='"opened here') + row()).encode(),
        "line 3: a quoted field is never closed",
    ),
    (
        "text after a closing quote",
        (HEADER + row(notes='"quoted" then more')).encode(),
        "line 2: text follows a closing quote",
    ),
    (
        "troops twice",
        b"deployer,host,troops,date,source_name,troops\nRUS,VEN,1,2019,X,2\n",
        "line 1: column 'troops' appears 2 times (columns 3, 6): keep one",
    ),
    (
        "host twice",
        b"deployer,host,date,source_name,host\nRUS,VEN,2019,X,CUB\n",
        "line 1: column 'host' appears 2 times (columns 2, 5)",
    ),
    ("utf-16 without bom", (HEADER + row()).encode("utf-16-le"), "f.csv is UTF-16 text (without a byte order"),
    (
        "100,000-column header",
        (",".join(f"c{i}" for i in range(100_000)) + "\n").encode(),
        f"line 1: the header has 100,000 columns; a Garrison CSV has at most {len(CSV_COLUMNS)}",
    ),
    (
        "a field over 16 MB",
        (HEADER + row(notes="n" * (16 * 1024 * 1024 + 1))).encode(),
        "line 2: a field is longer than 16,777,216 characters",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), FILES, ids=[f[0] for f in FILES])
def test_bad_files_are_refused_with_one_short_message(name, data, message):
    found = messages(data)
    assert len(found) == 1 and found[0].startswith(message), found[0][:300]
    assert len(found[0]) < 1000


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("3,000", 3000), ("1,000,000", 1_000_000), ("100.0", 100), ("100.00", 100), ("1000", 1000), ("0", 0)],
)
def test_numbers_with_one_certain_reading_are_accepted(cell, expected):
    valid, errors = validate_rows(read_csv(HEADER + row(troops=f'"{cell}"')), today=TODAY)
    assert errors == [] and valid[0][1].troops == expected


def test_cr_only_line_endings_read_as_lines():
    text = (HEADER + row(troops="1") + row(troops="2")).replace("\n", "\r")
    valid, errors = validate_rows(read_csv(read_upload(text.encode())), today=TODAY)
    assert errors == [] and [r.troops for _, r in valid] == [1, 2]


def test_the_record_limit_counts_records_not_lines():
    text = HEADER + row(notes='"one\ntwo\nthree"') * 4
    assert read_upload(text.encode(), max_rows=4)  # 12 lines after the header, 4 records
    with pytest.raises(CsvFormatError, match="5 records after the header; the limit is 4"):
        read_upload((text + row()).encode(), max_rows=4)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("long.csv", (HEADER + row(notes="n" * 200_000)).encode(), "line 2: notes: is 200,000 characters long"),
        ("huge.csv", (HEADER + row(notes="n" * (16 * 1024 * 1024 + 1))).encode(), "huge.csv: line 2: a field is"),
        ("wide.csv", (",".join(f"c{i}" for i in range(100_000)) + "\n").encode(), "wide.csv: line 1: the header has"),
    ],
)
def test_the_cli_exits_2_naming_the_line(tmp_path, run_cli, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    done = run_cli("import", str(path), "--db", f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert done.returncode == 2, done.stderr[-500:]
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr) < 2000
