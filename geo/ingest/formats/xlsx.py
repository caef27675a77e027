"""Excel workbooks (.xlsx, first sheet): ACLED, UCDP GED or any other table."""

from __future__ import annotations

from pathlib import Path

from geo.errors import UnknownFormatError
from geo.ingest.formats._base import Format, Probe, Reading, ReadOptions
from geo.ingest.formats._dialects import dialect_table


def recognise(probe: Probe) -> int:
    """A zip container or an .xlsx/.xlsm name; old binary .xls files are refused with advice."""
    if probe.suffix == ".xls" and not probe.head.startswith(b"PK\x03\x04"):
        raise UnknownFormatError("old Excel .xls files are not supported: save it as .xlsx or CSV",
                                 file=probe.path.name)
    return 80 if probe.head.startswith(b"PK\x03\x04") or probe.suffix in (".xlsx", ".xlsm") else 0


def read(path: Path, options: ReadOptions) -> Reading:
    """Read the first sheet; the dialect comes from its header row."""
    from geo.ingest._readers import read_xlsx

    data, rows = read_xlsx(path, file=path.name)
    raw, dialect = dialect_table(data, rows, options, file=path.name)
    return Reading(raw, "xlsx" if dialect == "generic" else f"xlsx:{dialect}")


FORMAT = Format(name="xlsx", label="Excel workbook (first sheet)", suffixes=(".xlsx", ".xlsm"), kind="table",
                recognise=recognise, read=read)
