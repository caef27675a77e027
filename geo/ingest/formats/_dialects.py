"""Which table dialect (ACLED, UCDP GED or generic) a container's rows are in, for formats whose
container can hold any of them (Excel workbooks, GeoJSON, GeoPackage)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.ingest import _columns as cols
from geo.ingest._table import RawTable
from geo.ingest.formats import acled, table, ucdp
from geo.ingest.formats._base import ReadOptions

if TYPE_CHECKING:
    import pandas as pd


def dialect_table(data: pd.DataFrame, rows: list[int], options: ReadOptions, *,
                  file: str) -> tuple[RawTable, str]:
    """``(raw table, dialect label)``: ACLED or UCDP when the header says so (unless the user forced the
    container format, which means generic), else a generic table with guessed columns."""
    columns = [str(c) for c in data.columns if not str(c).startswith("__")]
    if not options.forced and acled.matches(columns):
        return acled.raw_table(data, rows, columns, file=file), cols.acled_layout(columns)
    if not options.forced and ucdp.matches(columns):
        return ucdp.raw_table(data, rows, columns, file=file), "ucdp"
    return table.raw_table(data, rows, columns, options.mapping, file=file), "generic"


def use_geometry(raw: RawTable, data: pd.DataFrame) -> None:
    """Coordinates from the feature geometry, falling back to latitude/longitude properties."""
    for column, key in (("longitude", "__lon"), ("latitude", "__lat")):
        geometry = data[key]
        source = raw.mapping.get(column)
        if source is not None:
            raw.derived[column] = geometry.where(geometry.notna(), data[source])
        else:
            raw.derived[column] = geometry
