"""The garrison command as a user runs it: core.cli.main in process on a real SQLite file and a real
PostgreSQL server; the installed console script as a real process."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_CSV

SEED = "deployer,host,troops,count_kind,date,source_name\nRussia,Venezuela,100,approx,2019-03,Interfax\n"


@pytest.fixture
def garrison(run_cli):
    def run(*args, db, stdin=None):
        return run_cli(*args, "--db", db, stdin=stdin)

    return run


@pytest.fixture
def db(tmp_path, garrison):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert garrison("init", db=url).returncode == 0
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path, garrison):
    """The same commands against SQLite and a real PostgreSQL server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    done = garrison("init", db=url)
    assert done.returncode == 0, done.stderr
    return url


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_seed_article_import_presence_withdrawal_and_announcement(any_db, tmp_path, garrison):
    db = any_db
    done = garrison("import", write(tmp_path, "seed.csv", SEED), db=db)
    assert (done.returncode, done.stdout.strip()) == (0, "imported 1, skipped 0 duplicates")

    shown = garrison("presence", "--as-of", "2019-04-01", "--host", "Venezuela", db=db)
    assert shown.returncode == 0
    assert shown.stdout.splitlines() == [
        "deployer,host,troops,troops_low,troops_high,sources,last_report_date,figure_date,status,conflict,figures",
        "RUS,VEN,100,100,100,1,2019-03-01,2019-03-01,present,False,",
    ]

    again = garrison("import", write(tmp_path, "seed.csv", SEED), db=db)
    assert again.stdout.strip() == "imported 0, skipped 1 duplicates"

    later = "deployer,host,date,status,source_name\nRussian Federation,VEN,2019-09,withdrawn,Reuters\n"
    garrison("import", write(tmp_path, "later.csv", later), db=db)
    shown = json.loads(garrison("presence", "--as-of", "2019-10-01", "--host", "VEN", "--format", "json", db=db).stdout)
    assert shown == [
        {
            "deployer": "RUS",
            "host": "VEN",
            "troops": 0,
            "troops_low": 0,
            "troops_high": 0,
            "sources": 1,
            "last_report_date": "2019-09-01",
            "figure_date": "2019-09-01",
            "status": "withdrawn",
            "conflict": False,
            "figures": None,
        }
    ]


def test_announced_alone_is_no_presence(db, tmp_path, garrison):
    text = "deployer,host,date,status,source_name\nRUS,VEN,2019-04,announced,Interfax\n"
    garrison("import", write(tmp_path, "a.csv", text), db=db)
    rows = json.loads(garrison("presence", "--as-of", "2019-05-01", "--format", "json", db=db).stdout)
    assert [(r["status"], r["troops"]) for r in rows] == [("announced", None)]


def test_invalid_rows_exit_2_list_every_error_and_write_nothing(db, tmp_path, garrison):
    text = SEED + "Russia,Atlantis,100,approx,2019-03,Interfax\nRussia,Venezuela,many,approx,2019-03,X\n"
    done = garrison("import", write(tmp_path, "bad.csv", text), db=db)
    assert done.returncode == 2
    assert "line 3: host: unknown country 'Atlantis'" in done.stderr
    assert "line 4: troops: 'many' is not a whole number" in done.stderr
    assert "nothing imported" in done.stderr
    assert "Traceback" not in done.stderr
    assert garrison("export", db=db).stdout.count("\n") == 1  # header only

    skipped = garrison("import", write(tmp_path, "bad.csv", text), "--skip-invalid", db=db)
    assert skipped.returncode == 0
    assert skipped.stdout.strip() == "imported 1, skipped 0 duplicates, 2 invalid rows not imported"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("presence", "--host", "Narnia"), "unknown country 'Narnia'"),
        (("presence", "--as-of", "yesterday"), "is not a date"),
        (("export", "--until", "2019-13"), "is not a date"),
        (("import", "/nonexistent.csv"), "no such file"),
    ],
)
def test_user_errors_exit_2_without_traceback(db, args, message, garrison):
    done = garrison(*args, db=db)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_not_utf8_and_bad_header_are_user_errors(db, tmp_path, garrison):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(SEED.replace("Venezuela", "Venezu\xe9la").encode("latin-1"))
    done = garrison("import", str(latin), db=db)
    assert done.returncode == 2 and "UTF-8" in done.stderr
    done = garrison("import", write(tmp_path, "h.csv", "country,troops\nX,1\n"), db=db)
    assert done.returncode == 2 and "missing required column(s)" in done.stderr


def test_export_filters_and_formats(db, garrison):
    garrison("import", str(FIXTURE_CSV), db=db)
    csv_out = garrison("export", "--deployer", "France", "--since", "2019", "--until", "2019", db=db).stdout
    lines = csv_out.splitlines()
    assert len(lines) == 4 and all(line.startswith("FRA,MLI,") for line in lines[1:])
    records = json.loads(garrison("export", "--format", "json", "--host", "VEN", "DJI", db=db).stdout)
    assert {r["host"] for r in records} == {"VEN", "DJI"}


def test_uninitialised_store_is_a_clear_error(tmp_path, garrison):
    done = garrison("presence", db=f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert done.returncode == 2 and "garrison init" in done.stderr


def test_console_script_is_installed():
    """The entry point pip wrote beside this interpreter (or the one on PATH) starts the command."""
    beside = Path(sys.executable).with_name("garrison")
    script = str(beside) if beside.exists() else shutil.which("garrison")
    assert script, f"no garrison console script beside {sys.executable} or on PATH: pip install -e ."
    done = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "presence" in done.stdout


def test_main_called_in_process_leaves_no_connection_open(postgres_url, capsys):
    from sqlalchemy import text

    from core.cli import main
    from core.store import make_engine

    for args in (["init"], ["export"], ["presence"], ["import", str(FIXTURE_CSV)]):
        assert main([*args, "--db", postgres_url]) == 0
    capsys.readouterr()
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        others = conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        ).scalar()
    engine.dispose()
    assert others == 0


def test_import_reads_standard_input_and_until_a_month_means_its_last_day(db, garrison):
    text = SEED + "Russia,Venezuela,120,approx,2020-02-29,TASS\n"
    done = garrison("import", "-", db=db, stdin=text)
    assert (done.returncode, done.stdout.strip()) == (0, "imported 2, skipped 0 duplicates"), done.stderr
    dates = [line.split(",")[5] for line in garrison("export", "--until", "2020-02", db=db).stdout.splitlines()[1:]]
    assert sorted(dates) == ["2019-03", "2020-02-29"]  # 29 February 2020 is inside "until 2020-02"
    assert garrison("export", "--until", "2020-01", db=db).stdout.count("\n") == 2


def test_a_profile_import_lists_its_first_50_errors_and_counts_the_rest(db, garrison, tmp_path):
    rows = "".join(f"France,Mali,2019-13,Source {n}\n" for n in range(60))
    path = write(tmp_path, "bases.csv", "deployer,host,date,source_name\n" + rows)
    done = garrison("import", "--profile", "bases", path, db=db)
    assert done.returncode == 2
    listed = [line for line in done.stderr.splitlines() if ": line " in line]
    assert len(listed) == 50 and "date" in listed[0]
    assert f"{path}: ... and 10 more errors" in done.stderr and "nothing imported" in done.stderr
    assert garrison("export", db=db).stdout.count("\n") == 1
