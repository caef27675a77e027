"""The incident store: one GeoPackage file by default, a PostGIS database on request.

Public API (other modules code against exactly this)::

    store = open_store("incidents.gpkg")      # or "postgresql://..."
    result = store.upsert(frame)              # UpsertResult(added, updated)
    incidents = store.read(Filters(...))      # GeoDataFrame, schema COLUMNS + geometry, EPSG:4326
    options = store.facets(Filters(...))      # filter options with counts, see geo.query.facets
    store.count(); store.close()

Modules: :mod:`.protocol` (the interface), :mod:`.frames` (schema typing shared by backends and
importers), :mod:`.gpkg` (the embedded backend), :mod:`.postgis` (the shared backend, with
``_pg_*`` helpers and SQL ``migrations/``).
"""

from __future__ import annotations

import os

from geo.store.frames import empty_frame, frame_from_rows, prepare_frame, typed_frame, with_geometry
from geo.store.gpkg import GeoPackageStore
from geo.store.protocol import IncidentStore, UpsertResult

__all__ = ["GeoPackageStore", "IncidentStore", "UpsertResult", "empty_frame", "frame_from_rows",
           "open_store", "prepare_frame", "typed_frame", "with_geometry"]


def open_store(db: str | os.PathLike) -> IncidentStore:
    """Open (creating on first use) the store at ``db``: a file path or a ``postgresql://`` URL."""
    text = os.fspath(db)
    if text.startswith(("postgresql://", "postgres://")):
        from geo.store.postgis import open_postgis  # written separately; imported only when asked for

        return open_postgis(text)
    return GeoPackageStore(text)
