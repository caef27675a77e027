"""The dashboard's numbers for one filter state, computed in PostgreSQL (no incident rows travel).

Each function takes the open connection-runner of :class:`geo.store.postgis.PostgisStore` (``fetch(query,
params) -> rows``) and a ``WHERE`` clause from :mod:`geo.store._pg_filters`, and returns exactly what
:mod:`geo.query` computes from the rows passing the same filters:

* :func:`stats` — incidents, fatalities, first/last event date and the coordinates' extent, one scan;
* :func:`actor_counts` — like ``geo.query.counts.actor_counts`` (each incident once per actor);
* :func:`timeline` — like ``geo.query.timeline`` (day or Monday-week periods × event type);
* :func:`recent_query` — the newest rows first, for the table's page;
* :func:`numbers` — all of the above but the page in one statement (:class:`ViewNumbers`): the filtered
  rows are read once (one GROUPING SETS aggregation), only the small per-value counts travel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd
from psycopg import sql

Fetch = Callable[[sql.Composable, list], "list[tuple]"]


@dataclass(frozen=True)
class Stats:
    """Totals of a filtered set (dates are event dates; the extent is None when nothing matches)."""

    incidents: int
    fatalities: int
    first_date: dt.date | None
    last_date: dt.date | None
    extent: tuple[float, float, float, float] | None  # south, west, north, east


# GROUPING(actors, iso, event_date, etype) of each grouping set below (a set's own columns' bits are 0).
_ACTORS, _REGIONS, _DAYS, _TOTAL = 0b0111, 0b1011, 0b1100, 0b1111

# One read of the filtered rows: totals, governorates, days x type, the distinct actor-cell combinations
# and, when asked, the map's cells x type inside a box, grouped at once. The combinations (many in
# large sets) are split into names here, as actor_counts does: in SQL the split cost more than the whole
# aggregation (bench/export.py part 2). The name of a governorate outside data/admin1.csv is the admin1
# of its first row in read order (event_date, event_id), as geo.query does: the smallest
# [date, id, admin1] (no ordered aggregate, so that all grouping sets are hashed in the one pass).
_NUMBERS = """
SELECT GROUPING(actors, iso, event_date, etype), {cells_grouping}, coalesce(actors, iso), event_date, etype,
       count(*), coalesce(sum(fatalities), 0), min(event_date), max(event_date),
       min(latitude), min(longitude), max(latitude), max(longitude),
       (min(ARRAY[to_char(event_date, 'YYYY-MM-DD'), event_id, admin1])
            FILTER (WHERE admin1 IS NOT NULL AND iso <> ALL({known})))[3],
       {cells_keys}, sum(latitude), sum(longitude)
FROM (SELECT concat_ws(chr(31), coalesce(actor1, ''), coalesce(assoc_actor_1, ''), coalesce(actor2, ''),
                       coalesce(assoc_actor_2, '')) AS actors,
             upper(coalesce(admin1_iso, '')) AS iso, event_date,
             coalesce(nullif(event_type, ''), 'Unknown') AS etype, fatalities, latitude, longitude,
             admin1, event_id{cells_columns}
      FROM {source}) AS m
GROUP BY GROUPING SETS ((actors), (iso), (event_date, etype), (){cells_set})
"""
# The cells of PostgisStore.cell_type_counts for the rows inside the box (the BETWEENs of the bbox filter).
_CELLS_COLUMNS = """,
             CASE WHEN inside THEN floor(longitude / {deg})::bigint END AS ix,
             CASE WHEN inside THEN floor(latitude / {deg})::bigint END AS iy,
             CASE WHEN inside THEN coalesce(event_type, '') END AS ctype"""
_CELLS_SOURCE = """(SELECT *, (longitude BETWEEN {west} AND {east} AND latitude BETWEEN {south} AND {north}) AS inside
            FROM incidents WHERE {where}) AS boxed"""

#: A request for the map's cells with the numbers: ``(cell_deg, (west, south, east, north))``.
CellsRequest = "tuple[float, tuple[float, float, float, float]]"


@dataclass(frozen=True)
class ViewNumbers:
    """Everything the dashboard shows of one filter state except rows, from one statement (:func:`numbers`)."""

    stats: Stats
    actors: pd.Series  # incidents per actor name, facet order
    regions: pd.DataFrame  # as PostgisStore.counts_by_admin1
    days: pd.DataFrame  # period (day), event_type, incidents: timeline(..., "day")
    cells: pd.DataFrame | None = None  # cell_type_counts of the rows inside cells_for's box, if asked
    cells_for: "tuple | None" = None  # the CellsRequest they answer

    def summary(self, top: int = 3):
        """``geo.query.summarize`` of the rows."""
        from geo.query.summary import Summary

        if not self.stats.incidents:
            return Summary(0, 0, None, None, (), ())
        return Summary(incidents=self.stats.incidents, fatalities=self.stats.fatalities,
                       first_date=self.stats.first_date, last_date=self.stats.last_date,
                       top_actors=tuple((str(k), int(v)) for k, v in self.actors.head(top).items()),
                       top_regions=tuple((str(r.name), int(r.incidents)) for r in self.regions.head(top).itertuples()))

    def timeline(self, granularity: str = "week") -> pd.DataFrame:
        """``geo.query.timeline`` of the rows (weeks start on Monday)."""
        if granularity not in {"day", "week"}:
            raise ValueError(f"granularity must be 'day' or 'week', not {granularity!r}")
        if granularity == "day" or self.days.empty:
            return self.days.copy()
        weeks = self.days.assign(period=self.days["period"] - pd.to_timedelta(self.days["period"].dt.day_of_week, "D"))
        out = weeks.groupby(["period", "event_type"], sort=True, as_index=False)["incidents"].sum()
        return out.astype({"event_type": object, "incidents": "int64"}).reset_index(drop=True)


def numbers(fetch: Fetch, clause: sql.Composable, params: list, cells: "CellsRequest | None" = None) -> ViewNumbers:
    """:class:`ViewNumbers` of the incidents passing ``clause``: one statement, one read of the rows;
    with ``cells`` also their map cells (as ``cell_type_counts`` of the filters narrowed to the box)."""
    from geo.admin1 import all_admin1
    from geo.query.cells import CELL_COLUMNS, empty_cells
    from geo.query.counts import sorted_counts

    names = {unit.iso: unit.name for unit in all_admin1()}
    if cells is None:
        parts = {"cells_grouping": sql.SQL("1"), "cells_keys": sql.SQL("NULL::bigint, NULL::bigint, NULL::text"),
                 "cells_columns": sql.SQL(""), "cells_set": sql.SQL(""),
                 "source": sql.SQL("incidents WHERE {}").format(clause)}
    else:
        deg, (west, south, east, north) = float(cells[0]), (float(v) for v in cells[1])
        if not deg > 0:
            raise ValueError("cell_deg must be positive")
        parts = {"cells_grouping": sql.SQL("GROUPING(ix, iy, ctype)"), "cells_keys": sql.SQL("ix, iy, ctype"),
                 "cells_columns": sql.SQL(_CELLS_COLUMNS).format(deg=sql.Literal(deg)),
                 "cells_set": sql.SQL(", (ix, iy, ctype)"),
                 "source": sql.SQL(_CELLS_SOURCE).format(west=sql.Literal(west), east=sql.Literal(east),
                                                         south=sql.Literal(south), north=sql.Literal(north),
                                                         where=clause)}
    query = sql.SQL(_NUMBERS).format(known=sql.Placeholder(), **parts)
    values = [sorted(names), *params]
    rows = fetch(query, values)
    # row: 0 grouping, 1 cells grouping, 2 actors/iso, 3 day, 4 type, 5 n, 6 fatalities, 7 first, 8 last,
    # 9-12 extent, 13 name, 14 ix, 15 iy, 16 cell type, 17 latitude sum, 18 longitude sum
    mine = [r for r in rows if r[1] != 0]
    total = next((r for r in mine if r[0] == _TOTAL), None)
    if total is None or not total[5]:
        stats_ = Stats(0, 0, None, None, None)
    else:
        extent = None if total[9] is None else tuple(float(v) for v in total[9:13])
        stats_ = Stats(int(total[5]), int(total[6]), total[7], total[8], extent)
    actors = sorted_counts(_split_combos((r[2], r[5]) for r in mine if r[0] == _ACTORS))
    regions = region_frame([(r[2], r[5], r[6], r[13]) for r in mine if r[0] == _REGIONS], names)
    days = [r for r in mine if r[0] == _DAYS]
    out = pd.DataFrame({"period": pd.Series([r[3] for r in days], dtype="datetime64[ns]"),
                        "event_type": pd.Series([r[4] for r in days], dtype=object),
                        "incidents": pd.Series([r[5] for r in days], dtype="int64")})
    out = out.sort_values(["period", "event_type"], kind="stable").reset_index(drop=True)
    cell_frame = None
    if cells is not None:
        found = [(r[14], r[15], r[16], r[5], r[17], r[18]) for r in rows if r[1] == 0 and r[14] is not None]
        cell_frame = empty_cells() if not found else pd.DataFrame(found, columns=list(CELL_COLUMNS)).astype(
            {"ix": "int64", "iy": "int64", "incidents": "int64", "lat_sum": "float64",
             "lon_sum": "float64"}).sort_values(["ix", "iy", "event_type"], kind="stable").reset_index(drop=True)
    return ViewNumbers(stats_, actors, regions, out, cell_frame, cells)


def _split_combos(rows) -> dict[str, int]:
    """``(actor1, assoc_actor_1, actor2, assoc_actor_2 joined by \\x1f, incidents)`` -> incidents per name,
    each incident once per name (``;``-separated names, stripped as Python strips)."""
    counts: dict[str, int] = {}
    for combo, n in rows:
        names = {name.strip() for cell in combo.split("\x1f") for name in cell.split(";")}
        names.discard("")
        for name in names:
            counts[name] = counts.get(name, 0) + int(n)
    return counts


def region_frame(rows: "list[tuple]", names: dict[str, str]) -> pd.DataFrame:
    """``(iso, incidents, fatalities, first admin1 name)`` rows as ``geo.query.region_counts`` orders them."""
    columns = ["admin1_iso", "name", "incidents", "fatalities"]
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame({
        "admin1_iso": [r[0] for r in rows],
        "name": [names.get(r[0]) or r[3] or (r[0] or "Unknown") for r in rows],
        "incidents": pd.Series([r[1] for r in rows], dtype="int64"),
        "fatalities": pd.Series([r[2] for r in rows], dtype="int64"),
    })
    out = out.sort_values(["admin1_iso"], kind="stable")
    out = out.sort_values(["incidents", "name"], ascending=[False, True], kind="stable")
    return out[columns].reset_index(drop=True)


def stats(fetch: Fetch, clause: sql.Composable, params: list) -> Stats:
    """:class:`Stats` of the incidents passing ``clause``."""
    row = fetch(sql.SQL("""
        SELECT count(*), coalesce(sum(fatalities), 0), min(event_date), max(event_date),
               min(latitude), min(longitude), max(latitude), max(longitude)
        FROM incidents WHERE {}""").format(clause), params)[0]
    extent = None if row[4] is None else (float(row[4]), float(row[5]), float(row[6]), float(row[7]))
    return Stats(int(row[0]), int(row[1]), row[2], row[3], extent)


def actor_counts(fetch: Fetch, clause: sql.Composable, params: list) -> pd.Series:
    """Incidents per actor name (any of the four actor columns, ``;``-separated names, each incident
    once per name), most first, ties alphabetical: the distinct combinations are grouped in SQL and only
    those (few) are split here."""
    from geo.query.counts import sorted_counts

    rows = fetch(sql.SQL("""
        SELECT concat_ws(chr(31), coalesce(actor1, ''), coalesce(assoc_actor_1, ''), coalesce(actor2, ''),
                         coalesce(assoc_actor_2, '')), count(*)
        FROM incidents WHERE {} GROUP BY 1""").format(clause), params)
    return sorted_counts(_split_combos(rows))


def timeline(fetch: Fetch, clause: sql.Composable, params: list, granularity: str) -> pd.DataFrame:
    """Incidents per period and event type, as ``geo.query.timeline`` of the rows."""
    if granularity not in {"day", "week"}:
        raise ValueError(f"granularity must be 'day' or 'week', not {granularity!r}")
    period = sql.SQL("date_trunc('week', event_date)::date" if granularity == "week" else "event_date")
    rows = fetch(sql.SQL("""
        SELECT {}, coalesce(nullif(event_type, ''), 'Unknown'), count(*)
        FROM incidents WHERE {} GROUP BY 1, 2""").format(period, clause), params)
    out = pd.DataFrame({"period": pd.Series([r[0] for r in rows], dtype="datetime64[ns]"),
                        "event_type": pd.Series([r[1] for r in rows], dtype=object),
                        "incidents": pd.Series([r[2] for r in rows], dtype="int64")})
    return out.sort_values(["period", "event_type"], kind="stable").reset_index(drop=True)


def recent_query(select_list: str, clause: sql.Composable, limit: int) -> sql.Composable:
    """The newest ``limit`` incidents passing ``clause`` (newest first)."""
    return sql.SQL("SELECT {} FROM incidents WHERE {} ORDER BY event_date DESC, event_id DESC LIMIT {}").format(
        sql.SQL(select_list), clause, sql.Literal(int(limit)))
