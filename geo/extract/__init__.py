"""Report text -> coded incidents (ACLED taxonomy, normalised actors, resolved dates and places), with provenance.

Public API (used by the importer, the CLI and the dashboard)::

    doc = read_document("report.html")                # .txt / .md / .html; needs a publication date
    incidents = extract(doc)                          # first incident = the document's main event
    frame = incidents_to_frame(incidents, doc)        # rows in geo.schema.COLUMNS
    frame = extract_records("text ...", published=date(2020, 5, 9))

Everything is rules and tables (``data/actors.csv``, the gazetteer behind :mod:`geo.geocode`); nothing is
downloaded and no model is loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from geo.errors import InputError
from geo.extract._model import Document, Incident

__all__ = ["Document", "Incident", "read_document", "document_from_text", "extract", "incidents_to_frame",
           "extract_records", "parse_published"]

_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm", ""}
_DATE_LINE = re.compile(r"^\s*(?:[*_#>-]+\s*)?(?:published|posted|date|dated|updated|first published|"
                        r"publication date|pubdate)\s*(?:on|at)?\s*[:\-]?\s*(?P<date>.+?)\s*[*_]*\s*$", re.I)
_FRONT_MATTER = re.compile(r"^---\s*\n(?P<body>.*?)\n---\s*\n", re.S)


def parse_published(value: str | dt.date | None, *, file: str | None = None) -> dt.date | None:
    """A publication date given as a date or text ("2020-05-09", "9 May 2020"); InputError if unreadable."""
    from geo.extract._dates import parse_date_text

    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    parsed = parse_date_text(str(value))
    if parsed is None:
        raise InputError(f"{value!r} is not a date (use YYYY-MM-DD)", file=file, column="published")
    return parsed


def _date_from_lines(text: str) -> dt.date | None:
    from geo.extract._dates import parse_date_text

    lines = text.splitlines()[:25]
    for line in lines:
        m = _DATE_LINE.match(line)
        if m:
            found = parse_date_text(m.group("date"))
            if found:
                return found
    for line in lines:
        stripped = line.strip(" *_#>\t")
        if stripped and len(stripped) <= 40:
            found = parse_date_text(stripped)
            if found and re.fullmatch(r"[\w ,./-]+", stripped) and len(stripped.split()) <= 5:
                return found
    return None


def _document_id(path: Path) -> str:
    return path.stem or hashlib.sha1(str(path).encode()).hexdigest()[:10]


def read_document(path: str | Path, *, published: str | dt.date | None = None, doc_id: str | None = None,
                  url: str | None = None) -> Document:
    """Read a report file (.txt, .md, .html). HTML keeps only the main text.

    The publication date is ``published`` if given, else the page's metadata (``<meta>``, ``<time>``),
    a front-matter ``date:``, or a date line near the top ("Published: 9 May 2020"). Without any of them
    :class:`InputError` is raised: extraction never assumes "today".
    """
    path = Path(path)
    name = path.name
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        raise InputError(f"unsupported report type {path.suffix!r} (use .txt, .md or .html)", file=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=name) from None
    try:
        markup = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        markup = _decode_legacy(raw)
    is_html = path.suffix.lower() in (".html", ".htm")
    return document_from_text(markup, name=name, doc_id=doc_id or _document_id(path), published=published,
                              url=url, html=is_html or None)


def _decode_legacy(raw: bytes) -> str:
    """Text that is not UTF-8: Windows-1256 when it reads as Arabic, else Windows-1252."""
    arabic = raw.decode("cp1256", errors="replace")
    letters = sum(ch.isalpha() for ch in arabic)
    if letters and sum("\u0600" <= ch <= "\u06FF" for ch in arabic) > letters / 3:
        return arabic
    return raw.decode("cp1252", errors="replace")


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or len(re.findall(r"</(?:p|div|h1|article|body)>", head)) >= 2


def document_from_text(markup: str, *, name: str, doc_id: str, published: str | dt.date | None = None,
                       title: str | None = None, url: str | None = None, html: bool | None = None) -> Document:
    """A :class:`Document` from the contents of a report (plain text, Markdown with front matter, or HTML).

    ``html=None`` recognises HTML by its markup. ``name`` is used in error messages.
    """
    date_text: str | None = None
    page_title: str | None = None
    if html or (html is None and _looks_like_html(markup)):
        from geo.extract._html import parse_html

        page = parse_html(markup)
        text, page_title, date_text = page.text, page.title, page.date_text
    else:
        text = markup
        front = _FRONT_MATTER.match(text)
        if front:
            for line in front.group("body").splitlines():
                key, _, value = line.partition(":")
                key, value = key.strip().lower(), value.strip().strip("'\"")
                if key in ("date", "published") and value:
                    date_text = value
                elif key == "title" and value:
                    page_title = value
                elif key in ("url", "source_url") and value:
                    url = url or value
            text = " " * front.end() + text[front.end():]  # blank it out, so spans stay offsets into the file
        if page_title is None:
            for line in (ln.strip() for ln in text.splitlines()[:12] if ln.strip()):
                if line.startswith("#") or (not line.endswith(".") and 4 <= len(line.split()) < 25):
                    page_title = line.lstrip("# ").strip() or None
                    break
                if line.endswith("."):
                    break
    when = parse_published(published, file=name)
    if when is None and date_text:
        from geo.extract._dates import parse_date_text

        when = parse_date_text(date_text)
    if when is None:
        when = _date_from_lines(text)
    if when is None:
        raise InputError("no publication date found in the document; pass --published YYYY-MM-DD", file=name)
    if not text.strip():
        raise InputError("no text found in the document", file=name)
    return Document(doc_id, text, when, title or page_title, url)


def extract(doc: Document, *, geocoder=None) -> list[Incident]:
    """Incidents reported in ``doc`` (first = main event). Things called for, planned, threatened or
    denied are left out. ``geocoder`` defaults to :func:`geo.geocode.get_geocoder`; pass ``False`` to skip
    geocoding (locations stay None).
    """
    from geo.extract._pipeline import run

    if geocoder is None:
        from geo.geocode import get_geocoder

        geocoder = get_geocoder()
    return run(doc, geocoder or None)


def _event_id(doc: Document, n: int) -> str:
    return f"doc:{doc.id}:{n}"


def incidents_to_frame(incidents: list[Incident], doc: Document):
    """Incidents as a DataFrame with exactly :data:`geo.schema.COLUMNS` (no geometry)."""
    import pandas as pd

    from geo.schema import COLUMNS

    rows = []
    for n, inc in enumerate(incidents, start=1):
        loc = inc.location
        extra = {"kind_trigger": inc.trigger, "people": [p.to_json() for p in inc.people],
                 "location_text": inc.location_text, "doc_title": doc.title, **inc.public_flags()}
        rows.append({
            "event_id": _event_id(doc, n),
            "event_date": inc.event_date,
            "date_end": inc.date_end,
            "time_precision": inc.time_precision,
            "event_type": inc.event_type,
            "sub_event_type": inc.sub_event_type,
            "kind": inc.kind,
            "actor1": inc.actor1,
            "assoc_actor_1": inc.assoc_actor_1,
            "actor2": inc.actor2,
            "assoc_actor_2": inc.assoc_actor_2,
            "country": loc.country if loc else None,
            "admin1": loc.admin1 if loc else None,
            "admin1_iso": loc.admin1_iso if loc else None,
            "admin2": None,
            "admin3": None,
            "location": loc.name if loc else inc.location_text,
            "latitude": loc.lat if loc else None,
            "longitude": loc.lon if loc else None,
            "geo_precision": inc.geo_precision,
            "region_id": loc.region_id if loc else None,
            "fatalities": inc.fatalities,
            "count": inc.count,
            "source": doc.title or doc.id,
            "source_url": doc.url,
            "notes": inc.excerpt,
            "doc_id": doc.id,
            "span": inc.span_text,
            "confidence": round(inc.confidence, 2),
            "imported_from": None,
            "updated_at": None,
            "extra": json.dumps(extra, ensure_ascii=False),
        })
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("time_precision", "geo_precision", "fatalities", "count"):
        frame[column] = frame[column].astype("Int64")
    return frame


def extract_records(path_or_text: str | Path, *, published: str | dt.date | None = None, doc_id: str | None = None,
                    title: str | None = None, url: str | None = None, geocoder=None):
    """Incidents of a report file or of raw text as a DataFrame (see :func:`incidents_to_frame`).

    ``path_or_text`` is read as a file when it is a :class:`~pathlib.Path` or an existing path; otherwise it is
    the report text itself (then ``published`` is required unless the text has a date line).
    """
    candidate = Path(path_or_text) if isinstance(path_or_text, Path) else None
    if candidate is None and isinstance(path_or_text, str) and "\n" not in path_or_text and len(path_or_text) < 400:
        maybe = Path(path_or_text)
        try:
            if maybe.suffix.lower() in _TEXT_SUFFIXES - {""} and maybe.is_file():
                candidate = maybe
        except OSError:
            candidate = None
    if candidate is not None:
        doc = read_document(candidate, published=published, doc_id=doc_id, url=url)
        if title:
            doc.title = title
    else:
        text = str(path_or_text)
        ident = doc_id or hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
        doc = document_from_text(text, name=doc_id or "<text>", doc_id=ident, published=published, title=title,
                                 url=url)
    return incidents_to_frame(extract(doc, geocoder=geocoder), doc)
