"""A throw-away PostgreSQL + PostGIS server for tests and benchmarks (not used by the application).

It runs from a temporary data directory made by ``initdb``, listens only on 127.0.0.1 on a free port,
keeps its unix socket inside that directory and trusts local connections. PostgreSQL refuses to run as
root, so when we are root the server runs as the ``postgres`` system user (created by the Debian package).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from geo.errors import StoreError


def _bin_dir() -> Path:
    """The directory of the newest installed PostgreSQL server binaries."""
    override = os.environ.get("PG_BINDIR")
    if override:
        return Path(override)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise StoreError("PostgreSQL server binaries (initdb, pg_ctl) not found; install the Debian package "
                     "'postgresql' and 'postgis' (scripts/_system_deps.sh does this)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TempPostgres:
    """A private PostgreSQL server; ``start()`` then ``dsn()``/``new_database()``, ``stop()`` at the end."""

    def __init__(self, *, settings: dict[str, str] | None = None) -> None:
        self.bin_dir = _bin_dir()
        self.port = _free_port()
        self.run_as = "postgres" if os.geteuid() == 0 else None
        self.user = "postgres" if self.run_as else os.environ.get("USER") or "postgres"
        self.settings = {
            # A scratch server: durability is not needed, speed is.
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
            "max_connections": "60", "shared_buffers": "128MB",
            **(settings or {}),
        }
        self.root: Path | None = None
        self._template: str | None = None

    def missing_postgis(self) -> str | None:
        """Why the PostGIS extension cannot be created on this server, or None when it can."""
        major = self.bin_dir.parent.name
        share = Path(f"/usr/share/postgresql/{major}")
        if not share.is_dir():
            pg_config = shutil.which("pg_config")
            if pg_config is None:
                return None  # not a Debian layout and no pg_config: let CREATE EXTENSION speak
            share = Path(subprocess.run([pg_config, "--sharedir"], capture_output=True, text=True).stdout.strip())
        control = share / "extension" / "postgis.control"
        if control.exists():
            return None
        return (f"the PostGIS extension is not installed for the PostgreSQL server in {self.bin_dir} "
                f"({control} is missing); on Debian install 'postgresql-{major}-postgis-3' "
                "(bash scripts/_system_deps.sh does this)")

    # -- life cycle ---------------------------------------------------------------------------------------
    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    def start(self) -> "TempPostgres":
        """Create the data directory and start the server (waits until it accepts connections)."""
        self.root = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
        if self.run_as:
            shutil.chown(self.root, user=self.run_as, group=self.run_as)
        options = " ".join(f"-c {k}={v}" for k, v in {
            "listen_addresses": "127.0.0.1", "port": str(self.port),
            "unix_socket_directories": str(self.root), **self.settings}.items())
        try:
            self._run("initdb", "-D", str(self.data_dir), "-U", self.user, "-A", "trust",
                      "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
            self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.root / "server.log"),
                      "-o", options, "-w", "-t", "60", "start")
        except subprocess.CalledProcessError as exc:
            log = self.root / "server.log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            self.stop()
            raise StoreError(f"could not start a temporary PostgreSQL: {exc.stderr or exc.stdout}{detail}") from exc
        return self

    def stop(self) -> None:
        """Stop the server and delete its data directory."""
        if self.root is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> "TempPostgres":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- databases ----------------------------------------------------------------------------------------
    def dsn(self, dbname: str = "postgres", user: str | None = None) -> str:
        """A postgresql:// URL for ``dbname`` on this server (TCP on 127.0.0.1)."""
        return f"postgresql://{user or self.user}@127.0.0.1:{self.port}/{dbname}"

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        """Run SQL statements as the superuser, outside any transaction."""
        import psycopg

        with psycopg.connect(self.dsn(dbname), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, *, postgis: bool = True) -> str:
        """A fresh, empty database (with the PostGIS extension unless told otherwise); returns its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        if postgis:
            if self._template is None:
                self._template = "atlas_template"
                self.execute(f"CREATE DATABASE {self._template}")
                self.execute("CREATE EXTENSION postgis; CREATE EXTENSION pg_trgm", self._template)
            self.execute(f"CREATE DATABASE {name} TEMPLATE {self._template}")
        else:
            self.execute(f"CREATE DATABASE {name}")
        return self.dsn(name)
