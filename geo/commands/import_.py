"""``python -m geo import FILE ...``: load incident files into the store (re-importing updates, never duplicates)."""

from __future__ import annotations

import argparse
import json
import sys

from geo.commands._common import add_db_argument, db_from_args


def _format_names() -> tuple[str, ...]:
    from geo.ingest.formats import names

    return ("auto", *names())


def _format_list() -> str:
    from geo.ingest import formats

    return "\n".join(f"  {f.name:<8} {f.label} ({', '.join(f.suffixes)})" for f in formats.REGISTRY)


_DESCRIPTION = """\
Load incidents from files into the incident store.

Formats are recognised from the file itself; --format forces one:
{formats}
Reports need --published unless the document states its own date.

Each incident is keyed by its ACLED event_id_cnty, UCDP id, or a hash of its content, so importing
the same file again updates those incidents instead of adding copies. If any row is bad (unreadable
date, coordinates outside the world, unknown ACLED type, ...) nothing is written and every bad row is
listed as FILE:ROW:COLUMN; --skip-bad imports the good rows and lists the rejected ones.
Rows that name a place but have no coordinates are looked up in the offline gazetteer.

Prints one JSON object on stdout: {{"added", "updated", "rejected": [...], "total", "files": [...]}}."""

_EPILOG = """\
examples:
  python -m geo import acled_export.csv --db my.gpkg
  python -m geo import incidents.xlsx --map date=Date --map latitude=Lat --map longitude=Lon --db my.gpkg
  python -m geo import report.txt --published 2018-06-20 --db my.gpkg"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` sub-command."""
    parser = subparsers.add_parser("import", help="load ACLED/UCDP/CSV/XLSX/GeoJSON/GeoPackage files or reports",
                                   description=_DESCRIPTION.format(formats=_format_list()), epilog=_EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to import (all or nothing)")
    add_db_argument(parser)
    parser.add_argument("--format", default="auto",
                        choices=_format_names(),
                        help="force a format instead of detecting it (default: auto)")
    parser.add_argument("--skip-bad", action="store_true",
                        help="import the good rows of files that have bad rows (the bad ones are reported)")
    parser.add_argument("--map", action="append", default=[], metavar="COL=SRC",
                        help="take record column COL from the file's column SRC, e.g. --map date=Date "
                             "--map latitude=Lat (short names: date, lat, lon, place, actor, type, id)")
    parser.add_argument("--published", metavar="DATE",
                        help="publication date (YYYY-MM-DD) of report files, to resolve 'yesterday' etc.")


def _mapping(pairs: list[str]) -> dict[str, str]:
    from geo.errors import InputError

    mapping = {}
    for pair in pairs:
        column, sep, source = pair.partition("=")
        if not sep or not column.strip() or not source.strip():
            raise InputError(f"--map {pair!r}: write it as COLUMN=SOURCE_COLUMN, e.g. --map date=Date")
        mapping[column.strip()] = source.strip()
    return mapping


def _rejected(errors) -> list[dict]:
    return [{"file": e.file, "row": e.row, "column": e.column, "reason": e.reason} for e in errors]


def run(args: argparse.Namespace) -> int:
    """Load every file, then upsert all their incidents in one transaction; print the summary."""
    import pandas as pd

    from geo import ingest
    from geo.errors import RowErrors
    from geo.paths import SAMPLE_DB
    from geo.store import open_store

    db = db_from_args(args)
    mapping = _mapping(args.map)
    frames, files, rejected = [], [], []
    for path in args.files:
        try:
            result = ingest.load(path, format=args.format, mapping=mapping or None, skip_bad=args.skip_bad,
                                 published=args.published)
        except RowErrors as exc:
            print(json.dumps({"added": 0, "updated": 0, "rejected": _rejected(exc.errors), "db": db,
                              "error": str(exc)}, ensure_ascii=False))
            for error in exc.errors:
                print(f"  {error}", file=sys.stderr)
            raise
        frames.append(result.frame)
        rejected.extend(result.rejected)
        files.append({"file": path, "format": result.format, "encoding": result.encoding,
                      "rows": len(result.frame), "rejected": len(result.rejected)})
        print(f"{path}: {len(result.frame)} incident(s) read as {result.format}"
              + (f" ({result.encoding})" if result.encoding else "")
              + (f", {len(result.rejected)} rejected" if result.rejected else ""), file=sys.stderr)
    if args.db is None and str(db) == str(SAMPLE_DB):
        print(f"note: no --db given, importing into the bundled sample store {db}", file=sys.stderr)
    store = open_store(db)
    try:
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        outcome = store.upsert(frame)
        total = store.count()
    finally:
        store.close()
    print(json.dumps({"added": outcome.added, "updated": outcome.updated, "rejected": _rejected(rejected),
                      "total": total, "db": str(db), "files": files}, ensure_ascii=False))
    return 0
