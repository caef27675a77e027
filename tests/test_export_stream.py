"""Streamed exports (geo.export.export_store): chunk by chunk from either store, the same bytes as the
one-shot export of the same rows, progress reported, nothing left behind by a failure midway."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pytest

from geo.cli import main
from geo.errors import GeoError
from geo.export import export, export_store
from geo.filters import Filters
from geo.store import open_store
from geo.store.chunks import read_chunks
from tests.store_contract import canonical, make_incidents

FORMATS = ["csv", "geojson", "kml", "gpkg"]
FILTERS = [None, Filters(types=("Battles",)), Filters(text="square", actors=("Red Front",))]


def _frame(n: int = 230) -> pd.DataFrame:
    frame = make_incidents(n, seed=11)
    frame.loc[3, "event_id"] = "ucdp:77"  # UCDP credit in GeoJSON/GPKG/KML metadata
    frame.loc[5, "notes"] = "=cmd|' /C calc'!A0\nsecond line, \"quoted\" – Ḥamā"
    frame.loc[8, "extra"] = json.dumps({"zz_later_column": "x", "inter1": 2})  # a non-ACLED extra column
    frame.loc[n - 2, "extra"] = json.dumps({"another": [1, 2]})  # first seen in the last chunk
    frame.loc[9, "extra"] = "not json"
    return frame


@pytest.fixture(params=["gpkg", "postgis"])
def store(request, tmp_path):
    db = str(tmp_path / "atlas.gpkg") if request.param == "gpkg" else request.getfixturevalue("postgis_db")
    with open_store(db) as opened:
        opened.upsert(_frame())
        yield opened


def _gpkg_content(path) -> tuple:
    with open_store(path) as out:
        rows = canonical(out.read())
    con = sqlite3.connect(path)
    try:
        meta = con.execute("SELECT table_name, data_type, description, srs_id FROM gpkg_contents").fetchall()
    finally:
        con.close()
    return rows, meta


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_chunked_export_equals_the_one_shot_export(store, tmp_path, fmt, filters):
    one = export(store.read(filters), fmt, tmp_path / f"one.{fmt}")
    path, count = export_store(store, fmt, tmp_path / f"chunked.{fmt}", filters, chunk_rows=17)
    assert count == len(store.read(filters)) > 0
    if fmt == "gpkg":  # SQLite pages differ with the number of transactions; tables and rows must not
        got, want = _gpkg_content(path), _gpkg_content(one)
        pd.testing.assert_frame_equal(got[0], want[0])
        assert got[1] == want[1]
    else:
        assert path.read_bytes() == one.read_bytes()


def test_chunks_concatenate_to_the_read(store):
    for filters in FILTERS:
        chunks = list(read_chunks(store, filters, 40))
        assert all(0 < len(c) <= 40 for c in chunks)
        joined = pd.concat(chunks, ignore_index=True)
        want = store.read(filters)
        assert joined["event_id"].tolist() == want["event_id"].tolist()  # same order, oldest first
        pd.testing.assert_frame_equal(canonical(joined), canonical(want))


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_selection_gives_the_empty_file(store, tmp_path, fmt):
    nothing = Filters(types=("No such type",))
    one = export(store.read(nothing), fmt, tmp_path / f"one.{fmt}")
    path, count = export_store(store, fmt, tmp_path / f"chunked.{fmt}", nothing)
    assert count == 0
    if fmt != "gpkg":
        assert path.read_bytes() == one.read_bytes()
    else:
        assert _gpkg_content(path)[0].empty


def test_progress_is_called_with_increasing_counts(store, tmp_path):
    calls: list[tuple] = []
    export_store(store, "csv", tmp_path / "out.csv", progress=lambda done, total: calls.append((done, total)),
                 chunk_rows=50)
    assert calls[0] == (0, 230) and calls[-1] == (230, 230)
    done = [c[0] for c in calls]
    assert done == sorted(done) and len(set(done)) == len(done) == 1 + 5  # 0, then after each chunk


@pytest.mark.parametrize("fmt", FORMATS)
def test_failure_midway_leaves_nothing_behind(store, tmp_path, monkeypatch, fmt):
    from geo.store import chunks

    real = chunks.read_chunks

    def failing(store_, filters, rows):
        for number, chunk in enumerate(real(store_, filters, rows)):
            if number == 2:
                raise OSError(28, "No space left on device")
            yield chunk

    monkeypatch.setattr(chunks, "read_chunks", failing)
    folder = tmp_path / "out"
    folder.mkdir()
    kept = folder / f"old.{fmt}"
    kept.write_bytes(b"previous export")
    with pytest.raises(GeoError, match=r"stopped after 40 incident\(s\), nothing was written: No space left"):
        export_store(store, fmt, folder / f"new.{fmt}", chunk_rows=20)
    with pytest.raises(GeoError, match="nothing was written"):
        export_store(store, fmt, kept, chunk_rows=20)
    assert sorted(p.name for p in folder.iterdir()) == [kept.name]
    assert kept.read_bytes() == b"previous export"


def test_csv_refuses_a_store_that_gains_extra_columns_midway(store, tmp_path, monkeypatch):
    """The CSV header is made from a first pass; rows that bring a column it lacks stop the export."""
    import geo.store.chunks as chunks

    monkeypatch.setattr(chunks, "read_extras", lambda store_, filters, rows: iter([[None]]))
    with pytest.raises(GeoError, match="changed during the export"):
        export_store(store, "csv", tmp_path / "out.csv", chunk_rows=20)
    assert list(tmp_path.glob("*.csv")) == list(tmp_path.glob(".out.csv*")) == []


def test_cli_export_streams_with_progress_on_stderr(tmp_path, capsys):
    db = tmp_path / "atlas.gpkg"
    with open_store(db) as store:
        store.upsert(_frame(120))
        want = export(store.read(), "geojson", tmp_path / "one.geojson").read_bytes()
    out = tmp_path / "all.geojson"
    assert main(["export", "--db", str(db), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"out": str(out), "format": "geojson", "count": 120}
    assert "exporting: 120 / 120 (100%) incidents" in captured.err
    assert out.read_bytes() == want


def test_dashboard_export_tab_streams_from_a_file_store(tmp_path, monkeypatch):
    """The Export tab writes the data file from the store (progress bar), then offers it for download."""
    from streamlit.testing.v1 import AppTest

    from tests.test_dashboard_apptest import APP

    db = tmp_path / "atlas.gpkg"
    with open_store(db) as store:
        store.upsert(_frame(60))
        want = export(store.read(Filters(types=("Battles",))), "kml", tmp_path / "one.kml").read_bytes()
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(db))
    monkeypatch.setenv("INCIDENT_ATLAS_USER_DB", str(tmp_path / "user.gpkg"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["type"] = ["Battles"]
    at.run()
    at.session_state["tab"] = "Export"
    at.run()
    at.button(key="write_kml").click().run()
    assert not at.exception, at.exception
    made = at.session_state["export_file"]
    with open(made["path"], "rb") as handle:
        assert handle.read() == want
    assert made["count"] == int(Filters(types=("Battles",)).mask(_frame(60)).sum())


def test_chunks_come_from_one_snapshot(store):
    """An import committed while the chunks are read is not half in the export."""
    chunks = read_chunks(store, None, 50)
    first = next(chunks)
    late = make_incidents(30, seed=4, prefix="LATE")
    late["event_date"] = pd.Timestamp("2030-01-01")  # after every read row: a keyset page would see them
    store.upsert(late)
    rest = list(chunks)
    ids = [*first["event_id"], *(i for c in rest for i in c["event_id"])]
    assert len(ids) == 230 and not any(i.startswith("LATE") for i in ids)
    assert store.count() == 260
