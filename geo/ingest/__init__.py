"""Importers: ACLED (both layouts), UCDP GED, any CSV/XLSX with a column mapping, GeoJSON and
GeoPackage point layers, and report text (through :mod:`geo.extract`).

:func:`load` reads one file into incident records without touching any store::

    result = load("acled_export.csv")              # format detected from the header
    result = load("mine.csv", mapping={"date": "Date", "lat": "Lat", "lon": "Lon"})
    store.upsert(result.frame)

Rows are numbered as a spreadsheet shows them (the header is row 1; GeoJSON counts features from 1).
If any row is bad, :class:`geo.errors.RowErrors` lists every one and nothing is returned, unless
``skip_bad=True``: then the good rows come back and the bad ones are in ``result.rejected``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.errors import GeoError, InputError, MissingColumnsError, RowErrors, UnknownFormatError
from geo.ingest import _columns as cols
from geo.ingest._build import RawTable, build
from geo.ingest._decode import read_text
from geo.ingest._readers import read_csv, read_geojson, read_gpkg, read_xlsx

if TYPE_CHECKING:
    import geopandas as gpd

FORMATS = ("auto", "acled", "ucdp", "csv", "xlsx", "geojson", "gpkg", "text")
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
TABLE_SUFFIXES = {".csv", ".tsv", ".tab"}
#: UCDP where_prec (1 exact … 7 international waters/airspace) -> ACLED-style geo_precision.
UCDP_WHERE_PREC = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
#: UCDP date_prec (1 exact day … 5 more than a month) -> time_precision.
UCDP_DATE_PREC = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
#: UCDP type_of_violence -> (event_type, sub_event_type, kind).
UCDP_VIOLENCE = {1: ("Battles", "Armed clash", "clash"), 2: ("Battles", "Armed clash", "clash"),
                 3: ("Violence against civilians", "Attack", "attack")}


@dataclass
class IngestResult:
    """What :func:`load` read: incident records (schema columns + geometry), rejected rows, and how."""

    frame: "gpd.GeoDataFrame"
    rejected: list[InputError] = field(default_factory=list)
    format: str = ""
    encoding: str | None = None
    file: str = ""


def load(path: str | Path, *, format: str = "auto", mapping: dict[str, str] | None = None,
         skip_bad: bool = False, published: dt.date | str | None = None) -> IngestResult:
    """Read the incidents in ``path``.

    ``format`` forces one of :data:`FORMATS`; ``mapping`` maps record columns (or short names like
    ``date``, ``lat``, ``lon``, ``place``) to the file's column names for CSV/XLSX/GeoJSON/GeoPackage;
    ``published`` is the publication date of a report (text format). Raises :class:`GeoError` subclasses
    only: unknown format, missing columns (named), unreadable file, or :class:`RowErrors`.
    """
    path = Path(path)
    file = path.name
    if format not in FORMATS:
        raise UnknownFormatError(f"unknown format {format!r} (use one of {', '.join(FORMATS)})", file=file)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    try:
        table, fmt, encoding = _read(path, format=format, mapping=mapping, published=published)
        records, errors, bad = build(table)
    except GeoError:
        raise
    except Exception as exc:  # a reader bug or an input we did not foresee: never a traceback
        raise InputError(f"could not read the file ({type(exc).__name__}: {exc})", file=file) from exc
    if errors and not skip_bad:
        raise RowErrors(file, errors)
    from geo.store import typed_frame, with_geometry

    good = records[~pd.Series(bad, index=records.index)]
    frame = with_geometry(typed_frame(good))
    return IngestResult(frame=frame, rejected=errors, format=fmt, encoding=encoding, file=str(path))


def detect_format(path: Path, head: bytes) -> str:
    """The container format of a file from its name and first bytes (tables are refined later)."""
    suffix = path.suffix.lower()
    if head.startswith(b"SQLite format 3\x00") or suffix == ".gpkg":
        return "gpkg"
    if head.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".geojson", ".json"):
        return "geojson"
    if suffix in TEXT_SUFFIXES:
        if suffix == ".txt" and _looks_like_table_header(head):
            return "csv"
        return "text"
    if suffix in TABLE_SUFFIXES:
        return "csv"
    stripped = head.lstrip()
    if stripped.startswith(b"{"):
        return "geojson"
    if stripped[:1] == b"<":
        return "text"
    if suffix == ".xls":
        raise UnknownFormatError("old Excel .xls files are not supported: save it as .xlsx or CSV", file=path.name)
    first = head.split(b"\n", 1)[0]
    if any(first.count(d) >= 2 for d in (b",", b";", b"\t")):
        return "csv"
    raise UnknownFormatError(f"unrecognised file type {suffix or '(no extension)'!r}; use --format "
                             f"{'|'.join(FORMATS[1:])}", file=path.name)


def _looks_like_table_header(head: bytes) -> bool:
    """True if the first line is a delimited header naming at least two known columns (not prose)."""
    from geo.ingest._readers import sniff_delimiter

    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").strip().lstrip("\ufeff")
    delimiter = sniff_delimiter(first)
    fields = [f.strip().strip('"') for f in first.split(delimiter)]
    if len(fields) < 3:
        return False
    known = {s for spellings in cols.GUESSES.values() for s in spellings} | set(cols.ACLED_COLUMNS) | cols.UCDP_MARKERS
    return sum(cols._key(f) in known for f in fields) >= 2


def _read(path: Path, *, format: str, mapping: dict[str, str] | None,
          published) -> tuple[RawTable, str, str | None]:
    file = path.name
    with open(path, "rb") as handle:
        head = handle.read(4096)
    container = detect_format(path, head) if format == "auto" else {"acled": "csv", "ucdp": "csv"}.get(
        format, format)
    encoding: str | None = None
    problems: list[tuple[int, str, str]] = []
    if container == "text":
        return _read_text(path, published=published)
    if container == "csv":
        text, encoding = read_text(path)
        data, rows = read_csv(text, file=file)
    elif container == "xlsx":
        data, rows = read_xlsx(path, file=file)
    elif container == "geojson":
        text, encoding = read_text(path)
        data, rows, problems = read_geojson(text, file=file)
    elif container == "gpkg":
        data, rows, problems, _layer = read_gpkg(path, file=file)
    else:  # pragma: no cover - FORMATS is checked by load()
        raise UnknownFormatError(f"unknown format {format!r}", file=file)
    columns = [str(c) for c in data.columns if not str(c).startswith("__")]
    if format == "acled" or (format == "auto" and cols.is_acled(columns)):
        table, fmt = _acled(data, rows, columns, file=file), cols.acled_layout(columns)
    elif format == "ucdp" or (format == "auto" and cols.is_ucdp(columns)):
        table, fmt = _ucdp(data, rows, columns, file=file), "ucdp"
    else:
        table, fmt = _generic(data, rows, columns, mapping, file=file), container
    if container in ("geojson", "gpkg"):
        _use_geometry(table, data)
        fmt = container
    elif container == "xlsx":
        fmt = "xlsx" if fmt == "xlsx" else f"xlsx:{fmt}"
    if mapping and table.strict_types:
        table.mapping.update(cols.normalise_mapping(mapping, columns, file=file))
    table.problems = problems
    table.imported_from = file
    return table, fmt, encoding


def _acled(data: pd.DataFrame, rows: list[int], columns: list[str], *, file: str) -> RawTable:
    missing = cols.missing(columns, cols.ACLED_REQUIRED)
    if missing:
        raise MissingColumnsError(f"missing required ACLED column(s): {', '.join(missing)}", file=file)
    return RawTable(data, file, rows, cols.acled_mapping(columns), strict_types=True)


def _ucdp(data: pd.DataFrame, rows: list[int], columns: list[str], *, file: str) -> RawTable:
    missing = cols.missing(columns, cols.UCDP_REQUIRED)
    if missing:
        raise MissingColumnsError(f"missing required UCDP GED column(s): {', '.join(missing)}", file=file)
    get = lambda name: data[cols.column_by_key(columns, name)] if cols.column_by_key(columns, name) else None  # noqa: E731
    ids = get("id").map(lambda v: None if v is None or not str(v).strip() else
                        "ucdp:" + (str(int(float(v))) if _numeric(v) else str(v).strip()))
    derived: dict[str, pd.Series] = {"event_id": ids}
    names = {"event_id": cols.column_by_key(columns, "id")}
    for column, source, table in (("geo_precision", "where_prec", UCDP_WHERE_PREC),
                                  ("time_precision", "date_prec", UCDP_DATE_PREC)):
        values = get(source)
        if values is not None:
            derived[column] = values.map(lambda v, t=table: t.get(int(float(v)), v) if _numeric(v) else v)
            names[column] = cols.column_by_key(columns, source)
    violence = get("type_of_violence")
    if violence is not None:
        codes = violence.map(lambda v: UCDP_VIOLENCE.get(int(float(v))) if _numeric(v) else None)
        for i, column in enumerate(("event_type", "sub_event_type", "kind")):
            derived[column] = codes.map(lambda c, i=i: c[i] if c else None)
    table = RawTable(data, file, rows, cols.ucdp_mapping(columns), derived=derived, strict_types=True)
    table.names = names
    return table


def _numeric(value) -> bool:
    try:
        return float(value) == float(value)
    except (TypeError, ValueError):
        return False


def _generic(data: pd.DataFrame, rows: list[int], columns: list[str], mapping: dict[str, str] | None,
             *, file: str) -> RawTable:
    given = cols.normalise_mapping(mapping, columns, file=file)
    full = cols.guess_mapping(columns, given)
    has_point = ("latitude" in full and "longitude" in full) or "__lat" in data.columns
    problems = []
    if "event_date" not in full:
        problems.append("no date column (name one with --map event_date=COLUMN)")
    if not has_point and "location" not in full:
        problems.append("no coordinates or place-name column (use --map latitude=COL --map longitude=COL, "
                        "or --map location=COL)")
    if problems and len(data):
        raise MissingColumnsError("; ".join(problems) + f"; the file's columns are: {', '.join(columns[:25])}",
                                  file=file)
    return RawTable(data, file, rows, full, strict_types=False)


def _use_geometry(table: RawTable, data: pd.DataFrame) -> None:
    """Coordinates from the feature geometry, falling back to latitude/longitude properties."""
    for column, key in (("longitude", "__lon"), ("latitude", "__lat")):
        geometry = data[key]
        source = table.mapping.get(column)
        if source is not None:
            table.derived[column] = geometry.where(geometry.notna(), data[source])
        else:
            table.derived[column] = geometry


def _has_module(name: str) -> bool:
    """True if the optional module ``name`` is installed (e.g. geo.extract, written separately)."""
    return importlib.util.find_spec(name) is not None


def _read_text(path: Path, *, published) -> tuple[RawTable, str, str | None]:
    """Incidents extracted from a report by :mod:`geo.extract` (which another part of the project provides)."""
    file = path.name
    if not _has_module("geo.extract"):
        raise GeoError(f"{file}: importing report text needs geo.extract, which is not installed")
    from geo.extract import extract_records

    text, encoding = read_text(path)
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published.strip())
        except ValueError:
            raise InputError(f"--published {published!r} is not a date (use YYYY-MM-DD)", file=file) from None
    options = {"published": published, "doc_id": path.stem, "title": path.stem, "source_name": file}
    try:
        accepted = inspect.signature(extract_records).parameters
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()):
            options = {k: v for k, v in options.items() if k in accepted}
    except (TypeError, ValueError):
        options = {"published": published}
    records = extract_records(text, **options)
    data = pd.DataFrame(records).reset_index(drop=True)
    if data.empty:
        data = pd.DataFrame(columns=["event_date", "latitude", "longitude", "location"])
    data = data.astype(object).where(data.notna(), None)
    columns = [str(c) for c in data.columns]
    mapping = cols.guess_mapping(columns, {})
    table = RawTable(data, file, list(range(1, len(data) + 1)), mapping, strict_types=False)
    table.imported_from = file
    return table, "text", encoding
