"""``python -m geo extract [FILE ...]``: report text to coded incidents as JSON lines (DESIGN.md contract).

Files are .txt, .md or .html; ``-`` reads JSON Lines documents from stdin
(``{"id", "text", "published", "title", "url"}``). Every input is read and checked before anything is
printed, so a bad file or line stops the run with a one-line reason and no partial output.
"""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``extract`` sub-command."""
    parser = subparsers.add_parser(
        "extract", help="extract incidents from report files (or JSON Lines on stdin) as JSON lines",
        description="Print one JSON object per extracted incident: doc_id, event_date, date_end, time_precision, "
                    "event_type, sub_event_type, kind, actor1, actor2, actors, location, lat, lon, country, admin1, "
                    "admin1_iso, geo_precision, count, fatalities, excerpt, span, confidence. The first incident "
                    "of a document is its main event. Extra keys when they apply: needs_review (a place the "
                    "gazetteer lacks, mapped as its governorate area), civilian_targeting, excerpts (every passage "
                    "merged into the incident), not_mapped (background, claims and context kept as provenance on "
                    "the main event). Reports may be in English or Arabic (each sentence is read in its language).")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="report files (.txt, .md, .html); '-' reads JSON Lines documents from stdin")
    parser.add_argument("--published", metavar="DATE",
                        help="publication date (YYYY-MM-DD) for documents that do not carry one")


def _stdin_documents(published):
    from geo.errors import InputError
    from geo.extract import Document, parse_published

    docs = []
    try:
        lines = list(sys.stdin)
    except UnicodeDecodeError as exc:
        raise InputError(f"stdin is not UTF-8 text ({exc.reason})", file="<stdin>") from None
    for row, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not a JSON object ({exc.msg})", file="<stdin>", row=row) from None
        if not isinstance(data, dict):
            raise InputError("not a JSON object", file="<stdin>", row=row)
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError("missing or empty text", file="<stdin>", row=row, column="text")
        try:
            when = parse_published(data.get("published"), file="<stdin>") or published
        except InputError:
            raise InputError(f"{data.get('published')!r} is not a date (use YYYY-MM-DD)", file="<stdin>",
                             row=row, column="published") from None
        if when is None:
            from geo.extract import _date_from_lines

            when = _date_from_lines(text)
        if when is None:
            raise InputError("no publication date (give \"published\" or --published)", file="<stdin>", row=row,
                             column="published")
        doc_id = str(data.get("id") or f"stdin-{row}")
        docs.append(Document(doc_id, text, when, data.get("title"), data.get("url")))
    return docs


def run(args: argparse.Namespace) -> int:
    """Read every document, then extract and print incidents as JSON lines."""
    from geo.errors import InputError
    from geo.extract import extract, parse_published, read_document
    from geo.geocode import get_geocoder

    published = parse_published(args.published, file="--published") if args.published else None
    if not args.files:
        raise InputError("no input: give report files, or '-' to read JSON Lines from stdin")
    docs = []
    for name in args.files:
        if name == "-":
            docs.extend(_stdin_documents(published))
        else:
            docs.append(read_document(name, published=published))
    geocoder = get_geocoder()
    out = sys.stdout
    for doc in docs:
        for incident in extract(doc, geocoder=geocoder):
            data = incident.to_json()
            data["title"], data["url"] = doc.title, doc.url
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
    return 0
