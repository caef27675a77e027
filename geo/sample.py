"""The bundled sample store: ``data/sample.gpkg`` built from ``data/sample_incidents.csv``.

The sample incidents are invented for demonstration (every note starts with "SAMPLE:" and the source
says so); they are loosely modelled on the kind of events reported in southern and northern Syria
and are not real events. Rebuild with ``python -m geo.sample``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from geo.paths import DATA_DIR, SAMPLE_DB

SAMPLE_CSV = DATA_DIR / "sample_incidents.csv"
#: Fixed ``updated_at`` so that rebuilding gives the same records.
SAMPLE_UPDATED_AT = pd.Timestamp("2018-06-25 00:00:00")


def build_sample(csv: str | Path = SAMPLE_CSV, out: str | Path = SAMPLE_DB) -> int:
    """Import ``csv`` into a new GeoPackage at ``out`` (replacing it atomically); returns the row count."""
    from geo.export import write_gpkg
    from geo.ingest import load

    result = load(csv)
    frame = result.frame.copy()
    frame["updated_at"] = SAMPLE_UPDATED_AT
    frame["imported_from"] = Path(csv).name
    write_gpkg(frame, Path(out))
    return len(frame)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m geo.sample [--csv FILE] [--out FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m geo.sample", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", default=str(SAMPLE_CSV), help="sample incidents CSV (default: %(default)s)")
    parser.add_argument("--out", default=str(SAMPLE_DB), help="GeoPackage to write (default: %(default)s)")
    args = parser.parse_args(argv)
    count = build_sample(args.csv, args.out)
    print(f"wrote {count} sample incidents to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
