"""GeoJSON point features: coordinates from the geometry, attributes from the properties."""

from __future__ import annotations

from pathlib import Path

from geo.ingest._decode import read_text
from geo.ingest.formats._base import Format, Probe, Reading, ReadOptions
from geo.ingest.formats._dialects import dialect_table, use_geometry


def recognise(probe: Probe) -> int:
    """A .geojson/.json name, or (weaker) a file that starts with a JSON object."""
    if probe.suffix in (".geojson", ".json"):
        return 70
    return 20 if probe.head.lstrip().startswith(b"{") else 0


def read(path: Path, options: ReadOptions) -> Reading:
    """Read every feature; features that are not points are reported as problems of their row."""
    from geo.ingest._readers import read_geojson

    text, encoding = read_text(path)
    data, rows, problems = read_geojson(text, file=path.name)
    raw, _dialect = dialect_table(data, rows, options, file=path.name)
    use_geometry(raw, data)
    return Reading(raw, "geojson", encoding, problems)


FORMAT = Format(name="geojson", label="GeoJSON points", suffixes=(".geojson", ".json"), kind="table",
                recognise=recognise, read=read)
