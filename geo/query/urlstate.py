"""The dashboard's filter state <-> URL query string, and one-line descriptions of filters.

The dashboard keeps its whole filter state in the URL so a view can be shared. :func:`to_query_params`
and :func:`from_query_params` convert between :class:`~geo.filters.Filters` (plus the dashboard's
"only what is in the map view" switch) and a mapping of query-string keys to lists of strings; the two
are inverse to each other. Both walk :data:`geo.filters.FIELDS`: a field's ``url_key`` names it in the
URL and its ``kind`` decides how its value is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

from geo.filters import FIELDS, FilterField, Filters, parse_bbox

#: URL keys by field name (short, stable: shared links depend on them).
KEYS = {spec.name: spec.url_key for spec in FIELDS}
IN_VIEW_KEY = "inview"


@dataclass(frozen=True)
class ViewState:
    """Everything the URL records: the filters and whether to keep only the current map view.

    ``filters.bbox`` is set only when ``in_view`` is on and the map has reported its bounds.
    """

    filters: Filters = Filters()
    in_view: bool = False


def _encode(spec: FilterField, value: Any) -> list[str]:
    """The URL values of one non-empty field value."""
    if spec.kind == "date":
        return [value.isoformat()]
    if spec.kind == "names":
        return [v for v in value if v]
    if spec.kind == "ints":
        return [str(v) for v in value]
    if spec.kind == "bbox":
        return [",".join(spec.show(v) for v in value)]
    return [value]


def _decode(spec: FilterField, values: list[str]) -> Any:
    """A field value from its URL values; unreadable values are dropped (None / empty when none is left)."""
    if spec.kind == "date":
        for value in values:
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                continue
        return None
    if spec.kind == "names":
        return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if spec.kind == "ints":
        allowed = {str(c): c for c in spec.choices}
        return tuple(sorted({allowed[v.strip()] for v in values if v.strip() in allowed}))
    if spec.kind == "bbox":
        for value in values:
            box = parse_bbox(value)
            if box is not None:
                return box
        return None
    return " ".join(values).strip() or None


def to_query_params(state: ViewState) -> dict[str, list[str]]:
    """Encode ``state`` as query-string keys -> values; empty filters are left out.

    The map-view box is written only when ``state.in_view`` is on.
    """
    out: dict[str, list[str]] = {}
    for spec, value in state.filters.active():
        if spec.kind == "bbox" and not state.in_view:
            continue
        encoded = _encode(spec, value)
        if encoded:
            out[spec.url_key] = encoded
    if state.in_view:
        out[IN_VIEW_KEY] = ["1"]
    return out


def from_query_params(params: Mapping[str, Iterable[str] | str]) -> ViewState:
    """Decode a query string (key -> list of values, or a single value) into a :class:`ViewState`.

    Unreadable values (a malformed date, a precision that is not 1-3) are ignored rather than
    failing, so a hand-edited or truncated link still opens. A map-view box counts only when the
    "in view" switch is on.
    """
    def get(key: str) -> list[str]:
        value = params.get(key)
        if value is None:
            return []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    in_view = any(v.strip().lower() in {"1", "true", "yes", "on"} for v in get(IN_VIEW_KEY))
    values = {}
    for spec in FIELDS:
        if spec.kind == "bbox" and not in_view:
            continue
        values[spec.name] = _decode(spec, get(spec.url_key))
    return ViewState(filters=Filters(**values), in_view=in_view)


def describe_filters(filters: Filters) -> str:
    """One line naming the active filters ("All incidents" when none), for map titles and exports."""
    parts = []
    if filters.since or filters.until:
        parts.append(f"{filters.since.isoformat() if filters.since else '…'} to "
                     f"{filters.until.isoformat() if filters.until else '…'}")
    for spec, value in filters.active():
        if spec.kind != "date":
            parts.append(f"{spec.label}: {spec.describe(value)}")
    return "; ".join(parts) if parts else "All incidents"


def without_bbox(filters: Filters) -> Filters:
    """The same filters with no map-view restriction."""
    return replace(filters, bbox=None)
