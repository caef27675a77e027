"""Warm a fresh dashboard server up before its first visitor arrives.

A fresh server's first script run imports the map, table and chart libraries, reads the store and
indexes it. ``python -m geo serve`` runs :func:`warm_up` in a background thread while Streamlit starts
and while the first visitor's browser loads Streamlit's page, filling the same caches the dashboard
reads (``geo.ui.data``), with the keys of a first visit without a link (the whole period, no filters).
A visitor who arrives before it is done waits on the same cache entries instead of computing them twice.

Streamlit code, imported only by the ``serve`` command (geo/commands/serve.py).
"""

from __future__ import annotations

import logging
import sys
import threading
import time

#: Name of the warm-up thread (its cache calls run outside any script run, see :class:`_QuietOutsideRuns`).
THREAD_NAME = "atlas-warm-up"


def warm_up(db: str | None = None) -> dict[str, float]:
    """Do a first visit's server-side work for the store ``db`` (default: the configured store) and return
    the seconds each step took. A server store (PostGIS) gets only the imports and the map page: its
    numbers depend on the visitor's map view and are counted in SQL on demand."""
    from geo.paths import default_db

    db = db or default_db()
    took: dict[str, float] = {}
    started = time.perf_counter()

    def step(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        took[name] = now - started
        started = now

    # the modules dashboard.py imports (pandas, altair for the timeline, the map page's folium)
    import geo.map.page  # noqa: F401
    import geo.ui.density  # noqa: F401
    import geo.ui.exports  # noqa: F401
    import geo.ui.imports  # noqa: F401
    import geo.ui.sidebar  # noqa: F401
    import geo.ui.views  # noqa: F401
    from geo import query
    from geo.filters import Filters
    from geo.map.aggregate import LARGE_VIEW_THRESHOLD
    from geo.map.streamlit_args import base_args
    from geo.ui import data

    step("imports")
    data.static_assets_ready()
    base_args()
    step("map page")
    if data.is_server(db):
        return took
    token = data.store_token(db)
    data.facets(db, token)  # builds the index
    step("index and facets")
    filters = query.without_bbox(Filters())  # what a visit without a link shows first
    filters_key = repr(filters)
    frame = data.load_incidents(db, token, filters_key, filters)
    if len(frame) > LARGE_VIEW_THRESHOLD:
        data.cached_large_map_args(token, filters_key, (), repr(None), frame, None)
    else:
        data.cached_map_args(token, filters_key, (), frame)
    step("incidents on the map")
    return took


class _QuietOutsideRuns(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" warnings of the warm-up thread: its cache calls run
    outside any script run on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != THREAD_NAME


def start_warm_up(db: str | None = None) -> threading.Thread:
    """Run :func:`warm_up` in a daemon thread; its result (or error) is reported on stderr. An error
    leaves nothing half-cached: the first visit then does the work itself and shows the error."""
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_QuietOutsideRuns())

    def run() -> None:
        try:
            took = warm_up(db)
        except Exception as exc:  # noqa: BLE001 - reported; the dashboard reports it again to its visitor
            print(f"warm-up stopped: {exc.__class__.__name__}: {exc}", file=sys.stderr, flush=True)
            return
        steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in took.items())
        print(f"warm-up done: {steps}", file=sys.stderr, flush=True)

    thread = threading.Thread(target=run, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread
