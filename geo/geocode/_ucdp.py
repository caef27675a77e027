"""UCDP GED exact places (``where_prec == 1``) as an extra name source for the gazetteer build.

UCDP writes the place of each event in its own spelling ("Kafr Shams town", "Western Ghariyah town") with its
coordinates. Each distinct name (the " town" / " village" word removed) at each distinct spot becomes either
one more name of the gazetteer place of the same name key or sound key within :data:`ALIAS_KM`, or a new
hamlet-ranked place (source ``ucdp``). Every place also gets the number of UCDP exact-place events within
:data:`ACTIVITY_KM` of it (:func:`read_events`, :func:`activity`): the geocoder's conflict-activity prior among
namesakes (``Place.events``; ``_ranking.ACTIVITY_*``). Names that describe an area rather than name a place
("Southern Aleppo Governorate", "Silos east of Palmyra", a "triangle" of fields) are skipped. UCDP GED is CC BY 4.0 (credit
in README and data/SOURCES.md).
"""

from __future__ import annotations

import csv
import re
from math import cos, radians
from pathlib import Path
from typing import Iterator

from geo.errors import GeocodeError

SUFFIX = re.compile(r"\s+(?:town|village|city|neighbourhood|neighborhood)$", re.IGNORECASE)
NOT_A_NAME = re.compile(r"\b(?:of|governorate|countryside|province|road|highway|between|triangle|district|area|"
                        r"outskirts|near|and|region)\b|[-–]\s|\d+\s*km", re.IGNORECASE)
CLUSTER_KM = 5.0   # the same name this close is one spot (its points averaged)
ALIAS_KM = 5.0     # a gazetteer place of that name this close takes the UCDP spelling as one more name
ACTIVITY_KM = 5.0  # events this close to a place count as its recorded activity: its own and its neighbours'
#                   (villages lie 2-5 km apart). With the prior on (_ranking.ACTIVITY_*), 5 km against 3 and 2 km,
#                   UCDP 2018-19 names on an index of UCDP <= 2017: +1.8 / +0.9 / 0.0 points right for +0.9 /
#                   +0.9 / +0.3 wrong governorate (bench/RESULTS.md, issue 14 sixth round)
COLUMNS = ("year", "where_prec", "where_coordinates", "latitude", "longitude", "country")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return ((lat1 - lat2) ** 2 + ((lon1 - lon2) * cos(radians(lat1))) ** 2) ** 0.5 * 111.2


def _exact_events(path: Path, until: int | None) -> Iterator[tuple[int, str, float, float]]:
    """(year, where_coordinates, lat, lon) of every exact-place event (``where_prec == 1``) in Syria of years up
    to ``until`` (all when None); a table without UCDP's columns or with a bad point raises GeocodeError."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise GeocodeError(f"{path}: not a UCDP GED table (no column {', '.join(missing)})")
            for number, row in enumerate(reader, start=2):
                if row["where_prec"] != "1" or row["country"] != "Syria" or not row["latitude"]:
                    continue
                year = int(row["year"])
                if until is not None and year > until:
                    continue
                try:
                    lat, lon = float(row["latitude"]), float(row["longitude"])
                except ValueError:
                    raise GeocodeError(f"{path}:{number}:latitude/longitude: not numbers") from None
                yield year, row["where_coordinates"], lat, lon
    except FileNotFoundError:
        raise GeocodeError(f"{path}: UCDP table not found") from None


def read_places(path: str | Path, until: int | None = None) -> list[tuple[str, float, float, int]]:
    """(name, lat, lon, events) for each distinct exact-place name and spot of a UCDP GED table, events of
    years up to ``until`` (all when None), Syria only; sorted by name."""
    spots: dict[str, list[list[float]]] = {}
    for _, where, lat, lon in _exact_events(Path(path), until):
        for part in where.split("/"):
            name = SUFFIX.sub("", " ".join(part.split())).strip(" ,.")
            if len(name) < 3 or len(name.split()) > 4 or NOT_A_NAME.search(name):
                continue
            groups = spots.setdefault(name, [])
            for group in groups:
                if _km(group[0] / group[2], group[1] / group[2], lat, lon) <= CLUSTER_KM:
                    group[0] += lat
                    group[1] += lon
                    group[2] += 1
                    break
            else:
                groups.append([lat, lon, 1])
    return [(name, round(g[0] / g[2], 5), round(g[1] / g[2], 5), int(g[2]))
            for name in sorted(spots) for g in spots[name]]


def read_events(path: str | Path, until: int | None = None) -> tuple[list[tuple[float, float]], tuple[int, int] | None]:
    """The point of every exact-place event (``where_prec == 1``) in Syria of years up to ``until`` (all when None),
    and the (first, last) year they cover (None when there are none)."""
    points: list[tuple[float, float]] = []
    years: set[int] = set()
    for year, _, lat, lon in _exact_events(Path(path), until):
        points.append((lat, lon))
        years.add(year)
    return points, ((min(years), max(years)) if years else None)


def activity(places: list[list], events: list[tuple[float, float]], radius_km: float | None = None) -> list[int]:
    """For each row of ``places`` (index layout), the number of ``events`` within ``radius_km`` (default
    :data:`ACTIVITY_KM`; 0 abroad)."""
    radius_km = ACTIVITY_KM if radius_km is None else radius_km
    cell = 0.05  # degrees (~5 km): a place's events lie in its cell or the eight around it
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for lat, lon in events:
        grid.setdefault((int(lat // cell), int(lon // cell)), []).append((lat, lon))
    counts = []
    for place in places:
        if place[3] != "SY":
            counts.append(0)
            continue
        row, col = int(place[1] // cell), int(place[2] // cell)
        counts.append(sum(1 for dr in (-1, 0, 1) for dc in (-1, 0, 1) for lat, lon in grid.get((row + dr, col + dc), ())
                          if _km(place[1], place[2], lat, lon) <= radius_km))
    return counts


def merge(ucdp: list[tuple[str, float, float, int]], places: list[list], names_of: list[set[str]],
          name_key, sound_key) -> dict[str, int]:
    """Add UCDP names to ``places`` / ``names_of`` in place (index layout rows); returns counts."""
    keys: dict[str, list[int]] = {}
    for pid, names in enumerate(names_of):
        if places[pid][3] != "SY":
            continue
        for name in names:
            for key in {name_key(name), "~" + sound_key(name)}:
                keys.setdefault(key, []).append(pid)
    aliases = added = 0
    for name, lat, lon, _ in ucdp:
        near = [pid for key in (name_key(name), "~" + sound_key(name)) for pid in keys.get(key, ())
                if _km(places[pid][1], places[pid][2], lat, lon) <= ALIAS_KM]
        if near:
            best = min(near, key=lambda pid: _km(places[pid][1], places[pid][2], lat, lon))
            if name not in names_of[best]:
                names_of[best].add(name)
                aliases += 1
            continue
        places.append([name, lat, lon, "SY", None, 0, "PPL", None, "ucdp"])
        names_of.append({name})
        added += 1
    return {"ucdp_aliases": aliases, "ucdp_added": added}
