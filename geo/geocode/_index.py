"""The prebuilt gazetteer index (``data/gazetteer.json.gz``): loading it and its typed place records.

The file stores each place as a compact JSON list (column order :data:`PLACE_FIELDS`); in memory each is a
:class:`Place` named tuple, so code reads ``place.admin1_iso`` rather than ``place[4]`` (positions still work
for old callers). An index built before districts existed (9 columns) loads with ``admin2``/``name_ar`` None,
one built before the activity counts (11 columns) with ``events`` 0.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import NamedTuple

from geo.errors import GeocodeError
from geo.geocode._normalize import KEY_VERSION
from geo.paths import DATA_DIR

INDEX_PATH = DATA_DIR / "gazetteer.json.gz"


class Place(NamedTuple):
    """One gazetteer place. ``admin2`` is the district id (``"SY-DR:izra"``) for Syrian places, else None;
    ``source`` is ``geonames``, ``wof`` (Who's On First) or ``extra`` (the project table). ``events`` is the
    place's recorded conflict activity: the number of UCDP GED exact-place events within 5 km of it in the years
    the index was built from (``IndexData.activity``; 0 abroad or without ``--ucdp``)."""

    name: str
    lat: float
    lon: float
    country: str
    admin1_iso: str | None
    population: int
    feature_code: str
    geonameid: int | None
    source: str
    admin2: str | None = None
    name_ar: str | None = None
    events: int = 0


PLACE_FIELDS = Place._fields


class IndexData(NamedTuple):
    """Everything the geocoder reads from the index file."""

    places: list[Place]
    k1: dict[str, list[int]]
    k2: dict[str, list[int]]
    regions: dict[str, dict]
    region_keys: dict[str, str]
    district_keys: dict[str, str]
    activity: dict | None = None  # where ``Place.events`` come from: source, first_year, last_year, km, events


def load_index(path: str | Path | None = None) -> IndexData:
    """Read and check the index at ``path`` (default ``data/gazetteer.json.gz``)."""
    path = Path(path or INDEX_PATH)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            index = json.load(handle)
    except FileNotFoundError:
        raise GeocodeError(f"{path}: gazetteer index missing; run: python -m geo gazetteer build") from None
    except (OSError, ValueError) as exc:
        raise GeocodeError(f"{path}: unreadable gazetteer index ({exc}); rebuild it") from None
    if index.get("key_version") != KEY_VERSION:
        raise GeocodeError(f"{path}: built with name keys v{index.get('key_version')}, this code uses "
                           f"v{KEY_VERSION}; run: python -m geo gazetteer build")
    places = [Place(*row) for row in index["places"]]
    return IndexData(places, index["k1"], index["k2"], index["regions"], index["region_keys"],
                     index.get("district_keys", {}), index.get("activity") or {})
