"""``python -m geo migrate --db postgresql://…``: create or upgrade the shared PostGIS store's schema."""

from __future__ import annotations

import argparse
import json

from geo.commands._common import add_db_argument, db_from_args
from geo.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``migrate`` sub-command."""
    parser = subparsers.add_parser(
        "migrate", help="create or upgrade the schema of a shared PostGIS store",
        description="Apply the pending SQL migrations (geo/store/migrations/NNNN_*.sql) to a PostgreSQL + PostGIS "
                    "database, in one transaction. Safe to run again: nothing happens when the schema is "
                    "current. Prints one JSON object: {\"db\" (password hidden), \"from_version\", "
                    "\"to_version\", \"latest\", \"applied\"}.")
    add_db_argument(parser)
    parser.add_argument("--check", action="store_true",
                        help="only report the schema version; exit 1 if migrations are pending")


def run(args: argparse.Namespace) -> int:
    """Migrate (or check) the database named by ``--db`` / ``$INCIDENT_ATLAS_DB``."""
    from geo.store import _pg_migrate
    from geo.store.location import is_server_url
    from geo.store.postgis import connect, redact

    db = db_from_args(args)
    if not is_server_url(db):
        raise InputError(f"migrate needs a postgresql:// URL, not {db!r} "
                         "(the embedded GeoPackage store creates its own table on first use)")
    conn = connect(db)
    try:
        before = _pg_migrate.current_version(conn)
        applied = [] if args.check else _pg_migrate.migrate(conn)
        after = _pg_migrate.current_version(conn)
    finally:
        conn.close()
    latest = _pg_migrate.latest_version()
    print(json.dumps({"db": redact(db), "from_version": before, "to_version": after, "latest": latest,
                      "applied": applied}))
    return 1 if args.check and after < latest else 0
