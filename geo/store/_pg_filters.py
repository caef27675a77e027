"""Translate :class:`geo.filters.Filters` into a SQL ``WHERE`` clause over the ``incidents`` table.

The clause selects exactly the rows ``Filters.apply`` keeps on the same data (case-insensitive matches use
PostgreSQL's ``lower`` where Python uses ``casefold``; they differ only for a few letters such as "ß").
Each condition is written so that an index of migration 0001 can serve it.
"""

from __future__ import annotations

import math

from psycopg import sql

from geo.filters import Filters

_TRUE = sql.SQL("TRUE")


def _lower_array(values) -> tuple[sql.Composable, list]:
    return sql.SQL("ARRAY(SELECT lower(v) FROM unnest({}::text[]) AS v)").format(sql.Placeholder()), [
        list(values)]


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where(filters: Filters | None) -> tuple[sql.Composable, list]:
    """``(clause, params)``: a boolean SQL expression with ``%s`` placeholders, and their values."""
    if filters is None or filters.is_empty():
        return _TRUE, []
    parts: list[sql.Composable] = []
    params: list = []

    def add(clause: str, *values, composed: sql.Composable | None = None) -> None:
        parts.append(composed if composed is not None else sql.SQL(clause))
        params.extend(values)

    # [event_date, date_end] must reach since and start by until; a NULL range bound is unbounded.
    if filters.since and filters.until and filters.since <= filters.until:
        add("period && daterange(%s::date, %s::date, '[]')", filters.since, filters.until)
    else:  # one bound, or since > until (which still keeps events spanning [until, since])
        if filters.since:
            add("period && daterange(%s::date, NULL, '[]')", filters.since)
        if filters.until:
            add("period && daterange(NULL, %s::date, '[]')", filters.until)
    for column, values in (("actor_keys", filters.actors), ("type_keys", filters.types),
                           ("source_keys", filters.sources)):
        if values:
            array, array_params = _lower_array(values)
            add("", *array_params, composed=sql.SQL("{} && {}").format(sql.Identifier(column), array))
    if filters.regions:
        add("upper(admin1_iso) = ANY(%s::text[])", sorted(filters.region_isos()))
    if filters.precisions:
        add("geo_precision = ANY(%s::integer[])", [int(p) for p in filters.precisions])
    if filters.text:
        add("atlas_search_text(notes, location) LIKE lower(%s)", _like_pattern(filters.text))
    if filters.bbox:
        west, south, east, north = (float(v) for v in filters.bbox)
        if any(math.isnan(v) for v in (west, south, east, north)) or west > east or south > north:
            add("FALSE")
        else:
            # The index compares single-precision boxes; the BETWEENs make the edges exact.
            add("geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND longitude BETWEEN %s AND %s "
                "AND latitude BETWEEN %s AND %s", west, south, east, north, west, east, south, north)
    if not parts:
        return _TRUE, []
    return sql.SQL(" AND ").join(sql.SQL("({})").format(p) for p in parts), params
