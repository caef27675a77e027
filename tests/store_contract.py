"""The behaviour every incident store backend must have, run against each backend.

A test module opts in with ``from tests.store_contract import *``: the ``backend`` fixture is
parametrised over the embedded GeoPackage store and the PostGIS store (a real server from
tests/_postgis_server.py), so every ``test_contract_*`` below runs once per backend. The incidents are
invented for these tests: no real events.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import random
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from geo.filters import Filters
from geo.schema import COLUMNS, CRS
from geo.store import open_store

__all__ = [
    "backend", "store_db", "store", "loaded_store", "fail_mid_import",
    "test_contract_store_implements_the_whole_protocol", "test_contract_empty_store_reads_typed_empty_frame", "test_contract_read_types_and_crs",
    "test_contract_round_trip_keeps_every_value", "test_contract_upsert_is_idempotent",
    "test_contract_upsert_updates_and_adds", "test_contract_last_duplicate_in_frame_wins",
    "test_contract_bad_row_writes_nothing", "test_contract_failure_mid_import_leaves_store_unchanged",
    "test_contract_data_survives_reopen", "test_contract_filters_equal_filters_apply",
    "test_contract_random_filters_equal_filters_apply", "test_contract_every_declared_field_matches_filters_mask",
    "test_contract_district_filter_ignores_case",
    "test_contract_facets_equal_query_facets_of_the_rows", "test_contract_facets_of_an_empty_store",
    "test_contract_concurrent_writers_and_readers",
]

BACKENDS = ("gpkg", "postgis")

# -- invented incidents ----------------------------------------------------------------------------------
GOVERNORATES = [("SY-DR", "Daraa", 32.6, 36.1), ("SY-HL", "Aleppo", 36.2, 37.1), ("SY-ID", "Idlib", 35.9, 36.6),
                ("SY-HM", "Hama", 35.1, 36.7), ("SY-SU", "As-Suwayda", 32.7, 36.6), ("SY-DY", "Deir ez-Zor", 35.3, 40.1)]
TYPES = [("Battles", "Armed clash", "clash"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelling"),
         ("Explosions/Remote violence", "Air/drone strike", "air strike"),
         ("Protests", "Peaceful protest", "protest"),
         ("Strategic developments", "Arrests", "arrest"),
         ("Violence against civilians", "Attack", "attack")]
ACTORS = ["Blue Brigade", "Red Front", "Green Guard", "Sky Wing", "Civilians (Syria)", "Protesters (Syria)",
          "Unidentified Armed Group (Syria)", "Çelik Unit", "كتيبة النجمة"]
SOURCES = ["Field Notes", "Daily Ledger", "Radio Digest", "Field Notes; Radio Digest"]
NOTES = ["Clash near the old mill.", "Shells fell on farmland, 3 injured.", 'A "drone" hit the depot',
         "Crowd of 200 at the square;\nsecond line", "Raid on a house: 2 men held", "100% of shops shut",
         "snake_case and back\\slash", "\\N", "تجمع في الساحة", "Nothing unusual"]


def make_incidents(n: int, *, seed: int = 7, prefix: str = "T") -> pd.DataFrame:
    """``n`` varied, invented incidents as a frame of the schema columns (plain values, no geometry)."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        iso, name, lat, lon = rng.choice(GOVERNORATES)
        event_type, sub_type, kind = rng.choice(TYPES)
        start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(120))
        record = {c: None for c in COLUMNS}
        record.update(
            event_id=f"{prefix}{i:05d}", event_date=start,
            date_end=start + dt.timedelta(days=rng.choice([1, 6, 20])) if rng.random() < 0.2 else None,
            time_precision=rng.choice([1, 1, 2, 3]), event_type=event_type, sub_event_type=sub_type,
            kind=kind, actor1=rng.choice(ACTORS),
            assoc_actor_1="; ".join(rng.sample(ACTORS, 2)) if rng.random() < 0.3 else None,
            actor2=rng.choice(ACTORS) if rng.random() < 0.6 else None, country="SY", admin1=name,
            admin1_iso=iso if rng.random() < 0.95 else None, admin2=f"District {i % 4}",
            location=f"Village {i % 37}", latitude=round(lat + rng.uniform(-0.4, 0.4), 6),
            longitude=round(lon + rng.uniform(-0.4, 0.4), 6) + 1e-7 * (i % 3),
            geo_precision=rng.choice([1, 2, 3]), fatalities=rng.choice([0, 0, 1, 4, None]),
            count=1, source=rng.choice(SOURCES), source_url=f"https://example.org/r/{i}",
            notes=rng.choice(NOTES), confidence=rng.choice([None, 0.5, 0.9, 1 / 3]),
            imported_from="contract-fixture",
            extra=json.dumps({"inter1": rng.randrange(8), "tags": "b; a"}) if rng.random() < 0.5 else None)
        records.append(record)
    return pd.DataFrame(records, columns=list(COLUMNS))


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame's schema columns sorted by event_id (for equality checks between reads)."""
    columns = [c for c in COLUMNS if c in frame]
    return pd.DataFrame(frame[columns]).sort_values("event_id").reset_index(drop=True)


def assert_same_incidents(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal schema columns, values and types (row order ignored)."""
    pd.testing.assert_frame_equal(canonical(left), canonical(right), check_exact=True)


# -- fixtures --------------------------------------------------------------------------------------------
@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Which store backend the test runs on."""
    return request.param


@pytest.fixture
def store_db(backend: str, request, tmp_path: Path) -> str:
    """Where a new, empty store of the backend lives: a .gpkg path or a postgresql:// URL."""
    if backend == "gpkg":
        return str(tmp_path / "incidents.gpkg")
    return request.getfixturevalue("postgis_db")


@pytest.fixture
def store(store_db: str) -> Iterator:
    """An open, empty store of the backend."""
    opened = open_store(store_db)
    yield opened
    opened.close()


class InjectedFailure(RuntimeError):
    """Raised on purpose in the middle of an import."""


@pytest.fixture
def fail_mid_import(backend: str, monkeypatch) -> Callable[[int], None]:
    """``arm(n)``: make the next import fail after ``n`` rows were already sent to the database."""
    def arm(after_rows: int) -> None:
        if backend == "gpkg":
            import geo.store.gpkg as embedded

            original = embedded._row_tuples
            monkeypatch.setattr(embedded, "BATCH_ROWS", 5)
        else:
            import geo.store._pg_frames as frames

            original = frames.copy_rows

        def failing(frame):
            for number, row in enumerate(original(frame)):
                if number == after_rows:
                    raise InjectedFailure(f"injected failure after {after_rows} rows")
                yield row

        if backend == "gpkg":
            monkeypatch.setattr(embedded, "_row_tuples", failing)
        else:
            monkeypatch.setattr(frames, "copy_rows", failing)

    return arm


# -- the contract ----------------------------------------------------------------------------------------
def test_contract_store_implements_the_whole_protocol(store_db: str) -> None:
    from geo.store import IncidentStore

    members = [name for name in dir(IncidentStore) if not name.startswith("_") or name in ("__enter__", "__exit__")]
    assert {"read", "upsert", "count", "facets", "change_marker", "counts_by_admin1", "grid_counts",
            "close"} <= set(members)
    with open_store(store_db) as opened:
        assert isinstance(opened, IncidentStore)
        for name in members:
            assert callable(getattr(opened, name)), name
        opened.upsert(make_incidents(3))
        assert isinstance(opened.change_marker(), str)
        assert opened.counts_by_admin1()["incidents"].sum() == 3
        assert opened.grid_counts(None, 0.5)["incidents"].sum() == 3
    with open_store(store_db) as again:  # the with block closed the first one; the data stayed
        assert again.count() == 3


def test_contract_empty_store_reads_typed_empty_frame(store) -> None:
    frame = store.read()
    assert list(frame.columns) == [*COLUMNS, "geometry"]
    assert len(frame) == 0 and store.count() == 0
    assert frame.crs == CRS


def test_contract_read_types_and_crs(store) -> None:
    store.upsert(make_incidents(40))
    frame = store.read()
    assert list(frame.columns) == [*COLUMNS, "geometry"]
    assert frame.crs.to_epsg() == 4326
    for column in ("event_date", "date_end", "updated_at"):
        assert frame[column].dtype == np.dtype("datetime64[ns]"), column
    for column in ("time_precision", "geo_precision", "fatalities", "count"):
        assert str(frame[column].dtype) == "Int64", column
    assert frame["latitude"].dtype == np.float64 and frame["confidence"].dtype == np.float64
    assert frame["admin3"].tolist() == [None] * 40  # missing text is None, not NaN or ""
    assert all(isinstance(v, str) for v in frame["notes"])
    assert (frame.geometry.x == frame["longitude"]).all() and (frame.geometry.y == frame["latitude"]).all()
    assert frame["event_date"].is_monotonic_increasing


def test_contract_round_trip_keeps_every_value(store) -> None:
    incidents = make_incidents(60)
    store.upsert(incidents)
    got = canonical(store.read())
    want = canonical(incidents)
    assert got["event_id"].tolist() == want["event_id"].tolist()
    assert got["event_date"].dt.date.tolist() == want["event_date"].tolist()
    assert got["date_end"].map(lambda v: None if pd.isna(v) else v.date()).tolist() == want["date_end"].tolist()
    assert got["latitude"].tolist() == want["latitude"].tolist()  # bit-exact coordinates
    assert got["longitude"].tolist() == want["longitude"].tolist()
    for column in ("actor1", "assoc_actor_1", "actor2", "notes", "source", "extra", "admin1_iso"):
        expected = want[column].astype(object).where(want[column].notna(), None)
        assert got[column].tolist() == expected.tolist(), column
    assert got["confidence"].tolist() == pytest.approx(want["confidence"].astype(float).tolist(), nan_ok=True)
    assert got["confidence"].isna().tolist() == want["confidence"].isna().tolist()
    assert got["fatalities"].tolist() == want["fatalities"].astype("Int64").tolist()


def test_contract_upsert_is_idempotent(store) -> None:
    incidents = make_incidents(50)
    first = store.upsert(incidents)
    before = store.read()
    second = store.upsert(incidents)
    assert (first.added, first.updated) == (50, 0)
    assert (second.added, second.updated) == (0, 50)
    assert store.count() == 50
    after = store.read()
    assert_same_incidents(before.drop(columns="updated_at"), after.drop(columns="updated_at"))


def test_contract_upsert_updates_and_adds(store) -> None:
    incidents = make_incidents(30)
    store.upsert(incidents)
    changed = incidents.iloc[:10].copy()
    changed["notes"] = "Revised account of the day."
    changed["fatalities"] = 9
    fresh = make_incidents(5, seed=99, prefix="N")
    result = store.upsert(pd.concat([changed, fresh], ignore_index=True))
    assert (result.added, result.updated) == (5, 10)
    frame = store.read().set_index("event_id")
    assert store.count() == 35
    assert (frame.loc[changed["event_id"], "notes"] == "Revised account of the day.").all()
    assert (frame.loc[changed["event_id"], "fatalities"] == 9).all()
    untouched = incidents["event_id"].iloc[10:]
    assert frame.loc[untouched, "notes"].tolist() == incidents["notes"].iloc[10:].tolist()


def test_contract_last_duplicate_in_frame_wins(store) -> None:
    incidents = make_incidents(3)
    twice = pd.concat([incidents, incidents.iloc[[1]].assign(notes="second copy")], ignore_index=True)
    result = store.upsert(twice)
    assert result.added == 3 and store.count() == 3
    assert store.read().set_index("event_id").loc["T00001", "notes"] == "second copy"


def test_contract_bad_row_writes_nothing(store) -> None:
    from geo.errors import StoreError

    store.upsert(make_incidents(10))
    before = store.read()
    bad = make_incidents(20, seed=3, prefix="B")
    bad.loc[15, "latitude"] = None
    with pytest.raises(StoreError):
        store.upsert(bad)
    assert store.count() == 10
    assert_same_incidents(before, store.read())


def test_contract_failure_mid_import_leaves_store_unchanged(store, fail_mid_import) -> None:
    original = make_incidents(40)
    store.upsert(original)
    before = store.read()
    update = pd.concat([original.iloc[:20].assign(notes="overwritten"), make_incidents(40, seed=5, prefix="X")],
                       ignore_index=True)
    fail_mid_import(30)
    with pytest.raises(InjectedFailure):
        store.upsert(update)
    assert store.count() == 40
    assert_same_incidents(before, store.read())


def test_contract_data_survives_reopen(store_db: str) -> None:
    incidents = make_incidents(25)
    first = open_store(store_db)
    first.upsert(incidents)
    first.close()
    again = open_store(store_db)
    try:
        assert again.count() == 25
        assert sorted(again.read()["event_id"]) == sorted(incidents["event_id"])
    finally:
        again.close()


FILTER_CASES = [
    Filters(),
    Filters(since=dt.date(2025, 2, 1)),
    Filters(until=dt.date(2025, 1, 20)),
    Filters(since=dt.date(2025, 2, 10), until=dt.date(2025, 2, 12)),  # ranges overlapping count
    Filters(actors=("red front",)),
    Filters(actors=("Blue Brigade", "كتيبة النجمة")),
    Filters(actors=("Çelik Unit",)),
    Filters(types=("Battles",)),
    Filters(types=("air strike", "Peaceful protest")),
    Filters(types=("explosions/remote violence",)),
    Filters(regions=("Dar'a",)),
    Filters(regions=("SY-HL", "Idlib")),
    Filters(precisions=(1,)),
    Filters(precisions=(2, 3)),
    Filters(sources=("radio digest",)),
    Filters(districts=("district 2",)),
    Filters(districts=("DISTRICT 0", "District 3")),
    Filters(text="drone"),
    Filters(text="100%"),
    Filters(text="snake_case"),
    Filters(text="back\\slash"),
    Filters(text="\\N"),
    Filters(text="في"),
    Filters(bbox=(36.0, 32.5, 36.4, 32.9)),
    Filters(since=dt.date(2025, 1, 15), until=dt.date(2025, 2, 28), regions=("Daraa",), types=("Battles",)),
    Filters(actors=("Green Guard",), types=("clash",), precisions=(1, 2), text="the"),
]
#: Filters that must select nothing from the fixture.
EMPTY_CASES = [
    Filters(actors=("Red",)),  # a part of a name is not an actor
    Filters(regions=("Nowhere",)),
    Filters(districts=("District",)),  # a part of a name is not a district
    Filters(bbox=(37.0, 36.0, 36.0, 37.0)),  # west > east
    Filters(until=dt.date(2024, 12, 31)),
]


@pytest.fixture
def loaded_store(store):
    """A store holding 400 invented incidents."""
    store.upsert(make_incidents(400, seed=11))
    return store


def test_contract_filters_equal_filters_apply(loaded_store) -> None:
    everything = loaded_store.read()
    assert len(everything) == 400
    for filters in FILTER_CASES:
        got = loaded_store.read(filters)
        want = filters.apply(everything)
        assert got["event_id"].tolist() == want["event_id"].tolist(), filters
        assert_same_incidents(got, want)
        assert 0 < len(got) and (len(got) < 400 or filters.is_empty()), filters  # each case discriminates
    for filters in EMPTY_CASES:
        got = loaded_store.read(filters)
        assert len(got) == 0 and list(got.columns) == [*COLUMNS, "geometry"], filters


_dates = st.one_of(st.none(), st.dates(dt.date(2024, 12, 1), dt.date(2025, 5, 15)))
_filters = st.builds(
    Filters, since=_dates, until=_dates,
    actors=st.lists(st.sampled_from([a.lower() for a in ACTORS] + ["Nobody"]), max_size=2).map(tuple),
    types=st.lists(st.sampled_from([t for triple in TYPES for t in triple]), max_size=2).map(tuple),
    regions=st.lists(st.sampled_from(["Daraa", "sy-hl", "Hama", "Idleb", "Zzz"]), max_size=2).map(tuple),
    precisions=st.lists(st.sampled_from([1, 2, 3]), max_size=2).map(tuple),
    sources=st.lists(st.sampled_from(["Field Notes", "daily ledger"]), max_size=1).map(tuple),
    districts=st.lists(st.sampled_from(["District 1", "district 3", "DISTRICT 2", "Elsewhere"]),
                       max_size=2).map(tuple),
    text=st.one_of(st.none(), st.sampled_from(["mill", "SHOP", "%", "_", "ال", "village 3"])),
    bbox=st.one_of(st.none(), st.tuples(st.floats(35, 38), st.floats(32, 35), st.floats(36, 41),
                                        st.floats(33, 37))))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=_filters)
def test_contract_random_filters_equal_filters_apply(loaded_store, filters: Filters) -> None:
    got = loaded_store.read(filters)
    want = filters.apply(loaded_store.read())
    assert got["event_id"].tolist() == want["event_id"].tolist()


#: One discriminating value per declared filter field (geo.filters.FIELDS). A field added to the
#: declaration without an example here fails the test below, which then checks it on every backend.
FIELD_EXAMPLES = {
    "since": dt.date(2025, 3, 1), "until": dt.date(2025, 2, 1), "actors": ("green guard",),
    "types": ("Protests",), "sources": ("Daily Ledger",), "regions": ("Hama",), "districts": ("district 1",),
    "precisions": (3,), "text": "shop", "bbox": (36.0, 32.0, 37.0, 36.0),
}


def test_contract_every_declared_field_matches_filters_mask(loaded_store) -> None:
    from geo.filters import FIELDS

    assert set(FIELD_EXAMPLES) == {spec.name for spec in FIELDS}
    everything = loaded_store.read()
    for spec in FIELDS:
        filters = Filters(**{spec.name: FIELD_EXAMPLES[spec.name]})
        want = everything[filters.mask(everything)]
        got = loaded_store.read(filters)
        assert 0 < len(want) < len(everything), spec.name  # the example really restricts
        assert got["event_id"].tolist() == want["event_id"].tolist(), spec.name


def test_contract_district_filter_ignores_case(store) -> None:
    incidents = make_incidents(6)
    incidents["admin2"] = ["Jisr al-Shughur", "JISR AL-SHUGHUR", "jisr al-shughur", "Ariha", None, "Jisr"]
    store.upsert(incidents)
    got = store.read(Filters(districts=("Jisr Al-Shughur",)))
    assert sorted(got["event_id"]) == ["T00000", "T00001", "T00002"]
    assert store.read(Filters(districts=("ariha", "nowhere")))["event_id"].tolist() == ["T00003"]


# -- facets (the dashboard's filter options) ----------------------------------------------------------------
def assert_same_facets(got: dict, want: dict) -> None:
    """Two facets dicts are equal: same keys, same counts in the same order, same date bounds."""
    from geo.query import FACET_KEYS

    assert set(got) == set(want) == set(FACET_KEYS)
    assert got["incidents"] == want["incidents"]
    assert got["dates"] == want["dates"]
    for key in ("actors", "types", "kinds", "districts", "sources", "precisions"):
        assert list(got[key].items()) == list(want[key].items()), key
    pd.testing.assert_frame_equal(got["regions"].reset_index(drop=True), want["regions"].reset_index(drop=True),
                                  check_dtype=False)


FACET_CASES = [None, Filters(), Filters(regions=("Daraa",)),
               Filters(since=dt.date(2025, 2, 1), until=dt.date(2025, 2, 20), types=("Battles",)),
               Filters(actors=("Blue Brigade",), sources=("Radio Digest",)), Filters(regions=("Nowhere",)),
               Filters(districts=("District 1",))]


def test_contract_facets_equal_query_facets_of_the_rows(loaded_store) -> None:
    from geo import query

    extra = make_incidents(3, seed=5, prefix="F")  # padded names and blanks count as geo.query counts them
    extra.loc[0, ["actor1", "assoc_actor_1", "source", "kind"]] = [" Blue Brigade ", "Red Front;  ; Red Front",
                                                                  "Field Notes;;Daily Ledger", "   "]
    extra.loc[1, ["actor2", "date_end", "event_type"]] = ["Blue Brigade", dt.date(2025, 12, 31), "Battles"]
    extra.loc[2, "admin2"] = " District 1 "  # counted as "District 1", like geo.query.value_counts
    loaded_store.upsert(extra)
    for filters in FACET_CASES:
        got = loaded_store.facets(filters)
        want = query.facets(loaded_store.read(filters))
        assert_same_facets(got, want)
    everything = loaded_store.facets()
    assert everything["incidents"] == 403
    assert everything["dates"] == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert everything["actors"]["Blue Brigade"] == query.actor_counts(loaded_store.read())["Blue Brigade"]
    assert list(everything["precisions"].index) != [] and set(everything["precisions"].index) <= {"1", "2", "3"}
    assert loaded_store.facets(Filters(regions=("Nowhere",)))["dates"] is None


def test_contract_facets_of_an_empty_store(store) -> None:
    got = store.facets()
    assert got["incidents"] == 0 and got["dates"] is None
    assert all(len(got[k]) == 0 for k in ("actors", "types", "kinds", "regions", "districts", "sources",
                                          "precisions"))


# -- concurrency -----------------------------------------------------------------------------------------
BATCH = 300
WRITERS = 3
BATCHES_PER_WRITER = 3


def _batch(tag: str, ids: list[str], seed: int) -> pd.DataFrame:
    frame = make_incidents(len(ids), seed=seed)
    frame["event_id"] = ids
    frame["doc_id"] = tag
    return frame


def _writer(db: str, number: int) -> None:
    """Import this writer's batches, a batch shared by every writer, and one of its batches again."""
    store = open_store(db)
    try:
        shared = _batch("shared", [f"S{i:04d}" for i in range(BATCH)], seed=1)
        own = [_batch(f"w{number}b{k}", [f"W{number}-{k}-{i:04d}" for i in range(BATCH)], seed=number * 10 + k)
               for k in range(BATCHES_PER_WRITER)]
        for k, frame in enumerate(own):
            store.upsert(frame)
            if k == number % BATCHES_PER_WRITER:
                store.upsert(shared.sample(frac=1, random_state=number))  # another row order per writer
        store.upsert(own[0])
    finally:
        store.close()


def _reader(db: str, stop, problems, ready) -> None:
    """Read everything until told to stop; report any read showing part of an import or a duplicate."""
    store = open_store(db)
    reads = 0
    ready.put("ready")
    try:
        while not stop.is_set() or reads < 3:
            frame = store.read()
            reads += 1
            if frame["event_id"].duplicated().any():
                problems.put("duplicate event_id in a read")
            sizes = frame.groupby("doc_id").size()
            partial = sizes[sizes != BATCH]
            if len(partial):
                problems.put(f"partial import visible: {partial.to_dict()}")
    finally:
        store.close()
        problems.put(("reads", reads))


@contextmanager
def _processes(targets: list[tuple]) -> Iterator[list]:
    context = multiprocessing.get_context("spawn")
    started = [context.Process(target=target, args=args) for target, args in targets]
    for process in started:
        process.start()
    try:
        yield started
    finally:
        for process in started:
            process.join(timeout=120)
            if process.is_alive():
                process.kill()


def test_contract_concurrent_writers_and_readers(store_db: str) -> None:
    open_store(store_db).close()  # create the store / schema before the race
    context = multiprocessing.get_context("spawn")
    stop, problems, ready = context.Event(), context.Queue(), context.Queue()
    readers = [(_reader, (store_db, stop, problems, ready)) for _ in range(2)]
    with _processes(readers) as reader_processes:
        assert [ready.get(timeout=120) for _ in readers] == ["ready", "ready"]
        with _processes([(_writer, (store_db, n)) for n in range(WRITERS)]) as writer_processes:
            pass
        stop.set()
    assert [p.exitcode for p in writer_processes] == [0] * WRITERS
    assert [p.exitcode for p in reader_processes] == [0, 0]
    found = []
    while sum(isinstance(item, tuple) for item in found) < len(readers):
        found.append(problems.get(timeout=60))  # each reader ends with ("reads", n)
    reads = [item[1] for item in found if isinstance(item, tuple)]
    assert [item for item in found if not isinstance(item, tuple)] == []
    assert len(reads) == 2 and min(reads) >= 3
    store = open_store(store_db)
    try:
        frame = store.read()
        assert store.count() == len(frame) == (WRITERS * BATCHES_PER_WRITER + 1) * BATCH
        assert not frame["event_id"].duplicated().any()
        assert (frame.groupby("doc_id").size() == BATCH).all()
    finally:
        store.close()
