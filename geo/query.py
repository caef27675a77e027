"""Dashboard queries without Streamlit: filter state <-> URL query string, facets and aggregations.

The dashboard keeps its whole filter state in the URL so a view can be shared. :func:`to_query_params`
and :func:`from_query_params` convert between :class:`~geo.filters.Filters` (plus the dashboard's
"only what is in the map view" switch) and a mapping of query-string keys to lists of strings; the two
are inverse to each other. The other functions summarise a (filtered) incident frame: facet counts,
the timeline, summary metrics and density aggregations (per governorate, square grid, hexagons).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from geo.admin1 import all_admin1, resolve_admin1
from geo.filters import ACTOR_COLUMNS, Filters

#: URL keys (short, stable: shared links depend on them).
KEYS = {"since": "since", "until": "until", "actors": "actor", "types": "type", "regions": "region",
        "precisions": "prec", "sources": "source", "text": "q", "bbox": "bbox"}
IN_VIEW_KEY = "inview"


@dataclass(frozen=True)
class ViewState:
    """Everything the URL records: the filters and whether to keep only the current map view.

    ``filters.bbox`` is set only when ``in_view`` is on and the map has reported its bounds.
    """

    filters: Filters = Filters()
    in_view: bool = False


def _fmt_float(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def to_query_params(state: ViewState) -> dict[str, list[str]]:
    """Encode ``state`` as query-string keys -> values; empty filters are left out."""
    f = state.filters
    out: dict[str, list[str]] = {}
    if f.since:
        out[KEYS["since"]] = [f.since.isoformat()]
    if f.until:
        out[KEYS["until"]] = [f.until.isoformat()]
    for attr in ("actors", "types", "regions", "sources"):
        values = [v for v in getattr(f, attr) if v]
        if values:
            out[KEYS[attr]] = list(values)
    if f.precisions:
        out[KEYS["precisions"]] = [str(p) for p in f.precisions]
    if f.text:
        out[KEYS["text"]] = [f.text]
    if state.in_view:
        out[IN_VIEW_KEY] = ["1"]
        if f.bbox:
            out[KEYS["bbox"]] = [",".join(_fmt_float(v) for v in f.bbox)]
    return out


def _date_or_none(values: list[str]) -> dt.date | None:
    for value in values:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            continue
    return None


def _bbox_or_none(values: list[str]) -> tuple[float, float, float, float] | None:
    for value in values:
        try:
            parts = tuple(float(p) for p in value.split(","))
        except ValueError:
            continue
        if len(parts) == 4 and all(math.isfinite(p) for p in parts):
            west, south, east, north = parts
            if -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
                return parts  # type: ignore[return-value]
    return None


def from_query_params(params: Mapping[str, Iterable[str] | str]) -> ViewState:
    """Decode a query string (key -> list of values, or a single value) into a :class:`ViewState`.

    Unreadable values (a malformed date, a precision that is not 1-3) are ignored rather than
    failing, so a hand-edited or truncated link still opens.
    """
    def get(key: str) -> list[str]:
        value = params.get(key)
        if value is None:
            return []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    def many(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip() for v in get(key) if v.strip()))

    precisions = tuple(sorted({int(v) for v in get(KEYS["precisions"]) if v.strip() in {"1", "2", "3"}}))
    text = " ".join(get(KEYS["text"])).strip() or None
    in_view = any(v.strip().lower() in {"1", "true", "yes", "on"} for v in get(IN_VIEW_KEY))
    filters = Filters(
        since=_date_or_none(get(KEYS["since"])),
        until=_date_or_none(get(KEYS["until"])),
        actors=many(KEYS["actors"]),
        types=many(KEYS["types"]),
        regions=many(KEYS["regions"]),
        precisions=precisions,
        sources=many(KEYS["sources"]),
        text=text,
        bbox=_bbox_or_none(get(KEYS["bbox"])) if in_view else None,
    )
    return ViewState(filters=filters, in_view=in_view)


def describe_filters(filters: Filters) -> str:
    """One line naming the active filters ("All incidents" when none), for map titles and exports."""
    parts = []
    if filters.since or filters.until:
        parts.append(f"{filters.since.isoformat() if filters.since else '…'} to "
                     f"{filters.until.isoformat() if filters.until else '…'}")
    names = {"actors": "Actors", "types": "Types", "sources": "Sources"}
    for attr, label in names.items():
        if getattr(filters, attr):
            parts.append(f"{label}: {', '.join(getattr(filters, attr))}")
    if filters.regions:
        units = [resolve_admin1(r) for r in filters.regions]
        parts.append("Governorates: " + ", ".join(u.name if u else r for u, r in zip(units, filters.regions)))
    if filters.precisions:
        parts.append("Precision: " + ", ".join(str(p) for p in filters.precisions))
    if filters.text:
        parts.append(f"Text: “{filters.text}”")
    if filters.bbox:
        parts.append("Map view: " + ", ".join(_fmt_float(v) for v in filters.bbox))
    return "; ".join(parts) if parts else "All incidents"


def without_bbox(filters: Filters) -> Filters:
    """The same filters with no map-view restriction."""
    return replace(filters, bbox=None)


# --- facets -------------------------------------------------------------------------------------

def actor_counts(frame: pd.DataFrame) -> pd.Series:
    """Incidents per actor, counting every actor position (actor1/2 and associated actors) once per incident.

    Returns a Series indexed by actor name, largest first (ties alphabetical).
    """
    return _multi_column_counts(frame, [c for c in ACTOR_COLUMNS if c in frame])


def _multi_column_counts(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Rows per name over ``columns`` holding ``;``-separated names, each row counted once per name.

    Rows are grouped by their distinct combination of cell values first, so only the (few) distinct
    combinations are split into names.
    """
    if not columns or not len(frame):
        return pd.Series(dtype="int64", name="incidents")
    combined = frame[columns[0]].astype("object").fillna("").astype(str)
    for column in columns[1:]:
        combined = combined + "\x1f" + frame[column].astype("object").fillna("").astype(str)
    codes, combos = pd.factorize(combined)
    per_combo = np.bincount(codes, minlength=len(combos))
    totals: dict[str, int] = {}
    for combo, n in zip(combos, per_combo):
        names = {name.strip() for cell in combo.split("\x1f") for name in cell.split(";")}
        names.discard("")
        for name in names:
            totals[name] = totals.get(name, 0) + int(n)
    return _sorted_counts(pd.Series(totals, dtype="int64"))


def _sorted_counts(counts: pd.Series) -> pd.Series:
    out = counts[counts > 0].rename("incidents").rename_axis(None).astype("int64")
    keys = pd.DataFrame({"n": -out.to_numpy(), "k": [str(k).casefold() for k in out.index]})
    order = keys.sort_values(["n", "k"], kind="stable").index
    return out.iloc[order]


def value_counts(frame: pd.DataFrame, column: str, *, split: bool = False) -> pd.Series:
    """Incidents per distinct value of ``column`` (``split``: the column holds ``;``-separated values)."""
    if column not in frame or not len(frame):
        return pd.Series(dtype="int64", name="incidents")
    if split:
        return _multi_column_counts(frame, [column])
    values = frame[column].dropna().astype(str).str.strip()
    return _sorted_counts(values[values != ""].value_counts())


def sorted_counts(counts: Mapping[str, int]) -> pd.Series:
    """``name -> incidents`` as a Series in facet order: most incidents first, ties alphabetical
    (case-insensitive); zero counts dropped. Stores that count in SQL use it to match :func:`value_counts`."""
    return _sorted_counts(pd.Series(dict(counts), dtype="int64"))


#: Keys of a facets dict (see :func:`facets`).
FACET_KEYS = ("incidents", "actors", "types", "kinds", "regions", "sources", "precisions", "dates")


def facets(frame: pd.DataFrame) -> dict:
    """Option lists with counts for filter widgets, computed from loaded rows.

    This is the fallback for stores without their own ``facets(filters)`` method (which must return the
    same dict): ``incidents`` (int), ``actors``, ``types`` (event types), ``kinds``, ``sources`` and
    ``precisions`` (Series name -> incidents, as :func:`actor_counts` / :func:`value_counts`; precisions are
    indexed by "1".."3"), ``regions`` (:func:`region_counts`) and ``dates`` (:func:`date_bounds`).
    """
    return {
        "incidents": int(len(frame)),
        "actors": actor_counts(frame),
        "types": value_counts(frame, "event_type"),
        "kinds": value_counts(frame, "kind"),
        "regions": region_counts(frame),
        "sources": value_counts(frame, "source", split=True),
        "precisions": value_counts(frame, "geo_precision"),
        "dates": date_bounds(frame),
    }


def store_facets(store, filters: Filters | None = None) -> dict:
    """``store.facets(filters)`` when the store computes facets itself, else :func:`facets` of its rows."""
    if hasattr(store, "facets"):
        return store.facets(filters)
    return facets(store.read(filters))


def label_with_count(name: str, counts: Mapping[str, int]) -> str:
    """``"name (12)"`` for a multiselect option."""
    return f"{name} ({int(counts.get(name, 0))})"


# --- summaries ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    """Headline numbers of a filtered set."""

    incidents: int
    fatalities: int
    first_date: dt.date | None
    last_date: dt.date | None
    top_actors: tuple[tuple[str, int], ...]
    top_regions: tuple[tuple[str, int], ...]


def summarize(frame: pd.DataFrame, *, top: int = 3) -> Summary:
    """Incidents, fatalities, date span, and the ``top`` actors and governorates of ``frame``."""
    if not len(frame):
        return Summary(0, 0, None, None, (), ())
    fatalities = int(pd.to_numeric(frame.get("fatalities"), errors="coerce").fillna(0).sum()) \
        if "fatalities" in frame else 0
    dates = pd.to_datetime(frame["event_date"], errors="coerce").dropna()
    actors = actor_counts(frame).head(top)
    regions = region_counts(frame).head(top)
    return Summary(
        incidents=len(frame),
        fatalities=fatalities,
        first_date=dates.min().date() if len(dates) else None,
        last_date=dates.max().date() if len(dates) else None,
        top_actors=tuple((str(k), int(v)) for k, v in actors.items()),
        top_regions=tuple((str(r.name), int(r.incidents)) for r in regions.itertuples()),
    )


def date_bounds(frame: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First event date and last end date of ``frame`` (None when empty)."""
    if not len(frame):
        return None
    start = pd.to_datetime(frame["event_date"], errors="coerce")
    end = pd.to_datetime(frame["date_end"], errors="coerce").fillna(start) if "date_end" in frame else start
    if start.dropna().empty:
        return None
    return start.min().date(), max(end.max(), start.max()).date()


#: A store holding more incidents than this opens on its last :data:`RECENT_DAYS` days instead of
#: everything (a million incidents need gigabytes in one dashboard process); widening the range still works.
LARGE_STORE = 200_000
RECENT_DAYS = 30


def initial_since(bounds: tuple[dt.date, dt.date] | None, incidents: int, *, limit: int = LARGE_STORE,
                  days: int = RECENT_DAYS) -> dt.date | None:
    """First day of the date range a dashboard opens on: None (everything) unless the store is large."""
    if not bounds or incidents <= limit:
        return None
    first, last = bounds
    return max(first, last - dt.timedelta(days=days - 1))


def span_dates(values) -> tuple[dt.date, dt.date] | None:
    """The (first, last) day of a chart's interval selection on a date axis, or None.

    Vega-Lite reports the two ends as epoch milliseconds (or ISO strings); order does not matter.
    """
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        return None
    days = []
    for value in values:
        try:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                stamp = pd.Timestamp(int(value), unit="ms")
            else:
                stamp = pd.Timestamp(str(value))
        except (ValueError, TypeError, OverflowError):
            return None
        if pd.isna(stamp):
            return None
        days.append(stamp.date())
    return (min(days), max(days))


def choose_granularity(since: dt.date | None, until: dt.date | None) -> str:
    """``"day"`` for spans up to 120 days, else ``"week"``."""
    if since and until and (until - since).days <= 120:
        return "day"
    return "week"


def timeline(frame: pd.DataFrame, granularity: str = "week") -> pd.DataFrame:
    """Incidents per day or week (weeks start on Monday), one row per (period, event_type).

    Columns: ``period`` (datetime64), ``event_type`` (str, "Unknown" when missing), ``incidents`` (int).
    Periods without incidents are absent.
    """
    if granularity not in {"day", "week"}:
        raise ValueError(f"granularity must be 'day' or 'week', not {granularity!r}")
    columns = ["period", "event_type", "incidents"]
    if not len(frame):
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"),
                             "event_type": pd.Series(dtype="str"),
                             "incidents": pd.Series(dtype="int64")})
    dates = pd.to_datetime(frame["event_date"], errors="coerce").dt.normalize()
    if granularity == "week":
        dates = dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    types = frame["event_type"].fillna("").astype(str).replace("", "Unknown") \
        if "event_type" in frame else pd.Series("Unknown", index=frame.index)
    data = pd.DataFrame({"period": dates, "event_type": types}).dropna(subset=["period"])
    out = data.groupby(["period", "event_type"], sort=True).size().rename("incidents").reset_index()
    out["incidents"] = out["incidents"].astype("int64")
    return out[columns]


# --- density ------------------------------------------------------------------------------------

def region_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Incidents and fatalities per governorate: columns ``admin1_iso``, ``name``, ``incidents``,
    ``fatalities``, largest first. Rows without a governorate are counted under ``""`` / "Unknown"."""
    cols = ["admin1_iso", "name", "incidents", "fatalities"]
    if not len(frame):
        return pd.DataFrame(columns=cols)
    iso = frame["admin1_iso"].fillna("").astype(str).str.upper() if "admin1_iso" in frame \
        else pd.Series("", index=frame.index)
    fat = pd.to_numeric(frame["fatalities"], errors="coerce").fillna(0) if "fatalities" in frame \
        else pd.Series(0, index=frame.index)
    grouped = pd.DataFrame({"admin1_iso": iso, "f": fat}).groupby("admin1_iso")
    out = pd.DataFrame({"incidents": grouped.size(), "fatalities": grouped["f"].sum()}).reset_index()
    names = {u.iso: u.name for u in all_admin1()}
    fallback = {}
    if "admin1" in frame:
        fallback = (pd.DataFrame({"iso": iso, "n": frame["admin1"]}).dropna()
                    .drop_duplicates("iso").set_index("iso")["n"].to_dict())
    out["name"] = [names.get(i) or fallback.get(i) or (i or "Unknown") for i in out["admin1_iso"]]
    out["incidents"] = out["incidents"].astype("int64")
    out["fatalities"] = out["fatalities"].astype("int64")
    out = out.sort_values(["incidents", "name"], ascending=[False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def region_iso(name_or_code: str) -> str:
    """ISO 3166-2 code of a governorate given by any spelling (unknown input returned upper-cased)."""
    unit = resolve_admin1(name_or_code)
    return unit.iso if unit else name_or_code.strip().upper()


def _lonlat(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    return lon[ok], lat[ok]


def grid_counts(frame: pd.DataFrame, cell_deg: float = 0.25):
    """Square-grid aggregation: a GeoDataFrame of cells (``cell_deg`` degrees on a side, aligned to
    multiples of ``cell_deg``) with ``incidents`` > 0 and the cell polygon as geometry."""
    import geopandas as gpd
    from shapely import box

    if cell_deg <= 0:
        raise ValueError("cell_deg must be positive")
    lon, lat = _lonlat(frame)
    ix, iy = np.floor(lon / cell_deg).astype(np.int64), np.floor(lat / cell_deg).astype(np.int64)
    cells = pd.DataFrame({"ix": ix, "iy": iy}).value_counts().rename("incidents").reset_index()
    geoms = [box(x * cell_deg, y * cell_deg, (x + 1) * cell_deg, (y + 1) * cell_deg)
             for x, y in zip(cells["ix"], cells["iy"])]
    cells["incidents"] = cells["incidents"].astype("int64")
    return gpd.GeoDataFrame(cells[["incidents"]], geometry=geoms, crs="EPSG:4326")


def hex_counts(frame: pd.DataFrame, size_deg: float = 0.2):
    """Hexagon aggregation: a GeoDataFrame of pointy-top hexagons (circumradius ``size_deg`` degrees,
    in plain lon/lat) with ``incidents`` > 0, the hexagon polygon and its centre (``lon``, ``lat``)."""
    import geopandas as gpd
    from shapely import Polygon

    if size_deg <= 0:
        raise ValueError("size_deg must be positive")
    lon, lat = _lonlat(frame)
    # axial coordinates of pointy-top hexagons, then cube rounding
    q = (math.sqrt(3) / 3 * lon - lat / 3) / size_deg
    r = (2 / 3 * lat) / size_deg
    x, z = q, r
    y = -x - z
    rx, ry, rz = np.round(x), np.round(y), np.round(z)
    dx, dy, dz = np.abs(rx - x), np.abs(ry - y), np.abs(rz - z)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    rx = np.where(fix_x, -ry - rz, rx)
    ry = np.where(fix_y, -rx - rz, ry)
    rz = np.where(~fix_x & ~fix_y, -rx - ry, rz)
    cells = pd.DataFrame({"q": rx.astype(np.int64), "r": rz.astype(np.int64)}).value_counts() \
        .rename("incidents").reset_index()
    cx = size_deg * math.sqrt(3) * (cells["q"] + cells["r"] / 2)
    cy = size_deg * 1.5 * cells["r"]
    angles = np.radians(np.arange(6) * 60 + 30)
    geoms = [Polygon(zip(x0 + size_deg * np.cos(angles), y0 + size_deg * np.sin(angles)))
             for x0, y0 in zip(cx, cy)]
    out = pd.DataFrame({"incidents": cells["incidents"].astype("int64"), "lon": cx, "lat": cy})
    return gpd.GeoDataFrame(out, geometry=geoms, crs="EPSG:4326")


# --- map interaction and safe text --------------------------------------------------------------

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


_MD_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:="


def escape_markdown(text: object) -> str:
    """``text`` made inert for Streamlit markdown: every markup character backslash-escaped and
    line breaks flattened, so user data can never become a link, image, HTML or formatting."""
    value = "" if text is None else str(text)
    value = " ".join(value.split())
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in value)
