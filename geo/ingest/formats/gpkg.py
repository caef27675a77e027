"""GeoPackage point layers (the project's own store files among them)."""

from __future__ import annotations

from pathlib import Path

from geo.ingest.formats._base import Format, Probe, Reading, ReadOptions
from geo.ingest.formats._dialects import dialect_table, use_geometry

SQLITE_MAGIC = b"SQLite format 3\x00"


def recognise(probe: Probe) -> int:
    """An SQLite file or a .gpkg name."""
    return 100 if probe.head.startswith(SQLITE_MAGIC) or probe.suffix == ".gpkg" else 0


def read(path: Path, options: ReadOptions) -> Reading:
    """Read the point layer."""
    from geo.ingest._readers import read_gpkg

    data, rows, problems, _layer = read_gpkg(path, file=path.name)
    raw, _dialect = dialect_table(data, rows, options, file=path.name)
    use_geometry(raw, data)
    return Reading(raw, "gpkg", None, problems)


FORMAT = Format(name="gpkg", label="GeoPackage point layer", suffixes=(".gpkg",), kind="table",
                recognise=recognise, read=read)
