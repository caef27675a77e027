"""The PostGIS store against a real PostgreSQL + PostGIS server (started by tests/_postgis_server.py).

The shared store contract (tests/store_contract.py) runs here on both backends; the tests below cover
what only the PostGIS backend has: migrations, index use, server-side density, roles, copy between stores.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.store_contract import *  # noqa: F401,F403 - the contract, parametrised over both backends
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import psycopg

from geo import query
from geo.store import _pg_filters, _pg_migrate
from geo.cli import main
from geo.errors import StoreError
from geo.filters import Filters
from geo.store import open_store
from tests.store_contract import assert_same_incidents, make_incidents

pytestmark = pytest.mark.postgis
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pg_store(postgis_db: str):
    """An open PostGIS store holding 400 invented incidents."""
    store = open_store(postgis_db)
    store.upsert(make_incidents(400, seed=11))
    yield store
    store.close()


def _run_cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


# -- migrations ------------------------------------------------------------------------------------------
def test_migrate_command_creates_schema_once(postgis_db: str, capsys) -> None:
    code, out = _run_cli(capsys, "migrate", "--check", "--db", postgis_db)
    assert code == 1 and json.loads(out)["from_version"] == 0
    code, out = _run_cli(capsys, "migrate", "--db", postgis_db)
    report = json.loads(out)
    assert code == 0 and report["applied"] == [m.version for m in _pg_migrate.migrations()]
    assert report["to_version"] == _pg_migrate.latest_version() >= 2
    code, out = _run_cli(capsys, "migrate", "--db", postgis_db)
    assert code == 0 and json.loads(out)["applied"] == []
    code, out = _run_cli(capsys, "migrate", "--check", "--db", postgis_db)
    assert code == 0
    with psycopg.connect(postgis_db) as conn:
        assert conn.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall() == [
            (1, "init"), (2, "district_source_indexes"), (3, "search_fold")]
        kinds = dict(conn.execute("SELECT f_geometry_column, type FROM geometry_columns "
                                  "WHERE f_table_name = 'incidents'").fetchall())
        assert kinds == {"geom": "POINT"}
        assert conn.execute("SELECT Find_SRID('public', 'incidents', 'geom')").fetchone()[0] == 4326


def test_migrate_rejects_a_file_store(tmp_path, capsys) -> None:
    assert main(["migrate", "--db", str(tmp_path / "x.gpkg")]) == 2
    assert "postgresql://" in capsys.readouterr().err


def test_failed_migration_changes_nothing(postgis_server, postgis_db: str) -> None:
    # A role that may create tables but not the PostGIS extension, in a database without it.
    name = "nopostgis_" + os.urandom(3).hex()
    postgis_server.execute(f"CREATE ROLE {name} LOGIN")
    postgis_server.execute(f"CREATE DATABASE {name} OWNER {name}")
    url = postgis_server.dsn(name, user=name)
    with pytest.raises(StoreError, match="CREATE EXTENSION postgis"):
        open_store(url)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('schema_version'), to_regclass('incidents')").fetchone() == (
            None, None)


def test_newer_schema_is_refused(postgis_db: str) -> None:
    open_store(postgis_db).close()
    with psycopg.connect(postgis_db) as conn:
        conn.execute("INSERT INTO schema_version (version, name) VALUES (99, 'future')")
    with pytest.raises(StoreError, match="newer"):
        open_store(postgis_db)


def test_connection_errors_never_show_the_password(postgis_server) -> None:
    url = f"postgresql://someone:Sup3rSecretPw@127.0.0.1:{postgis_server.port}/no_such_db"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert "Sup3rSecretPw" not in str(caught.value) and "no_such_db" in str(caught.value)


# -- filters run in SQL on indexes -----------------------------------------------------------------------
INDEX_CASES = [
    (Filters(since=dt.date(2025, 2, 1), until=dt.date(2025, 2, 14)), "incidents_period_gist"),
    (Filters(actors=("Red Front",)), "incidents_actor_keys_gin"),
    (Filters(types=("Battles",)), "incidents_type_keys_gin"),
    (Filters(regions=("Daraa",)), "incidents_admin1_iso"),
    (Filters(text="drone"), "incidents_search_trgm"),
    (Filters(districts=("District 2",)), "incidents_admin2_lower"),
    (Filters(sources=("Radio Digest",)), "incidents_source_keys_gin"),
    (Filters(bbox=(36.0, 32.5, 36.4, 32.9)), "incidents_geom_gist"),
]


def _index_names(plan: dict) -> set[str]:
    names = {plan["Index Name"]} if "Index Name" in plan else set()
    for child in plan.get("Plans", []):
        names |= _index_names(child)
    return names


@pytest.mark.parametrize(("filters", "index"), INDEX_CASES, ids=[case[1] for case in INDEX_CASES])
def test_each_filter_can_use_its_index(pg_store, postgis_db: str, filters: Filters, index: str) -> None:
    clause, params = _pg_filters.where(filters)
    with psycopg.connect(postgis_db, cursor_factory=psycopg.ClientCursor) as conn:
        conn.execute("ANALYZE incidents")
        conn.execute("SET enable_seqscan = off")  # a 400-row table would otherwise be scanned
        statement = psycopg.sql.SQL("EXPLAIN (FORMAT JSON) SELECT event_id FROM incidents WHERE {}").format(clause)
        plan = conn.execute(statement, params).fetchone()[0][0]["Plan"]
    assert index in _index_names(plan)


# -- density on the server -------------------------------------------------------------------------------
DENSITY_FILTERS = [Filters(), Filters(types=("Battles", "protest")), Filters(since=dt.date(2025, 3, 1)),
                   Filters(regions=("Nowhere",))]


@pytest.mark.parametrize("filters", DENSITY_FILTERS)
def test_counts_by_admin1_equal_region_counts_of_the_rows(pg_store, filters: Filters) -> None:
    got = pg_store.counts_by_admin1(filters)
    want = query.region_counts(pg_store.read(filters))
    pd.testing.assert_frame_equal(got, want, check_dtype=len(want) > 0)
    if filters.is_empty():
        assert got["incidents"].sum() == 400 and "" in set(got["admin1_iso"])  # rows without a governorate


def _cells(frame) -> list[tuple]:
    return sorted((tuple(round(v, 9) for v in geom.bounds), int(n)) for geom, n in
                  zip(frame.geometry, frame["incidents"]))


@pytest.mark.parametrize("cell_deg", [0.25, 0.1, 1.0])
@pytest.mark.parametrize("filters", DENSITY_FILTERS)
def test_grid_counts_equal_query_grid_counts(pg_store, filters: Filters, cell_deg: float) -> None:
    got = pg_store.grid_counts(filters, cell_deg)
    want = query.grid_counts(pg_store.read(filters), cell_deg)
    assert _cells(got) == _cells(want)
    assert list(got.columns) == ["incidents", "geometry"] and got.crs == want.crs
    assert got["incidents"].is_monotonic_decreasing


# -- failures and interruptions --------------------------------------------------------------------------
def test_server_side_failure_mid_merge_rolls_back(postgis_db: str) -> None:
    store = open_store(postgis_db)
    try:
        original = make_incidents(40)
        store.upsert(original)
        before = store.read()
        with psycopg.connect(postgis_db, autocommit=True) as conn:
            conn.execute("""
                CREATE FUNCTION refuse_x20() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.event_id = 'X00020' THEN RAISE EXCEPTION 'refused row X00020'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_x20 BEFORE INSERT OR UPDATE ON incidents
                    FOR EACH ROW EXECUTE FUNCTION refuse_x20();""")
        # Rows merge in event_id order: the T… updates and X00000–X00019 are written before X00020 fails.
        update = pd.concat([original.assign(notes="overwritten"), make_incidents(40, seed=5, prefix="X")])
        with pytest.raises(StoreError, match="nothing was written.*refused row X00020"):
            store.upsert(update)
        assert store.count() == 40
        assert_same_incidents(before, store.read())
    finally:
        store.close()


_SLOW_IMPORT = """
import sys, time
import geo.store.postgis as pg
from geo.store import open_store
from tests.store_contract import make_incidents

def stall(self):
    print("loaded", flush=True)
    time.sleep(120)

pg.PostgisStore._before_merge = stall
open_store(sys.argv[1]).upsert(make_incidents(2000, seed=8, prefix="K"))
"""


def test_killed_import_leaves_store_unchanged_and_unlocked(postgis_db: str) -> None:
    store = open_store(postgis_db)
    try:
        store.upsert(make_incidents(30))
        before = store.read()
        child = subprocess.Popen([sys.executable, "-c", _SLOW_IMPORT, postgis_db], cwd=ROOT,
                                 stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline().strip() == "loaded"  # rows copied, merge not yet committed
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        assert store.count() == 30
        assert_same_incidents(before, store.read())
        result = store.upsert(make_incidents(30).assign(notes="after the crash"))  # no lock left behind
        assert (result.added, result.updated) == (0, 30)
    finally:
        store.close()


# -- roles -----------------------------------------------------------------------------------------------
def _roles_sql(database: str) -> str:
    text = (ROOT / "docs" / "POSTGIS.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    (block,) = [b for b in blocks if "CREATE ROLE atlas_reader" in b]
    return block.replace("DATABASE atlas ", f"DATABASE {database} ")


def test_roles_from_docs_viewer_reads_only_editor_imports(postgis_server, postgis_db: str) -> None:
    owner = open_store(postgis_db)
    owner.upsert(make_incidents(20))
    owner.close()
    database = postgis_db.rsplit("/", 1)[1]
    postgis_server.execute(_roles_sql(database), database)

    viewer = open_store(postgis_server.dsn(database, user="atlas_viewer_ana"))
    try:
        assert viewer.count() == 20 and len(viewer.read(Filters(regions=("Daraa",)))) > 0
        assert len(viewer.counts_by_admin1()) > 0
        with pytest.raises(StoreError, match="nothing was written"):
            viewer.upsert(make_incidents(5, prefix="V"))
    finally:
        viewer.close()
    with psycopg.connect(postgis_server.dsn(database, user="atlas_viewer_ana"), autocommit=True) as conn:
        for statement in ("DELETE FROM incidents", "UPDATE incidents SET notes = 'x'",
                          "CREATE TABLE public.mine (x int)"):
            with pytest.raises(psycopg.Error):
                conn.execute(statement)

    editor = open_store(postgis_server.dsn(database, user="atlas_editor_sami"))
    try:
        result = editor.upsert(pd.concat([make_incidents(20).assign(notes="edited"), make_incidents(5, prefix="E")]))
        assert (result.added, result.updated) == (5, 20) and editor.count() == 25
    finally:
        editor.close()
    with psycopg.connect(postgis_server.dsn(database, user="atlas_editor_sami"), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM incidents")
    with psycopg.connect(postgis_db) as conn:
        assert conn.execute("SELECT count(*) FROM incidents").fetchone()[0] == 25


# -- copy between stores ---------------------------------------------------------------------------------
def test_copy_gpkg_to_postgis_and_back_is_lossless(tmp_path, postgis_db: str, capsys) -> None:
    source = tmp_path / "team.gpkg"
    embedded = open_store(source)
    embedded.upsert(make_incidents(120, seed=4))
    original = embedded.read()
    embedded.close()

    code, out = _run_cli(capsys, "copy", "--from", str(source), "--to", postgis_db)
    assert code == 0 and json.loads(out) == {"read": 120, "added": 120, "updated": 0, "total": 120}
    code, out = _run_cli(capsys, "copy", "--from", str(source), "--to", postgis_db)
    assert json.loads(out) == {"read": 120, "added": 0, "updated": 120, "total": 120}

    back = tmp_path / "back.gpkg"
    code, out = _run_cli(capsys, "copy", "--from", postgis_db, "--to", str(back))
    assert code == 0 and json.loads(out)["added"] == 120
    for db in (postgis_db, str(back)):
        store = open_store(db)
        try:
            assert_same_incidents(original, store.read())  # every column, updated_at included
        finally:
            store.close()


def test_copy_with_filters_copies_only_matching_rows(tmp_path, pg_store, postgis_db: str, capsys) -> None:
    target = tmp_path / "daraa.gpkg"
    code, out = _run_cli(capsys, "copy", "--from", postgis_db, "--to", str(target), "--region", "Daraa",
                         "--since", "2025-02-01")
    expected = pg_store.read(Filters(regions=("Daraa",), since=dt.date(2025, 2, 1)))
    assert code == 0 and json.loads(out)["read"] == len(expected) > 0
    store = open_store(target)
    try:
        assert_same_incidents(expected, store.read())
    finally:
        store.close()


def test_copy_from_missing_file_is_an_input_error(tmp_path, postgis_db: str, capsys) -> None:
    assert main(["copy", "--from", str(tmp_path / "absent.gpkg"), "--to", postgis_db]) == 2
    assert "absent.gpkg" in capsys.readouterr().err
    assert not (tmp_path / "absent.gpkg").exists()


def test_store_reconnects_after_the_server_drops_its_connection(postgis_server, pg_store) -> None:
    pid = pg_store._conn.info.backend_pid
    postgis_server.execute(f"SELECT pg_terminate_backend({pid})")
    assert pg_store.count() == 400
    assert pg_store._conn.info.backend_pid != pid
    postgis_server.execute(f"SELECT pg_terminate_backend({pg_store._conn.info.backend_pid})")
    result = pg_store.upsert(make_incidents(5, prefix="R"))
    assert result.added == 5 and len(pg_store.read(Filters(text="village"))) > 0


def test_counts_by_admin1_names_unknown_codes_like_region_counts(pg_store) -> None:
    extra = make_incidents(6, seed=21, prefix="U")
    extra["admin1_iso"], extra["admin1"] = "xx-zz", ["Testland", None, "Other spelling", None, "Testland", None]
    pg_store.upsert(extra)
    got = pg_store.counts_by_admin1()
    pd.testing.assert_frame_equal(got, query.region_counts(pg_store.read()))
    assert "XX-ZZ" in set(got["admin1_iso"])


def test_migrate_output_hides_the_password(postgis_db: str, capsys) -> None:
    with_password = postgis_db.replace("postgres@", "postgres:Hidden0Pw@")
    code, out = _run_cli(capsys, "migrate", "--db", with_password)
    assert code == 0 and "Hidden0Pw" not in out and "***" in json.loads(out)["db"]


def test_many_first_opens_at_once_migrate_exactly_once(postgis_db: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def open_count(_: int) -> int:
        store = open_store(postgis_db)
        try:
            return store.count()
        finally:
            store.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(open_count, range(6))) == [0] * 6
    with psycopg.connect(postgis_db) as conn:
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == _pg_migrate.latest_version()


def test_facets_never_load_incidents(pg_store, monkeypatch) -> None:
    """The dashboard's filter options come from SQL aggregates, not from reading every row."""
    everything = pg_store.read()
    monkeypatch.setattr(pg_store, "read", lambda *a, **k: pytest.fail("facets read rows"))
    got = pg_store.facets()
    assert got["incidents"] == len(everything) == 400
    assert got["actors"].equals(query.actor_counts(everything))


def test_change_marker_moves_after_an_import(pg_store) -> None:
    before = pg_store.change_marker()
    pg_store.upsert(make_incidents(5, seed=3, prefix="M"))
    after = pg_store.change_marker()
    assert after != before
    other = open_store(pg_store.db)  # another session (another dashboard) sees the same change
    try:
        pg_store.upsert(make_incidents(2, seed=4, prefix="N"))
        assert other.change_marker() != after
    finally:
        other.close()
