"""``python -m geo serve``: start the dashboard, its caches warmed up while the server starts."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from geo.paths import DB_ENV_VAR, PROJECT_ROOT

#: The command passes options it does not know on to ``streamlit run`` (e.g. ``--server.port 8502``).
ACCEPTS_EXTRA_ARGS = True


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` sub-command."""
    parser = subparsers.add_parser(
        "serve", help="start the dashboard (streamlit run dashboard.py) with its caches warmed up",
        description="Start the dashboard like `streamlit run dashboard.py`, and meanwhile, in the same process, "
                    "import its libraries, index the store and draw its first map, so that the first visitor "
                    "does not wait for them. Options it does not know go to `streamlit run` "
                    "(e.g. --server.port 8502 --server.headless true).",
        epilog="example: python -m geo serve --db big.gpkg --server.port 8502")
    parser.add_argument("--db", default=None, metavar="PATH",
                        help="incident store to show: a GeoPackage file or postgresql:// URL "
                             "(default: $INCIDENT_ATLAS_DB or the bundled sample store)")
    parser.add_argument("--no-warm-up", action="store_true",
                        help="start without warming up (the first visit does the work)")


def run(args: argparse.Namespace, extra: list[str] | None = None) -> int:
    """Start Streamlit on ``dashboard.py`` in this process; returns when the server stops."""
    from streamlit.web import cli as streamlit_cli

    from geo.store.location import is_server_url

    db = args.db or os.environ.get(DB_ENV_VAR)
    if db and not is_server_url(db):
        db = str(Path(db).resolve())  # the server runs in the project folder (its .streamlit/config.toml)
    if db:
        os.environ[DB_ENV_VAR] = db
    os.chdir(PROJECT_ROOT)
    if not args.no_warm_up:
        from geo.ui.warmup import start_warm_up

        start_warm_up()
    command = ["run", str(PROJECT_ROOT / "dashboard.py"), *(extra or [])]
    try:
        streamlit_cli.main(args=command, prog_name="streamlit", standalone_mode=True)
    except SystemExit as exc:  # click ends with SystemExit; its code is the server's
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0
