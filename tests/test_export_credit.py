"""Data exports of UCDP incidents carry UCDP's credit in their metadata, from the CLI as from the dashboard."""

from __future__ import annotations

import json
import sqlite3

import pytest

from geo.cli import main
from geo.map.credits import UCDP_CREDIT
from geo.store import open_store
from tests.dashboard_fixtures import sample_frame


@pytest.fixture()
def ucdp_store(tmp_path):
    frame = sample_frame()
    frame.loc[0, "event_id"] = "ucdp:424242"  # one UCDP event among the invented ones
    db = tmp_path / "atlas.gpkg"
    with open_store(db) as store:
        store.upsert(frame)
    return db


def test_cli_exports_credit_ucdp(ucdp_store, tmp_path):
    geojson, gpkg, kml = tmp_path / "out.geojson", tmp_path / "out.gpkg", tmp_path / "out.kml"
    for fmt, out in (("geojson", geojson), ("gpkg", gpkg), ("kml", kml)):
        assert main(["export", "--db", str(ucdp_store), "--format", fmt, "--out", str(out)]) == 0
    assert json.loads(geojson.read_text(encoding="utf-8"))["attribution"] == UCDP_CREDIT
    with sqlite3.connect(gpkg) as con:
        assert UCDP_CREDIT in con.execute("SELECT description FROM gpkg_contents").fetchone()[0]
    assert UCDP_CREDIT.replace("&", "&amp;") in kml.read_text(encoding="utf-8")


def test_exports_without_ucdp_events_claim_no_ucdp_credit(tmp_path):
    db = tmp_path / "plain.gpkg"
    with open_store(db) as store:
        store.upsert(sample_frame())
    out = tmp_path / "plain.geojson"
    assert main(["export", "--db", str(db), "--format", "geojson", "--out", str(out)]) == 0
    assert "attribution" not in json.loads(out.read_text(encoding="utf-8"))
