"""The incident store: one GeoPackage file by default, a PostGIS database on request.

Public API (other modules code against exactly this)::

    store = open_store("incidents.gpkg")      # or "postgresql://..."
    result = store.upsert(frame)              # UpsertResult(added, updated)
    incidents = store.read(Filters(...))      # GeoDataFrame, schema COLUMNS + geometry, EPSG:4326
    options = store.facets(Filters(...))      # filter options with counts, see geo.query.counts.facets
    store.counts_by_admin1(f); store.grid_counts(f, 0.25)   # density
    store.change_marker(); store.count(); store.close()     # or: with open_store(db) as store: ...

Modules: :mod:`.protocol` (the interface), :mod:`.location` (which backend a ``--db`` value means),
:mod:`.frames` (schema typing shared by backends and importers), :mod:`.gpkg` (the embedded backend),
:mod:`.postgis` (the shared backend, with ``_pg_*`` helpers and SQL ``migrations/``).
"""

from __future__ import annotations

import os

from geo.errors import InputError
from geo.store.frames import (
    empty_frame,
    frame_from_rows,
    prepare_frame,
    typed_frame,
    with_geometry,
)
from geo.store.gpkg import GeoPackageStore
from geo.store.location import backend_of, is_server_url
from geo.store.protocol import IncidentStore, UpsertResult

__all__ = ["GeoPackageStore", "IncidentStore", "UpsertResult", "backend_of", "empty_frame", "frame_from_rows",
           "is_server_url", "open_store", "prepare_frame", "typed_frame", "with_geometry"]


def open_store(db: str | os.PathLike, *, create: bool = True) -> IncidentStore:
    """Open the store at ``db``: a file path or a ``postgresql://`` URL (see :mod:`.location`).

    A missing file is created on first use unless ``create`` is False, in which case it is an
    :class:`InputError` (reading must never create an empty store). Close the store after use
    (it is a context manager).
    """
    text = os.fspath(db)
    if is_server_url(text):
        from geo.store.postgis import (
            open_postgis,  # written separately; imported only when asked for
        )

        return open_postgis(text)
    if not create and not os.path.exists(text):
        raise InputError("store does not exist", file=text)
    return GeoPackageStore(text)
