"""Building blocks of the small invented gazetteers the geocoder tests build (never real data):
two square governorates (Daraa 06, Quneitra 03), rows of a GeoNames-style dump, records of a Who's On First
tree."""

from __future__ import annotations

import json
from pathlib import Path


def square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def unit(iso: str, name: str, gn: str, geometry: dict) -> dict:
    """A governorate feature in the Natural Earth admin-1 shape the gazetteer build reads."""
    return {"type": "Feature", "geometry": geometry,
            "properties": {"iso_a2": "SY", "iso_3166_2": iso, "name": name, "name_en": name, "gn_a1_code": gn,
                           "name_ar": "", "name_alt": None, "gn_name": name, "woe_name": name}}


def geonames_row(gid: int, name: str, lat: float, lon: float, admin1: str, population: int = 0,
                 alt: str = "") -> str:
    """One line of a GeoNames country dump (a populated place, feature code PPL)."""
    cols = [str(gid), name, name, alt, str(lat), str(lon), "P", "PPL", "SY", "", admin1, "", "", "",
            str(population), "", "450", "Asia/Damascus", "2024-01-01"]
    return "\t".join(cols) + "\n"


def write_two_governorates(folder: Path) -> None:
    """``admin1.json`` with Daraa and Quneitra as squares, and an empty ``cities.json``, in ``folder``."""
    admin1 = {"type": "FeatureCollection", "features": [
        unit("SY-DR", "Daraa", "SY.06", square(35.9, 32.4, 36.6, 33.2)),
        unit("SY-QU", "Quneitra", "SY.03", square(35.7, 32.9, 35.85, 33.3)),
    ]}
    (folder / "admin1.json").write_text(json.dumps(admin1), encoding="utf-8")
    (folder / "cities.json").write_text("{}", encoding="utf-8")


def wof_record(folder: Path, wid: int, props: dict, geometry: dict) -> None:
    """One Who's On First record (``data/123/123456.geojson``) of Syria under ``folder``."""
    path = folder / "data" / str(wid)[:3] / f"{wid}.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "Feature", "properties": {"wof:id": wid, "wof:country": "SY", **props},
                                "geometry": geometry}), encoding="utf-8")


def wof_village(folder: Path, wid: int, name: str, lat: float, lon: float) -> None:
    """A Who's On First village (locality, PPL) at (lat, lon)."""
    wof_record(folder, wid, {"wof:placetype": "locality", "gn:feature_code": "PPL", "mz:is_current": -1,
                             "wof:name": name, "geom:latitude": lat, "geom:longitude": lon},
               {"type": "Point", "coordinates": [lon, lat]})


def write_two_districts(folder: Path) -> Path:
    """Daraa split into two Who's On First districts (Westdist, Eastdist) in the tree ``folder / "wof"``,
    which is returned; villages are added with :func:`wof_village`."""
    wof = folder / "wof"
    wof_record(wof, 901, {"wof:placetype": "county", "wof:name": "Westdist"}, square(35.9, 32.4, 36.25, 33.2))
    wof_record(wof, 902, {"wof:placetype": "county", "wof:name": "Eastdist"}, square(36.25, 32.4, 36.6, 33.2))
    return wof


def build_gazetteer(folder: Path, **sources) -> tuple[dict, Path]:
    """Build the invented gazetteer of ``folder`` (its ``admin1.json`` and ``cities.json``, see
    :func:`write_two_governorates`, and an empty project table) from ``sources`` (``geonames_dumps``, ``wof``,
    ``ucdp``… as ``geo.geocode.gazetteer_build.build`` takes them) into ``folder / "out"``: (counts, out)."""
    import pytest

    import geo.geocode.gazetteer_build as build_module

    extra = folder / "extra.csv"
    extra.write_text("name,aliases,lat,lon,country,admin1_iso,feature,population,source\n", encoding="utf-8")
    out = folder / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "_geonames_path", lambda: folder / "cities.json")
        patch.setattr(build_module, "EXTRA_PATH", extra)
        counts = build_module.build(("SY",), str(folder / "admin1.json"), out, **sources)
    return counts, out


def open_geocoder(out: Path):
    """A Geocoder on the gazetteer :func:`build_gazetteer` wrote to ``out``."""
    from geo.geocode import Geocoder

    return Geocoder(index_path=out / "gazetteer.json.gz", aliases_path=out / "aliases.csv")


def answer(geo, query: str, **kwargs) -> tuple[str, str] | None:
    """(name, governorate ISO) of what ``geo`` answers for ``query`` (its cache cleared first), or None."""
    geo._cache.clear()
    found = geo.geocode(query, **kwargs)
    return (found.name, found.admin1_iso) if found else None
