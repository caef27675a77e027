"""The incident record: ACLED-aligned column names, their types, and validation of one record.

A store returns incidents as a GeoDataFrame with exactly :data:`COLUMNS` plus a point ``geometry``
in EPSG:4326. Values that have no column of their own (e.g. ACLED's ``inter1`` or ``tags``) are kept
as a JSON object in ``extra`` so nothing a source gave us is lost.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Mapping

from geo import taxonomy
from geo.errors import InputError

CRS = "EPSG:4326"

#: Column name -> logical type ("str", "date", "int", "float", "datetime").
COLUMN_TYPES: dict[str, str] = {
    "event_id": "str",
    "event_date": "date",
    "date_end": "date",
    "time_precision": "int",
    "event_type": "str",
    "sub_event_type": "str",
    "kind": "str",
    "actor1": "str",
    "assoc_actor_1": "str",
    "actor2": "str",
    "assoc_actor_2": "str",
    "country": "str",
    "admin1": "str",
    "admin1_iso": "str",
    "admin2": "str",
    "admin3": "str",
    "location": "str",
    "latitude": "float",
    "longitude": "float",
    "geo_precision": "int",
    "region_id": "str",
    "fatalities": "int",
    "count": "int",
    "source": "str",
    "source_url": "str",
    "notes": "str",
    "doc_id": "str",
    "span": "str",
    "confidence": "float",
    "imported_from": "str",
    "updated_at": "datetime",
    "extra": "str",
}
COLUMNS: tuple[str, ...] = tuple(COLUMN_TYPES)
REQUIRED: tuple[str, ...] = ("event_id", "event_date", "latitude", "longitude")

GEO_PRECISIONS = (1, 2, 3)
TIME_PRECISIONS = (1, 2, 3)
EARLIEST_DATE = dt.date(1900, 1, 1)


@dataclass
class Invalid:
    """One problem with one field of a record."""

    column: str
    reason: str


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def validate_record(record: Mapping[str, Any], *, today: dt.date | None = None) -> list[Invalid]:
    """Check one record (dict of column -> value already converted to Python types).

    Returns every problem found; an empty list means the record may be stored.
    """
    problems: list[Invalid] = []
    for column in REQUIRED:
        if _blank(record.get(column)):
            problems.append(Invalid(column, "required value is missing"))
    lat, lon = record.get("latitude"), record.get("longitude")
    if not _blank(lat) and not (isinstance(lat, (int, float)) and -90 <= lat <= 90):
        problems.append(Invalid("latitude", f"latitude {lat!r} is outside [-90, 90]"))
    if not _blank(lon) and not (isinstance(lon, (int, float)) and -180 <= lon <= 180):
        problems.append(Invalid("longitude", f"longitude {lon!r} is outside [-180, 180]"))
    today = today or dt.date.today()
    for column in ("event_date", "date_end"):
        value = record.get(column)
        if _blank(value):
            continue
        if not isinstance(value, dt.date):
            problems.append(Invalid(column, f"{value!r} is not a date"))
        elif not EARLIEST_DATE <= value <= today + dt.timedelta(days=1):
            problems.append(Invalid(column, f"date {value.isoformat()} is before 1900 or in the future"))
    start, end = record.get("event_date"), record.get("date_end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        problems.append(Invalid("date_end", f"date_end {end} is before event_date {start}"))
    for column, allowed in (("geo_precision", GEO_PRECISIONS), ("time_precision", TIME_PRECISIONS)):
        value = record.get(column)
        if not _blank(value) and value not in allowed:
            problems.append(Invalid(column, f"{value!r} is not one of {allowed}"))
    event_type, sub_type = record.get("event_type"), record.get("sub_event_type")
    if not _blank(event_type) and event_type not in taxonomy.event_types():
        problems.append(Invalid("event_type", f"{event_type!r} is not an ACLED event type"))
    if not _blank(sub_type):
        entry = taxonomy.lookup_sub_type(sub_type)
        if entry is None:
            problems.append(Invalid("sub_event_type", f"{sub_type!r} is not an ACLED sub-event type"))
        elif event_type in taxonomy.event_types() and entry.event_type != event_type:
            problems.append(Invalid("sub_event_type", f"{sub_type!r} does not belong to {event_type!r}"))
    for column in ("fatalities", "count"):
        value = record.get(column)
        if not _blank(value) and (not isinstance(value, int) or value < 0):
            problems.append(Invalid(column, f"{value!r} is not a whole number >= 0"))
    return problems


def check_record(record: Mapping[str, Any], *, file: str | None = None, row: int | None = None) -> None:
    """Raise :class:`InputError` naming file, row and column for the first problem of ``record``."""
    problems = validate_record(record)
    if problems:
        first = problems[0]
        raise InputError(first.reason, file=file, row=row, column=first.column)
