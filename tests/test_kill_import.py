"""Interrupted writes lose nothing: an import killed at any moment, or stopped by a full disk, leaves the
store readable and equal to its state before the import or after it, never in between.

* 50 imports are SIGKILLed at seeded random moments spread over a whole import (reading the file,
  checking rows, writing batches, committing); after each the store must pass SQLite's integrity
  check, open in the app, and hold exactly the "before" or exactly the "after" incidents.
* Two kills land at chosen points: inside the write transaction after every row was written (must read
  as "before") and right after the commit (must read as "after"); a real ``python -m geo import``
  process is killed too.
* A full disk — a real 1 MB tmpfs when the test may mount one (root), and always SQLite's own page limit —
  makes the import fail with a clear message and change nothing; the user alias file likewise.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.cli import main
from geo.errors import GeoError, StoreError
from geo.store import open_store

ROOT = Path(__file__).resolve().parent.parent
KILLS = 50
SEED = 20261129
ROWS = 1500


def incidents_csv(path: Path, ids: range, *, note: str) -> Path:
    """An invented incident table: one row per id, points spread over southern Syria."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["event_id", "event_date", "event_type", "sub_event_type", "actor1", "country", "admin1",
                     "location", "latitude", "longitude", "geo_precision", "fatalities", "notes"])
    for i in ids:
        writer.writerow([f"K-{i}", f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", "Battles", "Armed clash",
                         f"Group {i % 17}", "Syria", "Daraa", f"Village {i % 41}", f"{32.55 + (i % 50) * 0.01:.4f}",
                         f"{36.05 + (i % 37) * 0.01:.4f}", 1, i % 4, f"{note} row {i}: invented test incident."])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def state(db: Path) -> tuple:
    """Integrity, then the incidents as the app reads them (without the import time stamp)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    store = open_store(db)
    try:
        frame = store.read()
        assert store.count() == len(frame)
    finally:
        store.close()
    columns = ["event_id", "event_date", "latitude", "longitude", "fatalities", "notes"]
    return tuple(tuple(str(v) for v in row) for row in frame[columns].itertuples(index=False))


@contextlib.contextmanager
def quiet_fds():
    """Silence fds 1 and 2 (the child's output) for the duration."""
    saved = os.dup(1), os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


def fork_import(source: Path, db: Path, *, batch_rows: int = 100, pause_at: str | None = None,
                pipe_w: int | None = None) -> int:
    """Fork a child that runs ``geo import SOURCE --db DB`` (modules already loaded: fast); returns its pid.

    ``pause_at`` = "before_commit" or "after_commit" makes the child tell the parent (one byte on
    ``pipe_w``) and then wait to be killed at that exact point.
    """
    pid = os.fork()
    if pid:
        return pid
    code = 3
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        import geo.store.gpkg as store_module

        store_module.BATCH_ROWS = batch_rows
        if pause_at:
            _install_pause(store_module, pause_at, pipe_w)
        code = main(["import", str(source), "--db", str(db)])
    except BaseException:
        code = 4
    finally:
        os._exit(code)


def _install_pause(store_module, where: str, pipe_w: int) -> None:
    """Child side: stop inside the transaction (before COMMIT) or just after it, and wait for the kill."""
    from geo.store import _gpkg_layout as _gpkg

    def signal_and_wait():
        os.write(pipe_w, b"!")
        time.sleep(60)

    if where == "before_commit":
        original = _gpkg.touch_contents

        def touch_then_wait(*args, **kwargs):
            original(*args, **kwargs)  # the last statement before COMMIT
            signal_and_wait()

        store_module._gpkg.touch_contents = touch_then_wait
    else:
        original_count = store_module.GeoPackageStore.count

        def count_then_wait(self):  # import_ counts right after the committed upsert
            signal_and_wait()
            return original_count(self)

        store_module.GeoPackageStore.count = count_then_wait


def wait_child(pid: int, timeout: float = 120.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the import did not finish")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """Seeded store (rows 0..499, old notes), an import file (rows 0..ROWS-1, new notes), and both states."""
    folder = tmp_path_factory.mktemp("kill")
    seed = incidents_csv(folder / "seed.csv", range(0, 500), note="old")
    source = incidents_csv(folder / "update.csv", range(0, ROWS), note="new")
    base = folder / "base.gpkg"
    with quiet_fds():
        assert main(["import", str(seed), "--db", str(base)]) == 0
    before = state(base)
    after_db = folder / "after.gpkg"
    shutil.copy(base, after_db)
    started = time.monotonic()
    assert wait_child(fork_import(source, after_db)) == 0
    duration = time.monotonic() - started
    after = state(after_db)
    assert len(before) == 500 and len(after) == ROWS and before != after
    return {"folder": folder, "base": base, "source": source, "before": before, "after": after,
            "duration": duration}


def fresh_copy(scenario, name: str) -> Path:
    db = scenario["folder"] / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(scenario["base"], db)
    return db


def test_sigkill_at_fifty_random_points_leaves_before_or_after(scenario):
    rng = random.Random(SEED)
    span = scenario["duration"] * 1.15
    outcomes = {"before": 0, "after": 0}
    for n in range(KILLS):
        db = fresh_copy(scenario, f"kill{n}.gpkg")
        delay = rng.uniform(0.0, span)
        pid = fork_import(scenario["source"], db)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        found = state(db)
        assert found in (scenario["before"], scenario["after"]), f"kill {n} at {delay * 1000:.0f} ms: half an import"
        outcomes["before" if found == scenario["before"] else "after"] += 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(f"\n{KILLS} kills over {span * 1000:.0f} ms: {outcomes}")
    assert sum(outcomes.values()) == KILLS


@pytest.mark.parametrize("where,expected", [("before_commit", "before"), ("after_commit", "after")])
def test_sigkill_at_the_edges_of_the_transaction(scenario, where, expected):
    db = fresh_copy(scenario, f"edge_{where}.gpkg")
    read_fd, write_fd = os.pipe()
    pid = fork_import(scenario["source"], db, pause_at=where, pipe_w=write_fd)
    os.close(write_fd)
    try:
        assert os.read(read_fd, 1) == b"!", "the child never reached the pause point"
    finally:
        os.close(read_fd)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert Path(f"{db}-wal").exists()  # killed with the write-ahead log still open
    assert state(db) == scenario[expected]


def test_sigkill_of_a_real_cli_process(scenario):
    """The same with ``python -m geo import`` as its own process, killed while it reads or writes."""
    rng = random.Random(SEED + 1)
    for n in range(3):
        db = fresh_copy(scenario, f"cli{n}.gpkg")
        proc = subprocess.Popen([sys.executable, "-m", "geo", "import", str(scenario["source"]), "--db", str(db)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # wait until the importer is past start-up: it names the file on stderr once read
        line = proc.stderr.readline()
        assert b"update.csv" in line, line
        time.sleep(rng.uniform(0.0, 0.05))
        proc.kill()
        proc.wait()
        proc.stderr.close()
        assert state(db) in (scenario["before"], scenario["after"])


# ------------------------------------------------------------------------------------------------ full disk
@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs mounted for the test when this process may mount (root), else None."""
    mount = tmp_path / "small"
    mount.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                              capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        done = None
    if done is None or done.returncode != 0:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=20)


def fill(folder: Path, leave: int = 0) -> None:
    """Use every free byte of the file system holding ``folder`` but about ``leave`` bytes."""
    with open(folder / "filler", "wb", buffering=0) as handle:
        block = b"\0" * 4096
        try:
            while os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize > leave:
                handle.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    if leave:
        return
    with open(folder / "filler2", "wb", buffering=0) as handle:  # the last partial block
        try:
            for _ in range(4096):
                handle.write(b"\0")
        except OSError:
            pass


@pytest.mark.parametrize("free_kb", [0, 96], ids=["no_byte_free", "full_during_the_write"])
def test_full_disk_during_import_changes_nothing(scenario, small_disk, tmp_path, capsys, free_kb):
    """Real ENOSPC on a full tmpfs when available; otherwise SQLite's page limit makes the disk "full".

    With no byte free the store cannot even open its journal; with a little room the import fails
    while writing its rows. Either way: exit 2, a message naming the store, nothing changed."""
    if small_disk is not None:
        db = small_disk / "store.gpkg"
        shutil.copy(scenario["base"], db)
        before = state(db)
        capsys.readouterr()
        fill(small_disk, leave=free_kb * 1024)
        code = main(["import", str(scenario["source"]), "--db", str(db)])
        err = capsys.readouterr().err.strip().splitlines()[-1]
        assert code == 2 and err.startswith(f"error: {db}"), err
        if free_kb:
            assert "import failed, nothing was written (database or disk is full)" in err
        for leftover in small_disk.glob("filler*"):  # (a WAL store needs a few KB even to be read)
            leftover.unlink()
        assert state(db) == before
        assert main(["import", str(scenario["source"]), "--db", str(db)]) == 0
        assert state(db) == scenario["after"]
    else:
        _full_by_page_limit(scenario)


def test_full_database_page_limit_changes_nothing(scenario):
    _full_by_page_limit(scenario)


def _full_by_page_limit(scenario) -> None:
    from geo.ingest import load

    db = fresh_copy(scenario, "pagelimit.gpkg")
    frame = load(scenario["source"]).frame
    store = open_store(db)
    try:
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError, match="import failed, nothing was written .*full"):
            store.upsert(frame)
    finally:
        store.close()
    assert state(db) == scenario["before"]


ALIAS_HEADER = "alias,name,lat,lon,country,admin1,admin1_iso,kind,geo_precision,region_id,added,by\n"
ALIAS_ROW = "Old Mill,Tafas,32.7369,35.9981,SY,Daraa,SY-DR,place,1,,2026-01-01,tester\n"


def _geocoder_with_aliases(path: Path):
    from geo.geocode import Geocoder

    return Geocoder(aliases_path=path)


def _location():
    from geo.geocode.location import Location

    return Location(query="x", name="Inkhil", lat=33.0175, lon=36.1289, country="SY", admin1="Daraa",
                    admin1_iso="SY-DR", kind="place", geo_precision=1, score=1.0)


@pytest.mark.parametrize("how", ["real_full_disk", "simulated_enospc"])
def test_alias_file_survives_a_full_disk(small_disk, tmp_path, monkeypatch, how):
    """A full tmpfs (when the test may mount one; else simulated too), or every write failing with ENOSPC."""
    if how == "simulated_enospc":
        small_disk = None
    folder = small_disk if small_disk is not None else tmp_path / "aliases"
    folder.mkdir(exist_ok=True)
    path = folder / "aliases.csv"
    path.write_text(ALIAS_HEADER + ALIAS_ROW, encoding="utf-8")
    original = path.read_bytes()
    geocoder = _geocoder_with_aliases(path)
    if small_disk is not None:
        fill(folder)
    else:  # no mount allowed: writing the new alias file fails as on a full disk
        import geo.geocode._aliases

        class FullWriter(csv.DictWriter):
            def writerows(self, rows):
                raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(geo.geocode._aliases.csv, "DictWriter", FullWriter)
    with pytest.raises(GeoError, match="could not save the alias .*the alias file is unchanged"):
        geocoder.add_alias("New Mill " + "x" * 5000, _location())
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("filler")) == ["aliases.csv"]
    assert _geocoder_with_aliases(path).geocode("Old Mill").name == "Tafas"


def test_alias_file_write_killed_midway_keeps_old_or_new(tmp_path):
    """SIGKILL while the alias file is being rewritten: the file is the old one or the new one."""
    path = tmp_path / "aliases.csv"
    path.write_text(ALIAS_HEADER + ALIAS_ROW, encoding="utf-8")
    original = path.read_bytes()
    geocoder = _geocoder_with_aliases(path)
    rng = random.Random(SEED + 2)
    for n in range(10):
        pid = os.fork()
        if pid == 0:
            try:
                for k in range(200):
                    geocoder.add_alias(f"Alias {n}-{k}", _location())
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        text = path.read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert text.startswith(ALIAS_HEADER) and text.endswith("\n")
        assert rows[0]["alias"] == "Old Mill" and all(r["name"] for r in rows)
        _geocoder_with_aliases(path)  # loads without error
        path.write_bytes(original)
    # a kill can leave the unfinished temporary file behind, never a damaged aliases.csv
    assert all(p.name.startswith(".aliases") for p in tmp_path.iterdir() if p.name != "aliases.csv")


def test_atomic_write_is_all_or_nothing(tmp_path):
    from geo._safety import atomic_write

    target = tmp_path / "table.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)

    def fails_half_way(tmp: Path) -> None:
        tmp.write_text("new, but only ha", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(target, fails_half_way)
    assert target.read_text(encoding="utf-8") == "old\n" and [p.name for p in tmp_path.iterdir()] == ["table.csv"]
    atomic_write(target, lambda tmp: tmp.write_text("new\n", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "new\n" and (target.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_next_write_sweeps_temporaries_left_by_a_killed_write(tmp_path):
    """A kill mid-write leaves ``.name.XXXX.tmp``; the next write removes it once it is old, and leaves a
    fresh one (another process may be writing right now) and unrelated files alone."""
    import os
    import time as _time

    from geo._safety import STALE_TEMP_SECONDS, atomic_write

    target = tmp_path / "aliases.csv"
    old_leftover = tmp_path / ".aliases.csv.abc123.tmp"
    fresh_leftover = tmp_path / ".aliases.csv.def456.tmp"
    other = tmp_path / ".other.csv.abc123.tmp"
    for path in (old_leftover, fresh_leftover, other):
        path.write_text("partial", encoding="utf-8")
    long_ago = _time.time() - STALE_TEMP_SECONDS - 60
    os.utime(old_leftover, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))

    atomic_write(target, lambda tmp: tmp.write_text("alias,lat\n", encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, fresh_leftover.name, other.name])
    assert target.read_text(encoding="utf-8") == "alias,lat\n"
