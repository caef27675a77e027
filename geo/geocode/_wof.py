"""Read a Who's On First data tree (``whosonfirst-data-admin-sy`` or its unpacked archive) for the build.

Only build time uses this module. It yields plain dicts: localities (points with GeoNames ids, feature codes,
populations, Latin and Arabic names and the WOF county they sit in) and counties (the districts, admin-2,
as shapely polygons). Deprecated records (``edtf:deprecated``) and ``*-alt-*`` geometries are skipped;
``mz:is_current`` is kept as a value, never used as a filter (it is -1, "unknown", for almost every locality).
WOF's own properties are CC0; its GeoNames-derived names and points are CC BY 4.0 (credit both).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

from geo.errors import GeocodeError

ARABIC_PREFIXES = ("منطقة ", "مركز ", "ناحية ")


def _latin_or_arabic(name: str) -> bool:
    """Names a Syrian report could use: Arabic script, or Latin letters with a capital."""
    if not name or len(name) > 80:
        return False
    if any("\u0600" <= c <= "\u06ff" for c in name):
        return True
    if not any(c.isalpha() and c.isupper() for c in name):
        return False
    return all(ord(c) < 0x180 or 0x1E00 <= ord(c) <= 0x1EFF or c in "ʿʾ" or not c.isalpha() for c in name)


def _names(props: dict) -> list[str]:
    names = [props.get("wof:name"), props.get("gn:name"), props.get("gn:asciiname")]
    for key, value in props.items():
        if key.startswith("name:") and isinstance(value, list):
            names.extend(value)
    seen: dict[str, None] = {}
    for name in names:
        if isinstance(name, str) and _latin_or_arabic(name.strip()):
            seen.setdefault(name.strip(), None)
    return list(seen)


def _arabic(props: dict) -> str | None:
    for key in ("name:ara_x_preferred", "name:ara_x_variant", "name:und_x_variant"):
        for name in props.get(key) or ():
            if any("\u0600" <= c <= "\u06ff" for c in name):
                for prefix in ARABIC_PREFIXES:
                    name = name.removeprefix(prefix)
                return name.strip()
    loc = props.get("meso:name_loc")
    return loc.strip() if isinstance(loc, str) and loc.strip() else None


def _hierarchy(props: dict, level: str) -> int | None:
    for entry in props.get("wof:hierarchy") or ():
        value = entry.get(level)
        if isinstance(value, int) and value > 0:
            return value
    return None


def iter_records(root: str | Path):
    """Every current WOF record (GeoJSON Feature dict) under ``root`` (the repo or its ``data/`` folder)."""
    root = Path(root)
    data = root / "data" if (root / "data").is_dir() else root
    if not data.is_dir():
        raise GeocodeError(f"{root}: not a Who's On First data tree (no data/ folder)")
    count = 0
    for folder, _dirs, files in os.walk(data):
        for file in sorted(files):
            if not file.endswith(".geojson") or "-alt-" in file:
                continue
            path = Path(folder) / file
            try:
                with open(path, encoding="utf-8") as handle:
                    record = json.load(handle)
                props = record["properties"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise GeocodeError(f"{path}: not a Who's On First GeoJSON record ({exc})") from None
            count += 1
            if props.get("edtf:deprecated"):
                continue
            yield record
    if count == 0:
        raise GeocodeError(f"{root}: no Who's On First records (*.geojson) found")


def _number(value, default=None):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def slug(text: str) -> str:
    """ASCII slug of a district name: "Izra'" → "izra", "Jisr ash-Shughur" → "jisr-ash-shughur"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['`ʿʾ’‘]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def read(root: str | Path, country: str = "SY") -> tuple[list[dict], list[dict]]:
    """(localities, counties) of ``country`` from the WOF tree at ``root``.

    Locality dicts: ``wof_id, name, names, name_ar, lat, lon, gn_id, feature, population, county_id,
    is_current``. County dicts: ``wof_id, name, names, name_ar, geometry`` (shapely; polygons only).
    """
    from shapely.geometry import shape

    localities, counties = [], []
    for record in iter_records(root):
        props = record["properties"]
        if (props.get("wof:country") or props.get("iso:country")) != country:
            continue
        kind = props.get("wof:placetype")
        if kind == "locality":
            lat = _number(props.get("geom:latitude"))
            lon = _number(props.get("geom:longitude"))
            if lat is None or lon is None:
                continue
            gn_id = props.get("gn:geonameid") or props.get("gn:id") or (props.get("wof:concordances") or {}).get("gn:id")
            localities.append({
                "wof_id": props["wof:id"], "name": props.get("wof:name") or props.get("gn:name"),
                "names": _names(props), "name_ar": _arabic(props), "lat": round(lat, 5), "lon": round(lon, 5),
                "gn_id": int(gn_id) if isinstance(gn_id, (int, float)) and gn_id > 0 else None,
                "feature": props.get("gn:feature_code") or "PPL",
                "population": int(_number(props.get("gn:population"), 0) or 0),
                "county_id": _hierarchy(props, "county_id"), "is_current": props.get("mz:is_current")})
        elif kind == "county" and (record.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon"):
            english = (props.get("name:eng_x_preferred") or [props.get("wof:name")])[0]
            english = re.sub(r"^Markaz\s+", "", english)
            names = [english, props.get("wof:name"), props.get("meso:nam_en_alt"), props.get("meso:name_en"),
                     *[re.sub(r"^Markaz\s+", "", n) for n in _names(props)]]
            counties.append({"wof_id": props["wof:id"], "name": english,
                             "names": [n for n in dict.fromkeys(names) if isinstance(n, str) and n],
                             "name_ar": _arabic(props), "geometry": shape(record["geometry"]).buffer(0)})
    return localities, counties
