"""Files for the dashboard's download buttons: the filtered view as data (CSV, GeoJSON, GeoPackage, KML)
or as a map (PNG snapshot, standalone offline HTML; for print: PNG/PDF with a chosen title and size, and
the time playback as an animated GIF). Bytes in memory; nothing touches the store. File names say what
they show (:func:`file_name_for`: dates and regions of the view)."""

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
#: Print and animation downloads (title and size chosen in the dashboard).
PRINT_SPECS: tuple[ExportSpec, ...] = (
    ExportSpec("png", "PNG for print", _name("png"), "image/png"),
    ExportSpec("pdf", "PDF for print", _name("pdf"), "application/pdf"),
    ExportSpec("gif", "Playback GIF", _name("gif"), "image/gif"),
)
FORMATS = tuple(s.key for s in SPECS) + ("pdf", "gif")
#: Paper-like sizes offered for print (CSS pixels at 96 dpi; scale 2 doubles the resolution).
PRINT_SIZES = {"Screen 1600x1000": (1600, 1000), "A4 landscape": (1123, 794), "A4 portrait": (794, 1123),
               "A3 landscape": (1587, 1123), "Square 1200": (1200, 1200)}


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def file_name_for(key: str, frame, filters: Filters | None = None) -> str:
    """A file name saying what the file shows: ``incidents_2018-06-01_to_2018-07-31_SY-DR.png``.

    Dates are the incidents' own range (else the filter's), regions the filter's governorates
    ("Syria" when none); the extension is the format key.
    """
    from geo.map.snapshot import date_range_text

    dates = date_range_text(frame) if frame is not None and len(frame) else ""
    if not dates and filters is not None and (filters.since or filters.until):
        dates = f"{filters.since or 'start'} to {filters.until or 'now'}"
    regions = list(getattr(filters, "regions", ()) or ()) if filters is not None else []
    parts = ["incidents", _slug(dates.replace(" to ", "_to_")) if dates else "no-dates",
             "-".join(_slug(str(r)) for r in regions[:4]) + ("-etc" if len(regions) > 4 else "") if regions
             else "Syria"]
    return "_".join(p.replace("-to-", "_to_") for p in parts if p) + f".{key}"


def render(key: str, frame, filters: Filters | None = None, *, title: str = "Incident Atlas",
           highlight_ids: tuple[str, ...] = (), width: int = 1600, height: int = 1000, scale: float = 1.0,
           unit: str = "week") -> bytes:
    """The filtered incidents ``frame`` as file bytes in format ``key`` (one of :data:`FORMATS`).

    Data formats go through :func:`geo.export.export`; maps through :mod:`geo.map.snapshot` (PNG uses the
    local Chromium, or the static renderer when Chromium is missing), titled with the filters.
    """
    if key not in FORMATS:
        raise ValueError(f"unknown export format {key!r}; choose one of {', '.join(FORMATS)}")
    from geo.query import describe_filters

    with tempfile.TemporaryDirectory(prefix="atlas-export-") as tmp:
        out = Path(tmp) / f"export.{key}"
        if key in ("png", "pdf"):
            from geo.map.snapshot import snapshot_png

            snapshot_png(frame, out, title=title, filters_text=describe_filters(filters or Filters()),
                         highlight_ids=highlight_ids, width=width, height=height, scale=scale,
                         renderer="chromium" if key == "pdf" and _has_chromium() else "auto")
        elif key == "gif":
            from geo.map.animate import snapshot_gif

            snapshot_gif(frame, out, unit=unit, title=title, filters_text=describe_filters(filters or Filters()),
                         highlight_ids=highlight_ids, width=min(width, 1600), height=min(height, 1200))
        elif key == "html":
            from geo.map.snapshot import snapshot_html

            snapshot_html(frame, out, title=title, filters_text=describe_filters(filters or Filters()),
                          highlight_ids=highlight_ids)
        else:
            from geo.export import export

            export(frame, key, out)  # GeoJSON/GPKG/KML carry the UCDP credit in their metadata
        return out.read_bytes()


def _has_chromium() -> bool:
    from geo.map.snapshot import chromium_available

    return chromium_available()
