"""Filters shared by the CLI, the stores and the dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from geo.admin1 import resolve_admin1

if TYPE_CHECKING:  # pandas is imported where frames are filtered: the CLI starts without it
    import pandas as pd

ACTOR_COLUMNS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")


@dataclass(frozen=True)
class Filters:
    """What subset of incidents to show. Empty tuples and None mean "no restriction".

    ``types`` matches an ACLED event type, sub-event type or map ``kind``; ``regions`` matches
    a governorate by any spelling or ISO 3166-2 code; ``actors`` matches any actor position.
    ``bbox`` is (west, south, east, north) in degrees.
    """

    since: dt.date | None = None
    until: dt.date | None = None
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    precisions: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def is_empty(self) -> bool:
        """True when no filter restricts anything."""
        return all(not getattr(self, f.name) for f in fields(self))

    def region_isos(self) -> set[str]:
        """ISO codes of the governorates named in ``regions`` (unknown names kept verbatim, upper-cased)."""
        isos = set()
        for name in self.regions:
            unit = resolve_admin1(name)
            isos.add(unit.iso if unit else name.strip().upper())
        return isos

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean Series: which rows of an incident frame pass every filter."""
        import pandas as pd

        keep = pd.Series(True, index=frame.index)
        if len(frame) == 0:
            return keep
        start = pd.to_datetime(frame["event_date"])
        end = pd.to_datetime(frame["date_end"]).fillna(start) if "date_end" in frame else start
        if self.since:
            keep &= end >= pd.Timestamp(self.since)
        if self.until:
            keep &= start <= pd.Timestamp(self.until)
        if self.actors:
            wanted = {a.casefold() for a in self.actors}
            hit = pd.Series(False, index=frame.index)
            for column in ACTOR_COLUMNS:
                if column in frame:
                    hit |= frame[column].fillna("").map(
                        lambda v: any(p.strip().casefold() in wanted for p in str(v).split(";")))
            keep &= hit
        if self.types:
            wanted = {t.casefold() for t in self.types}
            hit = pd.Series(False, index=frame.index)
            for column in ("event_type", "sub_event_type", "kind"):
                if column in frame:
                    hit |= frame[column].fillna("").str.casefold().isin(wanted)
            keep &= hit
        if self.regions:
            keep &= frame["admin1_iso"].fillna("").str.upper().isin(self.region_isos())
        if self.precisions:
            keep &= frame["geo_precision"].isin(self.precisions)
        if self.sources:
            wanted = {s.casefold() for s in self.sources}
            keep &= frame["source"].fillna("").map(
                lambda v: any(p.strip().casefold() in wanted for p in str(v).split(";")))
        if self.text:
            needle = self.text.casefold()
            haystack = frame["notes"].fillna("") + " " + frame["location"].fillna("")
            keep &= haystack.str.casefold().str.contains(needle, regex=False)
        if self.bbox:
            west, south, east, north = self.bbox
            keep &= frame["longitude"].between(west, east) & frame["latitude"].between(south, north)
        return keep

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` that pass every filter (same type as the input)."""
        return frame[self.mask(frame)]


def parse_date(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD) from the command line or a URL."""
    return dt.date.fromisoformat(text.strip())
