"""Moving incident frames in and out of PostgreSQL with COPY (fast, typed like the embedded store)."""

from __future__ import annotations

import io
import uuid
from typing import TYPE_CHECKING, Iterator

import numpy as np
import pandas as pd

from geo.schema import COLUMN_TYPES, COLUMNS, CRS

if TYPE_CHECKING:
    import geopandas as gpd



def null_mark() -> str:
    """A fresh spelling of NULL for one COPY's CSV output: no stored text can be mistaken for it
    (pandas cannot tell COPY's quoted values from unquoted ones, so ``\\N`` or ``""`` would be ambiguous)."""
    return "NULL-" + uuid.uuid4().hex


def copy_rows(prepared: pd.DataFrame) -> Iterator[tuple]:
    """Rows of a frame from :func:`geo.store.prepare_frame` as Python tuples in :data:`COLUMNS` order."""
    columns = []
    for column, kind in COLUMN_TYPES.items():
        series = prepared[column]
        if kind in ("date", "datetime"):
            unit = "D" if kind == "date" else "s"
            text = np.datetime_as_string(series.to_numpy(dtype="datetime64[ns]"), unit=unit)
            columns.append([None if t == "NaT" else t for t in text.tolist()])
        elif kind == "int":
            columns.append([None if v is pd.NA else int(v) for v in series.astype(object).tolist()])
        elif kind == "float":
            columns.append([None if v != v else v for v in series.astype("float64").tolist()])
        else:
            columns.append(series.tolist())
    return zip(*columns)


def select_list() -> str:
    """The schema columns as SELECT expressions whose text form :func:`frame_from_csv` parses."""
    parts = []
    for column, kind in COLUMN_TYPES.items():
        name = f'"{column}"'
        if kind == "datetime":
            parts.append(f"to_char({name}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') AS {name}")
        else:
            parts.append(name)
    return ", ".join(parts)


def frame_from_csv(data: bytes, null: str) -> "gpd.GeoDataFrame":
    """An incident GeoDataFrame (schema columns + point geometry, EPSG:4326) from COPY ... CSV output
    written with ``NULL null``. pandas parses doubles exactly, so coordinates survive bit for bit."""
    import geopandas as gpd

    dtypes = {c: ("Int64" if k == "int" else "float64" if k == "float" else object)
              for c, k in COLUMN_TYPES.items()}
    frame = pd.read_csv(io.BytesIO(data), header=None, names=list(COLUMNS), dtype=dtypes,
                        na_values=[null], keep_default_na=False, encoding="utf-8")
    for column, kind in COLUMN_TYPES.items():
        series = frame[column]
        if kind == "date":
            frame[column] = pd.to_datetime(series, format="%Y-%m-%d").astype("datetime64[ns]")
        elif kind == "datetime":
            frame[column] = pd.to_datetime(series, format="ISO8601").astype("datetime64[ns]")
        elif kind == "str":
            frame[column] = series.astype(object).where(series.notna(), None)
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs=CRS)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)
