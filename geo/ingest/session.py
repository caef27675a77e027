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
from geo.schema import COLUMNS, validate_record

#: Largest upload the dashboard accepts (the Streamlit config enforces the same limit in MB).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
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


def _preview(result, *, source_name: str, kind: str) -> Preview:
    if result.frame is None or not len(result.frame):
        what = "report" if kind == "report" else "file"
        raise InputError(f"no incident was found in the {what}", file=source_name)
    rejected = [str(r) for r in (result.rejected or [])]
    return Preview(source_name=source_name, kind=kind, frame=result.frame.reset_index(drop=True),
                   rejected=rejected, format=str(result.format))


def preview_upload(name: str, data: bytes, *, format: str = "auto", published: dt.date | None = None,
                   skip_bad: bool = False) -> Preview:
    """Parse an uploaded file (table or report) into a :class:`Preview`; nothing is stored.

    The file goes through :func:`geo.ingest.load`, exactly as ``python -m geo import`` reads it. A report
    takes its publication date from ``published`` or else from the document itself. Bad rows raise
    :class:`RowErrors` (every bad row named by file, row and column) unless ``skip_bad``, which keeps
    the good rows and lists the bad ones in ``Preview.rejected``.
    """
    from geo import ingest
    from geo.ingest import formats

    safe = _safe_name(name)
    if len(data) == 0:
        raise InputError("the file is empty", file=safe)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", file=safe)
    with tempfile.TemporaryDirectory(prefix="atlas-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        fmt = formats.detect(path) if format == "auto" else formats.by_name(format)
        result = ingest.load(str(path), format=format, skip_bad=skip_bad,
                             published=published if fmt.kind == "report" else None)
    return _preview(result, source_name=safe, kind=fmt.kind)


def preview_text(text: str, *, published: dt.date | None, source_name: str | None = None,
                 title: str | None = None, url: str | None = None, source: str | None = None) -> Preview:
    """Extract incidents from pasted report text into a :class:`Preview`; nothing is stored.

    The text goes through :func:`geo.ingest.load_text`, the path of a report file: pasted with
    ``source_name="r.txt"`` it gives the records of importing a file ``r.txt``.
    """
    from geo import ingest

    label = source_name or "pasted report"
    result = ingest.load_text(text, name=source_name, published=published, title=title, url=url, source=source)
    return _preview(result, source_name=label, kind="report")


def candidates_for(name: str, *, context: str | None = None, limit: int = 8) -> list:
    """Places the gazetteer offers for ``name`` (best first), as :class:`geo.geocode.location.Location`."""
    if not name or not name.strip():
        return []
    from geo.geocode import get_geocoder

    found = list(get_geocoder().candidates(name, context=context) or [])
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
    store = open_store(target)
    try:
        return target, store.upsert(preview.frame)
    finally:
        store.close()
