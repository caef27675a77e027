"""What an import format declares: its name, the file endings it takes, how it recognises a file and
how it reads one into a :class:`~geo.ingest._table.RawTable`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

if TYPE_CHECKING:
    from geo.ingest._table import RawTable

#: Bytes read from the start of a file to recognise it.
HEAD_BYTES = 4096


@dataclass
class Probe:
    """The start of a file, as the formats' ``recognise`` functions see it."""

    path: Path
    head: bytes

    @classmethod
    def of(cls, path: Path) -> "Probe":
        """Read the first :data:`HEAD_BYTES` of ``path``."""
        with open(path, "rb") as handle:
            return cls(path, handle.read(HEAD_BYTES))

    @property
    def suffix(self) -> str:
        """The file ending, lower case (".csv"), or "" when there is none."""
        return self.path.suffix.lower()

    @cached_property
    def first_line(self) -> str:
        """The first line of the file as text (BOM and surrounding blanks removed)."""
        return self.head.split(b"\n", 1)[0].decode("utf-8", errors="replace").strip().lstrip("\ufeff")

    @cached_property
    def header(self) -> list[str]:
        """The first line split as a delimited table header (one field when it is not delimited)."""
        from geo.ingest._readers import sniff_delimiter

        line = self.first_line
        return [f.strip().strip('"') for f in line.split(sniff_delimiter(line))]


@dataclass
class ReadOptions:
    """What the caller adds to a file: a column mapping, a report's publication date, and whether the
    format was chosen by the user (then table dialects are not guessed: ``--format csv`` means generic)."""

    mapping: dict[str, str] | None = None
    published: dt.date | str | None = None
    forced: bool = False
    #: For reports: the document's own date (metadata, dateline, "Published …") wins over ``published``,
    #: which then only fills in for documents that state none (the dashboard's rule).
    prefer_document_date: bool = False


@dataclass
class Reading:
    """A file read into a raw table, with the format label to report and the text encoding used."""

    table: RawTable
    label: str
    encoding: str | None = None
    problems: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Format:
    """One import format.

    ``recognise`` scores how surely a file is in this format (0: it is not; the highest score wins,
    registry order breaks ties); ``read`` reads it. ``kind`` is "table" (rows of incidents) or "report"
    (text that incidents are extracted from).
    """

    name: str
    label: str
    suffixes: tuple[str, ...]
    kind: Literal["table", "report"]
    recognise: Callable[[Probe], int]
    read: Callable[[Path, ReadOptions], Reading]
