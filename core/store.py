"""Engines from a URL, SQLite pragmas, write transactions, and the schema (via Alembic)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from core.models import Report

REPO_DIR = Path(__file__).resolve().parents[1]
# A checkout keeps its store in data/ (what `make run` uses); an installed package has no data/ of its
# own, so the default store is in the working directory, where `garrison serve` is started.
IN_CHECKOUT = (REPO_DIR / "pyproject.toml").is_file()
DEFAULT_SQLITE_PATH = REPO_DIR / "data" / "garrison.sqlite" if IN_CHECKOUT else Path.cwd() / "garrison.sqlite"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ENV_VAR = "GARRISON_DATABASE_URL"
log = logging.getLogger("garrison.store")

# Python 3.12 deprecates sqlite3's implicit date adapters; these are the same conversions, made
# explicit. Raw SQL parameters and the bulk insert hand dates to sqlite3 directly (the ORM writes its own
# strings). Looked up by exact type, so datetime needs its own.
sqlite3.register_adapter(dt.date, dt.date.isoformat)
sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(" "))

# A writer waits its turn this long (seconds) before giving up: a queue of writers on a loaded machine
# can take minutes, and failing sooner loses an import the operator then has to run again.
WRITE_WAIT_S = 900.0
# SQLite's own busy timeout is one slice of that wait; between slices a long wait is reported.
BUSY_TIMEOUT_MS = 5_000
# The first report of a wait, then one every REPORT_EVERY_S.
REPORT_AFTER_S = 5.0
REPORT_EVERY_S = 30.0
# Test hook: cap a SQLite store at this many pages (PRAGMA max_page_count) to simulate a full disk.
MAX_PAGES_ENV = "GARRISON_SQLITE_MAX_PAGES"


def default_url() -> str:
    """GARRISON_DATABASE_URL, else the SQLite file that `make run` uses."""
    return os.environ.get(ENV_VAR) or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """An engine for the URL; SQLite connections get WAL, a busy timeout and foreign keys.

    SQLite write transactions (see `writing`) start with BEGIN IMMEDIATE so that concurrent
    writers queue on the lock instead of failing with "database is locked" at commit.
    """
    url = url or default_url()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's begin event, not the driver, decide how a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        # 64 MB page cache: index maintenance during large imports stays in memory.
        cursor.execute("PRAGMA cache_size=-65536")
        if os.environ.get(MAX_PAGES_ENV):
            cursor.execute(f"PRAGMA max_page_count={int(os.environ[MAX_PAGES_ENV])}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get("garrison_write", False):
            _begin_write(conn)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _locked(exc: OperationalError) -> bool:
    return any(word in str(exc.orig) for word in ("database is locked", "database is busy"))


def _begin_write(conn) -> None:
    """BEGIN IMMEDIATE, queuing behind other writers for up to WRITE_WAIT_S; a long wait is logged as it
    happens (the CLI shows it on stderr), so a queued import is seen waiting, not hanging."""
    started = time.monotonic()
    next_report = REPORT_AFTER_S
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            waited = time.monotonic() - started
            if not _locked(exc) or waited >= WRITE_WAIT_S:
                raise
            if waited >= next_report:
                log.warning(
                    "waiting for other writers to finish (%d s so far; giving up after %d s)", waited, WRITE_WAIT_S
                )
                next_report = waited + REPORT_EVERY_S


def write_engine(engine: Engine) -> Engine:
    """The same engine, but its transactions take SQLite's write lock at the start."""
    return engine.execution_options(garrison_write=True)


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A session in one write transaction: committed on success, rolled back on error."""
    with Session(write_engine(engine)) as session, session.begin():
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def _alembic_config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision` (idempotent)."""
    with write_engine(engine).begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_initialised(engine: Engine) -> bool:
    return current_revision(engine) is not None


def store_version(session: Session) -> tuple[int, str]:
    """A value that changes whenever reports change: the dashboard keys its caches on it.

    New reports raise max(id); edits, reviews and soft deletes raise max(updated_at). Both are
    index lookups, so asking on every rerun stays cheap at a million reports (a count would scan).
    """
    top = session.execute(select(func.max(Report.id))).scalar()
    newest = session.execute(select(func.max(Report.updated_at))).scalar()
    return int(top or 0), str(newest)
