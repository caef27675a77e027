"""Translate :class:`geo.filters.Filters` into a SQL ``WHERE`` clause over the ``incidents`` table.

:data:`TRANSLATIONS` holds one translator per field declared in :data:`geo.filters.FIELDS`; :func:`where`
refuses a filter with a field it has no translator for (a :class:`StoreError`), so a field added to the
declaration can never be silently ignored on PostGIS. The clause selects exactly the rows
``Filters.apply`` keeps on the same data (case-insensitive matches use PostgreSQL's ``lower`` where
Python uses ``casefold``; they differ only for a few letters such as "ß"). Each condition is written so
that an index of the migrations can serve it.
"""

from __future__ import annotations

import math
from typing import Callable

from psycopg import sql

from geo.errors import StoreError
from geo.filters import Filters, region_isos

_TRUE = sql.SQL("TRUE")

#: ``(filters) -> (clause, params)`` or None when another field's translator already covered it.
Translator = Callable[[Filters], "tuple[sql.Composable, list] | None"]


def _lower_array(values) -> tuple[sql.Composable, list]:
    # ARRAY[lower($1), ...] is folded into a constant when the statement is planned, so the planner sees
    # the values and estimates from the column's statistics (a sub-SELECT hid them: 1,000 rows guessed).
    values = list(values)
    items = sql.SQL(", ").join(sql.SQL("lower({}::text)").format(sql.Placeholder()) for _ in values)
    return sql.SQL("ARRAY[{}]::text[]").format(items), values


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _both_dates(filters: Filters) -> bool:
    return bool(filters.since and filters.until and filters.since <= filters.until)


# [event_date, date_end] must reach since and start by until; a NULL range bound is unbounded. With both
# bounds in order one range test does both (one index probe); since > until keeps events spanning them.
def _since(filters: Filters):
    if _both_dates(filters):
        return sql.SQL("period && daterange(%s::date, %s::date, '[]')"), [filters.since, filters.until]
    return sql.SQL("period && daterange(%s::date, NULL, '[]')"), [filters.since]


def _until(filters: Filters):
    if _both_dates(filters):
        return None  # covered by _since
    return sql.SQL("period && daterange(NULL, %s::date, '[]')"), [filters.until]


def _keys(column: str, attr: str) -> Translator:
    """Overlap of a lower-cased key array column (actor_keys, type_keys, source_keys) with the values."""
    def translate(filters: Filters):
        array, params = _lower_array(getattr(filters, attr))
        return sql.SQL("{} && {}").format(sql.Identifier(column), array), params

    return translate


def _regions(filters: Filters):
    return sql.SQL("upper(admin1_iso) = ANY(%s::text[])"), [sorted(region_isos(filters.regions))]


def _districts(filters: Filters):
    array, params = _lower_array(sorted({d.strip() for d in filters.districts}))
    return sql.SQL("lower(admin2) = ANY({})").format(array), params


def _precisions(filters: Filters):
    return sql.SQL("geo_precision = ANY(%s::integer[])"), [[int(p) for p in filters.precisions]]


def _text(filters: Filters):
    from geo.store._pg_search import text_clause  # the folding of geo.search, in SQL

    return text_clause(filters.text)


def _bbox(filters: Filters):
    west, south, east, north = (float(v) for v in filters.bbox)
    if any(math.isnan(v) for v in (west, south, east, north)) or west > east or south > north:
        return sql.SQL("FALSE"), []
    # The index compares single-precision boxes; the BETWEENs make the edges exact.
    return (sql.SQL("geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND longitude BETWEEN %s AND %s "
                    "AND latitude BETWEEN %s AND %s"), [west, south, east, north, west, east, south, north])


#: The PostGIS translation of every declared filter field, by field name.
TRANSLATIONS: dict[str, Translator] = {
    "since": _since,
    "until": _until,
    "actors": _keys("actor_keys", "actors"),
    "types": _keys("type_keys", "types"),
    "sources": _keys("source_keys", "sources"),
    "regions": _regions,
    "districts": _districts,
    "precisions": _precisions,
    "text": _text,
    "bbox": _bbox,
}


def where(filters: Filters | None) -> tuple[sql.Composable, list]:
    """``(clause, params)``: a boolean SQL expression with ``%s`` placeholders, and their values.

    Raises :class:`StoreError` when ``filters`` sets a field that has no translator here.
    """
    if filters is None or filters.is_empty():
        return _TRUE, []
    parts: list[sql.Composable] = []
    params: list = []
    for spec, _value in filters.active():
        translate = TRANSLATIONS.get(spec.name)
        if translate is None:
            raise StoreError(f"the PostGIS store cannot filter by {spec.name!r} (no SQL translation)")
        found = translate(filters)
        if found is not None:
            parts.append(found[0])
            params.extend(found[1])
    if not parts:
        return _TRUE, []
    return sql.SQL(" AND ").join(sql.SQL("({})").format(p) for p in parts), params
