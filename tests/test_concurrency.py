"""Concurrent users of one GeoPackage store: two dashboard sessions committing uploads and a command-line
import, all at once, keep every write; readers running meanwhile never see part of an import.

The sessions use the dashboard's own code path (geo.ingest.session.preview_upload + commit); the
import is a real ``python -m geo import`` process. Every batch carries its own tag in ``source``, so a
reader can tell whether it saw a batch whole (all its rows) or not at all — anything else is a
half-applied import.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import subprocess
import sys
from pathlib import Path

from geo.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 2
UPLOADS_PER_SESSION = 6
UPLOAD_ROWS = 40
CLI_ROWS = 1500
SHARED_IDS = [f"SHARED-{i}" for i in range(10)]


def table(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["event_id", "event_date", "event_type", "sub_event_type", "actor1",
                                                "country", "admin1", "location", "latitude", "longitude",
                                                "fatalities", "source", "notes"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def row(event_id: str, tag: str, n: int, fatalities: int = 0) -> dict:
    return {"event_id": event_id, "event_date": f"2022-{1 + n % 12:02d}-{1 + n % 28:02d}", "event_type": "Protests",
            "sub_event_type": "Peaceful protest", "actor1": f"Crowd {n % 7}", "country": "Syria", "admin1": "Homs",
            "location": "Homs", "latitude": f"{34.60 + (n % 40) * 0.005:.4f}", "longitude": f"{36.60 + (n % 30) * 0.005:.4f}",
            "fatalities": fatalities, "source": tag, "notes": f"Invented concurrency row {event_id} ({tag})."}


def batch_size(tag: str) -> int:
    """How many rows the batch with this tag has (what a reader must see: all of them or none)."""
    if tag == "cli":
        return CLI_ROWS
    if tag.startswith("shared-"):
        return len(SHARED_IDS)
    return UPLOAD_ROWS


def session(db: str, number: int, results) -> None:
    """A dashboard session: upload a table, preview it, commit it; again and again; plus the shared rows."""
    from geo.ingest.session import commit, preview_upload

    written = []
    for k in range(UPLOADS_PER_SESSION):
        tag = f"s{number}-u{k}"
        rows = [row(f"S{number}-{k}-{i}", tag, i) for i in range(UPLOAD_ROWS)]
        preview = preview_upload(f"session{number}_{k}.csv", table(rows))
        target, result = commit(preview, db)
        assert str(target) == db and result.added == UPLOAD_ROWS
        written.append(tag)
        if k == 2:  # both sessions rewrite the same incidents: each write is whole, the last one wins
            shared = [row(event_id, f"shared-{number}", i, fatalities=number + 1) for i, event_id in enumerate(SHARED_IDS)]
            commit(preview_upload(f"shared{number}.csv", table(shared)), db)
    results.put(("session", number, written))


def reader(db: str, stop, results) -> None:
    """Read the whole store until told to stop; report every read that shows part of a batch."""
    store = open_store(db)
    reads, problems = 0, []
    try:
        while not stop.is_set() or reads < 3:
            frame = store.read()
            reads += 1
            if frame["event_id"].duplicated().any():
                problems.append("duplicate event ids")
            sizes = frame.groupby("source").size()
            for tag, size in sizes.items():
                if tag != "seed" and not tag.startswith("shared-") and size != batch_size(tag):
                    problems.append(f"{tag}: {size} of {batch_size(tag)} rows visible")
            shared = frame[frame["event_id"].isin(SHARED_IDS)]
            if len(shared) not in (0, len(SHARED_IDS)):
                problems.append(f"{len(shared)} of the shared rows visible")
            for tag, fatalities in zip(shared["source"], shared["fatalities"]):
                if int(tag.split("-")[1]) + 1 != int(fatalities):
                    problems.append(f"a shared row mixes two writes: {tag} with fatalities {fatalities}")
    finally:
        store.close()
    results.put(("reader", reads, problems))


def test_two_sessions_and_a_cli_import_keep_every_write_and_readers_see_whole_imports(tmp_path):
    db = tmp_path / "shared.gpkg"
    seed = tmp_path / "seed.csv"
    seed.write_bytes(table([row(f"SEED-{i}", "seed", i) for i in range(20)]))
    cli_file = tmp_path / "cli.csv"
    cli_file.write_bytes(table([row(f"CLI-{i}", "cli", i) for i in range(CLI_ROWS)]))
    assert subprocess.run([sys.executable, "-m", "geo", "import", str(seed), "--db", str(db)], cwd=ROOT,
                          capture_output=True).returncode == 0

    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    readers = [context.Process(target=reader, args=(str(db), stop, results)) for _ in range(2)]
    sessions = [context.Process(target=session, args=(str(db), n, results)) for n in range(SESSIONS)]
    for process in readers + sessions:
        process.start()
    cli = subprocess.Popen([sys.executable, "-m", "geo", "import", str(cli_file), "--db", str(db)], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = cli.communicate(timeout=300)
        for process in sessions:
            process.join(timeout=300)
        stop.set()
        for process in readers:
            process.join(timeout=300)
    finally:
        for process in readers + sessions:
            if process.is_alive():
                process.kill()
    assert cli.returncode == 0, err.decode()
    assert [p.exitcode for p in sessions + readers] == [0] * (SESSIONS + 2)

    reports = [results.get(timeout=30) for _ in range(SESSIONS + 2)]
    reads = [r for r in reports if r[0] == "reader"]
    assert all(problems == [] for _, _, problems in reads), reads
    assert all(count >= 3 for _, count, _ in reads)

    store = open_store(db)
    try:
        frame = store.read()
    finally:
        store.close()
    expected = 20 + CLI_ROWS + SESSIONS * UPLOADS_PER_SESSION * UPLOAD_ROWS + len(SHARED_IDS)
    assert len(frame) == expected and not frame["event_id"].duplicated().any()
    sizes = frame.groupby("source").size().to_dict()
    assert sizes.pop("cli") == CLI_ROWS and sizes.pop("seed") == 20
    shared = frame[frame["event_id"].isin(SHARED_IDS)]
    assert shared["source"].nunique() == 1  # one session's write, whole
    sizes.pop(shared["source"].iloc[0])
    assert sizes == {f"s{n}-u{k}": UPLOAD_ROWS for n in range(SESSIONS) for k in range(UPLOADS_PER_SESSION)}


def test_a_reader_opened_before_an_import_sees_it_afterwards(tmp_path):
    db = tmp_path / "fresh.gpkg"
    first = tmp_path / "a.csv"
    first.write_bytes(table([row(f"A-{i}", "a", i) for i in range(5)]))
    second = tmp_path / "b.csv"
    second.write_bytes(table([row(f"B-{i}", "b", i) for i in range(7)]))
    run = [sys.executable, "-m", "geo", "import"]
    assert subprocess.run([*run, str(first), "--db", str(db)], cwd=ROOT, capture_output=True).returncode == 0
    store = open_store(db)
    try:
        assert store.count() == 5
        assert subprocess.run([*run, str(second), "--db", str(db)], cwd=ROOT, capture_output=True).returncode == 0
        assert store.count() == 12 and len(store.read()) == 12
    finally:
        store.close()
