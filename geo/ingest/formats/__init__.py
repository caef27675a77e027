"""The import formats: one module per format, one registry.

The CLI's ``--format`` choices, the dashboard's upload types and the README's format list all come
from :data:`REGISTRY`. Adding a format is one new module declaring a :class:`Format` plus one line here.
"""

from __future__ import annotations

from pathlib import Path

from geo.errors import UnknownFormatError
from geo.ingest.formats import acled, geojson, gpkg, report, table, ucdp, xlsx
from geo.ingest.formats._base import Format, Probe, Reading, ReadOptions

__all__ = ["Format", "Probe", "REGISTRY", "Reading", "ReadOptions", "by_name", "detect", "names",
           "upload_suffixes"]

#: Every import format; on equal recognition scores the earlier one wins.
REGISTRY: tuple[Format, ...] = (
    acled.FORMAT,
    ucdp.FORMAT,
    table.FORMAT,
    xlsx.FORMAT,
    geojson.FORMAT,
    gpkg.FORMAT,
    report.FORMAT,
)


def names() -> tuple[str, ...]:
    """The format names a user can force (``--format NAME``)."""
    return tuple(f.name for f in REGISTRY)


def by_name(name: str) -> Format:
    """The format called ``name``; :class:`UnknownFormatError` lists the valid names otherwise."""
    for fmt in REGISTRY:
        if fmt.name == name:
            return fmt
    raise UnknownFormatError(f"unknown format {name!r} (use one of auto, {', '.join(names())})")


def detect(path: Path) -> Format:
    """The format that recognises the file at ``path`` most surely."""
    probe = Probe.of(path)
    best, score = None, 0
    for fmt in REGISTRY:
        value = fmt.recognise(probe)
        if value > score:
            best, score = fmt, value
    if best is None:
        raise UnknownFormatError(f"unrecognised file type {probe.suffix or '(no extension)'!r}; use --format "
                                 f"{'|'.join(names())}", file=path.name)
    return best


def upload_suffixes() -> list[str]:
    """File endings the dashboard's uploader accepts, without dots ("csv", "gpkg", …)."""
    return sorted({s.lstrip(".") for fmt in REGISTRY for s in fmt.suffixes})
