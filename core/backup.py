"""`garrison backup PATH`: a consistent copy of a live SQLite store through SQLite's online backup API."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from core.store import WRITE_WAIT_S


class BackupError(Exception):
    """str() is a message for the user."""


def sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(
            f"{parsed.get_backend_name()} stores are backed up with the database's own tools: "
            "use pg_dump (e.g. `pg_dump -Fc -f garrison.dump DBNAME`)"
        )
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory store cannot be backed up")
    path = Path(parsed.database)
    if not path.is_file():
        raise BackupError(f"{path}: no such store")
    return path


def backup(source: str | Engine, destination: str | Path) -> int:
    """Copy the store to `destination` (refused if it exists) while other processes keep writing.

    One backup step copies every page under a read snapshot (WAL: writers are not blocked), so the
    copy is the store as of one commit. The copy is checked with PRAGMA integrity_check and
    written to a temporary name first. Returns the number of reports copied.
    """
    url = source if isinstance(source, str) else source.url.render_as_string(hide_password=False)
    src_path = sqlite_path(url)
    dest = Path(destination)
    if dest.exists():
        raise BackupError(f"{dest} already exists: choose a new file name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(src_path, timeout=WRITE_WAIT_S)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out, pages=-1)
            # A standalone file: no -wal beside it is needed to read it.
            out.execute("PRAGMA journal_mode=DELETE")
            check = out.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"the copy failed its integrity check: {check}")
            count = out.execute("SELECT count(*) FROM reports").fetchone()[0]
        finally:
            out.close()
    finally:
        src.close()
    os.replace(tmp, dest)
    return count
