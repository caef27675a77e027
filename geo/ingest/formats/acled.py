"""ACLED exports (the current layout with tags, or the old 31-column one with data_id/iso3) and the
project's own CSV export, which uses the same columns."""

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


def raw_table(data: pd.DataFrame, rows: list[int], columns: list[str], *, file: str) -> RawTable:
    """An ACLED table with its columns mapped to record columns; missing required columns are named."""
    missing = cols.missing(columns, cols.ACLED_REQUIRED)
    if missing:
        raise MissingColumnsError(f"missing required ACLED column(s): {', '.join(missing)}", file=file)
    return RawTable(data, file, rows, cols.acled_mapping(columns), strict_types=True)


def matches(columns: list[str]) -> bool:
    """True for an ACLED header (either layout)."""
    return cols.is_acled(columns)


def recognise(probe: Probe) -> int:
    """A delimited table whose header is ACLED's beats a generic table."""
    return table.recognise_dialect(probe, matches, 5)


def read(path: Path, options: ReadOptions) -> Reading:
    """Read a delimited ACLED file."""
    data, rows, columns, encoding = table.read_delimited(path)
    return Reading(raw_table(data, rows, columns, file=path.name), cols.acled_layout(columns), encoding)


FORMAT = Format(name="acled", label="ACLED export (CSV)", suffixes=table.SUFFIXES, kind="table",
                recognise=recognise, read=read)
