"""The garrison command as a user runs it: a real process, a real SQLite file."""

import json
import subprocess
import sys

import pytest

from tests.conftest import FIXTURE_CSV, REPO

SEED = "deployer,host,troops,count_kind,date,source_name\nRussia,Venezuela,100,approx,2019-03,Interfax\n"


def garrison(*args, db, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "core", *args, "--db", db], input=stdin, capture_output=True, text=True,
        cwd=REPO, timeout=120,
    )


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert garrison("init", db=url).returncode == 0
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path):
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


def test_seed_article_import_presence_withdrawal_and_announcement(any_db, tmp_path):
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
    shown = json.loads(garrison("presence", "--as-of", "2019-10-01", "--host", "VEN", "--format", "json",
                                db=db).stdout)
    assert shown == [{"deployer": "RUS", "host": "VEN", "troops": 0, "troops_low": 0, "troops_high": 0,
                      "sources": 1, "last_report_date": "2019-09-01", "figure_date": "2019-09-01",
                      "status": "withdrawn", "conflict": False, "figures": None}]


def test_announced_alone_is_no_presence(db, tmp_path):
    text = "deployer,host,date,status,source_name\nRUS,VEN,2019-04,announced,Interfax\n"
    garrison("import", write(tmp_path, "a.csv", text), db=db)
    rows = json.loads(garrison("presence", "--as-of", "2019-05-01", "--format", "json", db=db).stdout)
    assert [(r["status"], r["troops"]) for r in rows] == [("announced", None)]


def test_invalid_rows_exit_2_list_every_error_and_write_nothing(db, tmp_path):
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
def test_user_errors_exit_2_without_traceback(db, args, message):
    done = garrison(*args, db=db)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_not_utf8_and_bad_header_are_user_errors(db, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(SEED.replace("Venezuela", "Venezu\xe9la").encode("latin-1"))
    done = garrison("import", str(latin), db=db)
    assert done.returncode == 2 and "UTF-8" in done.stderr
    done = garrison("import", write(tmp_path, "h.csv", "country,troops\nX,1\n"), db=db)
    assert done.returncode == 2 and "missing required column(s)" in done.stderr


def test_export_filters_and_formats(db):
    garrison("import", str(FIXTURE_CSV), db=db)
    csv_out = garrison("export", "--deployer", "France", "--since", "2019", "--until", "2019", db=db).stdout
    lines = csv_out.splitlines()
    assert len(lines) == 4 and all(line.startswith("FRA,MLI,") for line in lines[1:])
    records = json.loads(garrison("export", "--format", "json", "--host", "VEN", "DJI", db=db).stdout)
    assert {r["host"] for r in records} == {"VEN", "DJI"}


def test_uninitialised_store_is_a_clear_error(tmp_path):
    done = garrison("presence", db=f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert done.returncode == 2 and "garrison init" in done.stderr


def test_console_script_is_installed():
    done = subprocess.run([str(REPO / ".venv" / "bin" / "garrison"), "--help"], capture_output=True, text=True)
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
        others = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                   "AND pid <> pg_backend_pid()")).scalar()
    engine.dispose()
    assert others == 0
