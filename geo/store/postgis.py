"""The shared incident store on PostgreSQL + PostGIS, for teams (the embedded GeoPackage is the default).

Open it with :func:`geo.store.open_store` and a ``postgresql://`` URL (``--db`` on the command line,
``$INCIDENT_ATLAS_DB``, or the dashboard's Streamlit secret). It offers the same API as the embedded store
(:class:`geo.store.protocol.IncidentStore`) and the same record schema; its facets and its two
aggregations for the density view run in SQL and return exactly what :mod:`geo.query` computes from a frame:

* :meth:`PostgisStore.counts_by_admin1` — like ``geo.query.region_counts(store.read(filters))``;
* :meth:`PostgisStore.grid_counts` — like ``geo.query.grid_counts(store.read(filters), cell_deg)``.

The dashboard's view of a filter state (metrics, actors, governorates, timeline and the map's cells of the
shown view) is one statement, :meth:`PostgisStore.view_numbers`, that reads the matching rows once.

Filters run in SQL on indexed columns (see ``geo/store/migrations/``), so a dashboard loads only
the rows it shows. Each upsert is one transaction: rows are COPYed into a temporary table and merged
with ``INSERT … ON CONFLICT (event_id)``; readers see either none or all of an import.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Iterator

import pandas as pd

from geo.errors import StoreError
from geo.filters import Filters
from geo.schema import COLUMNS
from geo.store import _pg_filters, _pg_frames, _pg_migrate, _pg_view
from geo.store.location import is_server_url

if TYPE_CHECKING:
    import geopandas as gpd
    import psycopg

    from geo.store.protocol import UpsertResult

TABLE = "incidents"
#: What Python's ``str.strip()`` removes from facet values (ASCII whitespace; enough for stored names).
_WHITESPACE = " \t\n\r\x0b\x0c"
#: How often an upsert is retried when PostgreSQL aborts it to break a deadlock between writers.
RETRIES = 5
#: Imports of at least this many rows refresh the planner's statistics right away.
ANALYZE_ROWS = 10_000
#: ``work_mem`` of one dashboard-numbers statement: a cap (~50 MB used at 1M synthetic incidents with
#: 90k actor combinations); with PostgreSQL's default 4 MB the planner sorts per grouping set instead.
GROUPING_WORK_MEM = "256MB"


def redact(db: str) -> str:
    """``db`` with any password replaced by ``***`` (for messages and logs)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(db)
    except Exception:  # noqa: BLE001 - an unparsable URL is reported elsewhere
        return "postgresql://…"
    if "password" in params:
        params["password"] = "***"
    return make_conninfo(**params)


def connect(db: str) -> "psycopg.Connection":
    """An autocommit psycopg connection to ``db``; failures become :class:`StoreError` (no password shown)."""
    try:
        import psycopg
    except ImportError:
        raise StoreError("the PostGIS store needs psycopg: pip install 'psycopg[binary]'") from None
    try:
        return psycopg.connect(db, autocommit=True, application_name="incident-atlas", connect_timeout=15)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to PostgreSQL at {redact(db)}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class PostgisStore:
    """Incidents in the ``incidents`` table of a PostGIS database (schema managed by ``python -m geo migrate``)."""

    def __init__(self, db: str, *, migrate: bool = True) -> None:
        self.db = db
        self._lock = threading.RLock()
        self._committing = False
        self._conn = connect(db)
        try:
            self._check_schema(migrate)
        except BaseException as exc:
            self._conn.close()
            import psycopg

            if isinstance(exc, psycopg.Error):
                raise StoreError(f"{redact(db)}: cannot check the schema: {_reason(exc)}") from None
            raise

    def _check_schema(self, migrate: bool) -> None:
        version, latest = _pg_migrate.current_version(self._conn), _pg_migrate.latest_version()
        if version > latest:
            raise StoreError(f"{redact(self.db)}: schema version {version} is newer than this Incident Atlas "
                             f"understands ({latest}); upgrade Incident Atlas")
        if version < latest:
            if not migrate:
                raise StoreError(f"{redact(self.db)}: schema version {version}, expected {latest}; "
                                 "run: python -m geo migrate --db URL")
            _pg_migrate.migrate(self._conn)

    # -- reading -----------------------------------------------------------------------------------------
    def _live_connection(self) -> "psycopg.Connection":
        """The connection, reopened if the server closed it (restart, idle timeout, admin)."""
        if self._conn.closed or self._conn.broken:
            self._conn = connect(self.db)
        return self._conn

    def _query(self, run, what: str):
        """``run(connection)`` under the lock; retried once on a fresh connection if the old one died."""
        import psycopg

        with self._lock:
            for attempt in (1, 2):
                try:
                    return run(self._live_connection())
                except psycopg.OperationalError as exc:
                    if attempt == 2 or not (self._conn.closed or self._conn.broken):
                        raise StoreError(f"{redact(self.db)}: {what}: {_reason(exc)}") from None
                except psycopg.Error as exc:
                    raise StoreError(f"{redact(self.db)}: {what}: {_reason(exc)}") from None

    def _copy_out(self, query, params: list, null: str) -> bytearray:
        from psycopg import sql

        statement = sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, NULL {})").format(query, sql.Literal(null))

        def run(conn) -> bytearray:
            buffer = bytearray()
            with conn.cursor() as cursor:
                with cursor.copy(statement, params) as copy:
                    for block in copy:
                        buffer += block
            return buffer

        return self._query(run, "could not read incidents")

    def read(self, filters: Filters | None = None) -> "gpd.GeoDataFrame":
        """Incidents passing ``filters`` (evaluated in SQL), oldest first, typed as in the embedded store."""
        from psycopg import sql

        from geo.store.frames import empty_frame

        clause, params = _pg_filters.where(filters)
        query = sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY event_date, event_id").format(
            sql.SQL(_pg_frames.select_list()), sql.Identifier(TABLE), clause)
        data = self._copy_out(query, params, _pg_frames.NULL_MARK)
        return _pg_frames.frame_from_csv(data, _pg_frames.NULL_MARK) if data else empty_frame()

    def read_chunks(self, filters: Filters | None = None, rows: int = 50_000) -> "Iterator[gpd.GeoDataFrame]":
        """Incidents passing ``filters``, oldest first, in frames of at most ``rows`` whose concatenation
        equals :meth:`read` (for exports of any size; see :mod:`geo.store.chunks`).

        Read on a connection of its own in one REPEATABLE READ, READ ONLY transaction (one snapshot: an
        import committed meanwhile is wholly in or out), page by page with a keyset on the read order
        (``(event_date, event_id) > last``) fetched by COPY; the shared connection stays free meanwhile.
        """
        import psycopg
        from psycopg import sql

        if rows < 1:
            raise ValueError("rows must be at least 1")
        clause, params = _pg_filters.where(filters)
        conn = connect(self.db)
        try:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            with conn.transaction():
                last: tuple | None = None
                while True:
                    # the plain >= lets the event_date index serve the keyset
                    after = sql.SQL("event_date >= %s::date AND (event_date, event_id) > (%s::date, %s)") \
                        if last else sql.SQL("TRUE")
                    query = sql.SQL("SELECT {} FROM {} WHERE ({}) AND {} ORDER BY event_date, event_id "
                                    "LIMIT {}").format(sql.SQL(_pg_frames.select_list()), sql.Identifier(TABLE),
                                                       clause, after, sql.Literal(int(rows)))
                    statement = sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, NULL {})").format(
                        query, sql.Literal(_pg_frames.NULL_MARK))
                    data = bytearray()
                    with conn.cursor() as cursor:
                        with cursor.copy(statement, [*params, *((last[0], *last) if last else ())]) as copy:
                            for block in copy:
                                data += block
                    if not data:
                        return
                    frame = _pg_frames.frame_from_csv(data, _pg_frames.NULL_MARK)
                    del data
                    yield frame
                    if len(frame) < rows:
                        return
                    last = (frame["event_date"].iloc[-1].date(), frame["event_id"].iloc[-1])
        except psycopg.Error as exc:
            raise StoreError(f"{redact(self.db)}: could not read incidents: {_reason(exc)}") from None
        finally:
            conn.close()

    def read_extras(self, filters: Filters | None = None, rows: int = 50_000) -> Iterator[list]:
        """The non-null ``extra`` values of the incidents passing ``filters``, in read order, in lists of
        at most ``rows`` (a server-side cursor on a connection of its own; see :mod:`geo.store.chunks`)."""
        import psycopg
        from psycopg import sql

        clause, params = _pg_filters.where(filters)
        conn = connect(self.db)
        try:
            with conn.transaction(), conn.cursor(name="atlas_extras") as cursor:
                cursor.execute(sql.SQL("SELECT extra FROM incidents WHERE ({}) AND extra IS NOT NULL "
                                       "ORDER BY event_date, event_id").format(clause), params)
                while True:
                    batch = cursor.fetchmany(rows)
                    if not batch:
                        return
                    yield [row[0] for row in batch]
        except psycopg.Error as exc:
            raise StoreError(f"{redact(self.db)}: could not read incidents: {_reason(exc)}") from None
        finally:
            conn.close()

    def count_matching(self, filters: Filters | None = None) -> int:
        """Number of incidents passing ``filters`` (one SQL count)."""
        from psycopg import sql

        clause, params = _pg_filters.where(filters)
        return int(self._fetch(sql.SQL("SELECT count(*) FROM incidents WHERE {}").format(clause), params)[0][0])

    def estimate_matching(self, filters: Filters | None = None) -> int:
        """The planner's estimate of :meth:`count_matching` (no row is read: planning only)."""
        from psycopg import sql

        clause, params = _pg_filters.where(filters)
        plan = self._fetch(sql.SQL("EXPLAIN (FORMAT JSON) SELECT 1 FROM incidents WHERE {}").format(clause),
                           params)[0][0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])

    def count(self) -> int:
        """Number of incidents stored."""
        return int(self._fetch("SELECT count(*) FROM incidents", [])[0][0])

    def change_marker(self) -> str:
        """A value that changes whenever the database may have changed (for caches keyed on it).

        It is the server's next transaction id: every committed import took one, read-only queries take
        none. Writes elsewhere in the same PostgreSQL cluster change it too (a needless refresh, never a
        stale answer). Cheap: no table is read.
        """
        return str(self._fetch("SELECT pg_snapshot_xmax(pg_current_snapshot())::text", [])[0][0])

    def _fetch(self, query, params: list) -> list[tuple]:
        return self._query(lambda conn: conn.execute(query, params).fetchall(), "query failed")

    def _fetch_grouping(self, query, params: list) -> list[tuple]:
        """:meth:`_fetch` tuned for one GROUPING SETS aggregation, for this statement only: all sets hashed
        in one pass (:data:`GROUPING_WORK_MEM`, no sorts; a sort per set spilled to disk and cost 2-4x)
        and no JIT (compiling a 1M-row plan took ~7 s, the query itself ~3 s; bench/export.py part 2)."""
        def run(conn) -> list[tuple]:
            with conn.transaction():
                conn.execute(f"SET LOCAL work_mem = '{GROUPING_WORK_MEM}'")
                conn.execute("SET LOCAL jit = off")
                conn.execute("SET LOCAL enable_sort = off")
                return conn.execute(query, params).fetchall()

        return self._query(run, "query failed")

    # -- the dashboard's numbers for one filter state (geo.ui.server_view) --------------------------------
    def view_stats(self, filters: Filters | None = None) -> "_pg_view.Stats":
        """Incidents, fatalities, event-date span and coordinate extent of the filtered set (one scan)."""
        clause, params = _pg_filters.where(filters)
        return _pg_view.stats(self._fetch, clause, params)

    def view_numbers(self, filters: Filters | None = None,
                     cells: "_pg_view.CellsRequest | None" = None) -> "_pg_view.ViewNumbers":
        """Stats, actor and governorate counts and the daily timeline of the filtered set, from one
        statement that reads the matching rows once (see :func:`geo.store._pg_view.numbers`).

        ``cells=(cell_deg, (west, south, east, north))`` adds the map's cells in that box to the same
        statement: ``.cells`` equals ``cell_type_counts(filters narrowed to the box, cell_deg)``."""
        clause, params = _pg_filters.where(filters)
        return _pg_view.numbers(self._fetch_grouping, clause, params, cells)

    def summary(self, filters: Filters | None = None, *, top: int = 3, stats: "_pg_view.Stats | None" = None):
        """The metrics row, computed in SQL: equal to ``geo.query.summarize(self.read(filters), top=top)``.
        ``stats``: :meth:`view_stats` of the same filters when the caller has them (an empty set then
        costs no further query)."""
        from geo.query.summary import Summary

        if stats is not None and not stats.incidents:
            return Summary(0, 0, None, None, (), ())
        return self.view_numbers(filters).summary(top)

    def timeline(self, filters: Filters | None = None, granularity: str = "week") -> pd.DataFrame:
        """Incidents per day/week and event type, grouped in SQL: ``geo.query.timeline(self.read(filters))``."""
        clause, params = _pg_filters.where(filters)
        return _pg_view.timeline(self._fetch, clause, params, granularity)

    def read_recent(self, filters: Filters | None = None, limit: int = 20_000) -> "gpd.GeoDataFrame":
        """The newest ``limit`` incidents passing ``filters`` (a table page), newest first."""
        from geo.store.frames import empty_frame

        clause, params = _pg_filters.where(filters)
        data = self._copy_out(_pg_view.recent_query(_pg_frames.select_list(), clause, limit), params,
                              _pg_frames.NULL_MARK)
        return _pg_frames.frame_from_csv(data, _pg_frames.NULL_MARK) if data else empty_frame()

    # -- aggregations for the density view ---------------------------------------------------------------
    def counts_by_admin1(self, filters: Filters | None = None) -> pd.DataFrame:
        """Incidents and fatalities per governorate, computed in SQL.

        Same columns, values and order as ``geo.query.region_counts(self.read(filters))``:
        ``admin1_iso``, ``name``, ``incidents``, ``fatalities``, most incidents first.
        """
        from psycopg import sql

        from geo.admin1 import all_admin1

        clause, params = _pg_filters.where(filters)
        names = {unit.iso: unit.name for unit in all_admin1()}
        # Governorates outside data/admin1.csv are named after their first row's admin1, as geo.query does;
        # the FILTER keeps that ordered aggregate small.
        query = sql.SQL("""
            SELECT upper(coalesce(admin1_iso, '')) AS iso, count(*), coalesce(sum(fatalities), 0),
                   (array_agg(admin1 ORDER BY event_date, event_id)
                        FILTER (WHERE admin1 IS NOT NULL AND upper(coalesce(admin1_iso, '')) <> ALL(%s)))[1]
            FROM incidents WHERE {} GROUP BY 1""").format(clause)
        rows = self._fetch(query, [sorted(names), *params])
        return _pg_view.region_frame(rows, names)

    def facets(self, filters: Filters | None = None) -> dict:
        """Filter options with counts, computed in SQL without loading incidents.

        Same dict as ``geo.query.facets(self.read(filters))``: ``incidents``, ``actors`` (any position,
        once per incident), ``types``, ``kinds``, ``sources`` (``;``-separated names split),
        ``precisions`` (keyed "1".."3"), ``regions`` (as :meth:`counts_by_admin1`) and ``dates``
        (first event date, last end date) or None when nothing matches.
        """
        from psycopg import sql

        from geo.query.counts import sorted_counts

        clause, params = _pg_filters.where(filters)
        # One scan: counts per distinct value of each single-valued column (GROUPING SETS), the date
        # bounds, and the distinct actor/source cell combinations (few), which are split into names
        # in SQL afterwards so that each incident counts once per name.
        scan = sql.SQL("""
            SELECT GROUPING(event_type, kind, geo_precision, actors, source, admin2) AS g,
                   btrim(event_type, {ws}), btrim(kind, {ws}), geo_precision::text, actors, source,
                   btrim(admin2, {ws}), count(*), min(event_date), max(greatest(event_date, date_end))
            FROM (SELECT event_type, kind, geo_precision, source, admin2, event_date, date_end,
                         concat_ws(chr(31), actor1, assoc_actor_1, actor2, assoc_actor_2) AS actors
                  FROM incidents WHERE {where}) AS matched
            GROUP BY GROUPING SETS ((event_type), (kind), (geo_precision), (actors), (source), (admin2), ())
        """).format(where=clause, ws=sql.Literal(_WHITESPACE))
        rows = self._fetch(scan, params)
        every = 0b111111  # GROUPING() bit per column, event_type highest; a set's own column bit is 0
        by_set: dict[int, list[tuple]] = {}
        for row in rows:
            by_set.setdefault(int(row[0]), []).append(row)
        total_row = by_set.get(every, [(None,) * 10])[0]
        total = int(total_row[7] or 0)

        def simple(bit: int, index: int) -> "pd.Series":
            counts: dict[str, int] = {}
            for row in by_set.get(every ^ bit, []):
                if row[index] is not None and row[index] != "":
                    counts[row[index]] = counts.get(row[index], 0) + int(row[7])
            return sorted_counts(counts)

        def split(bit: int, index: int, sep: str) -> "pd.Series":
            counts: dict[str, int] = {}
            for row in by_set.get(every ^ bit, []):
                names = {name.strip() for cell in (row[index] or "").split(sep) for name in cell.split(";")}
                names.discard("")
                for name in names:
                    counts[name] = counts.get(name, 0) + int(row[7])
            return sorted_counts(counts)

        first, last = total_row[8], total_row[9]
        return {
            "incidents": total,
            "actors": split(0b000100, 4, "\x1f"),
            "types": simple(0b100000, 1),
            "kinds": simple(0b010000, 2),
            "regions": self.counts_by_admin1(filters),
            "districts": simple(0b000001, 6),
            "sources": split(0b000010, 5, "\x1f"),
            "precisions": simple(0b001000, 3),
            "dates": (first, max(first, last or first)) if total and first is not None else None,
        }

    def grid_counts(self, filters: Filters | None = None, cell_deg: float = 0.25) -> "gpd.GeoDataFrame":
        """Square-grid density computed in SQL: cells ``cell_deg`` degrees wide, aligned to its multiples.

        Same cells and counts as ``geo.query.grid_counts(self.read(filters), cell_deg)``: a GeoDataFrame
        with ``incidents`` (> 0) and the cell polygon, most incidents first.
        """
        import geopandas as gpd
        from psycopg import sql
        from shapely import box

        if not cell_deg > 0:
            raise ValueError("cell_deg must be positive")
        clause, params = _pg_filters.where(filters)
        query = sql.SQL("""
            SELECT floor(longitude / %s)::bigint AS ix, floor(latitude / %s)::bigint AS iy, count(*)
            FROM incidents WHERE {} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2""").format(clause)
        rows = self._fetch(query, [float(cell_deg), float(cell_deg), *params])
        counts = pd.Series([r[2] for r in rows], dtype="int64", name="incidents")
        geoms = [box(x * cell_deg, y * cell_deg, (x + 1) * cell_deg, (y + 1) * cell_deg) for x, y, _ in rows]
        return gpd.GeoDataFrame(counts.to_frame(), geometry=geoms, crs="EPSG:4326")

    def cell_type_counts(self, filters: Filters | None = None, cell_deg: float = 0.25) -> pd.DataFrame:
        """Incidents per grid cell and event type grouped in SQL (``floor`` binning, one GROUP BY): the
        same table as :func:`geo.query.cells.cell_type_counts` of ``self.read(filters)``; only the cells
        travel to the client, however many incidents pass the filters."""
        from psycopg import sql

        from geo.query.cells import CELL_COLUMNS, empty_cells

        if not cell_deg > 0:
            raise ValueError("cell_deg must be positive")
        clause, params = _pg_filters.where(filters)
        query = sql.SQL("""
            SELECT floor(longitude / %s)::bigint, floor(latitude / %s)::bigint, coalesce(event_type, ''),
                   count(*), sum(latitude), sum(longitude)
            FROM incidents WHERE ({}) AND latitude IS NOT NULL AND longitude IS NOT NULL
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""").format(clause)
        rows = self._fetch(query, [float(cell_deg), float(cell_deg), *params])
        if not rows:
            return empty_cells()
        out = pd.DataFrame(rows, columns=list(CELL_COLUMNS))
        return out.astype({"ix": "int64", "iy": "int64", "incidents": "int64", "lat_sum": "float64",
                           "lon_sum": "float64"})

    # -- writing -----------------------------------------------------------------------------------------
    def upsert(self, frame: pd.DataFrame) -> "UpsertResult":
        """Insert new incidents and replace those with the same ``event_id``, in one transaction.

        The rows are validated and typed exactly as the embedded store does (``geo.store.prepare_frame``);
        any failure rolls the whole import back and raises :class:`StoreError`.
        """
        import psycopg

        from geo.store.frames import prepare_frame
        from geo.store.protocol import UpsertResult

        prepared = prepare_frame(frame)
        if prepared.empty:
            return UpsertResult(0, 0)
        for attempt in range(RETRIES + 1):
            try:
                with self._lock:
                    self._live_connection()
                    added, updated = self._merge(prepared)
                    if added + updated >= ANALYZE_ROWS:
                        self._analyze()
                return UpsertResult(added=added, updated=updated)
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == RETRIES:
                    raise StoreError(f"{redact(self.db)}: import kept colliding with other writers; "
                                     "nothing was written, try again") from None
            except psycopg.OperationalError as exc:
                if not self._conn.broken:
                    raise StoreError(f"{redact(self.db)}: import failed, nothing was written: "
                                     f"{_reason(exc)}") from None
                if self._committing:  # the server may or may not have committed before the line dropped
                    raise StoreError(f"{redact(self.db)}: connection lost while committing an import; "
                                     "run it again to be sure (re-importing changes nothing)") from None
                if attempt == RETRIES:
                    raise StoreError(f"{redact(self.db)}: connection lost, nothing was written: "
                                     f"{_reason(exc)}") from None
            except psycopg.Error as exc:
                raise StoreError(f"{redact(self.db)}: import failed, nothing was written: {_reason(exc)}") from None
        raise AssertionError("unreachable")

    def _merge(self, prepared: pd.DataFrame) -> tuple[int, int]:
        names = ", ".join(f'"{c}"' for c in COLUMNS)
        updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in COLUMNS if c != "event_id")
        self._committing = False
        with self._conn.transaction():
            self._conn.execute(f"CREATE TEMP TABLE incoming ON COMMIT DROP AS "
                               f"SELECT {names} FROM {TABLE} WITH NO DATA")
            with self._conn.cursor() as cursor:
                with cursor.copy(f"COPY incoming ({names}) FROM STDIN") as copy:
                    for row in _pg_frames.copy_rows(prepared):
                        copy.write_row(row)
            self._before_merge()
            # Sorting by key makes concurrent writers lock rows in the same order (no deadlock cycles).
            row = self._conn.execute(f"""
                WITH merged AS (
                    INSERT INTO {TABLE} ({names}) SELECT {names} FROM incoming ORDER BY event_id
                    ON CONFLICT (event_id) DO UPDATE SET {updates}
                    RETURNING (xmax = 0) AS inserted)
                SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged
            """).fetchone()
            self._committing = True  # leaving the block sends COMMIT
        return int(row[0]), int(row[1])

    def _analyze(self) -> None:
        """Refresh planner statistics after a large import so the next filters pick the right indexes
        (autovacuum would too, but only after a while). Best effort: non-owners are skipped by PostgreSQL."""
        import psycopg

        try:
            self._conn.execute(f"ANALYZE {TABLE}")
        except psycopg.Error:
            pass

    def _before_merge(self) -> None:
        """Hook between loading and merging (tests use it to fail an import half-way)."""

    # -- life cycle --------------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "PostgisStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostgisStore({redact(self.db)!r})"


def open_postgis(db: str, *, migrate: bool = True) -> PostgisStore:
    """Open the PostGIS store at ``db`` (a ``postgresql://`` URL), creating/upgrading its schema if needed.

    With ``migrate=False`` an out-of-date schema raises :class:`StoreError` instead (e.g. for read-only roles).
    """
    if not is_server_url(db):
        raise StoreError(f"{db!r} is not a postgresql:// URL")
    return PostgisStore(db, migrate=migrate)
