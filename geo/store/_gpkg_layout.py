"""The minimum of the OGC GeoPackage layout the embedded store needs, written with plain sqlite3.

Enough for GDAL/QGIS to open the file as a point layer in EPSG:4326: the core metadata tables,
one feature table with a ``geom`` column holding GeoPackage binary points (header + WKB), and the
layer extent kept in ``gpkg_contents``. No spatial index (the store filters on latitude/longitude).
"""

from __future__ import annotations

import sqlite3
import struct

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10200  # GeoPackage 1.2
SRS_ID = 4326

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
    'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)

_SQL_TYPES = {"str": "TEXT", "date": "DATE", "datetime": "DATETIME", "int": "INTEGER", "float": "DOUBLE"}

# Header: magic "GP", version 0, flags 0b00000001 (little-endian, no envelope), srs_id; then WKB Point.
_POINT = struct.Struct("<2sBBiBIdd")


def point_blob(lon: float, lat: float) -> bytes:
    """A GeoPackage binary geometry for the point (lon, lat) in EPSG:4326."""
    return _POINT.pack(b"GP", 0, 1, SRS_ID, 1, 1, lon, lat)


def point_from_blob(blob: bytes) -> tuple[float, float] | None:
    """(lon, lat) of a GeoPackage binary point without envelope or with one; None if not a 2-D point."""
    if not blob or blob[:2] != b"GP":
        return None
    flags = blob[3]
    envelope = (0, 32, 48, 48, 64)[(flags >> 1) & 0x07] if (flags >> 1) & 0x07 <= 4 else 0
    wkb = blob[8 + envelope:]
    if len(wkb) < 21:
        return None
    endian = "<" if wkb[0] == 1 else ">"
    (geom_type,) = struct.unpack(endian + "I", wkb[1:5])
    if geom_type != 1:
        return None
    return struct.unpack(endian + "dd", wkb[5:21])


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions that GeoPackage R-tree triggers call (ST_IsEmpty, ST_MinX, …), for points.

    The store creates no spatial index itself, but GDAL/QGIS may add one to the file (with triggers
    calling these functions); registering them keeps our own writes working and the index current.
    """
    def is_empty(blob):
        if not blob or blob[:2] != b"GP":
            return None
        if blob[3] & 0x10:
            return 1
        point = point_from_blob(blob)
        return 1 if point is None or point[0] != point[0] else 0

    def coordinate(index: int):
        def get(blob):
            point = point_from_blob(blob) if blob else None
            return None if point is None else point[index]
        return get

    for name, function in (("ST_IsEmpty", is_empty), ("ST_MinX", coordinate(0)), ("ST_MaxX", coordinate(0)),
                           ("ST_MinY", coordinate(1)), ("ST_MaxY", coordinate(1))):
        conn.create_function(name, 1, function, deterministic=True)


def create_layout(conn: sqlite3.Connection) -> None:
    """Create the GeoPackage core tables (inside the caller's transaction)."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {USER_VERSION}")
    conn.execute("""CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""")
    conn.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
        ("WGS 84 geodetic", SRS_ID, "EPSG", SRS_ID, _WGS84_WKT, "longitude/latitude coordinates in decimal degrees"),
    ])
    conn.execute("""CREATE TABLE IF NOT EXISTS gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""")
    conn.execute("""CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""")


def create_feature_table(conn: sqlite3.Connection, table: str, column_types: dict[str, str],
                         *, description: str = "") -> None:
    """Create a point feature table ``table`` (fid, geom, then ``column_types``) and register it."""
    columns = ",\n  ".join(f'"{name}" {_SQL_TYPES[kind]}' for name, kind in column_types.items())
    conn.execute(f'CREATE TABLE "{table}" (\n  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,\n'
                 f'  geom POINT,\n  {columns})')
    conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
                 "VALUES (?, 'features', ?, ?, ?)", (table, table, description, SRS_ID))
    conn.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', ?, 0, 0)", (table, SRS_ID))


def touch_contents(conn: sqlite3.Connection, table: str,
                   bounds: tuple[float, float, float, float] | None = None) -> None:
    """Refresh the layer's last_change time and extent in gpkg_contents (inside the caller's transaction).

    With ``bounds`` (min_x, min_y, max_x, max_y of the rows just written) the stored extent is grown to
    include them, which avoids scanning the table; without, the extent is recomputed from the table.
    """
    if bounds is None:
        conn.execute(
            f"""UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                min_x = (SELECT min(longitude) FROM "{table}"), min_y = (SELECT min(latitude) FROM "{table}"),
                max_x = (SELECT max(longitude) FROM "{table}"), max_y = (SELECT max(latitude) FROM "{table}")
                WHERE table_name = ?""", (table,))
        return
    conn.execute(
        """UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
            min_x = min(coalesce(min_x, :x0), :x0), min_y = min(coalesce(min_y, :y0), :y0),
            max_x = max(coalesce(max_x, :x1), :x1), max_y = max(coalesce(max_y, :y1), :y1)
            WHERE table_name = :t""",
        {"x0": bounds[0], "y0": bounds[1], "x1": bounds[2], "y1": bounds[3], "t": table})
