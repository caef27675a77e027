"""One filter definition: every field declared in geo.filters.FIELDS is handled by every reader of it.

The URL codec, the command line, the descriptions, the pandas mask and both stores' SQL translations
all walk the declaration; these tests fail when a declared field is missing from one of them (the
store contract in tests/store_contract.py then checks each field's SQL against ``Filters.mask``).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt

import pandas as pd
import pytest

from geo.errors import InputError, StoreError
from geo.filters import FIELD, FIELDS, KINDS, Filters
from geo.query import ViewState, describe_filters, from_query_params, to_query_params
from tests.store_contract import FIELD_EXAMPLES

#: Values for every field (different from the store examples: names with spaces, several values).
EVERY_FIELD = Filters(since=dt.date(2024, 2, 29), until=dt.date(2024, 3, 31), actors=("Blue Brigade", "Ünit 7"),
                      types=("Battles",), sources=("Field Notes",), regions=("SY-DR", "Hama"),
                      districts=("Jisr al-Shughur", "Ariha"), precisions=(1, 3), text="market & square",
                      bbox=(35.5, 32.0, 37.25, 33.5))


def test_declaration_covers_exactly_the_filters_attributes():
    attributes = [f.name for f in dataclasses.fields(Filters) if f.name != "extra"]
    assert sorted(attributes) == sorted(FIELD)
    assert len({spec.url_key for spec in FIELDS}) == len(FIELDS)  # URL keys are unique
    assert len({spec.cli for spec in FIELDS}) == len(FIELDS)
    assert all(spec.kind in KINDS for spec in FIELDS)
    assert all(getattr(EVERY_FIELD, spec.name) for spec in FIELDS)  # the fixture sets every field


def test_every_declared_field_has_a_translation_in_each_store():
    from geo.store import _pg_filters
    from geo.store.gpkg import _PREFILTERS

    assert set(_PREFILTERS) == set(FIELD)  # None there means "left to Filters.mask", said explicitly
    assert set(_pg_filters.TRANSLATIONS) == set(FIELD)
    assert set(FIELD_EXAMPLES) == set(FIELD)  # the store contract checks each field against Filters.mask


def test_postgis_refuses_a_field_it_cannot_translate(monkeypatch):
    from geo.store import _pg_filters

    monkeypatch.delitem(_pg_filters.TRANSLATIONS, "districts")
    with pytest.raises(StoreError, match="districts"):
        _pg_filters.where(Filters(districts=("Ariha",)))
    clause, params = _pg_filters.where(Filters(regions=("Hama",)))  # other fields still translate
    assert params == [["SY-HM"]]


def test_every_postgis_translation_binds_one_value_per_placeholder():
    from geo.store import _pg_filters

    for spec in FIELDS:
        filters = Filters(**{spec.name: getattr(EVERY_FIELD, spec.name)})
        clause, params = _pg_filters.where(filters)
        text = clause.as_string(None)
        assert text != "TRUE", spec.name
        assert text.count("%s") == len(params), spec.name


def test_url_round_trip_of_every_declared_field():
    state = ViewState(EVERY_FIELD, in_view=True)
    params = to_query_params(state)
    assert {spec.url_key for spec in FIELDS} <= set(params)
    assert params["district"] == ["Jisr al-Shughur", "Ariha"]
    assert from_query_params(params) == state
    without_view = to_query_params(ViewState(EVERY_FIELD, in_view=False))
    assert "bbox" not in without_view and from_query_params(without_view).filters.bbox is None


def _parser() -> argparse.ArgumentParser:
    from geo.commands._common import add_filter_arguments

    parser = argparse.ArgumentParser()
    add_filter_arguments(parser)
    return parser


def test_command_line_has_an_option_for_every_declared_field():
    from geo.commands._common import filters_from_args

    argv = []
    for spec in FIELDS:
        value = getattr(EVERY_FIELD, spec.name)
        if spec.kind in ("names", "ints"):
            for item in value:
                argv += [f"--{spec.cli}", str(item)]
        elif spec.kind == "date":
            argv += [f"--{spec.cli}", value.isoformat()]
        elif spec.kind == "bbox":
            argv += [f"--{spec.cli}", ",".join(str(v) for v in value)]
        else:
            argv += [f"--{spec.cli}", value]
    assert filters_from_args(_parser().parse_args(argv)) == EVERY_FIELD
    assert filters_from_args(_parser().parse_args([])) == Filters()


@pytest.mark.parametrize("argv, fragment", [(["--since", "2024-13-01"], "--since"),
                                            (["--bbox", "37,32,36,33"], "--bbox"),
                                            (["--bbox", "1,2,3"], "--bbox")])
def test_bad_command_line_filter_values_name_the_option(argv, fragment):
    from geo.commands._common import filters_from_args

    with pytest.raises(InputError, match=fragment):
        filters_from_args(_parser().parse_args(argv))


def test_description_names_every_declared_field():
    text = describe_filters(EVERY_FIELD)
    assert text.startswith("2024-02-29 to 2024-03-31; ")
    for spec in FIELDS:
        if spec.kind != "date":
            assert f"{spec.label}: " in text, spec.name
    assert "Governorates: Daraa, Hama" in text and "Districts: Jisr al-Shughur, Ariha" in text


def test_mask_runs_every_declared_field():
    frame = pd.DataFrame({
        "event_date": pd.to_datetime(["2024-03-01", "2024-03-02"]), "date_end": [pd.NaT, pd.NaT],
        "actor1": ["Blue Brigade", "Blue Brigade"], "event_type": ["Battles", "Battles"],
        "source": ["Field Notes", "Field Notes"], "admin1_iso": ["SY-DR", "SY-DR"],
        "admin2": ["ARIHA", "Idlib"], "geo_precision": [1, 1], "notes": ["the Market & Square", "market & square"],
        "location": ["x", "y"], "longitude": [36.0, 36.0], "latitude": [33.0, 33.0]})
    assert EVERY_FIELD.mask(frame).tolist() == [True, False]  # only the district tells them apart
    for spec in FIELDS:
        one = Filters(**{spec.name: getattr(EVERY_FIELD, spec.name)})
        assert one.mask(frame).tolist() == ([True, False] if spec.name == "districts" else [True, True]), spec.name
