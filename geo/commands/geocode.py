"""``python -m geo geocode [QUERY ...]``: place names to JSON lines (DESIGN.md contract)."""

from __future__ import annotations

import argparse
import json
import sys

FIELDS = ("query", "name", "lat", "lon", "country", "admin1", "admin1_iso", "kind", "geo_precision", "score")
ALTERNATIVE_FIELDS = ("name", "lat", "lon", "country", "admin1", "admin1_iso", "admin2", "kind", "geo_precision",
                      "region_id", "score")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``geocode`` sub-command."""
    parser = subparsers.add_parser(
        "geocode", help="geocode place names (arguments, or one per line on stdin) to JSON lines",
        description="Print one JSON object per query, in input order: query, name, lat, lon, country, admin1, "
                    "admin1_iso, kind, geo_precision, score (and region_id for regions); not found: lat/lon "
                    "null and an error.")
    parser.add_argument("queries", nargs="*", metavar="QUERY", help="place names; none: read stdin")
    parser.add_argument("--context", metavar="REGION", help="governorate or country restricting candidates")
    parser.add_argument("--country", metavar="ISO2", help="country restricting candidates, e.g. SY")
    parser.add_argument("--alternatives", action="store_true", help="include up to 5 alternatives per query")


def result_json(query: str, location, with_alternatives: bool = False) -> dict:
    """The CLI object for one query: the contract's keys, region_id for regions, or an error."""
    if location is None:
        data = {key: None for key in FIELDS}
        data["query"] = query
        data["error"] = "not found"
        return data
    data = {key: getattr(location, key) for key in FIELDS}
    data["query"] = query
    if location.region_id:
        data["region_id"] = location.region_id
    for key in ("admin2", "reason"):  # the district id, and why this candidate beat its namesakes
        if getattr(location, key, None):
            data[key] = getattr(location, key)
    if with_alternatives:
        data["alternatives"] = [{key: getattr(alt, key) for key in ALTERNATIVE_FIELDS if getattr(alt, key) is not None}
                                for alt in location.alternatives]
    return data


def run(args: argparse.Namespace) -> int:
    """Geocode every query and print JSON lines."""
    from geo.errors import InputError
    from geo.geocode import get_geocoder

    if args.queries:
        queries = list(args.queries)
    else:
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise InputError(f"not UTF-8 text ({exc.reason})", file="<stdin>", row=line) from None
        queries = text.splitlines()
    geocoder = get_geocoder()
    out = sys.stdout
    for query in queries:
        location = geocoder.geocode(query, context=args.context, country=args.country) if query.strip() else None
        data = result_json(query, location, args.alternatives)
        if location is None and not query.strip():
            data["error"] = "empty query"
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    out.flush()
    return 0
