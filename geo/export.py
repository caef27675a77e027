"""Data exports of incidents: CSV (ACLED layout first), GeoJSON, GeoPackage and KML.

Every export is written to a temporary file next to the target and renamed into place, so a failed
export never leaves a half-written file. Dates are ISO 8601 (``YYYY-MM-DD``) everywhere.

CSV and spreadsheets: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
could run as a formula when the file is opened in Excel or LibreOffice. Such cells are written with a
leading apostrophe (``'=SUM(A1)``), which spreadsheets show as text. ``python -m geo import`` recognises
our own CSV exports (they have an ``admin1_iso`` column) and removes that apostrophe again, so
import -> export -> import gives back the same values.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

import pandas as pd

from geo import taxonomy
from geo.errors import InputError
from geo.ingest._columns import ACLED_COLUMNS
from geo.schema import COLUMN_TYPES, COLUMNS

FORMATS = ("csv", "geojson", "gpkg", "kml")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: ACLED column -> record column, where our record has the value under another name.
_ACLED_FROM_RECORD = {"event_id_cnty": "event_id"}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def export(frame: pd.DataFrame, fmt: str, out: str | os.PathLike) -> Path:
    """Write ``frame`` (incident records, e.g. from ``store.read()``) to ``out`` in format ``fmt``."""
    writers: dict[str, Callable[[pd.DataFrame, Path], None]] = {
        "csv": write_csv, "geojson": write_geojson, "gpkg": write_gpkg, "kml": write_kml}
    if fmt not in writers:
        raise InputError(f"unknown export format {fmt!r} (use one of {', '.join(FORMATS)})")
    path = Path(out)
    if path.parent and not path.parent.exists():
        raise InputError(f"the folder {str(path.parent)!r} does not exist", file=str(path))
    writers[fmt](frame, path)
    _add_credit(fmt, path, frame)
    return path


def export_store(store, fmt: str, out: str | os.PathLike, filters=None, *,
                 progress: Callable[[int, "int | None"], None] | None = None, chunk_rows: int | None = None,
                 total: int | None = None) -> tuple[Path, int]:
    """Stream the incidents of ``store`` passing ``filters`` to ``out`` in format ``fmt``, chunk by chunk
    (never every row in memory): the same file :func:`export` writes for ``store.read(filters)``.

    ``progress(done, total)`` is called before the first chunk and after each one with the incidents
    written so far; ``total`` is the number to expect (counted by the store when not given and it can
    tell, else None). Returns ``(path, count)``. A failure midway leaves no file behind.
    """
    from geo._export_stream import write_chunks
    from geo.store.chunks import CHUNK_ROWS, count_matching, read_chunks, read_extras

    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (use one of {', '.join(FORMATS)})")
    path = Path(out)
    if path.parent and not path.parent.exists():
        raise InputError(f"the folder {str(path.parent)!r} does not exist", file=str(path))
    rows = chunk_rows or CHUNK_ROWS
    if total is None and progress is not None:
        total = count_matching(store, filters)
    count = write_chunks(fmt, path, lambda: read_chunks(store, filters, rows),
                         extras=lambda: read_extras(store, filters, rows), progress=progress, total=total)
    return path, count


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Run ``write(tmp)`` on a temporary file beside ``path``, then move it into place."""
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    os.close(handle)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, path)
    except BaseException:
        for leftover in (tmp_path, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        raise


def _extras(frame: pd.DataFrame) -> list[dict]:
    values = frame["extra"].tolist() if "extra" in frame else [None] * len(frame)
    out = []
    for value in values:
        if isinstance(value, dict):
            out.append(value)
            continue
        try:
            parsed = json.loads(value) if value else {}
        except ValueError:
            parsed = {"extra": value}
        out.append(parsed if isinstance(parsed, dict) else {"extra": parsed})
    return out


def _plain(value, kind: str):
    """A record value as a JSON/CSV-friendly Python value (ISO strings for dates, None when missing)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "datetime":
        return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return str(value)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain values for every schema column (missing columns are None)."""
    columns = {c: (frame[c].tolist() if c in frame else [None] * len(frame)) for c in COLUMNS}
    return [{c: _plain(columns[c][i], COLUMN_TYPES[c]) for c in COLUMNS} for i in range(len(frame))]


# ------------------------------------------------------------------------------------------------ CSV
def neutralise(value):
    """``value`` with a leading apostrophe if it is text a spreadsheet could run as a formula.

    Text that already starts with apostrophes before such a character gets one more, so that
    removing exactly one on re-import always gives the original back.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_table(frame: pd.DataFrame, others: list[str] | None = None) -> pd.DataFrame:
    """The CSV export as a table: ACLED's columns in ACLED's order, then our other record columns,
    then any other source columns kept in ``extra`` (``others``: those columns, found in ``frame`` when
    None). Text cells are neutralised (see module doc)."""
    records, extras = _records(frame), _extras(frame)
    header = csv_header(extra_columns(extras) if others is None else others)
    rows = []
    for record, extra in zip(records, extras):
        row = []
        for column in header:
            source = _ACLED_FROM_RECORD.get(column, column)
            if source in record:
                value = record[source]
            elif column == "year":
                value = extra.get("year") or (record["event_date"][:4] if record["event_date"] else None)
            else:
                value = extra.get(column)
            if isinstance(value, (dict, list)):
                value = json.dumps(value, ensure_ascii=False)
            row.append(neutralise(value))
        rows.append(row)
    table = pd.DataFrame(rows, columns=header, dtype=object)
    return table


def extra_columns(extras, found: dict[str, None] | None = None) -> list[str]:
    """Keys of the parsed ``extra`` objects that are neither ACLED nor record columns, in order of first
    appearance (added to ``found`` when given, so several chunks can be collected in turn)."""
    found = {} if found is None else found
    acled_set = set(ACLED_COLUMNS)
    for extra in extras:
        for key in extra:
            if key not in acled_set and key not in COLUMNS:
                found.setdefault(key, None)
    return list(found)


def csv_header(others: list[str]) -> list[str]:
    """The CSV columns: ACLED's, then our other record columns, then ``others``."""
    acled_set = set(ACLED_COLUMNS)
    ours = [c for c in COLUMNS if c not in acled_set and c not in _ACLED_FROM_RECORD.values() and c != "extra"]
    return [*ACLED_COLUMNS, *ours, *others]


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV, UTF-8, ISO dates, ACLED column names and order first (see :func:`csv_table`)."""
    table = csv_table(frame)
    # CRLF line ends (RFC 4180): the csv writer then also quotes cells holding a lone CR
    _atomic(path, lambda tmp: table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\r\n"))


# -------------------------------------------------------------------------------------------- GeoJSON
def geojson_features(frame: pd.DataFrame) -> list[dict]:
    """One GeoJSON Point feature per incident, record columns as properties (ISO dates, ``extra`` as a
    nested object)."""
    features = []
    for record, extra in zip(_records(frame), _extras(frame)):
        properties = {c: v for c, v in record.items() if c != "extra"}
        properties["extra"] = extra or None
        features.append({
            "type": "Feature",
            "id": record["event_id"],
            "geometry": {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]},
            "properties": properties,
        })
    return features


def geojson_dict(frame: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection of :func:`geojson_features`."""
    return {"type": "FeatureCollection", "features": geojson_features(frame)}


def write_geojson(frame: pd.DataFrame, path: Path) -> None:
    """GeoJSON (RFC 7946, longitude/latitude in WGS 84)."""
    data = geojson_dict(frame)

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, allow_nan=False)

    _atomic(path, write)


# ------------------------------------------------------------------------------------------ GeoPackage
def write_gpkg(frame: pd.DataFrame, path: Path) -> None:
    """A GeoPackage with one point layer ``incidents`` (the same layout as the embedded store)."""
    from geo.store import GeoPackageStore

    def write(tmp: Path) -> None:
        tmp.unlink()
        store = GeoPackageStore(tmp)
        try:
            if len(frame):
                store.upsert(frame)
            store._conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            store.close()

    _atomic(path, write)


# ------------------------------------------------------------------------------------------------ KML
def _xml_text(value) -> str:
    return _XML_INVALID.sub("", "" if value is None else str(value))


def _kml_color(hex_rgb: str) -> str:
    """KML colour (aabbggrr) from #rrggbb."""
    rgb = hex_rgb.lstrip("#")
    return "ff" + rgb[4:6] + rgb[2:4] + rgb[0:2] if len(rgb) == 6 else "ff555555"


def _description(record: dict) -> str:
    """HTML shown in the placemark balloon; every value HTML-escaped (the XML layer escapes again)."""
    actors = "; ".join(a for a in (record["actor1"], record["assoc_actor_1"], record["actor2"],
                                   record["assoc_actor_2"]) if a)
    when = record["event_date"] or ""
    if record["date_end"]:
        when += f" to {record['date_end']}"
    kind = " / ".join(v for v in (record["event_type"], record["sub_event_type"]) if v)
    lines = [("Date", when), ("Type", kind), ("Kind", record["kind"]), ("Actors", actors),
             ("Location", ", ".join(v for v in (record["location"], record["admin1"]) if v)),
             ("Precision", record["geo_precision"]), ("Fatalities", record["fatalities"]),
             ("Source", record["source"]), ("Notes", record["notes"])]
    return "<br/>".join(f"<b>{label}:</b> {html.escape(_xml_text(value))}"
                        for label, value in lines if value not in (None, ""))


KML_NS = "http://www.opengis.net/kml/2.2"


def _kml_document() -> tuple[ET.Element, ET.Element]:
    """The KML root and its Document holding the name and a style per ACLED event type."""
    ns = KML_NS
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}kml")
    doc = ET.SubElement(root, f"{{{ns}}}Document")
    ET.SubElement(doc, f"{{{ns}}}name").text = "Incident Atlas export"
    for index, event_type in enumerate(("other", *taxonomy.event_types())):
        style = ET.SubElement(doc, f"{{{ns}}}Style", id=f"type{index}")
        icon_style = ET.SubElement(style, f"{{{ns}}}IconStyle")
        ET.SubElement(icon_style, f"{{{ns}}}color").text = _kml_color(taxonomy.color_of(event_type))
    return root, doc


def _add_placemarks(doc: ET.Element, frame: pd.DataFrame) -> None:
    """One placemark per incident of ``frame`` appended to ``doc``."""
    ns = KML_NS
    style_of = {t: f"#type{i + 1}" for i, t in enumerate(taxonomy.event_types())}
    for record in _records(frame):
        mark = ET.SubElement(doc, f"{{{ns}}}Placemark")
        label = record["kind"] or record["sub_event_type"] or record["event_type"] or "incident"
        where = record["location"] or record["admin1"] or ""
        ET.SubElement(mark, f"{{{ns}}}name").text = _xml_text(f"{label} – {where}" if where else label)
        if record["date_end"]:
            span = ET.SubElement(mark, f"{{{ns}}}TimeSpan")
            ET.SubElement(span, f"{{{ns}}}begin").text = record["event_date"]
            ET.SubElement(span, f"{{{ns}}}end").text = record["date_end"]
        elif record["event_date"]:
            stamp = ET.SubElement(mark, f"{{{ns}}}TimeStamp")
            ET.SubElement(stamp, f"{{{ns}}}when").text = record["event_date"]
        ET.SubElement(mark, f"{{{ns}}}description").text = _description(record)
        ET.SubElement(mark, f"{{{ns}}}styleUrl").text = style_of.get(record["event_type"], "#type0")
        data = ET.SubElement(mark, f"{{{ns}}}ExtendedData")
        for column in ("event_id", "event_date", "date_end", "event_type", "sub_event_type", "kind", "actor1",
                       "actor2", "admin1", "admin1_iso", "location", "geo_precision", "fatalities", "source"):
            if record[column] is not None:
                item = ET.SubElement(data, f"{{{ns}}}Data", name=column)
                ET.SubElement(item, f"{{{ns}}}value").text = _xml_text(record[column])
        point = ET.SubElement(mark, f"{{{ns}}}Point")
        ET.SubElement(point, f"{{{ns}}}coordinates").text = f"{record['longitude']!r},{record['latitude']!r}"


def kml_tree(frame: pd.DataFrame) -> ET.ElementTree:
    """The KML document: a style per ACLED event type, one placemark per incident."""
    root, doc = _kml_document()
    _add_placemarks(doc, frame)
    return ET.ElementTree(root)


def write_kml(frame: pd.DataFrame, path: Path) -> None:
    """KML 2.2 for Google Earth: name, date (TimeStamp/TimeSpan), type style, escaped description."""
    tree = kml_tree(frame)
    _atomic(path, lambda tmp: tree.write(tmp, encoding="utf-8", xml_declaration=True))


def _add_credit(key: str, path: Path, frame) -> None:
    """Write the UCDP credit into a data export's metadata when UCDP events are in it (GeoJSON: an
    ``attribution`` member; GeoPackage: ``gpkg_contents.description``; KML: the document's description).
    CSV has no place for it."""
    from geo.map.credits import UCDP_CREDIT, has_ucdp

    if frame is None or not has_ucdp(frame):
        return
    if key == "geojson":
        import json

        data = json.loads(path.read_text(encoding="utf-8"))
        data["attribution"] = UCDP_CREDIT
        _atomic(path, lambda tmp: tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8"))
    elif key == "gpkg":
        import sqlite3

        con = sqlite3.connect(path)
        try:
            with con:
                con.execute("UPDATE gpkg_contents SET description = trim(coalesce(description, '') || ' ' || ?)",
                            (UCDP_CREDIT,))
        finally:
            con.close()
    elif key == "kml":
        from xml.sax.saxutils import escape

        text = path.read_text(encoding="utf-8")
        note = f"<description>{escape(UCDP_CREDIT)}</description>"
        head, sep, rest = text.partition("<Document>")
        if rest.startswith("<name>") and "</name>" in rest:  # KML wants the name first
            name, end, tail = rest.partition("</name>")
            rest = name + end + note + tail
        else:
            rest = note + rest
        _atomic(path, lambda tmp: tmp.write_text(head + sep + rest, encoding="utf-8"))
