"""Where importers meet the geocoder: place names without coordinates, points without a governorate.

Both hooks use :mod:`geo.geocode` only if it is installed, so importers work (more strictly) without it:
a row that names a place but has no coordinates is then rejected with a clear reason.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from geo.errors import GeoError

if TYPE_CHECKING:
    from geo.ingest._table import RawTable, _Errors

COUNTRY_NAMES = {"SY": "Syria", "JO": "Jordan", "LB": "Lebanon", "IQ": "Iraq", "TR": "Turkey",
                 "IL": "Israel", "PS": "Palestine", "SA": "Saudi Arabia", "EG": "Egypt", "CY": "Cyprus"}


def _geocoder() -> Any | None:
    """The project's geocoder, or None when geo/geocode.py is not installed."""
    if importlib.util.find_spec("geo.geocode") is None:
        return None
    from geo.geocode import get_geocoder

    return get_geocoder()


def geocode_missing(frame: pd.DataFrame, errors: "_Errors", table: "RawTable") -> None:
    """Fill coordinates of rows that name a place but give no point (rejecting those that fail)."""
    lacking = frame["latitude"].isna() & frame["longitude"].isna() & ~pd.Series(errors.bad, index=frame.index)
    named = lacking & frame["location"].notna()
    if not named.any():
        return
    column = table.mapping.get("location", "location")
    try:
        geocoder = _geocoder()
    except GeoError as exc:
        errors.add(named, column, f"cannot geocode the place name: {exc}")
        return
    if geocoder is None:
        errors.add(named, column, "no coordinates, and no geocoder is installed to look up the place name")
        return
    cache: dict[tuple[str, str | None], Any] = {}
    failed = pd.Series(False, index=frame.index)
    extra = frame["extra"].copy()
    for index in frame.index[named]:
        query, context = frame.at[index, "location"], frame.at[index, "admin1"]
        key = (query, context)
        if key not in cache:
            try:
                cache[key] = geocoder.geocode(query, context=context)
            except GeoError:
                cache[key] = None
        found = cache[key]
        if found is None:
            failed[index] = True
            continue
        frame.at[index, "latitude"], frame.at[index, "longitude"] = found.lat, found.lon
        if pd.isna(frame.at[index, "geo_precision"]):
            frame.at[index, "geo_precision"] = found.geo_precision
        for column_name, value in (("admin1", found.admin1), ("admin1_iso", found.admin1_iso),
                                   ("region_id", found.region_id),
                                   ("country", COUNTRY_NAMES.get(found.country or "", found.country))):
            if value and frame.at[index, column_name] is None:
                frame.at[index, column_name] = value
        extra[index] = _add_key(extra[index], "geocoded_as", found.name)
    frame["extra"] = extra
    errors.add(failed, column, lambda pos: f"no coordinates, and the place name "
                                           f"{frame['location'].iloc[pos]!r} was not found by the geocoder")


def _add_key(extra: str | None, key: str, value: str) -> str:
    import json

    data = json.loads(extra) if extra else {}
    data[key] = value
    return json.dumps(data, ensure_ascii=False)


def reverse_admin2(frame: pd.DataFrame, bad) -> None:
    """Hook: fill ``admin2`` (the district's English name) from the point for Syrian rows lacking it."""
    if "admin2" not in frame or importlib.util.find_spec("geo.geocode") is None:
        return
    lacking = frame["admin2"].isna() & frame["latitude"].notna() & frame["longitude"].notna()
    lacking &= ~pd.Series(bad, index=frame.index)
    if not lacking.any():
        return
    from geo.geocode.regions import district_name, locate_districts

    rows = frame.index[lacking]
    found = locate_districts(frame.loc[rows, "latitude"].tolist(), frame.loc[rows, "longitude"].tolist())
    for index, did in zip(rows, found):
        if did:
            frame.at[index, "admin2"] = district_name(did)


def reverse_admin1(frame: pd.DataFrame, bad) -> None:
    """Hook: fill admin1/admin1_iso from the point for rows lacking them, if the geocoder can reverse;
    then admin2 (the district) for Syrian rows lacking it."""
    reverse_admin2(frame, bad)
    lacking = frame["admin1_iso"].isna() & frame["latitude"].notna() & frame["longitude"].notna()
    lacking &= ~pd.Series(bad, index=frame.index)
    if not lacking.any():
        return
    try:
        geocoder = _geocoder()
    except GeoError:
        return
    reverse = getattr(geocoder, "reverse", None)
    if not callable(reverse):
        return
    cache = _cached(reverse)
    for index in frame.index[lacking]:
        found = cache(round(float(frame.at[index, "latitude"]), 4), round(float(frame.at[index, "longitude"]), 4))
        if found is None:
            continue
        if isinstance(found, tuple):  # geo.geocode.Geocoder.reverse: (country ISO2, admin1 name, admin1 ISO)
            country, admin1, iso = (tuple(found) + (None, None, None))[:3]
        else:
            country, admin1, iso = (getattr(found, "country", None), getattr(found, "admin1", None),
                                    getattr(found, "admin1_iso", None))
        if iso:
            frame.at[index, "admin1_iso"] = iso
            if frame.at[index, "admin1"] is None:
                frame.at[index, "admin1"] = admin1
        if frame.at[index, "country"] is None and country:
            frame.at[index, "country"] = COUNTRY_NAMES.get(country, country)


def _cached(reverse):
    @lru_cache(maxsize=65536)
    def call(lat: float, lon: float):
        try:
            return reverse(lat, lon)
        except (GeoError, TypeError, ValueError):
            return None

    return call
