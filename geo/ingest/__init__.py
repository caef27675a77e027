"""Importers: ACLED (both layouts), UCDP GED, any CSV/XLSX with a column mapping, GeoJSON and
GeoPackage point layers, and report text (through :mod:`geo.extract`).

:func:`load` reads one file into incident records without touching any store::

    result = load("acled_export.csv")              # format detected from the header
    result = load("mine.csv", mapping={"date": "Date", "lat": "Lat", "lon": "Lon"})
    store.upsert(result.frame)

Rows are numbered as a spreadsheet shows them (the header is row 1; GeoJSON counts features from 1).
If any row is bad, :class:`geo.errors.RowErrors` lists every one and nothing is returned, unless
``skip_bad=True``: then the good rows come back and the bad ones are in ``result.rejected``.

One front door: every way an incident enters (``python -m geo import``, the dashboard's upload and
paste, :func:`load_text`) reads through a format of :mod:`geo.ingest.formats` into a raw table and then
through the same ``build`` (parsing, governorates, geocoding, validation) and typing, so the same
input gives the same record whichever door it came through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import GeoError, InputError, RowErrors, UnknownFormatError
from geo.ingest import _columns as cols
from geo.ingest import formats
from geo.ingest.formats import Reading, ReadOptions
from geo.ingest.formats.report import report_table

if TYPE_CHECKING:  # pandas and the builders load on first use: `python -m geo --help` stays fast
    import geopandas as gpd

    from geo.ingest._table import RawTable

#: ``--format`` values: "auto" (recognise the file) or a registered format's name.
FORMATS = ("auto", *formats.names())


@dataclass
class IngestResult:
    """What :func:`load` read: incident records (schema columns + geometry), rejected rows, and how."""

    frame: "gpd.GeoDataFrame"
    rejected: list[InputError] = field(default_factory=list)
    format: str = ""
    encoding: str | None = None
    file: str = ""
    #: What the reader learned about the whole file (a report's ``published`` date and ``published_from``).
    meta: dict = field(default_factory=dict)


def load(path: str | Path, *, format: str = "auto", mapping: dict[str, str] | None = None,
         skip_bad: bool = False, published: dt.date | str | None = None,
         prefer_document_date: bool = False) -> IngestResult:
    """Read the incidents in ``path``.

    ``format`` forces one of :data:`FORMATS`; ``mapping`` maps record columns (or short names like
    ``date``, ``lat``, ``lon``, ``place``) to the file's column names for CSV/XLSX/GeoJSON/GeoPackage;
    ``published`` is the publication date of a report (text format), which overrides the document's own
    unless ``prefer_document_date``. Raises :class:`GeoError` subclasses
    only: unknown format, missing columns (named), unreadable file, or :class:`RowErrors`.
    """
    path = Path(path)
    file = path.name
    if format not in FORMATS:
        raise UnknownFormatError(f"unknown format {format!r} (use one of {', '.join(FORMATS)})", file=file)
    if not path.is_file():
        raise InputError("no such file", file=str(path))

    def read() -> Reading:
        fmt = formats.detect(path) if format == "auto" else formats.by_name(format)
        reading = fmt.read(path, ReadOptions(mapping=mapping, published=published, forced=format != "auto",
                                             prefer_document_date=prefer_document_date))
        table = reading.table
        if mapping and table.strict_types:
            table.mapping.update(cols.normalise_mapping(mapping, list(map(str, table.data.columns)), file=file))
        table.problems = reading.problems
        table.imported_from = table.imported_from or file
        return reading

    reading = _guarded(read, file)
    return _finish(reading, skip_bad=skip_bad, file=str(path))


def load_text(text: str, *, name: str | None = None, published: dt.date | str | None = None,
              title: str | None = None, url: str | None = None, source: str | None = None,
              skip_bad: bool = False, prefer_document_date: bool = False) -> IngestResult:
    """Incidents extracted from report text that is not in a file (e.g. pasted in the dashboard).

    Exactly the path of a report file: with ``name="r.txt"`` the records equal those of importing a
    file ``r.txt`` with the same text. ``source`` names the outlet (default: ``name``).
    """
    label = name or "pasted report"
    if not text or not text.strip():
        raise InputError("the report is empty", file=label)
    reading = _guarded(lambda: Reading(report_table(text, name=name, published=published, title=title, url=url,
                                                    source=source, prefer_document_date=prefer_document_date),
                                       "text"), label)
    return _finish(reading, skip_bad=skip_bad, file=label)


def _guarded(read, file: str) -> Reading:
    try:
        return read()
    except GeoError:
        raise
    except Exception as exc:  # a reader bug or an input we did not foresee: never a traceback
        raise InputError(f"could not read the file ({type(exc).__name__}: {exc})", file=file) from exc


def _finish(reading: Reading, *, skip_bad: bool, file: str) -> IngestResult:
    import pandas as pd

    from geo.ingest._build import build
    from geo.store.frames import typed_frame, with_geometry

    table: RawTable = reading.table
    try:
        records, errors, bad = build(table)
    except GeoError:
        raise
    except Exception as exc:
        raise InputError(f"could not read the file ({type(exc).__name__}: {exc})", file=table.file) from exc
    if errors and not skip_bad:
        raise RowErrors(table.file, errors)
    good = records[~pd.Series(bad, index=records.index)]
    frame = with_geometry(typed_frame(good))
    return IngestResult(frame=frame, rejected=errors, format=reading.label, encoding=reading.encoding, file=file,
                        meta=dict(table.meta))
