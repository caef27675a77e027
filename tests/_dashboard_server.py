"""Start the real dashboard (`python -m geo serve`, i.e. `streamlit run dashboard.py` warmed up) on a local port
for browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_dashboard(db: Path, home: Path, start_timeout: float = 120) -> Iterator[str]:
    """Run the dashboard on store ``db`` with ``home`` as the user's folder; yields the base URL and stops
    the server afterwards. Its output goes to ``home/streamlit.log`` (quoted when it fails to start)."""
    env = dict(os.environ, INCIDENT_ATLAS_DB=str(db), INCIDENT_ATLAS_USER_DB=str(home / "user.gpkg"),
               HOME=str(home))
    port = free_port()
    log_path = home / "streamlit.log"
    with open(log_path, "wb") as log:
        # started as the README does: `python -m geo serve` warms the caches up while the server starts
        proc = subprocess.Popen([sys.executable, "-m", "geo", "serve",
                                 "--server.headless", "true", "--server.port", str(port),
                                 "--server.address", "127.0.0.1"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + start_timeout
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    tail = log_path.read_bytes().decode(errors="replace")[-2000:]
                    raise RuntimeError("the dashboard did not start: " + tail) from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve_incidents(frame, home: Path) -> Iterator[dict]:
    """The dashboard on a new store ``home/atlas.gpkg`` holding ``frame``; yields ``{"url", "db", "home"}``."""
    from geo.store import open_store

    db = home / "atlas.gpkg"
    with open_store(str(db)) as store:
        store.upsert(frame)
    for url in serve_dashboard(db, home):
        yield {"url": url, "db": db, "home": home}
