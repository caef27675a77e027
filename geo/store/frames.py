"""Incident frames typed exactly as the schema says: shared by every store backend and the importers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from geo._textcols import clean_text
from geo.errors import StoreError
from geo.schema import COLUMN_TYPES, COLUMNS, CRS

if TYPE_CHECKING:
    import geopandas as gpd


def typed_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with exactly the schema columns in their types, and every ``event_id`` filled.

    Coordinates missing from ``latitude``/``longitude`` are taken from a point ``geometry`` if present.
    """
    from geo.keys import fill_event_ids

    source = frame.reset_index(drop=True)
    if "geometry" in source and ("latitude" not in source or "longitude" not in source
                                 or pd.isna(source["latitude"]).any()):
        xy = [(g.x, g.y) if g is not None and not g.is_empty and g.geom_type == "Point" else (None, None)
              for g in source["geometry"]]
        source = pd.DataFrame(source.drop(columns="geometry"))
        for column, values in (("longitude", [p[0] for p in xy]), ("latitude", [p[1] for p in xy])):
            given = source[column] if column in source else pd.Series(None, index=source.index, dtype=object)
            source[column] = pd.to_numeric(given, errors="coerce").fillna(pd.Series(values, dtype="float64"))
    out = pd.DataFrame(index=source.index)
    for column, kind in COLUMN_TYPES.items():
        values = source[column] if column in source else pd.Series(None, index=source.index, dtype=object)
        out[column] = _coerce(values, kind)
    out["event_id"] = fill_event_ids(out)
    return out


def with_geometry(frame: pd.DataFrame) -> "gpd.GeoDataFrame":
    """``frame`` (typed schema columns) as a GeoDataFrame with points from longitude/latitude."""
    import geopandas as gpd

    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs=CRS)
    return gpd.GeoDataFrame(pd.DataFrame(frame), geometry=geometry, crs=CRS)


def prepare_frame(frame: pd.DataFrame, *, now: dt.datetime | None = None) -> pd.DataFrame:
    """:func:`typed_frame`, stamped with ``updated_at``, validated and de-duplicated by ``event_id``.

    Raises :class:`StoreError` if a row lacks a date or coordinates or has coordinates outside the
    world (importers reject such rows earlier, with file and row; this is the last line of defence).
    """
    out = typed_frame(frame)
    stamp = (now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)).replace(microsecond=0)
    out["updated_at"] = out["updated_at"].fillna(pd.Timestamp(stamp))
    bad = out["event_date"].isna() | out["latitude"].isna() | out["longitude"].isna()
    bad |= ~out["latitude"].between(-90, 90) | ~out["longitude"].between(-180, 180)
    if bad.any():
        first = int(bad.idxmax())
        raise StoreError(f"{int(bad.sum())} row(s) lack a valid event_date or coordinates "
                         f"(first: row {first + 1}, event_id {out.at[first, 'event_id']!r}); nothing was written")
    return out.drop_duplicates("event_id", keep="last").reset_index(drop=True)


def _coerce(values: pd.Series, kind: str) -> pd.Series:
    if kind in ("date", "datetime"):
        parsed = pd.to_datetime(values, errors="coerce", utc=False)
        if getattr(parsed.dtype, "tz", None) is not None:  # dates: the local date; times: UTC
            parsed = parsed.dt.tz_localize(None) if kind == "date" else parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        parsed = parsed.astype("datetime64[ns]")
        return parsed.dt.normalize() if kind == "date" else parsed.dt.floor("s")
    if kind == "int":
        return pd.to_numeric(values, errors="coerce").round().astype("Int64")
    if kind == "float":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    return _text(values)


def _text(values: pd.Series) -> pd.Series:
    """Object Series of str or None (blank strings and NaN become None)."""
    return clean_text(values)


def frame_from_rows(rows: list[tuple]) -> "gpd.GeoDataFrame":
    """A typed incident GeoDataFrame from rows of the schema columns in :data:`COLUMNS` order."""
    columns = list(zip(*rows)) if rows else [() for _ in COLUMNS]
    data: dict[str, pd.Series] = {}
    for (column, kind), values in zip(COLUMN_TYPES.items(), columns):
        if kind in ("date", "datetime"):
            text = pd.Series(values, dtype=object)
            fmt = "%Y-%m-%d" if kind == "date" else "ISO8601"
            parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc=kind == "datetime")
            if kind == "datetime":
                parsed = parsed.dt.tz_localize(None)
            data[column] = parsed.astype("datetime64[ns]")
        elif kind == "int":
            data[column] = pd.Series(values, dtype="float64" if not values else object).astype("Int64")
        elif kind == "float":
            data[column] = pd.Series(values, dtype="float64")
        else:
            data[column] = pd.Series(values, dtype=object)
    return with_geometry(pd.DataFrame(data))


def empty_frame() -> "gpd.GeoDataFrame":
    """An incident GeoDataFrame with no rows but the right columns and types."""
    return frame_from_rows([])
