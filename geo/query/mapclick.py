"""What the dashboard's map reports back: a clicked governorate, and the visible bounds as a box."""

from __future__ import annotations

import math
from typing import Callable, Mapping, Sequence

from geo.admin1 import resolve_admin1

_ISO_KEYS = ("admin1_iso", "iso_3166_2", "region_id", "iso")


def governorate_from_click(drawing: Mapping | None, clicked: Mapping | None = None,
                           boundaries=None) -> str | None:
    """The governorate ISO code a map click selected, or None.

    ``drawing`` is the GeoJSON feature streamlit-folium reports for the clicked layer; only polygon
    features count (a click on an incident pin selects no governorate). The ISO code is read from the
    feature's properties; failing that, the clicked point (``{"lat", "lng"}``) is looked up in
    ``boundaries`` (a GeoDataFrame with ``admin1_iso`` and polygon geometry).
    """
    if not isinstance(drawing, Mapping):
        return None
    geometry = drawing.get("geometry") or {}
    if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        return None
    props = drawing.get("properties") or {}
    for key in _ISO_KEYS:
        value = props.get(key)
        if isinstance(value, str) and value.strip():
            unit = resolve_admin1(value.split(":")[0])
            if unit:
                return unit.iso
    if clicked and boundaries is not None and len(boundaries):
        from shapely.geometry import Point

        try:
            point = Point(float(clicked["lng"]), float(clicked["lat"]))
        except (KeyError, TypeError, ValueError):
            return None
        hits = boundaries[boundaries.geometry.contains(point)]
        if len(hits) and "admin1_iso" in hits:
            return str(hits.iloc[0]["admin1_iso"])
    return None


def bbox_from_bounds(bounds: Mapping | None) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) from streamlit-folium's ``bounds`` (rounded to 4 decimals), or None."""
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        values = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (KeyError, TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in values):
        return None
    west, south, east, north = (round(v, 4) for v in values)
    west, east = max(west, -180.0), min(east, 180.0)
    south, north = max(south, -90.0), min(north, 90.0)
    return (west, south, east, north) if west <= east and south <= north else None


def region_click(iso: str | None, clicked: Mapping | None, regions: Sequence[str], districts: Sequence[str],
                 locate_district: Callable[[float, float], str | None] | None = None
                 ) -> tuple[list[str], list[str]] | None:
    """The governorate and district filters after a click on governorate ``iso`` at ``clicked`` ({lat, lng}).

    A governorate not yet chosen is added. A click inside a chosen governorate drills down: the district under
    the click is toggled (the governorate stays chosen); without a district there, the governorate is dropped
    with its districts. None when the click chose no governorate.
    """
    if not iso:
        return None
    regions, districts = list(regions), list(districts)
    if iso not in regions:
        return regions + [iso], districts
    district = None
    if locate_district is not None and isinstance(clicked, Mapping):
        try:
            district = locate_district(float(clicked["lat"]), float(clicked["lng"]))
        except (KeyError, TypeError, ValueError):
            district = None
    if district and district.split(":")[0] == iso:
        return regions, [d for d in districts if d != district] if district in districts else districts + [district]
    return [r for r in regions if r != iso], [d for d in districts if d.split(":")[0] != iso]
