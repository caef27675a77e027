"""Counting over a selection of :class:`geo.query.index.IncidentIndex` rows: facets, timeline, summary.

Each function returns exactly what its frame-based twin in :mod:`geo.query` returns for the selected
rows, but counts precomputed value codes of the selected positions (``np.bincount``) instead of
grouping the rows' text again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import numpy as np
import pandas as pd

from geo.admin1 import all_admin1
from geo.query.counts import sorted_counts
from geo.query.summary import Summary
from geo.query.timeline import timeline as frame_timeline


class IndexedRows(Protocol):
    """What the counting functions read of a :class:`geo.query.index.IncidentIndex`."""

    frame: pd.DataFrame
    start: np.ndarray
    end: np.ndarray
    fatalities: np.ndarray
    admin1_known: np.ndarray
    regions: Any
    actors: Any
    sources: Any
    shown: dict
    timeline_types: tuple[np.ndarray, list]

_EPOCH = dt.date(1970, 1, 1)


def _date(days: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(days))


def _simple(codes_labels: tuple[np.ndarray, list], positions: np.ndarray) -> pd.Series:
    codes, labels = codes_labels
    chosen = codes[positions]
    counts = np.bincount(chosen[chosen >= 0], minlength=len(labels))
    return sorted_counts({str(labels[i]): int(n) for i, n in enumerate(counts) if n})


def _listed(listed, positions: np.ndarray) -> pd.Series:
    counts = np.bincount(listed.codes[positions], minlength=len(listed.combos))
    per_name = np.bincount(listed.pair_name, weights=counts[listed.pair_combo], minlength=len(listed.names))
    return sorted_counts({listed.names[i]: int(per_name[i]) for i in np.flatnonzero(per_name)})


def region_counts(index: IndexedRows, positions: np.ndarray) -> pd.DataFrame:
    """As :func:`geo.query.density.region_counts` of the selected rows."""
    cols = ["admin1_iso", "name", "incidents", "fatalities"]
    if not len(positions):
        return pd.DataFrame(columns=cols)
    codes, labels = index.regions.codes, index.regions.labels
    chosen = codes[positions]
    incidents = np.bincount(chosen, minlength=len(labels))
    fatalities = np.bincount(chosen, weights=index.fatalities[positions], minlength=len(labels))
    names = {u.iso: u.name for u in all_admin1()}
    present = [i for i in np.flatnonzero(incidents)]
    out_names = []
    for i in present:
        iso = labels[i]
        name = names.get(iso)
        if not name:  # as geo.query: the first selected row's admin1 for codes outside data/admin1.csv
            rows = positions[(chosen == i) & index.admin1_known[positions]]
            name = index.frame["admin1"].iat[int(rows[0])] if len(rows) else None
        out_names.append(name or (iso or "Unknown"))
    out = pd.DataFrame({"admin1_iso": [labels[i] for i in present], "name": out_names,
                        "incidents": incidents[present].astype("int64"),
                        "fatalities": fatalities[present].astype("int64")})
    out = out.sort_values("admin1_iso", kind="stable")
    out = out.sort_values(["incidents", "name"], ascending=[False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def facets(index: IndexedRows, positions: np.ndarray) -> dict:
    """As :func:`geo.query.counts.facets` of the selected rows."""
    total = len(positions)
    dates = None
    if total:
        first = int(index.start[positions].min())
        last = max(int(index.end[positions].max()), int(index.start[positions].max()))
        dates = (_date(first), _date(last))
    return {
        "incidents": int(total),
        "actors": _listed(index.actors, positions),
        "types": _simple(index.shown["event_type"], positions),
        "kinds": _simple(index.shown["kind"], positions),
        "regions": region_counts(index, positions),
        "districts": _simple(index.shown["admin2"], positions),
        "sources": _listed(index.sources, positions),
        "precisions": _simple(index.shown["geo_precision"], positions),
        "dates": dates,
    }


def timeline(index: IndexedRows, positions: np.ndarray, granularity: str = "week") -> pd.DataFrame:
    """As :func:`geo.query.timeline.timeline` of the selected rows."""
    if granularity not in {"day", "week"}:
        raise ValueError(f"granularity must be 'day' or 'week', not {granularity!r}")
    if not len(positions):
        return frame_timeline(index.frame.iloc[:0], granularity)
    days = index.start[positions]
    if granularity == "week":
        days = days - (days + 3) % 7  # 1970-01-01 was a Thursday; weeks start on Monday
    codes, labels = index.timeline_types
    chosen = codes[positions].astype(np.int64)
    first = int(days.min())
    keys = (days - first) * len(labels) + chosen
    if int(keys.max()) < 4 * len(keys) + 1_000_000:  # counted by bincount: no sort of every row
        per_key = np.bincount(keys)
        keys = np.flatnonzero(per_key)
        counts = per_key[keys]
    else:  # a very long span of days: sort instead of a huge count array
        keys, counts = np.unique(keys, return_counts=True)
    keys = keys + first * len(labels)
    periods, types = np.divmod(keys, len(labels))
    out = pd.DataFrame({"period": (np.datetime64("1970-01-01", "D") + periods).astype("datetime64[ns]"),
                        "event_type": [str(labels[t]) for t in types],
                        "incidents": counts.astype("int64")})
    return out.sort_values(["period", "event_type"], kind="stable").reset_index(drop=True)


def summary(index: IndexedRows, positions: np.ndarray, top: int = 3) -> Summary:
    """As :func:`geo.query.summary.summarize` of the selected rows."""
    if not len(positions):
        return Summary(0, 0, None, None, (), ())
    actors = _listed(index.actors, positions).head(top)
    regions = region_counts(index, positions).head(top)
    return Summary(
        incidents=len(positions),
        fatalities=int(index.fatalities[positions].sum()),
        first_date=_date(index.start[positions].min()),
        last_date=_date(index.start[positions].max()),
        top_actors=tuple((str(k), int(v)) for k, v in actors.items()),
        top_regions=tuple((str(r.name), int(r.incidents)) for r in regions.itertuples()),
    )
