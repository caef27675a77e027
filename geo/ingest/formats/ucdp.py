"""UCDP Georeferenced Event Dataset (GED) tables: ids, precisions and event types derived from UCDP's codes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import MissingColumnsError
from geo.ingest import _columns as cols
from geo.ingest._table import RawTable
from geo.ingest.formats import table
from geo.ingest.formats._base import Format, Probe, Reading, ReadOptions

if TYPE_CHECKING:
    import pandas as pd

#: UCDP where_prec (1 exact … 7 international waters/airspace) -> ACLED-style geo_precision.
WHERE_PREC = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
#: UCDP date_prec (1 exact day … 5 more than a month) -> time_precision.
DATE_PREC = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
#: UCDP type_of_violence -> (event_type, sub_event_type, kind).
VIOLENCE = {1: ("Battles", "Armed clash", "clash"), 2: ("Battles", "Armed clash", "clash"),
            3: ("Violence against civilians", "Attack", "attack")}


def _numeric(value) -> bool:
    try:
        return float(value) == float(value)
    except (TypeError, ValueError):
        return False


def raw_table(data: pd.DataFrame, rows: list[int], columns: list[str], *, file: str) -> RawTable:
    """A UCDP GED table: ``ucdp:<id>`` keys, precisions and types translated from UCDP's codes."""
    missing = cols.missing(columns, cols.UCDP_REQUIRED)
    if missing:
        raise MissingColumnsError(f"missing required UCDP GED column(s): {', '.join(missing)}", file=file)

    def get(name: str) -> pd.Series | None:
        column = cols.column_by_key(columns, name)
        return data[column] if column else None

    ids = get("id").map(lambda v: None if v is None or not str(v).strip() else
                        "ucdp:" + (str(int(float(v))) if _numeric(v) else str(v).strip()))
    derived: dict[str, pd.Series] = {"event_id": ids}
    names = {"event_id": cols.column_by_key(columns, "id")}
    for column, source, codes in (("geo_precision", "where_prec", WHERE_PREC),
                                  ("time_precision", "date_prec", DATE_PREC)):
        values = get(source)
        if values is not None:
            derived[column] = values.map(lambda v, t=codes: t.get(int(float(v)), v) if _numeric(v) else v)
            names[column] = cols.column_by_key(columns, source)
    violence = get("type_of_violence")
    if violence is not None:
        coded = violence.map(lambda v: VIOLENCE.get(int(float(v))) if _numeric(v) else None)
        for i, column in enumerate(("event_type", "sub_event_type", "kind")):
            derived[column] = coded.map(lambda c, i=i: c[i] if c else None)
    out = RawTable(data, file, rows, cols.ucdp_mapping(columns), derived=derived, strict_types=True)
    out.names = names
    return out


def matches(columns: list[str]) -> bool:
    """True for a UCDP GED header."""
    return cols.is_ucdp(columns)


def recognise(probe: Probe) -> int:
    """A delimited table whose header is UCDP GED's beats a generic table."""
    return table.recognise_dialect(probe, matches, 4)


def read(path: Path, options: ReadOptions) -> Reading:
    """Read a delimited UCDP GED file."""
    data, rows, columns, encoding = table.read_delimited(path)
    return Reading(raw_table(data, rows, columns, file=path.name), "ucdp", encoding)


FORMAT = Format(name="ucdp", label="UCDP GED (CSV)", suffixes=table.SUFFIXES, kind="table",
                recognise=recognise, read=read)
