"""The embedded store's columnar snapshot (geo.store._columnar): same rows as a GDAL read, never stale,
never half-written, and a broken or foreign snapshot is ignored."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from geo.store import _columnar, open_store
from tests.dashboard_fixtures import sample_frame


def _plain(frame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns="geometry"))


def _sqlite_read(db) -> pd.DataFrame:
    with open_store(db) as store:
        store.fast_read = False  # the row-tuple path, which never uses the snapshot
        return _plain(store.read())


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "atlas.gpkg"
    with open_store(path) as store:
        store.upsert(sample_frame())
    return path


def test_a_full_read_writes_the_snapshot_and_later_reads_give_the_same_rows(db):
    snapshot = _columnar.snapshot_path(db)
    assert not snapshot.exists()
    with open_store(db) as store:
        first = store.read()
    assert snapshot.exists()
    with open_store(db) as store:
        again, plain = store.read(), store.read_frame()
    expected = _sqlite_read(db)
    pd.testing.assert_frame_equal(_plain(first), expected)
    pd.testing.assert_frame_equal(_plain(again), expected)
    pd.testing.assert_frame_equal(plain, expected)
    assert type(again).__name__ == "GeoDataFrame" and "geometry" not in plain.columns
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]


def test_an_import_makes_the_old_snapshot_unused(db):
    with open_store(db) as store:
        store.read_frame()
    old = _columnar.snapshot_path(db).stat().st_mtime_ns
    more = sample_frame()
    more["event_id"] = more["event_id"] + "-b"
    more["notes"] = "changed"
    with open_store(db) as store:  # as the dashboard does: the import in its own session
        store.upsert(more)
    with open_store(db) as store:
        after = store.read_frame()
    assert len(after) == 2 * len(sample_frame())
    assert (after["notes"] == "changed").sum() == len(more)
    pd.testing.assert_frame_equal(after, _sqlite_read(db))
    assert _columnar.snapshot_path(db).stat().st_mtime_ns != old  # rewritten for the new state


def test_rows_imported_through_the_same_open_store_are_read(db):
    """A commit this connection just made is in the next read (GDAL's SQLite once missed it), and a
    snapshot saved for the store's state holds every row of it."""
    with open_store(db) as store:
        store.read_frame()
        more = sample_frame()
        more["event_id"] = more["event_id"] + "-b"
        store.upsert(more)
        assert len(store.read_frame()) == len(store.read()) == 2 * len(sample_frame())
        saved = _columnar.load(_columnar.snapshot_path(db), store._snapshot_key())
        assert saved is None or saved.num_rows == 2 * len(sample_frame())


def test_a_replaced_row_is_read_from_the_store_not_the_snapshot(db):
    with open_store(db) as store:
        store.read_frame()
    changed = sample_frame().iloc[:1].copy()
    changed["notes"] = "edited note"
    with open_store(db) as store:
        store.upsert(changed)
    with open_store(db) as store:
        after = store.read_frame()
    assert after.loc[after["event_id"] == changed["event_id"].iloc[0], "notes"].tolist() == ["edited note"]


def test_a_broken_snapshot_is_ignored_and_rewritten(db):
    snapshot = _columnar.snapshot_path(db)
    snapshot.write_bytes(b"not an arrow file")
    with open_store(db) as store:
        frame = store.read_frame()
    pd.testing.assert_frame_equal(frame, _sqlite_read(db))
    with open_store(db) as store:
        assert _columnar.load(snapshot, store._snapshot_key()) is not None


def test_a_snapshot_written_for_another_key_is_not_used(db):
    with open_store(db) as store:
        table = store._whole_table()
    snapshot = _columnar.snapshot_path(db)
    assert _columnar.save(snapshot, table.slice(0, 1), "another state of the store")
    assert _columnar.load(snapshot, "another state of the store").num_rows == 1
    with open_store(db) as store:
        assert len(store.read_frame()) == len(sample_frame())


def test_a_failed_write_leaves_no_file_and_the_read_still_works(db, monkeypatch):
    def refuse(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with open_store(db) as store:
        frame = store.read_frame()
    pd.testing.assert_frame_equal(frame, _sqlite_read(db))
    assert sorted(p.name for p in db.parent.iterdir() if "snapshot" in p.name) == []


def test_text_values_repeat_as_one_object(db):
    with open_store(db) as store:
        frame = store.read_frame()
    types = frame["event_type"].dropna()
    first = types.iloc[0]
    same = [v for v in types if v == first]
    assert len(same) > 1 and all(v is same[0] for v in same)


def test_a_disk_full_half_way_leaves_no_file(db, monkeypatch):
    import errno

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd, mode):
            self._file = real_fdopen(fd, mode)
            self.written = 0

        def write(self, data):
            self.written += len(data)
            if self.written > 256:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self._file.write(data)

        def __getattr__(self, name):
            return getattr(self._file, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._file.close()

    monkeypatch.setattr(os, "fdopen", Full)
    with open_store(db) as store:
        frame = store.read_frame()
    pd.testing.assert_frame_equal(frame, _sqlite_read(db))
    assert sorted(p.name for p in db.parent.iterdir() if "snapshot" in p.name) == []
