"""Shared fixtures: one deterministic fixture store for tests (and the same CSV for demos)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.ingest import import_csv
from core.store import make_engine, upgrade, writing
from tests.postgres import Cluster, find_bin_dir

REPO = Path(__file__).resolve().parents[1]
FIXTURE_CSV = REPO / "tests" / "fixtures" / "reports.csv"
SHARED = REPO.parent / "shared"
DATASETS = SHARED / "datasets"
# Fixed "today" so that validation of fixture dates never depends on the clock.
TODAY = dt.date(2026, 11, 27)


def pytest_sessionstart(session):
    """Under xdist, publish the map's polygons to the app's static folder once, in the controlling process
    (which runs no test): otherwise on a fresh clone the first app server of each worker writes them at
    the same moment."""
    if hasattr(session.config, "workerinput") or not getattr(session.config.option, "numprocesses", None):
        return
    import streamlit.logger

    # Its caches, imported outside `streamlit run`, would each warn "No runtime found" above the results.
    streamlit.logger.set_log_level("error")
    from dashboard import data

    data.publish_polygons()


# Fixtures that put a test on a session's shared app server (tests/browser/conftest.py).
SHARED_APP_FIXTURES = {"shared_app", "shared_server", "shared_page"}


def _xdist_group(item) -> str | None:
    """Tests that share something costly run on one xdist worker (`--dist loadgroup`): each worker would
    otherwise build it again. The shared app servers are one group; a module's tests that use a module-
    or class-scoped fixture (a store built from the real datasets, a 50,000-row file) are another."""
    if SHARED_APP_FIXTURES & set(item.fixturenames):
        return "shared-app"
    info = getattr(item, "_fixtureinfo", None)
    defs = info.name2fixturedefs.values() if info is not None else ()
    if any(fixturedefs[-1].scope in ("module", "class") for fixturedefs in defs if fixturedefs):
        return item.nodeid.split("::")[0]
    return None


# tryfirst: xdist's own hook reads the xdist_group markers, so they must be on the items before it runs.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The `postgres` marker on every test that reaches the PostgreSQL server: by a fixture it names, or
    as the postgresql case of a backend-parametrised fixture (any_engine, any_db, fresh_url ...); and the
    xdist group of tests that share a costly fixture (see _xdist_group)."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        backends = {v for v in params.values() if isinstance(v, str)}
        if "postgres_cluster" in item.fixturenames or "postgresql" in backends:
            item.add_marker(pytest.mark.postgres)
        group = _xdist_group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
            if getattr(item.config.option, "loadgroup", False):  # set on xdist's workers by --dist loadgroup
                _tell_xdist_the_group(item, group)


def _tell_xdist_the_group(item, group: str) -> None:
    """pytest-xdist (3.8) tells its scheduler a test's group by appending "@group" to the id a worker
    reports, which it sets as `item._nodeid`. pytest 9.2 keeps a node's id in `item._id` (a NodeId) and no
    longer reads `_nodeid`, so `--dist loadgroup` spread every group over all workers like `--dist load`:
    seen in `make test`, each worker started its own shared app servers and built the module-scoped stores
    of a module whose tests it was given. Set the suffix where pytest now reads it (once: a later xdist that
    appends it again still yields the same group, its scheduler takes the text after the last "@")."""
    if not item.nodeid.endswith(f"@{group}"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(f"{item.nodeid}@{group}")


def shared_file(name: str) -> Path:
    """A file of ../shared/datasets; the test is skipped (with the reason) when it is absent."""
    path = DATASETS / name
    if not path.exists():
        pytest.skip(f"{path} not found: the shared datasets are not beside this checkout")
    return path


@dataclass(frozen=True)
class Done:
    """What a run of the garrison command gave: as subprocess.CompletedProcess names it."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """`run_cli(*argv, stdin=None)`: core.cli.main in this process (no interpreter start-up per call).

    Tests about the process itself (exit on a signal, a full disk, locks held by another process, the
    installed console script) spawn one instead.
    """
    from core import cli

    def run(*argv, stdin: str | None = None) -> Done:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        try:
            code = cli.main([str(a) for a in argv])
        except SystemExit as exc:  # argparse: --help, or a value its type= refused
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return Done(code, out, err)

    return run


@pytest.fixture(scope="session")
def empty_sqlite_store(tmp_path_factory) -> Path:
    """A SQLite store at head, made once per session (per xdist worker) by the migrations, for
    `sqlite_at_head` to copy: about 240 tests start from an empty SQLite store, and running every
    migration for each cost about 0.04 CPU-seconds against 0.003 for a copy."""
    path = tmp_path_factory.mktemp("template") / "garrison.sqlite"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    with eng.connect() as conn:  # everything in the file itself, so that copying the file copies it all
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return path


def sqlite_at_head(template: Path, folder: Path):
    """An engine on a copy of the template store (see empty_sqlite_store) in `folder`."""
    path = folder / "garrison.sqlite"
    shutil.copyfile(template, path)
    return make_engine(f"sqlite:///{path}")


@pytest.fixture
def engine(tmp_path, empty_sqlite_store):
    """An empty store: a real SQLite file (WAL) in a temp dir, schema at head."""
    eng = sqlite_at_head(empty_sqlite_store, tmp_path)
    yield eng
    eng.dispose()


def load_fixture_reports(engine) -> None:
    """Import tests/fixtures/reports.csv into a store at head (also used by the browser tests' shared apps)."""
    with writing(engine) as session, FIXTURE_CSV.open(encoding="utf-8") as f:
        result = import_csv(session, f, today=TODAY)
    assert result.ok, result.errors


@pytest.fixture
def fixture_engine(engine):
    """A store holding tests/fixtures/reports.csv."""
    load_fixture_reports(engine)
    return engine


@pytest.fixture
def fixture_db_url(fixture_engine) -> str:
    return fixture_engine.url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_cluster():
    """One PostgreSQL server for the session; tests skip (with the reason) only without binaries."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin or initdb on PATH)")
    cluster = Cluster(bin_dir).start()
    yield cluster
    cluster.stop()


_database_numbers = itertools.count()


@pytest.fixture
def postgres_url(postgres_cluster) -> str:
    """A fresh, empty database on the session's server."""
    name = f"garrison_test_{next(_database_numbers)}"
    admin = create_engine(postgres_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return postgres_cluster.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request, tmp_path):
    """An empty store on each backend: the store, query and import tests run on both."""
    if request.param == "sqlite":
        eng = sqlite_at_head(request.getfixturevalue("empty_sqlite_store"), tmp_path)
    else:
        eng = make_engine(request.getfixturevalue("postgres_url"))
        upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def any_fixture_engine(any_engine):
    """The fixture store on each backend."""
    load_fixture_reports(any_engine)
    return any_engine
