"""Arguments shared by several sub-commands: the store location and the incident filters."""

from __future__ import annotations

import argparse

from geo.errors import InputError
from geo.filters import Filters, parse_date
from geo.paths import default_db


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """``--db PATH``: the store (a .gpkg file, or a postgresql:// URL)."""
    parser.add_argument("--db", default=None, metavar="PATH",
                        help="incident store: a GeoPackage file or postgresql:// URL "
                             "(default: $INCIDENT_ATLAS_DB or the bundled sample store)")


def db_from_args(args: argparse.Namespace) -> str:
    """The store named on the command line, or the default one."""
    return args.db or default_db()


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filters of DESIGN.md: --since --until --actor --type --region (+ --precision --text --source)."""
    group = parser.add_argument_group("filters")
    group.add_argument("--since", metavar="DATE", help="first day (YYYY-MM-DD), inclusive")
    group.add_argument("--until", metavar="DATE", help="last day (YYYY-MM-DD), inclusive")
    group.add_argument("--actor", action="append", default=[], metavar="NAME",
                       help="actor in any position, e.g. 'Military Forces of Syria (2000-)' (repeatable)")
    group.add_argument("--type", action="append", default=[], metavar="EVENT_TYPE",
                       help="ACLED event type, sub-event type or map kind (repeatable)")
    group.add_argument("--region", action="append", default=[], metavar="ADMIN1",
                       help="governorate by name or ISO code, e.g. Daraa or SY-DR (repeatable)")
    group.add_argument("--precision", action="append", type=int, default=[], choices=(1, 2, 3),
                       help="geo_precision code (repeatable)")
    group.add_argument("--text", metavar="WORDS", help="only incidents whose notes or location contain this")
    group.add_argument("--source", action="append", default=[], metavar="SOURCE", help="source (repeatable)")


def filters_from_args(args: argparse.Namespace) -> Filters:
    """Build :class:`Filters` from parsed arguments; bad dates raise :class:`InputError`."""
    def date_or_none(option: str, text: str | None):
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            raise InputError(f"--{option} {text!r} is not a date (use YYYY-MM-DD)") from None

    return Filters(
        since=date_or_none("since", args.since),
        until=date_or_none("until", args.until),
        actors=tuple(args.actor),
        types=tuple(args.type),
        regions=tuple(args.region),
        precisions=tuple(args.precision),
        sources=tuple(args.source),
        text=args.text or None,
    )


def read_incidents(args: argparse.Namespace):
    """The incidents of the store named by ``--db`` that pass the command-line filters (a GeoDataFrame).

    A store path that does not exist is an :class:`InputError` (reading must never create an empty store).
    """
    from pathlib import Path

    from geo.store import open_store

    db = db_from_args(args)
    if not str(db).startswith(("postgresql://", "postgres://")) and not Path(db).exists():
        raise InputError("store does not exist", file=str(db))
    filters = filters_from_args(args)
    store = open_store(db)
    try:
        return store.read(filters)
    finally:
        store.close()
