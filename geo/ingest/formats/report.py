"""Reports (plain text, Markdown or HTML): incidents are extracted from the text by :mod:`geo.extract`,
then built and checked like the rows of any table. Files and pasted text take this same path."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from geo.errors import InputError
from geo.ingest._decode import read_text
from geo.ingest._table import RawTable
from geo.ingest.formats import table
from geo.ingest.formats._base import Format, Probe, Reading, ReadOptions

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


def recognise(probe: Probe) -> int:
    """Report endings (a .txt file only when its first line is not a table header), or markup."""
    if probe.suffix in SUFFIXES and not (probe.suffix == ".txt" and table.looks_like_header(probe)):
        return 60
    return 15 if probe.head.lstrip()[:1] == b"<" else 0


def document_id(text: str, name: str | None) -> str:
    """A report's id: the file name without its ending when it has one, else a hash of the text (so a
    pasted report imported twice updates its incidents, and two different pastes never collide)."""
    if name and Path(name).suffix.lower() in SUFFIXES:
        return Path(name).stem
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    slug = re.sub(r"[^\w-]+", "-", name or "").strip("-")[:40]
    return f"{slug}-{digest}" if slug else digest


def _published(value: dt.date | str | None, *, file: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--published {value!r} is not a date (use YYYY-MM-DD)", file=file) from None


def _document(text: str, *, name: str | None, published: dt.date | None, prefer_document_date: bool,
              title: str | None, url: str | None):
    """The report as a :class:`geo.extract.Document` and where its publication date came from."""
    from geo.extract import document_from_text

    label = name or "pasted report"
    ident = document_id(text, name)
    if not text.strip():
        raise InputError("the report is empty", file=label)
    if published is None or prefer_document_date:
        try:  # the document's own date, if it states one
            doc = document_from_text(text, name=label, doc_id=ident, title=title, url=url)
            return doc, "document"
        except InputError:
            if published is None:
                raise  # "no publication date found in the document; pass --published"
    return document_from_text(text, name=label, doc_id=ident, published=published, title=title, url=url), "given"


def report_table(text: str, *, name: str | None, published: dt.date | str | None = None,
                 title: str | None = None, url: str | None = None, source: str | None = None,
                 prefer_document_date: bool = False) -> RawTable:
    """The incidents of one report as a raw table of record columns, ready for ``build``.

    ``name`` is the file name (or the name a user gave a pasted report): it names the report in errors
    and in ``imported_from``, and a file name gives the document id. ``source`` defaults to the name
    without its ending.
    """
    from geo.extract import extract, incidents_to_frame

    label = name or "pasted report"
    doc, date_from = _document(text, name=name, published=_published(published, file=label),
                               prefer_document_date=prefer_document_date, title=title, url=url)
    frame = incidents_to_frame(extract(doc), doc)
    frame["source"] = source or (Path(name).stem if name and Path(name).suffix.lower() in SUFFIXES else name) \
        or doc.title or doc.id
    data = frame.astype(object).where(frame.notna(), None).reset_index(drop=True)
    raw = RawTable(data, label, list(range(1, len(data) + 1)), {c: c for c in data.columns}, strict_types=False)
    raw.imported_from = label
    raw.meta = {"published": doc.published, "published_from": date_from, "title": doc.title}
    return raw


def read(path: Path, options: ReadOptions) -> Reading:
    """Read a report file and extract its incidents."""
    text, encoding = read_text(path)
    return Reading(report_table(text, name=path.name, published=options.published,
                                prefer_document_date=options.prefer_document_date), "text", encoding)


FORMAT = Format(name="text", label="Report text (.txt, .md, .html): incidents are extracted", suffixes=SUFFIXES,
                kind="report", recognise=recognise, read=read)
