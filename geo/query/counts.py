"""Facets: option lists with counts for the filter widgets, computed from a (filtered) incident frame.

Stores that count in SQL return the same dict from ``store.facets(filters)`` (see
:class:`geo.store.protocol.IncidentStore`); :func:`sorted_counts` gives them the same order.
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping

import numpy as np
import pandas as pd

from geo.filters import ACTOR_COLUMNS
from geo.query.density import region_counts


def actor_counts(frame: pd.DataFrame) -> pd.Series:
    """Incidents per actor, counting every actor position (actor1/2 and associated actors) once per incident.

    Returns a Series indexed by actor name, largest first (ties alphabetical).
    """
    return _multi_column_counts(frame, [c for c in ACTOR_COLUMNS if c in frame])


def _multi_column_counts(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Rows per name over ``columns`` holding ``;``-separated names, each row counted once per name.

    Rows are grouped by their distinct combination of cell values first, so only the (few) distinct
    combinations are split into names.
    """
    if not columns or not len(frame):
        return pd.Series(dtype="int64", name="incidents")
    combined = frame[columns[0]].astype("object").fillna("").astype(str)
    for column in columns[1:]:
        combined = combined + "\x1f" + frame[column].astype("object").fillna("").astype(str)
    codes, combos = pd.factorize(combined)
    per_combo = np.bincount(codes, minlength=len(combos))
    totals: dict[str, int] = {}
    for combo, n in zip(combos, per_combo):
        names = {name.strip() for cell in combo.split("\x1f") for name in cell.split(";")}
        names.discard("")
        for name in names:
            totals[name] = totals.get(name, 0) + int(n)
    return _sorted_counts(pd.Series(totals, dtype="int64"))


def _sorted_counts(counts: pd.Series) -> pd.Series:
    out = counts[counts > 0].rename("incidents").rename_axis(None).astype("int64")
    keys = pd.DataFrame({"n": -out.to_numpy(), "k": [str(k).casefold() for k in out.index]})
    order = keys.sort_values(["n", "k"], kind="stable").index
    return out.iloc[order]


def value_counts(frame: pd.DataFrame, column: str, *, split: bool = False) -> pd.Series:
    """Incidents per distinct value of ``column`` (``split``: the column holds ``;``-separated values)."""
    if column not in frame or not len(frame):
        return pd.Series(dtype="int64", name="incidents")
    if split:
        return _multi_column_counts(frame, [column])
    values = frame[column].dropna().astype(str).str.strip()
    return _sorted_counts(values[values != ""].value_counts())


def sorted_counts(counts: Mapping[str, int]) -> pd.Series:
    """``name -> incidents`` as a Series in facet order: most incidents first, ties alphabetical
    (case-insensitive); zero counts dropped. Stores that count in SQL use it to match :func:`value_counts`."""
    return _sorted_counts(pd.Series(dict(counts), dtype="int64"))


#: Keys of a facets dict (see :func:`facets`).
FACET_KEYS = ("incidents", "actors", "types", "kinds", "regions", "districts", "sources", "precisions", "dates")


def facets(frame: pd.DataFrame) -> dict:
    """Option lists with counts for filter widgets, computed from loaded rows.

    Every store's ``facets(filters)`` returns this dict: ``incidents`` (int), ``actors``, ``types``
    (event types), ``kinds``, ``districts`` (``admin2``), ``sources`` and ``precisions`` (Series
    name -> incidents, as :func:`actor_counts` / :func:`value_counts`; precisions are indexed by
    "1".."3"), ``regions`` (:func:`geo.query.density.region_counts`) and ``dates`` (:func:`date_bounds`).
    """
    return {
        "incidents": int(len(frame)),
        "actors": actor_counts(frame),
        "types": value_counts(frame, "event_type"),
        "kinds": value_counts(frame, "kind"),
        "regions": region_counts(frame),
        "districts": value_counts(frame, "admin2"),
        "sources": value_counts(frame, "source", split=True),
        "precisions": value_counts(frame, "geo_precision"),
        "dates": date_bounds(frame),
    }


def label_with_count(name: str, counts: Mapping[str, int]) -> str:
    """``"name (12)"`` for a multiselect option."""
    return f"{name} ({int(counts.get(name, 0))})"


def date_bounds(frame: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First event date and last end date of ``frame`` (None when empty)."""
    if not len(frame):
        return None
    start = pd.to_datetime(frame["event_date"], errors="coerce")
    end = pd.to_datetime(frame["date_end"], errors="coerce").fillna(start) if "date_end" in frame else start
    if start.dropna().empty:
        return None
    return start.min().date(), max(end.max(), start.max()).date()
