"""Alias files (alias → location): the project's ``data/aliases.csv`` and the user's corrections, rewritten atomically."""

from __future__ import annotations

import csv
import getpass
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from geo._safety import atomic_write
from geo.errors import GeocodeError
from geo.geocode._normalize import name_key
from geo.geocode.location import PLACE, REGION, Location

COLUMNS = ("alias", "name", "lat", "lon", "country", "admin1", "admin1_iso", "kind", "geo_precision",
           "region_id", "added", "by")


class AliasFile:
    """One CSV of aliases; every save rewrites it through a temporary file and ``os.replace``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def rows(self) -> list[dict]:
        """The file's rows (none when it does not exist yet)."""
        if not self.path.exists():
            return []
        with open(self.path, encoding="utf-8", newline="") as handle:
            return [row for row in csv.DictReader(handle) if row.get("alias")]

    def load(self) -> dict[str, Location]:
        """Name key of each alias → its :class:`Location`; a bad row raises :class:`GeocodeError`."""
        aliases: dict[str, Location] = {}
        for number, row in enumerate(self.rows(), start=2):
            try:
                loc = Location(query=row["alias"], name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]),
                               country=row["country"] or None, admin1=row["admin1"] or None,
                               admin1_iso=row["admin1_iso"] or None, kind=REGION if row["kind"] == REGION else PLACE,
                               geo_precision=int(row["geo_precision"] or 1), score=1.0,
                               region_id=row.get("region_id") or None, source="alias")
            except (KeyError, TypeError, ValueError):
                raise GeocodeError(f"{self.path}:{number}: bad alias row (needs {', '.join(COLUMNS[:9])})") from None
            aliases[name_key(row["alias"])] = loc
        return aliases

    def delete(self, alias: str) -> bool:
        """Remove ``alias`` (compared by name key) from the file; False when it was not there."""
        rows = self.rows()
        kept = [r for r in rows if name_key(r["alias"]) != name_key(alias)]
        if len(kept) == len(rows):
            return False
        self._write(kept)
        return True

    def save(self, alias: str, location: Location, *, by: str | None = None) -> Location:
        """Add or replace ``alias`` → ``location`` in the file; returns the stored location."""
        if not alias or not alias.strip():
            raise GeocodeError("an alias needs a name")
        stored = replace(location, query=alias, score=1.0, source="alias", alternatives=())
        rows = [r for r in self.rows() if name_key(r["alias"]) != name_key(alias)]
        rows.append({"alias": alias.strip(), "name": stored.name, "lat": f"{stored.lat:.5f}",
                     "lon": f"{stored.lon:.5f}", "country": stored.country or "", "admin1": stored.admin1 or "",
                     "admin1_iso": stored.admin1_iso or "", "kind": stored.kind,
                     "geo_precision": str(stored.geo_precision), "region_id": stored.region_id or "",
                     "added": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                     "by": by or _user()})
        self._write(rows)
        return stored

    def _write(self, rows: list[dict]) -> None:
        rows = [{k: r.get(k, "") for k in COLUMNS} for r in rows]  # older files lack the newer columns
        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=COLUMNS)
                writer.writeheader()
                writer.writerows(rows)

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, write)  # temporary file, fsync, rename: old or new file, never a part
        except OSError as exc:  # e.g. a full disk
            raise GeocodeError(f"{self.path}: could not save the alias ({exc.strerror or exc}); "
                               "the alias file is unchanged") from None


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a container
        return "unknown"
