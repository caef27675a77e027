"""Headline numbers of a filtered incident set (the dashboard's metrics row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo.query.counts import actor_counts
from geo.query.density import region_counts


@dataclass(frozen=True)
class Summary:
    """Headline numbers of a filtered set."""

    incidents: int
    fatalities: int
    first_date: dt.date | None
    last_date: dt.date | None
    top_actors: tuple[tuple[str, int], ...]
    top_regions: tuple[tuple[str, int], ...]


def summarize(frame: pd.DataFrame, *, top: int = 3) -> Summary:
    """Incidents, fatalities, date span, and the ``top`` actors and governorates of ``frame``."""
    if not len(frame):
        return Summary(0, 0, None, None, (), ())
    fatalities = int(pd.to_numeric(frame.get("fatalities"), errors="coerce").fillna(0).sum()) \
        if "fatalities" in frame else 0
    dates = pd.to_datetime(frame["event_date"], errors="coerce").dropna()
    actors = actor_counts(frame).head(top)
    regions = region_counts(frame).head(top)
    return Summary(
        incidents=len(frame),
        fatalities=fatalities,
        first_date=dates.min().date() if len(dates) else None,
        last_date=dates.max().date() if len(dates) else None,
        top_actors=tuple((str(k), int(v)) for k, v in actors.items()),
        top_regions=tuple((str(r.name), int(r.incidents)) for r in regions.itertuples()),
    )
