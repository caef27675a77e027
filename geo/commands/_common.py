"""Arguments shared by several sub-commands: the store location and the incident filters.

The filter options are generated from :data:`geo.filters.FIELDS`: one option per declared field
(``--since``, ``--actor``, ``--district``, …), its destination being the field's ``cli`` name.
"""

from __future__ import annotations

import argparse
from typing import Any

from geo.errors import InputError
from geo.filters import FIELDS, FilterField, Filters, parse_bbox, parse_date
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
    """One option per declared filter field: --since --until --actor --type --source --region --district
    --precision --text --bbox (list options are repeatable)."""
    group = parser.add_argument_group("filters")
    for spec in FIELDS:
        option = f"--{spec.cli}"
        if spec.kind == "names":
            group.add_argument(option, action="append", default=[], metavar=spec.metavar, help=spec.help)
        elif spec.kind == "ints":
            group.add_argument(option, action="append", type=int, default=[], choices=spec.choices,
                               help=spec.help)
        else:
            group.add_argument(option, metavar=spec.metavar, help=spec.help)


def _cli_value(spec: FilterField, raw: Any) -> Any:
    """The :class:`Filters` value of one field from its parsed option; bad values raise :class:`InputError`."""
    if spec.kind in ("names", "ints"):
        return tuple(raw or ())
    if not raw:
        return None
    if spec.kind == "date":
        try:
            return parse_date(raw)
        except ValueError:
            raise InputError(f"--{spec.cli} {raw!r} is not a date (use YYYY-MM-DD)") from None
    if spec.kind == "bbox":
        box = parse_bbox(raw)
        if box is None:
            raise InputError(f"--{spec.cli} {raw!r} is not WEST,SOUTH,EAST,NORTH in degrees "
                             "(west <= east, south <= north)")
        return box
    return raw


def filters_from_args(args: argparse.Namespace) -> Filters:
    """Build :class:`Filters` from parsed arguments; bad dates or boxes raise :class:`InputError`."""
    return Filters(**{spec.name: _cli_value(spec, getattr(args, spec.cli, None)) for spec in FIELDS})


def read_incidents(args: argparse.Namespace):
    """The incidents of the store named by ``--db`` that pass the command-line filters (a GeoDataFrame).

    A store path that does not exist is an :class:`InputError` (reading must never create an empty store).
    """
    from geo.store import open_store

    filters = filters_from_args(args)
    with open_store(db_from_args(args), create=False) as store:
        return store.read(filters)
