"""The dashboard's ingest flow without Streamlit: preview an upload or pasted report, fix geocodes, commit.

1. :func:`preview_upload` / :func:`preview_text` parse a table (ACLED, UCDP, CSV, GeoJSON, GeoPackage)
   with :mod:`geo.ingest` or extract incidents from a report with :mod:`geo.extract`. Nothing is
   written anywhere; the result is a :class:`Preview`.
2. :func:`candidates_for` lists other places a location name may mean; :func:`apply_location` or
   :func:`apply_point` (a point clicked on the map) changes one incident's geocode in the preview;
   :func:`remember_fix` saves the choice as a gazetteer alias so the next report resolves it directly.
3. :func:`commit` validates every row first (any bad row: nothing is written) and upserts the preview
   into the store in one call.

Stores: uploads never modify the bundled sample store. :func:`writable_store` maps the sample store
to a per-user copy (``$INCIDENT_ATLAS_USER_DB`` or ``~/.incident-atlas/atlas.gpkg``), created from
the sample on first write; any other store is written in place.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from geo.errors import GeoError, InputError, RowErrors
from geo.paths import SAMPLE_DB, user_dir
from geo.schema import COLUMNS, CRS, validate_record

#: Largest upload the dashboard accepts (the Streamlit config enforces the same limit in MB).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
USER_DB_ENV_VAR = "INCIDENT_ATLAS_USER_DB"


@dataclass
class Preview:
    """Parsed or extracted incidents waiting to be committed.

    ``frame`` is a GeoDataFrame in :data:`geo.schema.COLUMNS` (+ geometry); ``rejected`` lists rows
    the parser could not read (messages naming file, row and column); ``kind`` is "table" or "report".
    """

    source_name: str
    kind: str
    frame: Any
    rejected: list[str] = field(default_factory=list)
    format: str = ""
    fixes: dict[str, str] = field(default_factory=dict)

    def missing_location(self) -> list[str]:
        """event_ids of incidents that still have no coordinates."""
        lat = pd.to_numeric(self.frame["latitude"], errors="coerce")
        lon = pd.to_numeric(self.frame["longitude"], errors="coerce")
        return [str(e) for e in self.frame.loc[lat.isna() | lon.isna(), "event_id"]]


def user_store_path() -> Path:
    """The per-user store that receives imports when the active store is the bundled sample."""
    override = os.environ.get(USER_DB_ENV_VAR)
    return Path(override) if override else user_dir() / "atlas.gpkg"


def is_sample(db: str | os.PathLike) -> bool:
    """True when ``db`` is the bundled sample store."""
    try:
        return Path(db).resolve() == SAMPLE_DB.resolve()
    except (OSError, TypeError):
        return False


def writable_store(db: str) -> str:
    """The store imports into ``db`` should go to: ``db`` itself, or the user copy for the sample.

    The user copy starts as a copy of the sample (written to a temporary name, then renamed, so an
    interrupted copy never leaves a half file).
    """
    if not is_sample(db):
        return db
    target = user_store_path()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        if SAMPLE_DB.exists():
            shutil.copyfile(SAMPLE_DB, tmp)
            os.replace(tmp, target)
    return str(target)


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "_", base).lstrip(".") or "upload"
    return base[:120]


def _to_geoframe(frame: pd.DataFrame):
    """Schema columns in order (missing ones empty) and a point geometry from latitude/longitude."""
    import geopandas as gpd

    frame = frame.copy()
    for column in COLUMNS:
        if column not in frame:
            frame[column] = None
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    geometry = gpd.points_from_xy(lon, lat, crs=CRS)
    out = gpd.GeoDataFrame(frame[list(COLUMNS)].reset_index(drop=True), geometry=geometry, crs=CRS)
    return out


def _ensure_ids(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    ids = frame["event_id"].astype("object")
    blank = ids.isna() | (ids.astype(str).str.strip() == "")
    if blank.any():
        frame = frame.copy()
        frame.loc[blank, "event_id"] = [f"{prefix}-{i + 1}" for i in range(int(blank.sum()))]
    return frame


def preview_upload(name: str, data: bytes, *, format: str = "auto", published: dt.date | None = None,
                   skip_bad: bool = False) -> Preview:
    """Parse an uploaded file (table or report) into a :class:`Preview`; nothing is stored.

    Reports (.txt/.md/.html) need ``published`` to resolve relative dates. Bad rows raise
    :class:`RowErrors` (every bad row named by file, row and column) unless ``skip_bad``, which keeps
    the good rows and lists the bad ones in ``Preview.rejected``.
    """
    safe = _safe_name(name)
    if len(data) == 0:
        raise InputError("the file is empty", file=safe)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", file=safe)
    is_report = format == "text" or (format == "auto" and Path(safe).suffix.lower() in REPORT_SUFFIXES)
    if is_report and published is None:
        raise InputError("a report needs its publication date to resolve its dates", file=safe)
    from geo import ingest

    with tempfile.TemporaryDirectory(prefix="atlas-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        try:
            result = ingest.load(str(path), format=format, skip_bad=skip_bad,
                                 published=published if is_report else None)
        except GeoError:
            raise
        except Exception as exc:  # parser bug or unexpected content: report it, never crash the app
            raise InputError(f"could not read the file ({type(exc).__name__})", file=safe) from exc
    if result.frame is None or not len(result.frame):
        raise InputError("no incident was found in the file", file=safe)
    frame = _ensure_ids(_to_geoframe(result.frame), Path(safe).stem)
    rejected = [str(r) for r in (result.rejected or [])]
    return Preview(source_name=safe, kind="report" if is_report else "table", frame=frame,
                   rejected=rejected, format=str(getattr(result, "format", format)))


def preview_text(text: str, *, published: dt.date | None, source_name: str = "pasted report",
                 title: str | None = None) -> Preview:
    """Extract incidents from report text into a :class:`Preview`; nothing is stored."""
    if not text or not text.strip():
        raise InputError("the report is empty", file=source_name)
    if published is None:
        raise InputError("the report's publication date is needed to resolve its dates", file=source_name)
    from geo.extract import extract_records

    try:
        frame = extract_records(text, published=published)
    except GeoError:
        raise
    except Exception as exc:
        raise InputError(f"could not extract incidents ({type(exc).__name__})", file=source_name) from exc
    frame = pd.DataFrame(frame)
    if frame.empty:
        raise InputError("no incident was found in the report", file=source_name)
    if "imported_from" in frame:
        frame["imported_from"] = frame["imported_from"].fillna(source_name)
    else:
        frame["imported_from"] = source_name
    frame = _ensure_ids(_to_geoframe(frame), "report")
    return Preview(source_name=source_name, kind="report", frame=frame, format="text")


def candidates_for(name: str, *, context: str | None = None, limit: int = 8) -> list:
    """Places the gazetteer offers for ``name`` (best first), as :class:`geo.geocode.location.Location`."""
    if not name or not name.strip():
        return []
    from geo.geocode import get_geocoder

    geocoder = get_geocoder()
    try:
        found = geocoder.candidates(name, context=context)
    except TypeError:
        found = geocoder.candidates(name)
    found = list(found or [])
    out, seen = [], set()
    for loc in found:
        key = (loc.name, round(loc.lat, 4), round(loc.lon, 4))
        if key not in seen:
            seen.add(key)
            out.append(loc)
    return out[:limit]


def location_label(loc) -> str:
    """Short text naming a candidate: "Name (governorate, precision N) lat, lon"."""
    where = ", ".join(p for p in (loc.admin1, loc.country) if p)
    return f"{loc.name} ({where}; precision {loc.geo_precision}) {loc.lat:.4f}, {loc.lon:.4f}"


def _row_of(frame, event_id: str) -> Any:
    hits = frame.index[frame["event_id"].astype(str) == str(event_id)]
    if not len(hits):
        raise InputError(f"no incident {event_id!r} in the preview")
    return hits[0]


def apply_location(preview: Preview, event_id: str, loc) -> None:
    """Give incident ``event_id`` of the preview the geocode ``loc`` (a Location)."""
    from shapely.geometry import Point

    frame = preview.frame
    i = _row_of(frame, event_id)
    original = frame.at[i, "location"]
    for column, value in (("latitude", float(loc.lat)), ("longitude", float(loc.lon)),
                          ("country", loc.country), ("admin1", loc.admin1), ("admin1_iso", loc.admin1_iso),
                          ("geo_precision", int(loc.geo_precision)), ("region_id", loc.region_id)):
        frame.at[i, column] = value
    if not (isinstance(original, str) and original.strip()):
        frame.at[i, "location"] = loc.name
    frame.loc[i, "geometry"] = Point(float(loc.lon), float(loc.lat))
    preview.fixes[str(event_id)] = loc.name


def apply_point(preview: Preview, event_id: str, lat: float, lon: float) -> Any:
    """Place incident ``event_id`` at a point clicked on the map (precision 1 at that point).

    The governorate comes from reverse geocoding when the gazetteer is available. Returns the
    :class:`~geo.geocode.location.Location` that was applied.
    """
    from geo.geocode.location import Location

    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"{lat}, {lon} is not a point on Earth")
    frame = preview.frame
    name = str(frame.at[_row_of(frame, event_id), "location"] or "clicked point")
    country = admin1 = admin1_iso = None
    try:
        from geo.geocode import get_geocoder

        country, admin1, admin1_iso = get_geocoder().reverse(lat, lon)
    except (ImportError, GeoError, ValueError, TypeError):
        pass
    loc = Location(query=name, name=name, lat=lat, lon=lon, country=country, admin1=admin1,
                   admin1_iso=admin1_iso, kind="place", geo_precision=1, score=1.0, source="map click")
    apply_location(preview, event_id, loc)
    return loc


def remember_fix(alias: str, loc) -> None:
    """Save ``alias`` -> ``loc`` in the user's gazetteer aliases (used by the next geocode)."""
    if not alias or not alias.strip():
        raise InputError("an alias needs a place name")
    from geo.geocode import get_geocoder

    get_geocoder().add_alias(alias.strip(), loc)


def _python(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


def _as_date(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def check_preview(preview: Preview) -> None:
    """Raise :class:`RowErrors` listing every incident that may not be stored (row = 1-based)."""
    errors: list[InputError] = []
    for n, record in enumerate(preview.frame[list(COLUMNS)].to_dict("records"), start=1):
        record = {k: _python(v) for k, v in record.items()}
        for column in ("event_date", "date_end"):
            record[column] = _as_date(record[column])
        for column in ("geo_precision", "time_precision", "fatalities", "count"):
            if isinstance(record[column], float) and record[column].is_integer():
                record[column] = int(record[column])
        problems = validate_record(record)
        if problems:
            errors.append(InputError(problems[0].reason, file=preview.source_name, row=n,
                                     column=problems[0].column))
    if errors:
        raise RowErrors(preview.source_name, errors)


def commit(preview: Preview, db: str):
    """Validate the whole preview, then upsert it into ``db`` (the sample maps to the user copy).

    Returns ``(store_path, UpsertResult)``. On any bad row nothing is written.
    """
    if preview.frame is None or not len(preview.frame):
        raise InputError("nothing to import", file=preview.source_name)
    check_preview(preview)
    from geo.store import open_store

    target = writable_store(db)
    with open_store(target) as store:
        result = store.upsert(preview.frame)
    return target, result
