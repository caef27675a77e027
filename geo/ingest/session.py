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
#: Where an import comes from in the dashboard.
SOURCES = ("Upload a file", "Paste a report")
#: Columns the import preview shows (everything a user checks before committing).
PREVIEW_COLUMNS = ("event_id", "event_date", "date_end", "kind", "event_type", "sub_event_type", "actor1", "actor2",
                   "location", "admin1", "latitude", "longitude", "geo_precision", "count", "fatalities",
                   "confidence", "source", "source_url", "notes")


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
    #: A report's publication date and where it came from: "document" (its own date) or "given" (the user's).
    published: dt.date | None = None
    published_from: str | None = None
    #: Spelling -> Location the user asked to remember; saved as aliases only when the preview is committed.
    pending_aliases: dict[str, Any] = field(default_factory=dict)

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


def safe_url(text: str | None) -> str | None:
    """``text`` when it is an http(s) URL, else None (a source link must never run script)."""
    from urllib.parse import urlparse

    text = (text or "").strip()
    if not text:
        return None
    parsed = urlparse(text)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        raise InputError(f"the source URL must start with http:// or https:// (got {text[:80]!r})")
    return text


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
                   rejected=rejected, format=str(result.format), published=result.meta.get("published"),
                   published_from=result.meta.get("published_from"))


def preview_upload(name: str, data: bytes, *, format: str = "auto", published: dt.date | None = None,
                   skip_bad: bool = False) -> Preview:
    """Parse an uploaded file (table or report) into a :class:`Preview`; nothing is stored.

    The file goes through :func:`geo.ingest.load`, exactly as ``python -m geo import`` reads it. A report
    keeps the publication date it states itself; ``published`` is used only when it states none (the
    preview's ``published_from`` says which). Bad rows raise
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
                             published=published if fmt.kind == "report" else None, prefer_document_date=True)
    return _preview(result, source_name=safe, kind=fmt.kind)


def preview_text(text: str, *, published: dt.date | None, source_name: str | None = None,
                 title: str | None = None, url: str | None = None, source: str | None = None) -> Preview:
    """Extract incidents from pasted report text into a :class:`Preview`; nothing is stored.

    The text goes through :func:`geo.ingest.load_text`, the path of a report file: pasted with
    ``source_name="r.txt"`` it gives the records of importing a file ``r.txt``. The report's own date wins
    over ``published`` (see :func:`preview_upload`); ``source`` names the outlet and ``url`` the page.
    """
    from geo import ingest

    label = source_name or "pasted report"
    result = ingest.load_text(text, name=source_name, published=published, title=title, url=url, source=source,
                              prefer_document_date=True)
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
    """Short text naming a candidate: "Name (governorate, precision N) lat, lon", and the conflict events
    recorded near it when the gazetteer knows of any ("· 4 UCDP events within 5 km, 2016-2019")."""
    from geo.geocode import get_geocoder

    where = ", ".join(p for p in (loc.admin1, loc.country) if p)
    label = f"{loc.name} ({where}; precision {loc.geo_precision}) {loc.lat:.4f}, {loc.lon:.4f}"
    activity = get_geocoder().recorded_activity(loc)
    return f"{label} · {activity}" if activity else label


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
    spelling = report_spelling(preview, event_id)
    from geo.ingest._geo_hooks import COUNTRY_NAMES

    country = COUNTRY_NAMES.get(loc.country or "", loc.country)
    for column, value in (("latitude", float(loc.lat)), ("longitude", float(loc.lon)),
                          ("country", country), ("admin1", loc.admin1), ("admin1_iso", loc.admin1_iso),
                          ("geo_precision", int(loc.geo_precision)), ("region_id", loc.region_id),
                          ("location", loc.name)):
        frame.at[i, column] = value
    if spelling:  # the report's own spelling stays with the incident (and keys a remembered alias)
        frame.at[i, "extra"] = _with_extra(frame.at[i, "extra"], location_text=spelling)
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


def report_spelling(preview: Preview, event_id: str) -> str:
    """How the source itself wrote the place of incident ``event_id`` (the name to remember a fix under):
    the extracted place text of a report, else the table's location value."""
    import json

    row = preview.frame.loc[_row_of(preview.frame, event_id)]
    extra = row.get("extra")
    try:
        data = json.loads(extra) if isinstance(extra, str) and extra else {}
    except ValueError:
        data = {}
    text = data.get("location_text") if isinstance(data, dict) else None
    if isinstance(text, str) and text.strip():
        return text.strip()
    location = row.get("location")
    return location.strip() if isinstance(location, str) else ""


def _with_extra(extra: Any, **values: Any) -> str:
    import json

    try:
        data = json.loads(extra) if isinstance(extra, str) and extra else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    data.update(values)
    return json.dumps(data, ensure_ascii=False)


def queue_alias(preview: Preview, spelling: str, loc) -> None:
    """Remember ``spelling`` -> ``loc`` when the preview is committed (nothing is written before)."""
    if not spelling or not spelling.strip():
        raise InputError("an alias needs a place name")
    preview.pending_aliases[spelling.strip()] = loc


def list_aliases() -> list[dict]:
    """The user's saved corrections (alias, name, lat, lon, admin1, added, by …), newest first."""
    from geo.geocode._aliases import AliasFile
    from geo.paths import user_aliases_path

    return sorted(AliasFile(user_aliases_path()).rows(), key=lambda r: r.get("added") or "", reverse=True)


def delete_alias(alias: str) -> bool:
    """Forget the user's correction ``alias``; the next geocode of that spelling uses the gazetteer again."""
    from geo.geocode import get_geocoder

    return get_geocoder().remove_alias(alias)


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
    for spelling, loc in preview.pending_aliases.items():  # only what the user ticked "Remember" for
        remember_fix(spelling, loc)
    preview.pending_aliases.clear()
    return target, result
