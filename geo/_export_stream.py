"""Streamed exports: the formats of :mod:`geo.export` written chunk by chunk from a store.

Each writer gets the file open on a temporary path, receives the incidents in chunks (from
:func:`geo.store.chunks.read_chunks`) and produces exactly the bytes the one-shot writer of
:mod:`geo.export` produces for the concatenated rows (GeoPackage: the same tables and rows; SQLite pages
may be laid out differently). Only one chunk is held as Python objects at a time.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from geo import export as _ex

#: ``progress(done, total)``: incidents written so far and the total (None when unknown in advance).
Progress = Callable[[int, "int | None"], None]


class _Writer:
    """One export format, written in chunks to ``tmp``."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.ucdp = False

    def write(self, chunk: pd.DataFrame) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Close the file (after the last chunk)."""

    def abort(self) -> None:
        """Release what the writer holds after a failure (the caller removes the temporary file)."""


class _Csv(_Writer):
    def __init__(self, tmp: Path, others: list[str]) -> None:
        super().__init__(tmp)
        self.header = _ex.csv_header(others)
        self.handle = open(tmp, "w", encoding="utf-8", newline="")
        pd.DataFrame(columns=self.header).to_csv(self.handle, index=False, lineterminator="\r\n")

    def write(self, chunk: pd.DataFrame) -> None:
        others = self.header[len(_ex.csv_header([])):]
        if len(_ex.extra_columns(_ex._extras(chunk), dict.fromkeys(others))) > len(others):
            from geo.errors import StoreError

            raise StoreError("the store changed during the export (new extra columns); run it again")
        table = _ex.csv_table(chunk, others)
        table.to_csv(self.handle, header=False, index=False, lineterminator="\r\n")

    def finish(self) -> None:
        self.handle.close()

    abort = finish


class _GeoJson(_Writer):
    # json.dump of {"type": ..., "features": [...]} with its default separators, written in pieces
    def __init__(self, tmp: Path) -> None:
        super().__init__(tmp)
        self.handle = open(tmp, "w", encoding="utf-8")
        self.handle.write('{"type": "FeatureCollection", "features": [')
        self.first = True

    def write(self, chunk: pd.DataFrame) -> None:
        from geo.map.credits import has_ucdp

        self.ucdp = self.ucdp or has_ucdp(chunk)
        for feature in _ex.geojson_features(chunk):
            self.handle.write(("" if self.first else ", ") + json.dumps(feature, ensure_ascii=False,
                                                                         allow_nan=False))
            self.first = False

    def finish(self) -> None:
        from geo.map.credits import UCDP_CREDIT

        credit = f", \"attribution\": {json.dumps(UCDP_CREDIT, ensure_ascii=False)}" if self.ucdp else ""
        self.handle.write("]" + credit + "}")
        self.handle.close()

    def abort(self) -> None:
        self.handle.close()


class _Kml(_Writer):
    SLICE = 2000  # placemarks serialised at a time

    # The placemarks go to a body file first: the UCDP credit belongs in the document head, and whether
    # it is needed is known only after the last chunk.
    def __init__(self, tmp: Path) -> None:
        super().__init__(tmp)
        handle, body = tempfile.mkstemp(prefix=f".{tmp.name}.", suffix=".body", dir=tmp.parent)
        os.close(handle)
        self.body_path = Path(body)
        self.body = open(self.body_path, "w", encoding="utf-8", errors="xmlcharrefreplace")
        root, _doc = _ex._kml_document()
        ET.register_namespace("", _ex.KML_NS)
        empty = ET.tostring(ET.Element(f"{{{_ex.KML_NS}}}kml"), encoding="unicode")  # "<kml xmlns=… />"
        self.open_tag = empty[:-3] + "><Document>"
        self.head = ET.tostring(root, encoding="unicode").removesuffix("</Document></kml>")

    def write(self, chunk: pd.DataFrame) -> None:
        from geo.map.credits import has_ucdp

        self.ucdp = self.ucdp or has_ucdp(chunk)
        for start in range(0, len(chunk), self.SLICE):  # small trees and strings: memory stays flat
            root = ET.Element(f"{{{_ex.KML_NS}}}kml")
            doc = ET.SubElement(root, f"{{{_ex.KML_NS}}}Document")
            _ex._add_placemarks(doc, chunk.iloc[start:start + self.SLICE])
            text = ET.tostring(root, encoding="unicode")
            if not (text.startswith(self.open_tag) and text.endswith("</Document></kml>")):
                raise AssertionError("unexpected KML serialisation")
            self.body.write(text[len(self.open_tag):-len("</Document></kml>")])

    def finish(self) -> None:
        from xml.sax.saxutils import escape

        from geo.map.credits import UCDP_CREDIT

        self.body.close()
        head = self.head
        if self.ucdp:  # where geo.export puts it: right after the document's name
            name_end = head.index("</name>", head.index("<Document>")) + len("</name>")
            head = head[:name_end] + f"<description>{escape(UCDP_CREDIT)}</description>" + head[name_end:]
        try:
            with open(self.tmp, "w", encoding="utf-8", errors="xmlcharrefreplace") as out:
                out.write("<?xml version='1.0' encoding='utf-8'?>\n" + head)
                with open(self.body_path, encoding="utf-8") as body:
                    shutil.copyfileobj(body, out, 1 << 20)
                out.write("</Document></kml>")
        finally:
            self.body_path.unlink(missing_ok=True)

    def abort(self) -> None:
        self.body.close()
        self.body_path.unlink(missing_ok=True)


class _Gpkg(_Writer):
    def __init__(self, tmp: Path) -> None:
        from geo.store import GeoPackageStore

        super().__init__(tmp)
        tmp.unlink()
        self.store = GeoPackageStore(tmp)

    def write(self, chunk: pd.DataFrame) -> None:
        from geo.map.credits import has_ucdp

        self.ucdp = self.ucdp or has_ucdp(chunk)
        self.store.upsert(chunk)

    def finish(self) -> None:
        import sqlite3

        from geo.map.credits import UCDP_CREDIT

        try:
            conn = self.store._conn
            if self.ucdp:
                conn.execute("UPDATE gpkg_contents SET description = trim(coalesce(description, '') || ' ' || ?)",
                             (UCDP_CREDIT,))
            conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            from geo.errors import StoreError

            raise StoreError(f"{self.tmp}: {exc}") from None
        finally:
            self.store.close()

    def abort(self) -> None:
        self.store.close()


def _extra_keys(extras: Iterable[list]) -> list[str]:
    """The extra CSV columns of every ``extra`` value, in order of first appearance (a first pass)."""
    found: dict[str, None] = {}
    for values in extras:
        _ex.extra_columns(_ex._extras(pd.DataFrame({"extra": pd.Series(values, dtype=object)})), found)
    return list(found)


def write_chunks(fmt: str, path: Path, chunks: Callable[[], Iterator[pd.DataFrame]], *,
                 extras: Callable[[], Iterable[list]] | None = None, progress: Progress | None = None,
                 total: int | None = None) -> int:
    """Write the incidents of ``chunks()`` to ``path`` in format ``fmt`` through a temporary file renamed
    at the end. A CSV header needs every ``extra`` key first: ``extras()`` yields the rows' ``extra``
    values in lists (default: taken from a first pass of ``chunks()``).

    Returns the number written. On any failure nothing is left at ``path`` (an existing file there is
    kept) nor beside it, and the error says how far the export got.
    """
    from geo.errors import GeoError

    done = 0

    def write(tmp: Path) -> None:
        nonlocal done
        writer: _Writer
        if fmt == "csv":
            writer = _Csv(tmp, _extra_keys(extras() if extras is not None
                                           else (chunk["extra"].tolist() for chunk in chunks())))
        elif fmt == "geojson":
            writer = _GeoJson(tmp)
        elif fmt == "kml":
            writer = _Kml(tmp)
        else:
            writer = _Gpkg(tmp)
        try:
            if progress is not None:
                progress(0, total)
            for chunk in chunks():
                writer.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        except BaseException:
            writer.abort()
            raise
        writer.finish()

    try:
        _ex._atomic(path, write)
    except GeoError as exc:
        from geo.errors import StoreError

        kind = StoreError if isinstance(exc, StoreError) else GeoError
        raise kind(f"export to {path} stopped after {done:,} incident(s), nothing was written: {exc}") from None
    except OSError as exc:
        raise GeoError(f"export to {path} stopped after {done:,} incident(s), nothing was written: "
                       f"{exc.strerror or exc}") from None
    return done
