"""Namesakes without context (issue 14, sixth round), on an invented gazetteer and an invented UCDP-style table
(no registry data): the recorded conflict activity of each place (``Place.events``) built from the table, the
activity prior among ambiguous namesakes (on by default since session 7: ``_ranking.ACTIVITY_PRIOR``), and
namesakes that all lie in one governorate answering that governorate as a region."""

from __future__ import annotations

import csv
import gzip
import json

import pytest

import geo.geocode._ranking as ranking
import geo.geocode.geocoder as geocoder_module
from geo.errors import GeocodeError
from geo.geocode import Place
from geo.geocode._index import load_index
from geo.geocode._ranking import clearly_most_active
from geo.geocode._ucdp import activity, read_events
from tests._invented_gazetteer import (
    build_gazetteer,
    open_geocoder,
    wof_village,
    write_two_districts,
    write_two_governorates,
)

UCDP_HEADER = ("id", "year", "where_prec", "where_coordinates", "latitude", "longitude", "country")


def _events(rows: list[tuple[int, int, str, float, float]]) -> list[dict]:
    """(year, where_prec, name, lat, lon) → rows of an invented UCDP GED-style table."""
    return [{"id": i, "year": year, "where_prec": prec, "where_coordinates": name, "latitude": lat,
             "longitude": lon, "country": "Syria"} for i, (year, prec, name, lat, lon) in enumerate(rows, start=1)]


def _write_table(path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, UCDP_HEADER)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Daraa (two districts) and Quneitra; namesakes in two governorates with and without recorded events, and
    namesakes in two districts of Daraa. Built with events up to 2017 (2019's are left out)."""
    tmp = tmp_path_factory.mktemp("namesakes")
    write_two_governorates(tmp)
    wof = write_two_districts(tmp)
    wof_village(wof, 1001, "Kharmalah", 32.60, 36.00)  # active (4 events to 2017) ...
    wof_village(wof, 1002, "Kharmalah", 33.10, 35.78)  # ... quiet to 2017, 6 events in 2019
    wof_village(wof, 1003, "Duwaylah", 32.50, 36.50)   # 4 events ...
    wof_village(wof, 1004, "Duwaylah", 33.00, 35.80)   # ... against 2: not clearly more
    wof_village(wof, 1005, "Sulfanah", 32.55, 36.10)   # one in each district of Daraa
    wof_village(wof, 1006, "Sulfanah", 32.90, 36.50)
    for i in range(12):  # as many namesakes as a candidate list holds, all in Daraa: others may be left out
        wof_village(wof, 1100 + i, "Tawilah", 32.42 + 0.06 * i, 36.35 if i % 2 else 36.15)
    rows = [(2016, 1, "Kharmalah village", 32.601, 36.001)] * 3 + [(2017, 1, "Kharmalah", 32.61, 36.01)]
    rows += [(2019, 1, "Kharmalah town", 33.10, 35.78)] * 6
    rows += [(2017, 1, "Duwaylah", 32.50, 36.50)] * 4 + [(2016, 1, "Duwaylah", 33.00, 35.80)] * 2
    rows += [(2017, 2, "Sulfanah area", 32.55, 36.10)] * 9  # not an exact place: no activity counted
    table = tmp / "ged.csv"
    _write_table(table, _events(rows))
    counts, out = build_gazetteer(tmp, wof=str(wof), ucdp=str(table), ucdp_until=2017)
    geo = open_geocoder(out)
    return counts, out, geo, table


def _events_of(geo, name: str) -> dict[float, int]:
    return {p.lat: p.events for p in geo.places if p.name == name}


# ---- the build: events per place

def test_events_near_each_place_up_to_the_last_year(built):
    counts, out, geo, _ = built
    assert _events_of(geo, "Kharmalah") == {32.6: 4, 33.1: 0}  # 2019's six events are after --ucdp-until
    assert _events_of(geo, "Duwaylah") == {32.5: 4, 33.0: 2}
    assert _events_of(geo, "Sulfanah") == {32.55: 0, 32.9: 0}  # where_prec 2 is not a place's own activity
    assert counts["places_with_events"] == 3
    index = json.loads(gzip.decompress((out / "gazetteer.json.gz").read_bytes()))
    assert index["activity"] == {"source": "UCDP GED", "first_year": 2016, "last_year": 2017, "km": 5.0,
                                 "events": 10}
    assert load_index(out / "gazetteer.json.gz").activity["last_year"] == 2017


def test_read_events_and_activity_pure(built, tmp_path):
    *_, table = built
    points, years = read_events(table)
    assert len(points) == 16 and years == (2016, 2019)
    assert read_events(table, until=2015) == ([], None)
    place = ["X", 32.6, 36.0, "SY"]
    assert activity([place, ["Y", 32.6, 36.0, "JO"]], [(32.6, 36.03), (32.6, 36.05), (32.62, 36.0)], 3.0) == [2, 0]
    bad = tmp_path / "bad.csv"
    bad.write_text("year,where_prec\n2017,1\n", encoding="utf-8")
    with pytest.raises(GeocodeError, match="bad.csv: not a UCDP GED table"):
        read_events(bad)
    _write_table(bad, _events([(2017, 1, "Q", 32.6, 36.0)]) + [{"id": 9, "year": 2017, "where_prec": 1,
                 "where_coordinates": "Q", "latitude": "north", "longitude": "36", "country": "Syria"}])
    with pytest.raises(GeocodeError, match=r"bad.csv:3:latitude/longitude"):
        read_events(bad)


def test_an_index_without_the_events_column_loads(built, tmp_path):
    _, out, _, _ = built
    index = json.loads(gzip.decompress((out / "gazetteer.json.gz").read_bytes()))
    index["places"] = [row[:11] for row in index["places"]]  # an index of the fifth round
    del index["activity"]
    old = tmp_path / "gazetteer.json.gz"
    old.write_bytes(gzip.compress(json.dumps(index).encode()))
    loaded = load_index(old)
    assert all(p.events == 0 for p in loaded.places) and loaded.activity == {}
    assert Place("A", 1.0, 2.0, "SY", None, 0, "PPL", None, "wof").events == 0


# ---- the activity prior (on by default)

def test_clearly_most_active_pure(monkeypatch):
    for name, value in (("ACTIVITY_PRIOR", True), ("ACTIVITY_MIN_EVENTS", 3), ("ACTIVITY_RATIO", 5.0)):
        monkeypatch.setattr(ranking, name, value)
    far = 1.0  # a degree of latitude: ~111 km apart
    assert clearly_most_active([(0, 33.0, 36.0), (9, 32.0, 36.0)]) == 1
    assert clearly_most_active([(10, 33.0, 36.0), (2, 32.0, 36.0)]) == 0              # 5 x 2 = 10: enough
    assert clearly_most_active([(9, 33.0, 36.0), (2, 32.0, 36.0)]) is None            # not 5 times more
    assert clearly_most_active([(2, 33.0, 36.0), (0, 33.0 - far, 36.0)]) is None      # too few events
    assert clearly_most_active([(5, 33.0, 36.0), (5, 32.0, 36.0)]) is None            # a tie
    assert clearly_most_active([(5, 33.0, 36.0), (4, 33.05, 36.0), (0, 32.0, 36.0)]) == 0  # 6 km: no rival
    assert clearly_most_active([(5, 33.0, 36.0)]) is None
    monkeypatch.setattr(ranking, "ACTIVITY_PRIOR", False)
    assert clearly_most_active([(0, 33.0, 36.0), (9, 32.0, 36.0)]) is None


def test_switched_off_namesakes_in_two_governorates_stay_not_found(built, monkeypatch):
    _, _, geo, _ = built
    monkeypatch.setattr(ranking, "ACTIVITY_PRIOR", False)
    geo._cache.clear()
    assert geo.geocode("Kharmalah") is None
    assert len(geo.candidates("Kharmalah")) == 2
    geo._cache.clear()


def test_on_by_default():
    assert ranking.ACTIVITY_PRIOR is True


def test_the_clearly_more_active_namesake_answers(built, monkeypatch):
    _, _, geo, _ = built
    for name, value in (("ACTIVITY_MIN_EVENTS", 3), ("ACTIVITY_RATIO", 5.0)):
        monkeypatch.setattr(ranking, name, value)
    geo._cache.clear()
    found = geo.geocode("Kharmalah")
    assert (found.lat, found.admin1_iso, found.geo_precision) == (32.6, "SY-DR", 1)
    assert found.reason == ("the most recorded conflict activity of 2 places of that name: 4 UCDP events within "
                            "5 km, 2016-2017; no context given")
    assert [(a.name, a.admin1_iso) for a in found.alternatives] == [("Kharmalah", "SY-QU")]
    assert geo.geocode("Kharmalah", context="Quneitra").admin1_iso == "SY-QU"  # context still decides
    assert geo.geocode("Duwaylah") is None  # 4 events against 2: not clearly more (ACTIVITY_RATIO 5)
    assert geo.geocode("Kharmaleh") is None  # a respelling (sound tier): activity never picks among guesses
    geo._cache.clear()


# ---- namesakes all in one governorate

def test_namesakes_in_one_governorate_answer_it_as_a_region(built):
    _, _, geo, _ = built
    geo._cache.clear()
    found = geo.geocode("Sulfanah")
    assert (found.kind, found.region_id, found.admin1_iso, found.geo_precision) == ("region", "SY-DR", "SY-DR", 3)
    assert found.reason == "2 places named Sulfanah in Daraa; no context to choose between them"
    assert found.score == 0.9  # an inference, below every exact answer (callers trusting only those skip it)
    assert [(a.name, a.kind) for a in found.alternatives] == [("Sulfanah", "place")] * 2
    assert geo.geocode("Sulfanah", context="SY-DR:westdist").lat == 32.55


def test_a_full_candidate_list_is_never_settled(built, monkeypatch):
    _, _, geo, _ = built
    geo._cache.clear()
    assert len(geo.candidates("Tawilah", limit=20)) == 12
    assert geo.geocode("Tawilah") is None  # a 13th namesake elsewhere would not have been seen
    monkeypatch.setattr(geocoder_module, "MAX_CANDIDATES", 13)
    geo._cache.clear()
    assert geo.geocode("Tawilah").region_id == "SY-DR"  # the list of 12 is whole here: their governorate
    geo._cache.clear()


def test_loose_namesakes_in_one_governorate_stay_not_found(built):
    _, _, geo, _ = built
    geo._cache.clear()
    assert geo.geocode("Sulfaneh") is None  # a respelling of both: they may both be other villages


def test_the_region_rule_can_be_switched_off(built, monkeypatch):
    _, _, geo, _ = built
    monkeypatch.setattr(geocoder_module, "SAME_GOVERNORATE_REGION", False)
    geo._cache.clear()
    assert geo.geocode("Sulfanah") is None
    geo._cache.clear()


# ---- the activity shown to a user choosing among namesakes

def test_each_candidate_says_what_conflict_was_recorded_near_it(built, monkeypatch):
    from geo.ingest import session

    _, _, geo, _ = built
    found = {round(loc.lat, 2): loc for loc in geo.candidates("Kharmalah")}
    assert set(found) == {32.6, 33.1}
    assert geo.recorded_activity(found[32.6]) == "4 UCDP events within 5 km, 2016-2017"
    assert geo.recorded_activity(found[33.1]) is None  # none recorded up to the index's last year
    monkeypatch.setattr(geocoder_module, "_INSTANCE", geo)
    assert session.location_label(found[32.6]).endswith("· 4 UCDP events within 5 km, 2016-2017")
    assert "UCDP" not in session.location_label(found[33.1])


def test_a_region_carries_no_activity(built):
    _, _, geo, _ = built
    geo._cache.clear()
    region = geo.geocode("Sulfanah")  # one in each district of Daraa: the governorate answers
    assert region is not None and region.kind == "region"
    assert geo.recorded_activity(region) is None
