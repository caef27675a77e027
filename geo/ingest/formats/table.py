"""Any other delimited table (CSV, TSV, semicolon or pipe separated): record columns guessed from the
header names (date, lat/lon, place, actor, type, notes, …) or named by the user's mapping."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import MissingColumnsError
from geo.ingest import _columns as cols
from geo.ingest._decode import read_text
from geo.ingest._table import RawTable
from geo.ingest.formats._base import Format, Probe, Reading, ReadOptions

if TYPE_CHECKING:
    import pandas as pd

SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
_TABLE_ONLY = (".csv", ".tsv", ".tab")


def looks_like_header(probe: Probe) -> bool:
    """True if the first line is a delimited header naming at least two known columns (not prose)."""
    fields = probe.header
    if len(fields) < 3:
        return False
    known = {s for spellings in cols.GUESSES.values() for s in spellings} | set(cols.ACLED_COLUMNS) | cols.UCDP_MARKERS
    return sum(cols._key(f) in known for f in fields) >= 2


def recognise(probe: Probe) -> int:
    """Table endings; a .txt file only when its first line is a table header; any delimited first line."""
    if probe.suffix in _TABLE_ONLY or (probe.suffix == ".txt" and looks_like_header(probe)):
        return 50
    first = probe.head.split(b"\n", 1)[0]
    if probe.suffix not in (".txt", ".md", ".html", ".htm", ".json", ".geojson") and \
            any(first.count(d) >= 2 for d in (b",", b";", b"\t")):
        return 10
    return 0


def recognise_dialect(probe: Probe, matches, bonus: int) -> int:
    """A table dialect's score: a delimited table (as :func:`recognise` scores it) whose header ``matches``
    the dialect scores ``bonus`` more than a generic table."""
    base = recognise(probe)
    return base + bonus if base and matches(probe.header) else 0


def read_delimited(path: Path) -> tuple[pd.DataFrame, list[int], list[str], str]:
    """``(data, rows, columns, encoding)`` of a delimited text file."""
    from geo.ingest._readers import read_csv

    text, encoding = read_text(path)
    data, rows = read_csv(text, file=path.name)
    return data, rows, [str(c) for c in data.columns if not str(c).startswith("__")], encoding


def raw_table(data: pd.DataFrame, rows: list[int], columns: list[str], mapping: dict[str, str] | None,
              *, file: str) -> RawTable:
    """A generic table: the user's mapping completed by guesses; no date or place column is an error."""
    given = cols.normalise_mapping(mapping, columns, file=file)
    full = cols.guess_mapping(columns, given)
    has_point = ("latitude" in full and "longitude" in full) or "__lat" in data.columns
    problems = []
    if ("latitude" in full) != ("longitude" in full) and "__lat" not in data.columns:
        have, lack = ("latitude", "longitude") if "latitude" in full else ("longitude", "latitude")
        problems.append(f"the file has a {have} column ({full[have]!r}) but no {lack} column: name it with "
                        f"--map {lack}=COLUMN, or drop the {have} column to place rows by their place names")
    if "event_date" not in full:
        problems.append("no date column (name one with --map event_date=COLUMN)")
    if not has_point and "location" not in full:
        problems.append("no coordinates or place-name column (use --map latitude=COL --map longitude=COL, "
                        "or --map location=COL)")
    if problems and len(data):
        raise MissingColumnsError("; ".join(problems) + f"; the file's columns are: {', '.join(columns[:25])}",
                                  file=file)
    return RawTable(data, file, rows, full, strict_types=False)


def read(path: Path, options: ReadOptions) -> Reading:
    """Read a delimited file as a generic table."""
    data, rows, columns, encoding = read_delimited(path)
    return Reading(raw_table(data, rows, columns, options.mapping, file=path.name), "csv", encoding)


FORMAT = Format(name="csv", label="Other table (CSV/TSV, columns guessed or mapped)", suffixes=SUFFIXES,
                kind="table", recognise=recognise, read=read)
