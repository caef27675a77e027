"""Which source column feeds which record column: ACLED, UCDP GED, and guesses for any other table."""

from __future__ import annotations

import re

from geo.errors import InputError
from geo.schema import COLUMNS

#: ACLED's current export layout, in ACLED's column order (also the order of our CSV export).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
#: ACLED's older (31-column) layout.
ACLED_OLD_COLUMNS = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "timestamp", "iso3",
)
#: ACLED column -> record column, where the names differ or ACLED has it (others go to ``extra``).
ACLED_TO_RECORD = {"event_id_cnty": "event_id"} | {
    c: c for c in ACLED_COLUMNS if c in COLUMNS}
ACLED_REQUIRED = ("event_id_cnty", "event_date", "latitude", "longitude")

UCDP_REQUIRED = ("id", "date_start", "latitude", "longitude")
UCDP_MARKERS = {"id", "side_a", "side_b", "where_prec", "date_start", "best"}
UCDP_TO_RECORD = {
    "date_start": "event_date", "date_end": "date_end", "side_a": "actor1", "side_b": "actor2",
    "adm_1": "admin1", "adm_2": "admin2", "where_coordinates": "location", "latitude": "latitude",
    "longitude": "longitude", "best": "fatalities", "country": "country", "source_office": "source",
    "source_headline": "notes",
}

#: Record column -> header spellings that a generic table may use (compared loosely, see _key).
GUESSES: dict[str, tuple[str, ...]] = {
    "event_id": ("event_id", "event_id_cnty", "id", "incident_id", "uid", "record_id"),
    "event_date": ("event_date", "date", "date_start", "start_date", "incident_date", "day", "when",
                   "published"),
    "date_end": ("date_end", "end_date", "date_to", "until"),
    "time_precision": ("time_precision", "date_precision", "date_prec"),
    "event_type": ("event_type", "type", "category", "incident_type"),
    "sub_event_type": ("sub_event_type", "sub_type", "subtype", "sub_category"),
    "kind": ("kind", "label"),
    "actor1": ("actor1", "actor_1", "actor", "actors", "perpetrator", "side_a", "party"),
    "assoc_actor_1": ("assoc_actor_1",),
    "actor2": ("actor2", "actor_2", "target", "side_b", "victim"),
    "assoc_actor_2": ("assoc_actor_2",),
    "country": ("country", "country_name"),
    "admin1": ("admin1", "adm_1", "adm1", "governorate", "province", "state", "muhafazah"),
    "admin1_iso": ("admin1_iso",),
    "admin2": ("admin2", "adm_2", "adm2", "district"),
    "admin3": ("admin3", "adm_3", "adm3", "subdistrict", "sub_district"),
    "location": ("location", "place", "place_name", "placename", "town", "city", "village", "site",
                 "locality", "where", "toponym"),
    "latitude": ("latitude", "lat", "y", "lat_dd"),
    "longitude": ("longitude", "lon", "lng", "long", "x", "lon_dd"),
    "geo_precision": ("geo_precision", "precision", "location_precision"),
    "region_id": ("region_id",),
    "fatalities": ("fatalities", "deaths", "killed", "dead", "casualties_killed", "best"),
    "count": ("count", "number", "n"),
    "source": ("source", "sources", "outlet"),
    "source_url": ("source_url", "url", "link", "source_link"),
    "notes": ("notes", "note", "description", "summary", "details", "text", "excerpt", "comment"),
    "doc_id": ("doc_id", "document", "document_id"),
    "span": ("span",),
    "confidence": ("confidence", "score"),
    "imported_from": ("imported_from",),
    "updated_at": ("updated_at",),
    "extra": ("extra",),
}
#: Short names accepted on the left of ``--map`` besides the record columns themselves.
MAP_ALIASES = {"date": "event_date", "end": "date_end", "lat": "latitude", "lon": "longitude",
               "lng": "longitude", "place": "location", "actor": "actor1", "type": "event_type",
               "id": "event_id", "description": "notes", "deaths": "fatalities", "url": "source_url",
               "governorate": "admin1", "precision": "geo_precision"}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().casefold()).strip("_")


def is_acled(columns: list[str]) -> bool:
    """True for a header from an ACLED export (either layout) or from our own CSV export."""
    keys = {_key(c) for c in columns}
    return {"event_id_cnty", "event_date", "latitude", "longitude"} <= keys and (
        "sub_event_type" in keys or "actor1" in keys)


def is_ucdp(columns: list[str]) -> bool:
    """True for a UCDP GED header."""
    keys = {_key(c) for c in columns}
    return UCDP_MARKERS <= keys


def acled_layout(columns: list[str]) -> str:
    """"acled-old" (31 columns with data_id / event_id_no_cnty / iso3) or "acled"."""
    keys = {_key(c) for c in columns}
    return "acled-old" if {"data_id", "event_id_no_cnty"} & keys else "acled"


def normalise_mapping(mapping: dict[str, str] | None, columns: list[str], *, file: str) -> dict[str, str]:
    """User mapping (record column or alias -> source column) checked against the table's header."""
    result: dict[str, str] = {}
    by_key = {_key(c): c for c in columns}
    for target, source in (mapping or {}).items():
        name = MAP_ALIASES.get(_key(target), _key(target))
        if name not in COLUMNS:
            raise InputError(f"--map {target}=…: {target!r} is not a record column "
                             f"(use one of: {', '.join(COLUMNS[:20])}, …)", file=file)
        actual = source if source in columns else by_key.get(_key(source))
        if actual is None:
            raise InputError(f"--map {target}={source}: the table has no column {source!r} "
                             f"(columns: {', '.join(columns[:15])})", file=file)
        result[name] = actual
    return result


def guess_mapping(columns: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Complete ``mapping`` (record column -> source column) with guesses from the header names."""
    result = dict(mapping)
    taken = set(result.values())
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(_key(column), column)
    for target, spellings in GUESSES.items():
        if target in result:
            continue
        for spelling in spellings:
            source = by_key.get(spelling)
            if source is not None and source not in taken:
                result[target] = source
                taken.add(source)
                break
    return result


def acled_mapping(columns: list[str]) -> dict[str, str]:
    """Record column -> source column for an ACLED table (plus any record-named extra columns)."""
    by_key = {_key(c): c for c in columns}
    result = {record: by_key[acled] for acled, record in ACLED_TO_RECORD.items() if acled in by_key}
    for column in COLUMNS:
        if column not in result and column in by_key:
            result[column] = by_key[column]
    return result


def ucdp_mapping(columns: list[str]) -> dict[str, str]:
    """Record column -> source column for a UCDP GED table (id, precisions and type are derived)."""
    by_key = {_key(c): c for c in columns}
    return {record: by_key[ucdp] for ucdp, record in UCDP_TO_RECORD.items() if ucdp in by_key}


def missing(columns: list[str], required: tuple[str, ...]) -> list[str]:
    """The ``required`` column names absent from ``columns`` (compared loosely)."""
    keys = {_key(c) for c in columns}
    return [c for c in required if c not in keys]


def column_by_key(columns: list[str], name: str) -> str | None:
    """The actual header spelling of ``name`` in ``columns`` (compared loosely), or None."""
    return next((c for c in columns if _key(c) == name), None)
