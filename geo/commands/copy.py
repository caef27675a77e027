"""``python -m geo copy --from SRC --to DST``: copy incidents between stores (GeoPackage ⇄ PostGIS)."""

from __future__ import annotations

import argparse
import json
import sys

from geo.commands._common import add_filter_arguments, filters_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``copy`` sub-command."""
    parser = subparsers.add_parser(
        "copy", help="copy incidents from one store to another (e.g. a .gpkg file into PostGIS)",
        description="Read every incident (or those passing the filters) from SRC and upsert them into DST "
                    "by event_id, in one transaction: nothing is lost (same ids, dates, coordinates, "
                    "actors, notes, extra fields) and re-running it adds no duplicates. SRC and DST are "
                    ".gpkg paths or postgresql:// URLs; DST is created (or migrated) when needed. Prints "
                    "one JSON object: {\"read\", \"added\", \"updated\", \"total\"}.")
    parser.add_argument("--from", dest="copy_from", required=True, metavar="SRC",
                        help="store to read: a .gpkg file or postgresql:// URL")
    parser.add_argument("--to", dest="copy_to", required=True, metavar="DST",
                        help="store to write: a .gpkg file or postgresql:// URL")
    add_filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Copy incidents from ``--from`` into ``--to``."""
    from geo.errors import InputError
    from geo.store import open_store

    filters = filters_from_args(args)
    if args.copy_from == args.copy_to:
        raise InputError("--from and --to name the same store")
    with open_store(args.copy_from, create=False) as source:
        frame = source.read(filters)
    with open_store(args.copy_to) as target:
        result = target.upsert(frame)
        total = target.count()
    print(f"copied {len(frame)} incident(s): {result.added} added, {result.updated} updated",
          file=sys.stderr)
    print(json.dumps({"read": len(frame), "added": result.added, "updated": result.updated, "total": total}))
    return 0
