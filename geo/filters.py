"""Filters shared by the CLI, the stores and the dashboard, and the one declaration of every filter field.

Each field of :class:`Filters` is declared once in :data:`FIELDS` (a :class:`FilterField`): its name,
its URL key, its command-line option, the kind of value it holds, how it is described to people and how
it matches a row of an incident frame. Everything else reads that declaration:

* ``Filters.mask`` (pandas) runs each field's ``match``;
* the URL codec (:mod:`geo.query.urlstate`) encodes and decodes each field by its ``kind`` and ``url_key``;
* the command line (:mod:`geo.commands._common`) adds one option per field from ``cli``/``metavar``/``help``;
* the stores translate each field to SQL: ``geo.store.gpkg._PREFILTERS`` (SQLite, a pre-filter that
  ``Filters.mask`` completes) and ``geo.store._pg_filters.TRANSLATIONS`` (PostGIS, exact). Both are keyed by
  field name; tests fail when a declared field has no entry there, and the PostGIS store refuses a filter
  it cannot translate instead of ignoring it.

Adding a field: an attribute on :class:`Filters`, a matcher and a :class:`FilterField` line here, then one
entry in each backend's translation table (and, if the sidebar should offer it, one widget).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Callable

from geo.admin1 import resolve_admin1

if TYPE_CHECKING:  # pandas is imported where frames are filtered: the CLI starts without it
    import pandas as pd

ACTOR_COLUMNS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")
TYPE_COLUMNS = ("event_type", "sub_event_type", "kind")
TEXT_COLUMNS = ("notes", "location")

#: The kinds of value a filter field holds (they decide the URL and command-line encodings).
KINDS = ("date", "names", "ints", "text", "bbox")


@dataclass(frozen=True)
class Filters:
    """What subset of incidents to show. Empty tuples and None mean "no restriction".

    ``types`` matches an ACLED event type, sub-event type or map ``kind``; ``regions`` matches
    a governorate by any spelling or ISO 3166-2 code; ``districts`` matches ``admin2`` ignoring case;
    ``actors`` matches any actor position. ``bbox`` is (west, south, east, north) in degrees.
    Every field is declared in :data:`FIELDS`.
    """

    since: dt.date | None = None
    until: dt.date | None = None
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    precisions: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def is_empty(self) -> bool:
        """True when no filter restricts anything."""
        return all(not getattr(self, f.name) for f in fields(self))

    def active(self) -> list[tuple["FilterField", Any]]:
        """``(field, value)`` for every declared field that restricts something, in declaration order."""
        return [(spec, getattr(self, spec.name)) for spec in FIELDS if getattr(self, spec.name)]

    def region_isos(self) -> set[str]:
        """ISO codes of the governorates named in ``regions`` (unknown names kept verbatim, upper-cased)."""
        return region_isos(self.regions)

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean Series: which rows of an incident frame pass every filter."""
        import pandas as pd

        keep = pd.Series(True, index=frame.index)
        if len(frame) == 0:
            return keep
        for spec, value in self.active():
            keep &= spec.match(value, frame)
        return keep

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` that pass every filter (same type as the input)."""
        return frame[self.mask(frame)]


@dataclass(frozen=True)
class FilterField:
    """The declaration of one filter field (one attribute of :class:`Filters`).

    ``name`` is the attribute, ``url_key`` the query-string key of shared links (short and stable),
    ``cli`` the command-line option without its dashes (also the argparse destination), ``kind`` one of
    :data:`KINDS`, ``label`` how descriptions name it, ``columns`` the record columns it reads, ``match``
    ``(value, frame) -> boolean Series`` for a non-empty value, ``choices`` the allowed values of an
    ``ints`` field, and ``show`` how one value is written in descriptions (default ``str``).
    """

    name: str
    url_key: str
    cli: str
    kind: str
    label: str
    help: str
    metavar: str
    columns: tuple[str, ...]
    match: Callable[[Any, "pd.DataFrame"], "pd.Series"]
    choices: tuple[int, ...] = ()
    show: Callable[[Any], str] = str

    def describe(self, value: Any) -> str:
        """``value`` as people read it in titles and export notes (several values comma-separated)."""
        if self.kind in ("names", "ints", "bbox"):
            return ", ".join(self.show(v) for v in value)
        return self.show(value)


# --- how each field matches rows -------------------------------------------------------------------

def region_isos(names) -> set[str]:
    """ISO codes of governorates given by any spelling or code (unknown names kept verbatim, upper-cased)."""
    isos = set()
    for name in names:
        unit = resolve_admin1(name)
        isos.add(unit.iso if unit else name.strip().upper())
    return isos


def _start(frame: pd.DataFrame) -> pd.Series:
    import pandas as pd

    return pd.to_datetime(frame["event_date"])


def _match_since(value: dt.date, frame: pd.DataFrame) -> pd.Series:
    import pandas as pd

    start = _start(frame)
    end = pd.to_datetime(frame["date_end"]).fillna(start) if "date_end" in frame else start
    return end >= pd.Timestamp(value)


def _match_until(value: dt.date, frame: pd.DataFrame) -> pd.Series:
    import pandas as pd

    return _start(frame) <= pd.Timestamp(value)


def _any_listed(frame: pd.DataFrame, columns: tuple[str, ...], wanted: set[str]) -> pd.Series:
    """Rows where any ``;``-separated name in any of ``columns`` is one of ``wanted`` (casefolded)."""
    import pandas as pd

    hit = pd.Series(False, index=frame.index)
    for column in columns:
        if column in frame:
            hit |= frame[column].fillna("").map(
                lambda v: any(p.strip().casefold() in wanted for p in str(v).split(";")))
    return hit


def _match_actors(values: tuple[str, ...], frame: pd.DataFrame) -> pd.Series:
    return _any_listed(frame, ACTOR_COLUMNS, {a.casefold() for a in values})


def _match_sources(values: tuple[str, ...], frame: pd.DataFrame) -> pd.Series:
    return _any_listed(frame, ("source",), {s.casefold() for s in values})


def _match_types(values: tuple[str, ...], frame: pd.DataFrame) -> pd.Series:
    import pandas as pd

    wanted = {t.casefold() for t in values}
    hit = pd.Series(False, index=frame.index)
    for column in TYPE_COLUMNS:
        if column in frame:
            hit |= frame[column].fillna("").str.casefold().isin(wanted)
    return hit


def _match_regions(values: tuple[str, ...], frame: pd.DataFrame) -> pd.Series:
    return frame["admin1_iso"].fillna("").str.upper().isin(region_isos(values))


def _match_districts(values: tuple[str, ...], frame: pd.DataFrame) -> pd.Series:
    import pandas as pd

    if "admin2" not in frame:
        return pd.Series(False, index=frame.index)
    wanted = {d.strip().casefold() for d in values}
    return frame["admin2"].fillna("").astype(str).str.casefold().isin(wanted)


def _match_precisions(values: tuple[int, ...], frame: pd.DataFrame) -> pd.Series:
    return frame["geo_precision"].isin(values)


def _match_text(value: str, frame: pd.DataFrame) -> pd.Series:
    """Notes or location contain the words of ``value`` ignoring accents, case, the article and the
    script of a gazetteer place name (see :mod:`geo.search`)."""
    from geo.search import fold_series, matches

    haystack = fold_series(frame["notes"]) + fold_series(frame["location"])
    return matches(value, haystack)


def _match_bbox(value: tuple[float, float, float, float], frame: pd.DataFrame) -> pd.Series:
    west, south, east, north = value
    return frame["longitude"].between(west, east) & frame["latitude"].between(south, north)


def _region_name(value: str) -> str:
    unit = resolve_admin1(value)
    return unit.name if unit else value


def _coordinate(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


# --- the declaration -------------------------------------------------------------------------------

#: Every filter field, in the order descriptions, URLs and the command line list them.
FIELDS: tuple[FilterField, ...] = (
    FilterField("since", "since", "since", "date", "From", "first day (YYYY-MM-DD), inclusive", "DATE",
                ("event_date", "date_end"), _match_since, show=dt.date.isoformat),
    FilterField("until", "until", "until", "date", "To", "last day (YYYY-MM-DD), inclusive", "DATE",
                ("event_date",), _match_until, show=dt.date.isoformat),
    FilterField("actors", "actor", "actor", "names", "Actors",
                "actor in any position, e.g. 'Military Forces of Syria (2000-)' (repeatable)", "NAME",
                ACTOR_COLUMNS, _match_actors),
    FilterField("types", "type", "type", "names", "Types",
                "ACLED event type, sub-event type or map kind (repeatable)", "EVENT_TYPE",
                TYPE_COLUMNS, _match_types),
    FilterField("sources", "source", "source", "names", "Sources", "source (repeatable)", "SOURCE",
                ("source",), _match_sources),
    FilterField("regions", "region", "region", "names", "Governorates",
                "governorate by name or ISO code, e.g. Daraa or SY-DR (repeatable)", "ADMIN1",
                ("admin1_iso",), _match_regions, show=_region_name),
    FilterField("districts", "district", "district", "names", "Districts",
                "district (admin2) by name, any case (repeatable)", "ADMIN2", ("admin2",), _match_districts),
    FilterField("precisions", "prec", "precision", "ints", "Precision", "geo_precision code (repeatable)",
                "CODE", ("geo_precision",), _match_precisions, choices=(1, 2, 3)),
    FilterField("text", "q", "text", "text", "Text", "only incidents whose notes or location contain this (accents, the article al-/ال and "
                "Arabic/Latin spelling of gazetteer places ignored)",
                "WORDS", TEXT_COLUMNS, _match_text, show=lambda v: f"“{v}”"),
    FilterField("bbox", "bbox", "bbox", "bbox", "Map view",
                "only incidents inside WEST,SOUTH,EAST,NORTH (degrees)", "W,S,E,N",
                ("longitude", "latitude"), _match_bbox, show=_coordinate),
)

#: The declaration by field name.
FIELD: dict[str, FilterField] = {spec.name: spec for spec in FIELDS}


def parse_date(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD) from the command line or a URL."""
    return dt.date.fromisoformat(text.strip())


def parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    """``"west,south,east,north"`` as four finite degrees in range with west <= east and south <= north,
    or None when the text is not such a box."""
    import math

    try:
        parts = tuple(float(p) for p in text.split(","))
    except ValueError:
        return None
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        return None
    west, south, east, north = parts
    if -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
        return parts  # type: ignore[return-value]
    return None
