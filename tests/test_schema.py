"""The record schema, ACLED taxonomy, governorate table and filters."""

import datetime as dt

import pandas as pd

from geo import taxonomy
from geo.admin1 import all_admin1, resolve_admin1
from geo.filters import Filters
from geo.schema import COLUMNS, validate_record


def test_taxonomy_has_six_types_and_25_sub_types():
    assert len(taxonomy.event_types()) == 6
    assert len(taxonomy.sub_event_types()) == 25
    assert taxonomy.lookup_sub_type("air/drone strike").event_type == "Explosions/Remote violence"
    assert taxonomy.default_kind("Armed clash") == "clash"


def test_every_syrian_governorate_once_with_iso_code():
    syrian = [u for u in all_admin1() if u.country == "SY"]
    assert len(syrian) == 14
    assert len({u.iso for u in syrian}) == 14


def test_acled_admin1_spellings_resolve():
    cases = {"Dar'a": "SY-DR", "Idleb": "SY-ID", "Rural Damascus": "SY-RD", "As-Sweida": "SY-SU",
             "Al Hasakeh": "SY-HA", "Deir-ez-Zor": "SY-DY", "Lattakia": "SY-LA", "Tartous": "SY-TA",
             "Ar-Raqqa": "SY-RA", "sy-dr": "SY-DR"}
    for spelling, iso in cases.items():
        assert resolve_admin1(spelling).iso == iso, spelling
    assert resolve_admin1("Atlantis") is None


def _record(**overrides):
    record = {"event_id": "x1", "event_date": dt.date(2020, 5, 9), "latitude": 33.07, "longitude": 36.18,
              "geo_precision": 1, "time_precision": 1, "event_type": "Battles", "sub_event_type": "Armed clash",
              "fatalities": 0}
    record.update(overrides)
    return record


def test_valid_record_has_no_problems():
    assert validate_record(_record()) == []


def test_invalid_values_are_named_by_column():
    bad = {"latitude": 95.0, "longitude": -181.0, "geo_precision": 4, "event_type": "Skirmish",
           "event_date": dt.date(1850, 1, 1), "fatalities": -1}
    for column, value in bad.items():
        problems = validate_record(_record(**{column: value}))
        assert [p.column for p in problems] == [column], (column, problems)
    mismatch = validate_record(_record(event_type="Protests"))
    assert [p.column for p in mismatch] == ["sub_event_type"]
    assert [p.column for p in validate_record(_record(event_id=""))] == ["event_id"]


def test_filters_by_date_actor_type_region():
    frame = pd.DataFrame({
        "event_date": pd.to_datetime(["2020-05-01", "2020-05-05", "2020-05-09"]),
        "date_end": [pd.NaT, pd.Timestamp("2020-05-07"), pd.NaT],
        "actor1": ["Military Forces of Syria (2000-)", "Military Forces of Russia (2000-)", "HTS"],
        "actor2": ["", "Military Forces of Syria (2000-)", None],
        "event_type": ["Battles", "Explosions/Remote violence", "Protests"],
        "sub_event_type": ["Armed clash", "Air/drone strike", "Peaceful protest"],
        "kind": ["clash", "air strike", "protest"],
        "admin1_iso": ["SY-DR", "SY-ID", "SY-DR"],
        "notes": ["a", "b", "c"], "location": ["Tafas", "Nayrab", "Daraa"],
        "geo_precision": [1, 3, 2], "source": ["A", "B", "A"],
        "latitude": [32.7, 35.9, 32.6], "longitude": [36.1, 36.7, 36.1],
    })
    assert list(Filters(since=dt.date(2020, 5, 6)).apply(frame).index) == [1, 2]  # range overlaps
    assert list(Filters(until=dt.date(2020, 5, 4)).apply(frame).index) == [0]
    assert list(Filters(actors=("Military Forces of Syria (2000-)",)).apply(frame).index) == [0, 1]
    assert list(Filters(types=("air strike",)).apply(frame).index) == [1]
    assert list(Filters(types=("Battles",)).apply(frame).index) == [0]
    assert list(Filters(regions=("Dar'a",)).apply(frame).index) == [0, 2]
    assert list(Filters(precisions=(3,)).apply(frame).index) == [1]
    assert list(Filters(bbox=(36.0, 32.0, 36.5, 33.0)).apply(frame).index) == [0, 2]
    assert list(Filters(text="nay").apply(frame).index) == [1]
    assert Filters().is_empty() and not Filters(text="x").is_empty()


def test_columns_include_acled_core_names():
    for name in ("event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1",
                 "location", "latitude", "longitude", "geo_precision", "fatalities", "notes"):
        assert name in COLUMNS
