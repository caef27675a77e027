"""Files for the dashboard's download buttons: the filtered view as data (CSV, GeoJSON, GeoPackage, KML)
or as a map (PNG snapshot, standalone offline HTML). Bytes in memory; nothing touches the store."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geo.filters import Filters


@dataclass(frozen=True)
class ExportSpec:
    """One download button: format key, button label, file name and MIME type."""

    key: str
    label: str
    file_name: str
    mime: str


def _name(ext: str) -> str:
    return f"incidents-{dt.date.today().isoformat()}.{ext}"


SPECS: tuple[ExportSpec, ...] = (
    ExportSpec("csv", "CSV", _name("csv"), "text/csv"),
    ExportSpec("geojson", "GeoJSON", _name("geojson"), "application/geo+json"),
    ExportSpec("gpkg", "GeoPackage", _name("gpkg"), "application/geopackage+sqlite3"),
    ExportSpec("kml", "KML", _name("kml"), "application/vnd.google-earth.kml+xml"),
    ExportSpec("png", "PNG map", _name("png"), "image/png"),
    ExportSpec("html", "HTML map", _name("html"), "text/html"),
)
FORMATS = tuple(s.key for s in SPECS)


def render(key: str, frame, filters: Filters | None = None, *, title: str = "Incident Atlas",
           highlight_ids: tuple[str, ...] = ()) -> bytes:
    """The filtered incidents ``frame`` as file bytes in format ``key`` (one of :data:`FORMATS`).

    Data formats go through :func:`geo.export.export`; maps through :mod:`geo.map.snapshot` (PNG uses the
    local Chromium, or the static renderer when Chromium is missing), titled with the filters.
    """
    if key not in FORMATS:
        raise ValueError(f"unknown export format {key!r}; choose one of {', '.join(FORMATS)}")
    from geo.query import describe_filters

    with tempfile.TemporaryDirectory(prefix="atlas-export-") as tmp:
        out = Path(tmp) / f"export.{key}"
        if key == "png":
            from geo.map.snapshot import snapshot_png

            snapshot_png(frame, out, title=title, filters_text=describe_filters(filters or Filters()),
                         highlight_ids=highlight_ids)
        elif key == "html":
            from geo.map.snapshot import snapshot_html

            snapshot_html(frame, out, title=title, filters_text=describe_filters(filters or Filters()),
                          highlight_ids=highlight_ids)
        else:
            from geo.export import export

            export(frame, key, out)
        return out.read_bytes()
