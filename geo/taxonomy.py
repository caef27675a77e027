"""ACLED's event taxonomy (6 event types, 25 sub-types), read from ``data/acled_taxonomy.csv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from geo.paths import DATA_DIR


@dataclass(frozen=True)
class SubEventType:
    """One ACLED sub-event type with its parent type, default map label and colour."""

    event_type: str
    sub_event_type: str
    kind: str
    color: str


@lru_cache(maxsize=1)
def sub_event_types() -> tuple[SubEventType, ...]:
    """All 25 ACLED sub-event types, in ACLED's order."""
    with open(DATA_DIR / "acled_taxonomy.csv", encoding="utf-8", newline="") as handle:
        return tuple(SubEventType(**row) for row in csv.DictReader(handle))


@lru_cache(maxsize=1)
def event_types() -> tuple[str, ...]:
    """The 6 ACLED event types, in ACLED's order."""
    return tuple(dict.fromkeys(s.event_type for s in sub_event_types()))


def sub_types_of(event_type: str) -> tuple[str, ...]:
    """Sub-event types belonging to ``event_type``."""
    return tuple(s.sub_event_type for s in sub_event_types() if s.event_type == event_type)


@lru_cache(maxsize=None)
def lookup_sub_type(sub_event_type: str) -> SubEventType | None:
    """The taxonomy entry for a sub-event type (case-insensitive), or None."""
    wanted = sub_event_type.strip().casefold()
    return next((s for s in sub_event_types() if s.sub_event_type.casefold() == wanted), None)


def canonical_event_type(value: str) -> str | None:
    """The ACLED spelling of an event type given in any letter case, or None."""
    wanted = value.strip().casefold()
    return next((t for t in event_types() if t.casefold() == wanted), None)


def color_of(event_type: str | None) -> str:
    """Map colour for an event type (grey for unknown)."""
    for s in sub_event_types():
        if s.event_type == event_type:
            return s.color
    return "#555555"


def default_kind(sub_event_type: str | None) -> str:
    """The short label shown on the map for a sub-event type."""
    entry = lookup_sub_type(sub_event_type) if sub_event_type else None
    return entry.kind if entry else "other"
