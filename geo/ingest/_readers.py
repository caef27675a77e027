"""Reading each container (CSV, XLSX, GeoJSON, GeoPackage) into a raw table of source values."""

from __future__ import annotations

import io
import json
import re
import warnings
from pathlib import Path

import pandas as pd

from geo import _safety
from geo.errors import InputError, UnknownFormatError

#: Characters after which our CSV export put an apostrophe (see geo.export); reversed on re-import.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DELIMITERS = (",", ";", "\t", "|")
_PARSER_LINE = re.compile(r"(?:line|row) (\d+)")


def sniff_delimiter(header: str) -> str:
    """The delimiter used in a CSV header line (the candidate seen most often outside quotes)."""
    outside, quoted = [], False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    text = "".join(outside)
    counts = {d: text.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(text: str, *, file: str) -> tuple[pd.DataFrame, list[int]]:
    """All cells as strings ('' when empty) and each row's number in the file (the header is row 1)."""
    header = text.split("\n", 1)[0].rstrip("\r")  # pandas itself reads CRLF and LF line ends
    delimiter = sniff_delimiter(header)
    options = dict(sep=delimiter, dtype=object, keep_default_na=False, na_filter=False, skip_blank_lines=True,
                   engine="c", index_col=False)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), **options)
        if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            # every row has more fields than the header: fine only if the surplus is empty (trailing delimiters)
            names = list(frame.columns)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                wide = pd.read_csv(io.StringIO(text), header=None, skiprows=1, names=[*names, "__surplus__"],
                                   **options)
            if wide["__surplus__"].str.strip().astype(bool).any():
                first = int(wide["__surplus__"].str.strip().astype(bool).to_numpy().argmax()) + 2
                raise InputError(f"malformed CSV: the rows have more fields than the header has names "
                                 f"({len(names)})", file=file, row=first)
            frame = wide.drop(columns="__surplus__")
    except pd.errors.EmptyDataError:
        raise InputError("the file has no header row", file=file) from None
    except pd.errors.ParserError as exc:
        message = str(exc).replace("Error tokenizing data. C error: ", "").strip()
        match = _PARSER_LINE.search(message)
        row = int(match.group(1)) if match else None
        if "EOF inside string" in message:  # pandas counts these rows from 0 (header = row 0)
            row = row + 1 if row is not None else None
            message = ("a quoted field opened in this row is never closed: unbalanced quotes or a truncated "
                       "file; EOF inside string")
        raise InputError(f"malformed CSV ({message})", file=file, row=row) from None
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    if any(c.startswith("Unnamed: ") for c in frame.columns):
        empty = [c for c in frame.columns if c.startswith("Unnamed: ") and not frame[c].str.strip().any()]
        frame = frame.drop(columns=empty)
    if "admin1_iso" in frame.columns:  # our own export: undo its formula neutralising
        frame = unneutralise(frame)
    return frame, list(range(2, len(frame) + 2))


def unneutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Remove the apostrophe our CSV export puts before cells starting with = + - @ tab or CR."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object and not pd.api.types.is_string_dtype(values):
            continue
        marked = values.str.startswith("'", na=False) & values.str.lstrip("'").str[:1].isin(FORMULA_STARTS)
        if marked.any():
            frame[column] = values.where(~marked, values.str[1:])
    return frame


def read_xlsx(path: Path, *, file: str) -> tuple[pd.DataFrame, list[int]]:
    """The first sheet of an Excel workbook: native cell values (None when empty) and row numbers."""
    _safety.check_input_file(path, file=file)  # size limit; zip paths, links and bomb ratios
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputError(f"cannot read the workbook ({type(exc).__name__}: {exc})", file=file) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.dropna(how="all")
    rows = [int(i) + 2 for i in frame.index]
    frame = frame.astype(object).where(frame.notna(), None).reset_index(drop=True)
    if "admin1_iso" in frame.columns:
        frame = unneutralise(frame)
    return frame, rows


def read_geojson(text: str, *, file: str) -> tuple[pd.DataFrame, list[int], list[tuple[int, str, str]]]:
    """Feature properties, point coordinates in ``__lon``/``__lat``, and per-feature geometry problems."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"not valid JSON ({exc})", file=file) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection" and isinstance(
            data.get("features"), list):
        features = data["features"]
    else:
        raise UnknownFormatError("JSON but not a GeoJSON Feature or FeatureCollection", file=file)
    records, problems = [], []
    for pos, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        record = dict(props) if isinstance(props, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        lon = lat = None
        if isinstance(geometry, dict):
            kind = geometry.get("type")
            coords = geometry.get("coordinates")
            if kind != "Point":
                problems.append((pos, "geometry", f"geometry is a {kind!s}; only points can be imported"))
            elif (isinstance(coords, list) and len(coords) >= 2
                  and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2])):
                lon, lat = float(coords[0]), float(coords[1])
            else:
                problems.append((pos, "geometry", f"point coordinates {str(coords)[:40]!r} are not [lon, lat]"))
        elif geometry is not None:
            problems.append((pos, "geometry", "geometry is not a GeoJSON object"))
        fid = feature.get("id") if isinstance(feature, dict) else None
        if fid is not None and not {"id", "event_id", "event_id_cnty"} & set(record):
            record["event_id"] = str(fid)  # the feature's own id, when the properties carry none
        record["__lon"], record["__lat"] = lon, lat
        records.append(record)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=["__lon", "__lat"])
    frame = frame.astype(object).where(frame.notna(), None)
    return frame, list(range(1, len(frame) + 1)), problems


def read_gpkg(path: Path, *, file: str) -> tuple[pd.DataFrame, list[int], list[tuple[int, str, str]], str]:
    """Attributes of the point layer of a GeoPackage (``incidents`` preferred), like :func:`read_geojson`."""
    import pyogrio

    _safety.check_input_size(path, file=file)
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:
        raise InputError(f"not a readable GeoPackage ({exc})", file=file) from None
    points = [str(name) for name, kind in layers if kind and "point" in str(kind).lower()]
    if not points:
        listed = ", ".join(f"{n} ({k or 'no geometry'})" for n, k in layers) or "none"
        raise UnknownFormatError(f"the GeoPackage has no point layer (layers: {listed})", file=file)
    layer = "incidents" if "incidents" in points else points[0]
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise InputError(f"cannot read layer {layer!r} ({exc})", file=file) from None
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    problems = []
    lons, lats = [], []
    for pos, geom in enumerate(gdf.geometry):
        if geom is None or geom.is_empty:
            lons.append(None)
            lats.append(None)
            continue
        if geom.geom_type != "Point":
            problems.append((pos, "geometry", f"geometry is a {geom.geom_type}; only points can be imported"))
            lons.append(None)
            lats.append(None)
            continue
        lons.append(geom.x)
        lats.append(geom.y)
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    frame = frame.astype(object).where(frame.notna(), None)
    frame["__lon"], frame["__lat"] = lons, lats
    return frame, list(range(1, len(frame) + 1)), problems, layer
