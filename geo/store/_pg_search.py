"""The text filter on PostGIS: the same folding as :mod:`geo.search`, written in SQL.

Migration ``0003_search_fold.sql`` defines ``atlas_search_fold(notes, location)``: each step of
:func:`geo.search.fold_series` in SQL, with the very patterns that module exports (NFKD, dropped marks, lower
case, letter replacements, other characters to one space, articles removed twice, the Arabic article once, a
space either side), and a trigram index on it. :func:`function_sql` writes that function from the
constants of :mod:`geo.search`; a test checks the migration still says the same, so the backends cannot drift.
The query's variants (its other-script gazetteer names included) are computed in Python.
"""

from __future__ import annotations

from psycopg import sql

from geo import search


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fold_expr(column: str) -> str:
    expr = f"normalize(coalesce({column}, ''), NFKD)"
    expr = f"lower(regexp_replace({expr}, {_literal(search.DROPPED_CLASS)}, '', 'g'))"
    expr = (f"replace(replace(translate({expr}, {_literal(search.TRANSLATE_FROM)}, "
            f"{_literal(search.TRANSLATE_TO)}), 'ß', 'ss'), 'þ', 'th')")
    expr = f"btrim(regexp_replace({expr}, {_literal(search.OTHER_CLASS)}, ' ', 'g'), ' ')"
    for _ in range(2):
        expr = f"regexp_replace({expr}, {_literal(search.LATIN_ARTICLE)}, '\\1', 'g')"
    expr = f"regexp_replace({expr}, {_literal(search.ARABIC_ARTICLE)}, '\\1', 'g')"
    return f"' ' || {expr} || ' '"


def function_sql() -> str:
    """The ``CREATE FUNCTION atlas_search_fold`` statement of migration 0003 (generated from geo.search)."""
    return ("CREATE OR REPLACE FUNCTION atlas_search_fold(notes text, location text) RETURNS text\n"
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fold$\n"
            f"    SELECT ({_fold_expr('notes')}) || ({_fold_expr('location')})\n"
            "$fold$;")


def _like(variant: str) -> str:
    escaped = variant.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_clause(query: str) -> tuple[sql.Composable, list]:
    """``WHERE`` condition: the folded notes + location contain a folded variant of ``query`` (one ``LIKE``
    per variant, OR-ed, so the trigram index serves each)."""
    variants = search.query_variants(query)
    if not variants:
        return sql.SQL("FALSE"), []
    one = sql.SQL("atlas_search_fold(notes, location) LIKE %s")
    return sql.SQL("({})").format(sql.SQL(" OR ").join([one] * len(variants))), [_like(v) for v in variants]
