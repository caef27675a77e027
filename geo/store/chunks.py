"""Reading a store's incidents in chunks (for exports of any size): never every row at once.

:func:`read_chunks` yields the incidents passing the filters, oldest first, as frames of at most
``rows`` incidents whose concatenation equals ``store.read(filters)``. Each store reads from one
consistent snapshot on a connection of its own, so an import committed meanwhile is either wholly in
the export or not at all, and the store's own connection stays free for other readers:

* PostGIS (``PostgisStore.read_chunks``): one REPEATABLE READ transaction, keyset pages
  (``(event_date, event_id) > last``) each fetched with COPY;
* GeoPackage: one SQLite read transaction, one ordered cursor fetched ``rows`` at a time, the filters
  that SQLite cannot apply exactly applied to each chunk by ``Filters.apply`` (a row-wise test).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Iterator

from geo.errors import StoreError
from geo.filters import Filters
from geo.schema import COLUMNS

if TYPE_CHECKING:
    import geopandas as gpd

#: Incidents per chunk: ~50k rows keep a chunk's Python objects in the tens of MB.
CHUNK_ROWS = 50_000


def read_chunks(store, filters: Filters | None = None, rows: int = CHUNK_ROWS) -> Iterator["gpd.GeoDataFrame"]:
    """The incidents of ``store`` passing ``filters``, oldest first, in frames of at most ``rows``
    (empty frames are never yielded; no incident matching yields nothing)."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    from geo.store.gpkg import GeoPackageStore

    if isinstance(store, GeoPackageStore):
        return _gpkg_chunks(store, filters, rows)
    return store.read_chunks(filters, rows)


def read_extras(store, filters: Filters | None = None, rows: int = CHUNK_ROWS) -> Iterator[list]:
    """The ``extra`` values (JSON text or None) of the incidents passing ``filters`` in read order, in
    lists of at most ``rows``: what a CSV export needs to know its columns before writing, without
    reading the other columns where the store can filter exactly in SQL."""
    from geo.store.gpkg import GeoPackageStore

    if isinstance(store, GeoPackageStore):
        if filters is not None and not filters.is_empty():  # part of the filtering runs in pandas
            return (chunk["extra"].tolist() for chunk in _gpkg_chunks(store, filters, rows))
        return _gpkg_extras(store, rows)
    return store.read_extras(filters, rows)


def count_matching(store, filters: Filters | None = None) -> int | None:
    """How many incidents pass ``filters``, when the store can tell without reading them (else None)."""
    from geo.store.gpkg import GeoPackageStore

    if filters is None or filters.is_empty():
        return store.count()
    if isinstance(store, GeoPackageStore):
        return None  # part of its filtering runs in pandas
    return store.count_matching(filters)


def _reading_connection(store) -> sqlite3.Connection:
    """A connection of its own for a long read of a GeoPackage store (waits for writers, never blocks them)."""
    from geo.store.gpkg import BUSY_TIMEOUT_MS

    try:
        conn = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error as exc:
        raise StoreError(f"{store.path}: cannot open for reading ({exc})") from None
    return conn


def _gpkg_chunks(store, filters: Filters | None, rows: int) -> Iterator["gpd.GeoDataFrame"]:
    from geo.store.frames import frame_from_rows
    from geo.store.gpkg import TABLE, _where

    where, params = _where(filters)
    quoted = ", ".join(f'"{c}"' for c in COLUMNS)
    sql = f"SELECT {quoted} FROM {TABLE}{where} ORDER BY event_date, event_id"
    conn = _reading_connection(store)
    try:
        conn.execute("BEGIN")  # one snapshot for the whole read
        cursor = conn.execute(sql, params)
        pandas_filter = filters is not None and not filters.is_empty()
        while True:
            batch = cursor.fetchmany(rows)
            if not batch:
                break
            frame = frame_from_rows(batch)
            del batch
            if pandas_filter:
                frame = filters.apply(frame).reset_index(drop=True)
            if len(frame):
                yield frame
    except sqlite3.Error as exc:
        raise StoreError(f"{store.path}: could not read incidents ({exc})") from None
    finally:
        conn.close()


def _gpkg_extras(store, rows: int) -> Iterator[list]:
    from geo.store.gpkg import TABLE

    conn = _reading_connection(store)
    try:
        cursor = conn.execute(f"SELECT extra FROM {TABLE} WHERE extra IS NOT NULL ORDER BY event_date, event_id")
        while True:
            batch = cursor.fetchmany(rows)
            if not batch:
                break
            yield [row[0] for row in batch]
    except sqlite3.Error as exc:
        raise StoreError(f"{store.path}: could not read incidents ({exc})") from None
    finally:
        conn.close()
