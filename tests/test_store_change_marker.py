"""The embedded store's change marker: stable while nobody writes, new after every import.

The dashboard keys its caches on it; a marker that moved on a mere read made every rerun rebuild the map,
whose remount asked for another rerun, so clicks on buttons were lost.
"""

from __future__ import annotations

from geo.store import open_store
from tests.dashboard_fixtures import sample_frame


def test_reads_and_opens_leave_the_marker_alone_and_writes_move_it(tmp_path):
    db = tmp_path / "atlas.gpkg"
    with open_store(db) as store:
        store.upsert(sample_frame())
    with open_store(db) as store:
        first = store.change_marker()
    for _ in range(3):
        with open_store(db) as store:
            store.read()
            assert store.change_marker() == first
    with open_store(db) as store:
        more = sample_frame()
        more["event_id"] = more["event_id"] + "-b"
        store.upsert(more)
        assert store.change_marker() != first
