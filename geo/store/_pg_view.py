"""The dashboard's numbers for one filter state, computed in PostgreSQL (no incident rows travel).

Each function takes the open connection-runner of :class:`geo.store.postgis.PostgisStore` (``fetch(query,
params) -> rows``) and a ``WHERE`` clause from :mod:`geo.store._pg_filters`, and returns exactly what
:mod:`geo.query` computes from the rows passing the same filters:

* :func:`stats` — incidents, fatalities, first/last event date and the coordinates' extent, one scan;
* :func:`actor_counts` — like ``geo.query.counts.actor_counts`` (each incident once per actor);
* :func:`timeline` — like ``geo.query.timeline`` (day or Monday-week periods × event type);
* :func:`recent_query` — the newest rows first, for the table's page.
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
    counts: dict[str, int] = {}
    for combo, n in rows:
        names = {name.strip() for cell in combo.split("\x1f") for name in cell.split(";")}
        names.discard("")
        for name in names:
            counts[name] = counts.get(name, 0) + int(n)
    return sorted_counts(counts)


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
