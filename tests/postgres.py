"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temp dir on a free port."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bin_dir() -> Path | None:
    """The server binaries: /usr/lib/postgresql/<newest>/bin, else initdb on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """Start with `start()`, get `url(dbname)`, end with `stop()`; everything lives in one temp dir."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="garrison-pg-"))
        self.port = free_port()
        # PostgreSQL refuses to run as root: run the server as the `postgres` system user then.
        self.user = None
        if os.geteuid() == 0:
            self.user = pwd.getpwnam("postgres")
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user.pw_name, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> Cluster:
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-U", "garrison", "--auth=trust", "-E", "UTF8", "--no-locale")
        log = self.root / "server.log"
        # Between free_port and the server's bind another xdist worker's cluster may take the port.
        for attempt in range(3):
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
                return self
            except RuntimeError:
                if attempt == 2 or "already in use" not in (log.read_text() if log.exists() else ""):
                    raise
                self.port = free_port()
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://garrison@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
