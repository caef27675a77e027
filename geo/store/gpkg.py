"""The embedded store: one GeoPackage file written through :mod:`sqlite3`.

It writes a real GeoPackage (it opens in QGIS and GDAL), so that every import is one SQLite
transaction: it is applied completely or not at all, even if the process dies half-way. The file uses
WAL journaling and a busy timeout once written to, so dashboard sessions keep reading while an import
runs and concurrent writers wait for each other instead of failing."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from geo.errors import StoreError
from geo.filters import Filters, region_isos
from geo.schema import COLUMN_TYPES, COLUMNS
from geo.store import _columnar
from geo.store import _gpkg_layout as _gpkg
from geo.store.frames import (  # noqa: F401
    _coerce,
    empty_frame,
    frame_from_rows,
    prepare_frame,
    typed_frame,
    with_geometry,
)
from geo.store.protocol import UpsertResult

if TYPE_CHECKING:
    import geopandas as gpd

TABLE = "incidents"
#: Rows written per executemany call; failures inside a batch still roll back the whole import.
BATCH_ROWS = 5000
BUSY_TIMEOUT_MS = 30_000


def _row_tuples(frame: pd.DataFrame) -> Iterator[tuple]:
    """Rows of a prepared frame as SQL parameter tuples: geometry blob first, then the schema columns."""
    columns = []
    for column, kind in COLUMN_TYPES.items():
        series = frame[column]
        if kind == "date":
            text = series.dt.strftime("%Y-%m-%d")
            columns.append(text.astype(object).where(series.notna(), None).tolist())
        elif kind == "datetime":
            text = series.dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")  # GeoPackage DATETIME
            columns.append(text.astype(object).where(series.notna(), None).tolist())
        elif kind == "int":
            columns.append([None if v is pd.NA else int(v) for v in series.astype(object)])
        elif kind == "float":
            columns.append([None if v != v else float(v) for v in series.tolist()])
        else:
            columns.append(series.tolist())
    lon_idx, lat_idx = COLUMNS.index("longitude"), COLUMNS.index("latitude")
    point = _gpkg.point_blob
    for row in zip(*columns):
        yield (point(row[lon_idx], row[lat_idx]), *row)


# --------------------------------------------------------------------------------------------------
# GeoPackage backend


class GeoPackageStore:
    """Incidents in one GeoPackage file (table ``incidents``), written with SQLite transactions."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._wal = False
        #: Read through GDAL/Arrow when possible (tests switch it off to check the sqlite3 path).
        self.fast_read = True
        try:
            self._readonly = self.path.exists() and not os.access(self.path, os.W_OK)
            if not self._readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = self._connect()
            if not self._readonly:
                self._ensure_schema()
            elif not self._has_table():
                raise StoreError(f"{self.path}: read-only file without an incidents table")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable GeoPackage ({exc})") from None

    def _connect(self) -> sqlite3.Connection:
        if self._readonly:
            uri = self.path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        else:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _gpkg.register_functions(conn)
        return conn

    def _after_gdal(self) -> None:
        """Reconnect after GDAL opened the file: GDAL links its own copy of SQLite, whose closing of the file
        drops this process's locks and may reset the write-ahead log under our connection (SQLite's
        "multiple copies of SQLite in one process" hazard); a fresh connection maps the log's index anew."""
        with self._lock:
            if self._conn.in_transaction:
                return
            self._conn.close()
            self._conn = self._connect()

    # -- schema -----------------------------------------------------------------------------------
    def _has_table(self) -> bool:
        row = self._conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (TABLE,)).fetchone()
        return row is not None

    def _ensure_schema(self) -> None:
        if self._has_table():
            self._check_columns()
            return
        with self._lock:
            self._begin()
            try:
                if not self._has_table():
                    _gpkg.create_layout(self._conn)
                    _gpkg.create_feature_table(self._conn, TABLE, COLUMN_TYPES,
                                               description="Incident Atlas incidents")
                    self._conn.execute(f"CREATE UNIQUE INDEX {TABLE}_event_id ON {TABLE}(event_id)")
                    self._conn.execute(f"CREATE INDEX {TABLE}_event_date ON {TABLE}(event_date)")
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def _check_columns(self) -> None:
        present = {row[1] for row in self._conn.execute(f"PRAGMA table_info({TABLE})")}
        missing = [c for c in COLUMNS if c not in present]
        if missing:
            raise StoreError(f"{self.path}: incidents table lacks columns {', '.join(missing)}")

    def _begin(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    def _enable_wal(self) -> None:
        if not self._wal:
            mode = self._conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                self._conn.execute("PRAGMA journal_mode = WAL")
            # WAL + NORMAL never corrupts the file; a power cut may lose the last commit, not half of it
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA cache_size = -65536")
            self._wal = True

    # -- API ----------------------------------------------------------------------------------------
    def count(self) -> int:
        """Number of incidents stored."""
        with self._lock:
            return int(self._conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0])

    def upsert(self, frame: pd.DataFrame) -> UpsertResult:
        """Insert new incidents and replace existing ones with the same ``event_id``, all or nothing."""
        if self._readonly:
            raise StoreError(f"{self.path} is read-only")
        prepared = prepare_frame(frame)
        if prepared.empty:
            return UpsertResult(0, 0)
        names = ["geom", *COLUMNS]
        placeholders = ", ".join("?" * len(names))
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in names if c != "event_id")
        sql = (f'INSERT INTO {TABLE} ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in names)}) '
               f"VALUES ({placeholders}) ON CONFLICT(event_id) DO UPDATE SET {updates}")
        ids = prepared["event_id"].tolist()
        with self._lock:
            self._enable_wal()
            self._begin()
            try:
                existing = self._existing_ids(ids)
                rows = _row_tuples(prepared)
                while True:
                    batch = [row for _, row in zip(range(BATCH_ROWS), rows)]
                    if not batch:
                        break
                    self._conn.executemany(sql, batch)
                _gpkg.touch_contents(self._conn, TABLE, (
                    float(prepared["longitude"].min()), float(prepared["latitude"].min()),
                    float(prepared["longitude"].max()), float(prepared["latitude"].max())))
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:  # SQLite already rolled back after e.g. SQLITE_FULL
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):
                    raise StoreError(f"{self.path}: import failed, nothing was written ({exc})") from None
                raise
        updated = len(existing)
        return UpsertResult(added=len(ids) - updated, updated=updated)

    def _existing_ids(self, ids: list[str]) -> set[str]:
        if len(ids) > 2000:
            stored = {row[0] for row in self._conn.execute(f"SELECT event_id FROM {TABLE}")}
            return stored.intersection(ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            sql = f"SELECT event_id FROM {TABLE} WHERE event_id IN ({', '.join('?' * len(chunk))})"
            found.update(row[0] for row in self._conn.execute(sql, chunk))
        return found

    def read(self, filters: Filters | None = None) -> "gpd.GeoDataFrame":
        """Incidents passing ``filters``, oldest first (simple filters run in SQL, the rest in pandas).

        Reads through GDAL's Arrow interface (several times faster than row tuples from sqlite3);
        falls back to plain sqlite3 if GDAL cannot open the file.
        """
        where, params = _where(filters)
        frame = None
        if self.fast_read:
            try:
                frame = self._read_arrow(_inline(where, params))
            except Exception:  # GDAL missing, file locked read-only in an odd way, ...: use sqlite3
                frame = None
        if frame is None:
            quoted = ", ".join(f'"{c}"' for c in COLUMNS)
            sql = f"SELECT {quoted} FROM {TABLE}{where}"
            with self._lock:
                try:
                    rows = self._conn.execute(sql, params).fetchall()
                except sqlite3.DatabaseError as exc:
                    raise StoreError(f"{self.path}: could not read incidents ({exc})") from None
            frame = frame_from_rows(rows)
            order = np.lexsort((frame["event_id"].to_numpy(dtype=object).astype(str),
                                frame["event_date"].to_numpy()))
            frame = frame.iloc[order].reset_index(drop=True)
        if filters is not None and not filters.is_empty():
            frame = filters.apply(frame).reset_index(drop=True)
        return frame

    def facets(self, filters: Filters | None = None) -> dict:
        """Filter options with counts: :func:`geo.query.counts.facets` of the matching rows."""
        from geo.query.counts import facets

        return facets(self.read(filters))

    def counts_by_admin1(self, filters: Filters | None = None) -> pd.DataFrame:
        """Incidents and fatalities per governorate: :func:`geo.query.density.region_counts` of the rows."""
        from geo.query.density import region_counts

        return region_counts(self.read(filters))

    def grid_counts(self, filters: Filters | None = None, cell_deg: float = 0.25) -> "gpd.GeoDataFrame":
        """Square-grid density: :func:`geo.query.density.grid_counts` of the matching rows."""
        from geo.query.density import grid_counts

        if not cell_deg > 0:
            raise ValueError("cell_deg must be positive")
        return grid_counts(self.read(filters), cell_deg)

    def cell_type_counts(self, filters: Filters | None = None, cell_deg: float = 0.25) -> pd.DataFrame:
        """Incidents per grid cell and event type: :func:`geo.query.cells.cell_type_counts` of the rows."""
        from geo.query.cells import cell_type_counts

        return cell_type_counts(self.read(filters), cell_deg)

    def change_marker(self) -> str:
        """Changes whenever the stored incidents may have changed; opening and closing the store (which
        creates and removes an empty write-ahead log) leaves it alone.

        It combines the layer's ``last_change`` (set by every import, in its transaction), the main
        file's size and modification time (written when the log is checkpointed) and the log's size
        (it grows with every commit). Cheap: one row is read.
        """
        with self._lock:
            row = self._conn.execute("SELECT last_change FROM gpkg_contents WHERE table_name = ?",
                                     (TABLE,)).fetchone()
        parts = [str(row[0] if row else "")]
        for path, with_time in ((self.path, True), (self.path.with_name(self.path.name + "-wal"), False)):
            try:
                stat = path.stat()
            except OSError:
                parts.append("-")
                continue
            if not with_time and not stat.st_size:  # an empty log, like a missing one, holds no change
                parts.append("-")
                continue
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}" if with_time else str(stat.st_size))
        return "|".join(parts)

    def _snapshot_key(self) -> str:
        return f"{self.change_marker()}|{self.count()}"

    def _sorted_table(self, where: str, encode: bool = False):
        """Rows through GDAL's Arrow interface, sorted by date and id, one column at a time (the read
        never holds a second sorted copy of the whole table); text dictionary-encoded if ``encode``."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyogrio

        try:
            _meta, table = pyogrio.read_arrow(self.path, layer=TABLE, columns=list(COLUMNS), read_geometry=False,
                                              where=where.removeprefix(" WHERE ") or None)
        finally:
            self._after_gdal()
        order = pc.sort_indices(table, sort_keys=[("event_date", "ascending"), ("event_id", "ascending")])
        fields, arrays = [], []
        for field in table.schema:
            values = table.column(field.name).take(order)
            table = table.drop_columns([field.name])
            if encode:
                values = _columnar.encoded(pa.table({field.name: values})).column(0)
            fields.append(pa.field(field.name, values.type, metadata=field.metadata))
            arrays.append(values)
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields))

    def _whole_table(self):
        """Every incident, sorted, from the columnar snapshot next to the store (rebuilt when missing or
        written for another state of the store: see :mod:`geo.store._columnar`)."""
        key = self._snapshot_key()
        path = _columnar.snapshot_path(self.path)
        table = _columnar.load(path, key)
        if table is None:
            table = self._sorted_table("", encode=True)
            if self._snapshot_key() != key:
                return table  # another process imported while we read: GDAL's read is whole, just not saved
            if table.num_rows != int(key.rsplit("|", 1)[1]):
                # GDAL's own SQLite missed rows this connection sees (it committed them to a log GDAL
                # does not read while we hold the file): read() falls back to sqlite3, nothing is saved
                raise StoreError(f"{self.path}: GDAL read {table.num_rows} rows, the store holds more")
            _columnar.save(path, table, key)
        return table

    def read_frame(self) -> pd.DataFrame:
        """Every incident as a plain DataFrame of the schema columns (no geometry), oldest first: what an
        in-memory index needs, read from the columnar snapshot (milliseconds instead of a GDAL read)."""
        return self.read_frame_codes()[0]

    def read_frame_codes(self, columns: Iterable[str] = ()) -> tuple[pd.DataFrame,
                                                                     dict[str, tuple[np.ndarray, np.ndarray]]]:
        """:meth:`read_frame` and the value codes of its text ``columns`` as the snapshot stores them: column
        -> ``(codes, values)`` (int32 codes into the distinct texts ``values``, -1 when missing), so that an
        index (``geo.query.index``) groups rows by code instead of hashing every row's text. The codes are
        ``{}`` when the rows did not come from a snapshot."""
        codes: dict[str, tuple[np.ndarray, np.ndarray]] = dict.fromkeys(columns)
        try:
            frame = _arrow_frame(self._whole_table(), codes)
            return frame, {k: v for k, v in codes.items() if v is not None}
        except Exception:  # GDAL missing or the file unreadable through it: the sqlite3 path of read()
            return pd.DataFrame(self.read().drop(columns="geometry")), {}

    def _read_arrow(self, where: str) -> "gpd.GeoDataFrame":
        table = self._whole_table() if not where else self._sorted_table(where)
        return with_geometry(_arrow_frame(table))

    def close(self) -> None:
        """Close the connection (checkpointing the WAL into the file)."""
        with self._lock:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> "GeoPackageStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GeoPackageStore({str(self.path)!r})"


def _arrow_frame(table, codes: dict | None = None) -> pd.DataFrame:
    """A sorted Arrow table of the schema columns as a typed incident frame (without geometry); each
    column is converted and released in turn. Text becomes object arrays in which equal values are one
    Python object: types, actors, places and sources repeat a lot, so this holds a fraction of the memory
    of one string object per row (1M incidents: ~1.1 GB of text objects before). ``codes``: a dict whose
    keys name text columns; it receives their value codes (``_columnar.text_codes``). The text arrays (new ones)
    are wrapped, not copied: pandas would copy each again (a reference count per row, ~0.3 s at 1M)."""
    import pyarrow as pa

    data: dict[str, pd.Series] = {}
    for column, kind in COLUMN_TYPES.items():
        values = table.column(column)
        table = table.drop_columns([column])
        if kind in ("date", "datetime"):
            if kind == "date" and not pa.types.is_timestamp(values.type):
                values = values.cast(pa.timestamp("s"))
            series = values.to_pandas()
            series = series.dt.tz_convert(None) if series.dt.tz is not None else series
            data[column] = series.astype("datetime64[ns]")
        elif kind == "int":
            data[column] = pd.Series(values.to_numpy(zero_copy_only=False), dtype="float64").astype("Int64")
        elif kind == "float":
            data[column] = pd.Series(values.to_numpy(zero_copy_only=False), dtype="float64")
        else:
            coded = _columnar.text_codes(values)
            if coded is not None and codes is not None and column in codes:
                codes[column] = coded
            data[column] = pd.Series(_columnar.text_objects(values, coded), dtype=object, copy=False)
    # one block per column: pd.DataFrame(data) would copy the 20-odd text columns into one 2-D block
    # (at 1M incidents ~1.5 s and a second copy of every pointer)
    return pd.concat(data, axis=1) if data else pd.DataFrame(data)


def _inline(where: str, params: list) -> str:
    """``where`` with each ``?`` replaced by its parameter as an SQL literal (for GDAL attribute filters)."""
    parts = where.split("?")
    if len(parts) - 1 != len(params):
        raise ValueError("parameter count mismatch")
    out = [parts[0]]
    for value, tail in zip(params, parts[1:]):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(f"cannot inline {type(value).__name__}")
        literal = repr(value) if isinstance(value, (int, float)) else "'" + value.replace("'", "''") + "'"
        out.append(literal + tail)
    return "".join(out)


def _since(value) -> tuple[str, list]:
    return "coalesce(date_end, event_date) >= ?", [value.isoformat()]


def _until(value) -> tuple[str, list]:
    return "event_date <= ?", [value.isoformat()]


def _precisions(values) -> tuple[str, list]:
    return f"geo_precision IN ({', '.join('?' * len(values))})", [int(p) for p in values]


def _regions(values) -> tuple[str, list] | None:
    isos = sorted(region_isos(values))
    if not all(i.isascii() for i in isos):
        return None
    return f"upper(admin1_iso) IN ({', '.join('?' * len(isos))})", isos


def _types(values) -> tuple[str, list] | None:
    if not all(t.isascii() for t in values):
        return None
    wanted = sorted({t.casefold() for t in values})
    marks = ", ".join("?" * len(wanted))
    return (f"(lower(event_type) IN ({marks}) OR lower(sub_event_type) IN ({marks}) "
            f"OR lower(kind) IN ({marks}))"), wanted * 3


def _districts(values) -> tuple[str, list] | None:
    wanted = sorted({d.strip().casefold() for d in values})
    if not all(d.isascii() for d in wanted):
        return None
    # SQLite's lower() folds ASCII only: names holding other characters are left to Filters.mask.
    return f"(lower(admin2) IN ({', '.join('?' * len(wanted))}) OR admin2 GLOB '*[^ -~]*')", wanted


def _bbox(value) -> tuple[str, list]:
    west, south, east, north = value
    return "longitude BETWEEN ? AND ? AND latitude BETWEEN ? AND ?", [west, east, south, north]


#: The SQLite pre-filter of each declared filter field (``geo.filters.FIELDS``): ``value -> (clause,
#: params)``, or None when the field is left to ``Filters.mask`` (which always runs after the SQL). A
#: clause may keep more rows than the field's matcher, never fewer; a translator returning None skips
#: the SQL for that value. tests/test_filters_declaration.py checks every declared field is listed.
_PREFILTERS: dict[str, Callable[[Any], tuple[str, list] | None] | None] = {
    "since": _since,
    "until": _until,
    "actors": None,  # any of four ';'-separated columns, case-folded: pandas
    "types": _types,
    "sources": None,  # ';'-separated, case-folded: pandas
    "regions": _regions,
    "districts": _districts,
    "precisions": _precisions,
    "text": None,  # case-folded substring: pandas
    "bbox": _bbox,
}


def _where(filters: Filters | None) -> tuple[str, list]:
    """SQL WHERE for the filters that are cheap and exact in SQL (never stricter than Filters.apply)."""
    if filters is None:
        return "", []
    clauses, params = [], []
    for spec, value in filters.active():
        if spec.name not in _PREFILTERS:
            raise StoreError(f"filter field {spec.name!r} has no GeoPackage translation")
        translate = _PREFILTERS[spec.name]
        found = translate(value) if translate is not None else None
        if found is not None:
            clauses.append(found[0])
            params.extend(found[1])
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
