"""Property-based and fuzz tests (hypothesis): the geocoder's text normaliser, the report date resolver,
the importers on random bytes / tables / JSON, the filters, and import -> export -> import.

Example counts are moderate (deadline off) so the suite stays quick; the database is seeded by
hypothesis itself, so a failure prints the smallest example that shows it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from geo import taxonomy
from geo.geocode._normalize import name_key, sound_key, tokens
from geo.errors import GeoError
from geo.export import export
from geo.extract._dates import WEEKDAYS, find_dates
from geo.filters import Filters
from geo.ingest import load

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
#: The importer fuzz tests run this many examples each (raise it for a long fuzz run, see docs/RELIABILITY.md).
FUZZ = settings(max_examples=int(os.environ.get("INCIDENT_ATLAS_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Text that mixes Latin with diacritics, Arabic (with harakat), apostrophes/ayin marks, digits and punctuation.
NAME_ALPHABET = st.sampled_from(list("abcdeghiklmnoqrstuyzABDHKQSTZ'’ʿʾ-. ,0123456789")
                                + list("āīūḥṣṭẓéèçüöıß") + list("درعاحمصلبقنيةأإآىؤئءً َُِّ"))
names = st.text(NAME_ALPHABET, max_size=40)


# ------------------------------------------------------------------------------------- encodings, binary sniffing
TEXT_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x6FF) | st.sampled_from("\t\n\r")


@FAST
@given(st.text(TEXT_CHARS, min_size=1, max_size=300))
def test_utf8_text_is_never_taken_for_binary(text):
    from geo._safety import looks_binary

    assert not looks_binary(text.encode("utf-8"))


@FAST
@given(st.text(TEXT_CHARS.filter(lambda c: ord(c) % 256), max_size=60), st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_tables_without_bom_are_recognised_and_decoded(cells, encoding):
    """A table (ASCII header, any Latin/Arabic/Cyrillic text) saved as UTF-16 without a byte-order mark.
    (Characters whose low byte is zero, U+0100, U+0200, ... U+0600, are left out: a table full of them
    looks like the other byte order.)"""
    from geo.ingest._decode import decode

    text = "event_date,latitude,longitude,notes\n2021-01-01,33.5,36.3," + cells
    assert decode(text.encode(encoding), file="t.csv") == (text, encoding)


# ----------------------------------------------------------------------------------------- text normaliser
@FAST
@given(names)
def test_name_key_is_idempotent_lowercase_and_free_of_marks(text):
    key = name_key(text)
    assert key == key.casefold()
    assert not any(c in key for c in " '’ʿʾ-.,")
    assert name_key(key) == key or key == ""  # a key is its own key (up to articles it already dropped)
    assert sound_key(text) == sound_key(text)


@FAST
@given(names, st.sampled_from(["upper", "lower", "title", "pad"]))
def test_name_key_ignores_case_and_surrounding_space(text, how):
    variant = {"upper": text.upper(), "lower": text.lower(), "title": text.title(), "pad": f"  {text}\t"}[how]
    assume("ß" not in text and "ı" not in text and "İ" not in variant)  # case maps that change length
    assert name_key(variant) == name_key(text)


@FAST
@given(st.text(max_size=60))
def test_normaliser_never_fails_on_any_text(text):
    assert isinstance(name_key(text), str) and isinstance(sound_key(text), str)
    assert all(t for t in tokens(text))


@FAST
@given(st.lists(st.sampled_from(list("درعاحمصلبقنيه")), min_size=1, max_size=8), st.sampled_from(["ً", "َ", "ُ", "ِ", "ّ", "ْ"]))
def test_arabic_diacritics_do_not_change_the_key(letters, mark):
    plain = "".join(letters)
    marked = "".join(c + mark for c in letters)
    assert name_key(marked) == name_key(plain)


# ------------------------------------------------------------------------------------------- date resolver
published_dates = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2030, 12, 31))
RELATIVE = ["yesterday", "last night", "today", "this morning", "the day before yesterday", "last week",
            "this week", "past week", "last month", "this month", "past month", "over the last three days",
            "two days ago", "on Tuesday", "last Friday", "on Sunday", "in the past 5 days"]


@FAST
@given(st.text(max_size=200), published_dates)
def test_find_dates_never_fails_and_spans_point_into_the_text(text, published):
    found = find_dates(text, published)
    last_end = -1
    for span in found:
        start, end = span.span
        assert text[start:end] == span.text and start >= last_end
        last_end = end
        assert span.end is None or span.end >= span.start
        assert span.precision in (1, 2, 3)


@FAST
@given(st.lists(st.sampled_from(RELATIVE), min_size=1, max_size=4), published_dates)
def test_relative_dates_are_never_after_publication_nor_long_before(phrases, published):
    text = ". ".join(f"Shelling was reported {p}" for p in phrases) + "."
    found = find_dates(text, published)
    assert found
    for span in found:
        assert published - dt.timedelta(days=62) <= span.start <= published
        assert span.end is None or span.end <= published


@FAST
@given(st.integers(min_value=1, max_value=30), published_dates)
def test_n_days_ago(n, published):
    (span,) = find_dates(f"The raid happened {n} days ago near the market.", published)
    assert span.start == published - dt.timedelta(days=n) and span.precision == 1


@FAST
@given(st.sampled_from(sorted(WEEKDAYS)), published_dates)
def test_weekday_is_that_weekday_of_the_past_week(weekday, published):
    (span,) = find_dates(f"Clashes broke out on {weekday.title()} evening.", published)
    assert span.start.weekday() == WEEKDAYS[weekday]
    assert 0 <= (published - span.start).days <= 7


@FAST
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)), published_dates)
def test_iso_dates_resolve_to_themselves(day, published):
    (span,) = find_dates(f"Reported on {day.isoformat()} by a local council.", published)
    assert span.start == day


# --------------------------------------------------------------------------------------------- importers
def _load_bytes(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            return load(path, skip_bad=True)
        except GeoError:
            return None


SUFFIXES = st.sampled_from([".csv", ".tsv", ".geojson", ".json", ".xlsx", ".gpkg", ".dat", ""])


@FUZZ
@given(st.binary(max_size=3000), SUFFIXES)
@example(b"PK\x03\x04" + b"\x00" * 40, ".xlsx")
@example(b"SQLite format 3\x00" + b"\x01" * 100, ".gpkg")
@example(b"\xff\xfed\x00a\x00", ".csv")
@example(b'{"type": "FeatureCollection", "features": [null, 1, "x", {"geometry": []}]}', ".geojson")
def test_importers_raise_only_geo_errors_on_random_bytes(data, suffix):
    result = _load_bytes(data, suffix)
    if result is not None:
        assert result.frame["latitude"].between(-90, 90).all()


CELL = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["", "33.5", "36.2", "-190", "1e400", "nan", "2021-02-03", "31/12/2020", "1 May 2020", "=1+1",
                     "Battles", "Armed clash", "Daraa", "SY-DR", "Syria", "0", "-1", "3", "\"", "'", ",", "\r\n"]),
)
HEADER_NAMES = ["event_id", "event_date", "date", "latitude", "longitude", "lat", "lon", "location", "place",
                "event_type", "sub_event_type", "actor1", "fatalities", "geo_precision", "time_precision",
                "admin1", "admin1_iso", "country", "notes", "date_end", "event_id_cnty", "side_a", "where_prec",
                "date_start", "best", "id", "side_b", "type_of_violence", "extra", "x y", ""]


@FUZZ
@given(st.lists(st.sampled_from(HEADER_NAMES), min_size=1, max_size=10),
       st.lists(st.lists(CELL, min_size=0, max_size=11), max_size=6),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-16", "cp1256", "latin-1"]))
def test_importers_raise_only_geo_errors_on_random_tables(header, rows, delimiter, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    result = _load_bytes(data, ".csv")
    if result is not None and len(result.frame):
        frame = result.frame
        assert frame["latitude"].between(-90, 90).all() and frame["longitude"].between(-180, 180).all()
        assert frame["event_date"].notna().all() and not frame["event_id"].isna().any()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)
GEOMETRY = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({"type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPoint", "point"]),
                           "coordinates": JSON_VALUES | st.lists(st.floats(-400, 400), max_size=3)}))
PROPERTIES = st.dictionaries(st.sampled_from(["event_id", "event_date", "date", "location", "notes", "fatalities",
                                              "country", "latitude", "event_type", "admin1"]),
                             CELL | JSON_VALUES, max_size=6)


@FUZZ
@given(st.lists(st.fixed_dictionaries({"type": st.just("Feature"), "geometry": GEOMETRY, "properties": PROPERTIES})
                | JSON_VALUES, max_size=5))
def test_importers_raise_only_geo_errors_on_random_geojson(features):
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    result = _load_bytes(data, ".geojson")
    if result is not None:
        assert result.frame["latitude"].between(-90, 90).all()


# ----------------------------------------------------------------------------------------------- filters
DAY0 = dt.date(2019, 1, 1)


@st.composite
def incident_frames(draw):
    n = draw(st.integers(0, 25))
    starts = [DAY0 + dt.timedelta(days=draw(st.integers(0, 900))) for _ in range(n)]
    ends = [s + dt.timedelta(days=draw(st.integers(0, 40))) if draw(st.booleans()) else None for s in starts]
    types = [draw(st.sampled_from(taxonomy.event_types())) for _ in range(n)]
    return pd.DataFrame({
        "event_id": [f"P{i}" for i in range(n)],
        "event_date": pd.to_datetime(pd.Series(starts, dtype=object)),
        "date_end": pd.to_datetime(pd.Series(ends, dtype=object)),
        "event_type": types, "sub_event_type": [None] * n, "kind": [None] * n,
        "actor1": [draw(st.sampled_from(["A", "B", "C"])) for _ in range(n)],
        "assoc_actor_1": [None] * n, "actor2": [None] * n, "assoc_actor_2": [None] * n,
        "admin1_iso": [draw(st.sampled_from(["SY-DR", "SY-HM", None])) for _ in range(n)],
        "geo_precision": pd.array([draw(st.sampled_from([1, 2, 3])) for _ in range(n)], dtype="Int64"),
        "latitude": [33.0] * n, "longitude": [36.0] * n, "notes": [None] * n, "location": [None] * n,
        "source": [None] * n,
    })


optional_days = st.none() | st.integers(0, 960).map(lambda d: DAY0 + dt.timedelta(days=d))


@FAST
@given(incident_frames(), optional_days, optional_days, st.lists(st.sampled_from(taxonomy.event_types()), max_size=2))
def test_filters_never_return_an_incident_outside_the_range(frame, since, until, types):
    filters = Filters(since=since, until=until, types=tuple(types))
    kept = filters.apply(frame)
    start = frame["event_date"]
    end = frame["date_end"].fillna(start)
    inside = pd.Series(True, index=frame.index)
    if since:
        inside &= end >= pd.Timestamp(since)
    if until:
        inside &= start <= pd.Timestamp(until)
    if types:
        inside &= frame["event_type"].isin(types)
    assert set(kept["event_id"]) == set(frame.loc[inside, "event_id"])
    if since and until and since > until:
        assert kept.empty or (kept["event_date"] <= pd.Timestamp(until)).all()


@pytest.fixture(scope="module")
def filter_store(tmp_path_factory):
    """A store with incidents spread over three years, some spanning several days."""
    from geo.store import open_store

    rows = []
    for i in range(300):
        start = DAY0 + dt.timedelta(days=(i * 37) % 1000)
        rows.append({"event_id": f"F{i}", "event_date": start.isoformat(),
                     "date_end": (start + dt.timedelta(days=i % 9)).isoformat() if i % 3 == 0 else None,
                     "latitude": 32.6 + (i % 30) * 0.05, "longitude": 36.0 + (i % 20) * 0.05,
                     "event_type": taxonomy.event_types()[i % 6], "admin1_iso": ["SY-DR", "SY-HM", "SY-DI"][i % 3],
                     "geo_precision": 1 + i % 3})
    store = open_store(tmp_path_factory.mktemp("filters") / "f.gpkg")
    store.upsert(pd.DataFrame(rows))
    yield store
    store.close()


@SLOW
@given(optional_days, optional_days, st.lists(st.sampled_from(["SY-DR", "SY-HM", "Damascus", "Daraa"]), max_size=2),
       st.lists(st.sampled_from([1, 2, 3]), max_size=2))
def test_store_reads_never_return_an_incident_outside_the_filters(filter_store, since, until, regions, precisions):
    filters = Filters(since=since, until=until, regions=tuple(regions), precisions=tuple(precisions))
    got = filter_store.read(filters)
    everything = filter_store.read()
    assert got["event_id"].tolist() == filters.apply(everything)["event_id"].tolist()
    end = got["date_end"].fillna(got["event_date"])
    if since:
        assert (end >= pd.Timestamp(since)).all()
    if until:
        assert (got["event_date"] <= pd.Timestamp(until)).all()
    if precisions:
        assert got["geo_precision"].isin(precisions).all()


# ----------------------------------------------------------------------------------- import -> export -> import
TEXT = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
                        max_size=5)
                | st.sampled_from(["=", "+", "-", "@", "'", '"', ",", ";", "\t", "\r", "\n", "\r\n", "درعا", "ʿ"]),
                max_size=6).map("".join)


@st.composite
def source_tables(draw):
    n = draw(st.integers(1, 8))
    rows = []
    for i in range(n):
        day = DAY0 + dt.timedelta(days=draw(st.integers(0, 1500)))
        sub = draw(st.sampled_from(taxonomy.sub_event_types()))
        rows.append({
            "event_id": f"RT-{i}-{draw(st.sampled_from(['a', 'b', '=c', '+d', 'é']))}",
            "event_date": day.isoformat(),
            "date_end": (day + dt.timedelta(days=draw(st.integers(1, 20)))).isoformat() if draw(st.booleans()) else "",
            "event_type": sub.event_type, "sub_event_type": sub.sub_event_type,
            "actor1": draw(TEXT), "actor2": draw(TEXT), "location": draw(TEXT), "notes": draw(TEXT),
            "source": draw(TEXT), "country": "Syria",
            "latitude": f"{draw(st.integers(324000, 372000)) / 10000:.4f}",
            "longitude": f"{draw(st.integers(358000, 423000)) / 10000:.4f}",
            "geo_precision": draw(st.sampled_from([1, 2, 3])), "fatalities": draw(st.integers(0, 500)),
        })
    return rows


KEPT = ["event_id", "event_date", "date_end", "event_type", "sub_event_type", "kind", "actor1", "actor2", "country",
        "admin1", "admin1_iso", "location", "latitude", "longitude", "geo_precision", "fatalities", "source", "notes"]


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_import_export_import_is_the_identity(fmt, tmp_path):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(source_tables())
    def check(rows):
        with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
            source = Path(folder) / "source.csv"
            with open(source, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
                writer.writeheader()
                writer.writerows(rows)
            first = load(source).frame
            out = export(first, fmt, Path(folder) / f"out.{fmt}")
            second = load(out).frame
            left = first.sort_values("event_id").reset_index(drop=True)[KEPT]
            right = second.sort_values("event_id").reset_index(drop=True)[KEPT]
            pd.testing.assert_frame_equal(left, right)

    check()
