"""The one place that decides which store backend a ``--db`` value means (no heavy imports).

A ``postgresql://`` or ``postgres://`` URL names a PostGIS database; anything else is a GeoPackage
file path. :func:`geo.store.open_store`, the CLI and the dashboard all ask here.
"""

from __future__ import annotations

import os

#: URL prefixes of the PostGIS backend.
SERVER_PREFIXES = ("postgresql://", "postgres://")


def is_server_url(db: str | os.PathLike) -> bool:
    """True when ``db`` names a PostgreSQL/PostGIS database (a shared server store) rather than a file."""
    return os.fspath(db).startswith(SERVER_PREFIXES)


def backend_of(db: str | os.PathLike) -> str:
    """``"postgis"`` for a server URL, ``"gpkg"`` for a file path."""
    return "postgis" if is_server_url(db) else "gpkg"
