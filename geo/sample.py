"""The bundled sample store: real incidents in ``data/sample.gpkg`` (rows in ``data/sample_incidents.csv``).

The sample is southern Syria in 2018, the year the government retook Daraa:

* every UCDP GED event of 2018 in the Daraa, Quneitra and As-Suwayda governorates (the file
  ``ged_syria_2018.csv`` of UCDP's Syria release; CC BY 4.0, see :data:`UCDP_CREDIT`), and
* the incidents that the project's own extractor (:mod:`geo.extract`) finds in the seed report
  (an Al-Sanamayn meeting, air raids over the Daraa countryside), each with a one-sentence excerpt.

No incident in it is invented. Two ways to build it:

* ``python -m geo.sample`` rebuilds ``data/sample.gpkg`` from the committed CSV (no outside file needed);
* ``python -m geo.sample --ucdp ged_syria_2018.csv --seed report.txt`` first rebuilds the CSV from those
  files (the seed report is read by path and its text is not stored beyond the short excerpts).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from geo.paths import DATA_DIR, SAMPLE_DB

SAMPLE_CSV = DATA_DIR / "sample_incidents.csv"
#: Fixed ``updated_at`` so that rebuilding gives the same records.
SAMPLE_UPDATED_AT = pd.Timestamp("2018-12-31 00:00:00")
#: Governorates kept from UCDP GED 2018 (ISO 3166-2): the southern front.
SAMPLE_REGIONS = ("SY-DR", "SY-QU", "SY-SU")
#: Publication date given to the seed report (it carries no date line of its own).
SEED_PUBLISHED = "2018-06-20"
EXCERPT_MAX_CHARS = 240

UCDP_CREDIT = ("UCDP Georeferenced Event Dataset (GED), Syria release V 652.1601.1911, Uppsala Conflict Data "
               "Program (ucdp.uu.se), CC BY 4.0. Sundberg, Ralph and Erik Melander (2013), \"Introducing the "
               "UCDP Georeferenced Event Dataset\", Journal of Peace Research 50(4): 523-532; Hogbladh, Stina "
               "(2019), \"UCDP GED Codebook version 19.1\", Uppsala University.")
#: Short credit line for maps and pictures showing the sample.
UCDP_SHORT_CREDIT = "Incidents: UCDP GED (ucdp.uu.se, CC BY 4.0)"
SAMPLE_DESCRIPTION = ("Incident Atlas sample: UCDP GED events of 2018 in Daraa, Quneitra and As-Suwayda "
                      "plus incidents extracted from a seed report by the project's extractor.")


# a sentence ends at . ! ? followed by a capital, unless the word before is a title (Gen., Col., ...)
_SENTENCE_END = re.compile(r"(?<!\b[A-Z]\.)(?<!\b[A-Z][a-z]\.)(?<!\b[A-Z][a-z]{2}\.)(?<!\b[A-Z][a-z]{3}\.)"
                           r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")


def _first_sentence(text: object) -> str | None:
    """The first sentence of ``text`` (at most :data:`EXCERPT_MAX_CHARS` characters)."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = " ".join(text.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) > EXCERPT_MAX_CHARS:
        first = first[:EXCERPT_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return first


def ucdp_rows(path: str | Path, regions: tuple[str, ...] = SAMPLE_REGIONS) -> pd.DataFrame:
    """The UCDP GED events of ``path`` in the governorates ``regions``, as store records."""
    from geo.ingest import load

    frame = load(path).frame
    return frame[frame["admin1_iso"].isin(regions)].copy()


def seed_rows(path: str | Path, published: str = SEED_PUBLISHED) -> pd.DataFrame:
    """The incidents :mod:`geo.extract` finds in the report at ``path`` (excerpts cut to one sentence)."""
    from geo.extract import extract, incidents_to_frame, read_document

    doc = read_document(path, published=published)
    frame = incidents_to_frame(extract(doc), doc)
    frame["notes"] = frame["notes"].map(_first_sentence)
    return frame


def build_csv(ucdp: str | Path, seed: str | Path | None, out: str | Path = SAMPLE_CSV, *,
              published: str = SEED_PUBLISHED) -> int:
    """Write the sample CSV from the UCDP file and the seed report; returns the row count."""
    from geo.export import export

    parts = [ucdp_rows(ucdp)]
    if seed is not None:
        parts.append(seed_rows(seed, published))
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True)
    for column in ("event_date", "date_end"):
        frame[column] = pd.to_datetime(frame[column], errors="coerce")
    frame = frame.sort_values(["event_date", "event_id"], kind="stable").reset_index(drop=True)
    frame["imported_from"] = None
    frame["updated_at"] = pd.NaT
    export(frame, "csv", Path(out))
    return len(frame)


def build_sample(csv: str | Path = SAMPLE_CSV, out: str | Path = SAMPLE_DB) -> int:
    """Import ``csv`` into a new GeoPackage at ``out`` (replacing it atomically); returns the row count."""
    from geo.export import write_gpkg
    from geo.ingest import load

    result = load(csv)
    frame = result.frame.copy()
    frame["updated_at"] = SAMPLE_UPDATED_AT
    frame["imported_from"] = Path(csv).name
    write_gpkg(frame, Path(out))
    _stamp_credit(Path(out))
    return len(frame)


def _stamp_credit(path: Path) -> None:
    """Write the sample's description and UCDP credit into the GeoPackage's ``gpkg_contents`` row."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("UPDATE gpkg_contents SET description = ?, last_change = ? WHERE table_name = 'incidents'",
                        (SAMPLE_DESCRIPTION + " Credit: " + UCDP_CREDIT, "2018-12-31T00:00:00.000Z"))
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m geo.sample [--ucdp FILE --seed FILE] [--csv FILE] [--out FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m geo.sample", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", default=str(SAMPLE_CSV), help="sample incidents CSV (default: %(default)s)")
    parser.add_argument("--out", default=str(SAMPLE_DB), help="GeoPackage to write (default: %(default)s)")
    parser.add_argument("--ucdp", help="UCDP GED Syria 2018 CSV: rebuild the sample CSV from it first")
    parser.add_argument("--seed", help="seed report (.txt/.html) whose extracted incidents join the sample")
    parser.add_argument("--seed-published", default=SEED_PUBLISHED, help="publication date of the seed report")
    args = parser.parse_args(argv)
    if args.ucdp:
        rows = build_csv(args.ucdp, args.seed, args.csv, published=args.seed_published)
        print(f"wrote {rows} sample incidents to {args.csv}", file=sys.stderr)
    elif args.seed:
        parser.error("--seed needs --ucdp (the sample is rebuilt from both)")
    count = build_sample(args.csv, args.out)
    print(f"wrote {count} sample incidents to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
