"""Tests of region polygons: governorates, parts, countries, named areas, labels and the basemap frame."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from geo.admin1 import all_admin1
from geo.geocode import get_geocoder
from geo.geocode.regions import boundaries, locate_point, region_geometry, region_label

SYRIAN = [a.iso for a in all_admin1()]


@pytest.mark.parametrize("iso", SYRIAN)
def test_every_governorate_has_a_polygon_containing_its_point(iso):
    geom = region_geometry(iso)
    region = get_geocoder().regions[iso]
    assert geom is not None and geom.is_valid and geom.area > 0
    assert geom.contains(Point(region["lon"], region["lat"]))


@pytest.mark.parametrize("iso", SYRIAN)
def test_parts_are_inside_their_governorate_and_on_the_right_side(iso):
    whole = region_geometry(iso)
    south, north = region_geometry(f"{iso}:south"), region_geometry(f"{iso}:north")
    west, east = region_geometry(f"{iso}:west"), region_geometry(f"{iso}:east")
    for part in (south, north, west, east):
        assert part is not None and not part.is_empty
        assert part.difference(whole.buffer(1e-9)).area < 1e-9
    assert south.centroid.y < north.centroid.y and west.centroid.x < east.centroid.x
    assert abs(south.area + north.area - whole.area) < whole.area * 0.01


@pytest.mark.parametrize("iso", ["SY-DR", "SY-ID", "SY-HL"])
def test_diagonal_parts_are_quarters_in_their_corner(iso):
    whole = region_geometry(iso)
    ne, sw = region_geometry(f"{iso}:northeast"), region_geometry(f"{iso}:southwest")
    assert ne.centroid.x > sw.centroid.x and ne.centroid.y > sw.centroid.y
    assert ne.area < whole.area / 1.5 and ne.difference(region_geometry(f"{iso}:north")).area < 1e-9


def test_quneitra_includes_the_undof_zone():
    assert region_geometry("SY-QU").contains(Point(35.83, 33.12))


def test_country_outline_contains_its_governorates():
    syria = region_geometry("SY").buffer(0.01)
    for iso in SYRIAN:
        assert syria.contains(region_geometry(iso).representative_point()), iso
    assert region_geometry("JO").contains(Point(35.93, 31.95))


@pytest.mark.parametrize("area,members", [
    ("area:southern-syria", ("SY-DR", "SY-QU", "SY-SU")),
    ("area:southwest-syria", ("SY-DR", "SY-QU")),
    ("area:northwest-syria", ("SY-ID", "SY-HL")),
    ("area:northeast-syria", ("SY-HA", "SY-RA", "SY-DY")),
])
def test_named_areas_are_unions_of_governorates(area, members):
    geom = region_geometry(area)
    for member in members:
        assert geom.contains(region_geometry(member).representative_point())
    assert not geom.contains(region_geometry("SY-TA").representative_point())


@pytest.mark.parametrize("bad", ["", "XX", "SY-ZZ", "SY-DR:middle", "area:nowhere"])
def test_unknown_ids_give_none(bad):
    assert region_geometry(bad) is None


def test_labels():
    assert region_label("SY-DR") == "Daraa"
    assert region_label("SY-DR:south") == "Southern Daraa"
    assert region_label("SY") == "Syria"
    assert region_label("area:southern-syria").startswith("Southern Syria")
    assert region_label("nope") == "nope"


def test_boundaries_frame_for_the_basemap():
    frame = boundaries()
    assert frame.crs.to_epsg() == 4326
    assert {"id", "name", "name_ar", "admin1_iso", "country", "level"} <= set(frame.columns)
    syrian = frame[(frame["country"] == "SY") & (frame["level"] == "admin1")]
    assert sorted(syrian["id"]) == sorted(SYRIAN)
    assert set(frame[frame["level"] == "country"]["id"]) >= {"SY", "JO", "LB", "IQ", "TR", "IL"}
    assert syrian.set_index("id").loc["SY-DR", "name_ar"] == "درعا"


def test_locate_point_snaps_to_a_nearby_coast_but_not_far_away():
    assert not region_geometry("SY-LA").contains(Point(35.74, 35.52))  # just off the Latakia coastline
    assert locate_point(35.52, 35.74) == ("SY-LA", "SY")
    assert locate_point(34.5, 33.0) == (None, None)  # open sea
