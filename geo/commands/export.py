"""``python -m geo export``: write the (filtered) incidents as CSV, GeoJSON, GeoPackage or KML."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.commands._common import add_db_argument, add_filter_arguments

_DESCRIPTION = """\
Export incidents from the store (all of them, or those passing the filters) to a file:
  csv      ACLED's column names and order first, then the other record columns; ISO dates. Cells that
           start with = + - @ (or tab/CR) get a leading apostrophe so spreadsheets don't run them as
           formulas; importing the file again removes it.
  geojson  one point feature per incident, all record columns as properties
  gpkg     a GeoPackage (opens in QGIS), layer "incidents"
  kml      for Google Earth: name, date, type colour, actors and notes in the description

The format is taken from --format, or from the --out file extension.
Prints one JSON object on stdout: {"out", "format", "count"}."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` sub-command."""
    parser = subparsers.add_parser("export", help="write incidents to CSV, GeoJSON, GeoPackage or KML",
                                   description=_DESCRIPTION,
                                   epilog="example: python -m geo export --format kml --out daraa.kml "
                                          "--region Daraa --since 2020-05-01",
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=("csv", "geojson", "gpkg", "kml"),
                        help="output format (default: from the --out extension)")
    parser.add_argument("--out", required=True, metavar="FILE", help="file to write (replaced if it exists)")
    add_db_argument(parser)
    add_filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Stream the filtered incidents from the store to the chosen format, with progress on stderr."""
    from geo.commands._common import db_from_args, filters_from_args
    from geo.errors import InputError
    from geo.export import export_store
    from geo.store import open_store

    fmt = args.format or {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg",
                          ".kml": "kml"}.get(Path(args.out).suffix.lower())
    if fmt is None:
        raise InputError(f"cannot tell the format from {args.out!r}: add --format csv|geojson|gpkg|kml")
    filters = filters_from_args(args)
    with open_store(db_from_args(args), create=False) as store:
        try:
            path, count = export_store(store, fmt, args.out, filters, progress=_progress_printer(sys.stderr))
        finally:
            if sys.stderr.isatty():
                print(file=sys.stderr)  # end the updating progress line
    print(f"wrote {count} incident(s) to {path}", file=sys.stderr)
    print(json.dumps({"out": str(path), "format": fmt, "count": count}, ensure_ascii=False))
    return 0


def _progress_printer(stream):
    """A ``progress(done, total)`` callback printing to ``stream``: one updating line on a terminal,
    else a line per chunk."""
    tty = stream.isatty()

    def show(done: int, total: int | None) -> None:
        text = f"exporting: {done:,}" + (f" / {total:,} ({100 * done // total}%)" if total else "") + " incidents"
        if tty:
            print("\r" + text, end="", file=stream, flush=True)
        elif done:
            print(text, file=stream, flush=True)

    return show
