"""The import formats registry and the one front door: every way an incident enters gives the same record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from geo import ingest
from geo.cli import build_parser, main
from geo.ingest import formats, session
from geo.ingest.formats import Format, Reading
from geo.store import open_store

ROOT = Path(__file__).resolve().parent.parent
REPORT = ("Published 2018-06-21\n\nOn Tuesday, Russian and regime officers held an emergency meeting in "
          "Al-Sanamayn, local sources said. Invented test report; no such event is claimed.\n")
#: Columns that must be identical whichever door a record came through (updated_at is the import time).
COMPARED = ["event_id", "event_date", "date_end", "event_type", "sub_event_type", "kind", "actor1", "actor2",
            "country", "admin1", "admin1_iso", "location", "latitude", "longitude", "geo_precision", "source",
            "source_url", "notes", "doc_id", "span", "imported_from", "extra"]


def _stored(db: Path) -> pd.DataFrame:
    store = open_store(db)
    try:
        frame = store.read()
    finally:
        store.close()
    return pd.DataFrame(frame[COMPARED]).sort_values("event_id").reset_index(drop=True)


def test_every_door_gives_the_same_record(tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    published = dt.date(2018, 6, 21)

    cli_db = tmp_path / "cli.gpkg"
    assert main(["import", str(path), "--db", str(cli_db), "--published", "2018-06-21"]) == 0
    upload_db, paste_db = tmp_path / "upload.gpkg", tmp_path / "paste.gpkg"
    session.commit(session.preview_upload("r.txt", path.read_bytes(), published=published), str(upload_db))
    session.commit(session.preview_text(REPORT, published=published, source_name="r.txt"), str(paste_db))

    via_cli, via_upload, via_paste = _stored(cli_db), _stored(upload_db), _stored(paste_db)
    assert len(via_cli) >= 1 and via_cli.loc[0, "kind"] == "meeting"
    assert via_cli.loc[0, "event_id"] == "doc:r:1" and via_cli.loc[0, "country"] == "Syria"
    pd.testing.assert_frame_equal(via_cli, via_upload)
    pd.testing.assert_frame_equal(via_cli, via_paste)

    capsys.readouterr()
    assert main(["extract", str(path), "--published", "2018-06-21"]) == 0
    extracted = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["doc_id"] for e in extracted] == ["r"] * len(via_cli)


def test_two_different_pastes_never_share_ids():
    first = session.preview_text(REPORT, published=dt.date(2018, 6, 21))
    second = session.preview_text(REPORT.replace("Tuesday", "Monday"), published=dt.date(2018, 6, 21))
    assert set(first.frame["event_id"]).isdisjoint(second.frame["event_id"])
    again = session.preview_text(REPORT, published=dt.date(2018, 6, 21))
    assert list(again.frame["event_id"]) == list(first.frame["event_id"])  # the same paste updates


def test_cli_formats_dashboard_upload_types_and_readme_come_from_the_registry():
    parser = build_parser()
    choices = next(a.choices for sub in parser._subparsers._group_actions  # noqa: SLF001 (argparse internals)
                   for name, p in sub.choices.items() if name == "import"
                   for a in p._actions if a.dest == "format")
    assert tuple(choices) == ("auto", *formats.names()) == ingest.FORMATS
    suffixes = set(formats.upload_suffixes())
    assert all(s.lstrip(".") in suffixes for f in formats.REGISTRY for s in f.suffixes)
    assert "import_formats.upload_suffixes()" in (ROOT / "geo" / "ui" / "imports.py").read_text()
    readme = (ROOT / "README.md").read_text()
    for fmt in formats.REGISTRY:
        assert f"`{fmt.name}`" in readme, f"README does not list the import format {fmt.name!r}"


def test_a_new_format_is_one_declaration_in_the_registry(tmp_path, monkeypatch):
    """What a new format needs: a Format (recognise + read) and a registry entry; nothing else changes."""
    from geo.ingest._table import RawTable

    def read(path: Path, options) -> Reading:
        lines = [line.split("|") for line in path.read_text().splitlines()]
        data = pd.DataFrame(lines, columns=["when", "lat", "lon", "place"])
        mapping = {"event_date": "when", "latitude": "lat", "longitude": "lon", "location": "place"}
        return Reading(RawTable(data, path.name, list(range(1, len(data) + 1)), mapping, strict_types=False),
                       "pipes")

    pipes = Format(name="pipes", label="Invented pipe list", suffixes=(".pipes",), kind="table",
                   recognise=lambda probe: 90 if probe.suffix == ".pipes" else 0, read=read)
    monkeypatch.setattr(formats, "REGISTRY", (*formats.REGISTRY, pipes))
    path = tmp_path / "list.pipes"
    path.write_text("2021-03-04|32.74|36.12|Invented place\n")
    result = ingest.load(path)
    assert result.format == "pipes" and list(result.frame["location"]) == ["Invented place"]
    assert "pipes" in formats.upload_suffixes() and formats.by_name("pipes") is pipes


def test_unknown_files_name_the_registered_formats(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\x01\x02 not a table")
    with pytest.raises(Exception) as caught:
        ingest.load(path)
    assert all(name in str(caught.value) for name in formats.names())
