"""Moving incident frames in and out of PostgreSQL with COPY (fast, typed like the embedded store)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import numpy as np
import pandas as pd

from geo.schema import COLUMN_TYPES, COLUMNS, CRS

if TYPE_CHECKING:
    import geopandas as gpd

#: How COPY spells NULL in the CSV it writes for us. It is unquoted there, while a stored text "\\N" is
#: written quoted, and the Arrow CSV reader keeps the two apart (``quoted_strings_can_be_null=False``).
NULL_MARK = "\\N"


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


def frame_from_csv(data: bytes | bytearray, null: str = NULL_MARK) -> "gpd.GeoDataFrame":
    """An incident GeoDataFrame (schema columns + point geometry, EPSG:4326) from COPY … CSV output
    written with ``NULL null``. Arrow's CSV reader is multi-threaded and parses doubles exactly, so
    coordinates survive bit for bit."""
    import geopandas as gpd
    import pyarrow as pa
    from pyarrow import csv

    arrow_types = {"int": pa.int64(), "float": pa.float64(), "date": pa.date32(), "datetime": pa.timestamp("us"),
                   "str": pa.string()}
    table = csv.read_csv(
        pa.BufferReader(pa.py_buffer(data)),  # no copy of the CSV
        read_options=csv.ReadOptions(column_names=list(COLUMNS)),
        parse_options=csv.ParseOptions(newlines_in_values=True),
        convert_options=csv.ConvertOptions(
            column_types={c: arrow_types[k] for c, k in COLUMN_TYPES.items()}, null_values=[null],
            strings_can_be_null=True, quoted_strings_can_be_null=False, timestamp_parsers=["%Y-%m-%dT%H:%M:%S.%f",
                                                                                          csv.ISO8601]))
    columns = {}
    for column, kind in COLUMN_TYPES.items():
        values = table.column(column)
        if kind == "int":
            columns[column] = values.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        elif kind == "float":
            columns[column] = pd.Series(values.to_numpy(), dtype="float64")
        elif kind in ("date", "datetime"):
            if kind == "date":
                values = values.cast(pa.timestamp("us"))
            columns[column] = pd.Series(values.to_numpy().astype("datetime64[ns]"))
        else:
            columns[column] = pd.Series(values.to_numpy(zero_copy_only=False), dtype=object)
    frame = pd.DataFrame(columns)
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs=CRS)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)
