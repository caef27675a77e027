"""Versioned schema migrations of the PostGIS store: plain SQL files in ``geo/store/migrations/NNNN_name.sql``.

Each file is applied once, in order, and recorded in the ``schema_version`` table. All pending files are
applied in one transaction under an advisory lock, so two people migrating at once cannot interleave and a
failed migration leaves the database as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from geo.errors import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 0x41544C53  # any constant shared by every migrator ("ATLS")


@dataclass(frozen=True)
class Migration:
    """One SQL file: its version number, short name and text."""

    version: int
    name: str
    path: Path

    def sql(self) -> str:
        """The SQL statements of this migration."""
        return self.path.read_text(encoding="utf-8")


def migrations() -> list[Migration]:
    """Every migration shipped with the project, in version order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"migration files must be numbered 0001, 0002, … without gaps; found {versions}")
    return found


def latest_version() -> int:
    """The schema version this code expects."""
    return len(migrations())


def current_version(conn) -> int:
    """The schema version of the connected database (0 when it has never been migrated)."""
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    return int(conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])


def migrate(conn) -> list[int]:
    """Apply every pending migration in one transaction; returns the versions applied (maybe none).

    ``conn`` is a psycopg connection. Raises :class:`StoreError` with PostgreSQL's reason on failure.
    """
    import psycopg

    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            conn.execute("""CREATE TABLE IF NOT EXISTS schema_version (
                                version integer PRIMARY KEY,
                                name text NOT NULL,
                                applied_at timestamptz NOT NULL DEFAULT now())""")
            done = current_version(conn)
            applied = []
            for migration in migrations():
                if migration.version <= done:
                    continue
                conn.execute(migration.sql())
                conn.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                             (migration.version, migration.name))
                applied.append(migration.version)
            return applied
    except psycopg.Error as exc:
        hint = ""
        if isinstance(exc, (psycopg.errors.InsufficientPrivilege, psycopg.errors.FeatureNotSupported)):
            hint = (" (a superuser must run 'CREATE EXTENSION postgis; CREATE EXTENSION pg_trgm;' in this "
                    "database first, and the migrating role needs CREATE on its schema)")
        raise StoreError(f"migration failed: {_first_line(exc)}{hint}") from exc


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
