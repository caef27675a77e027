"""Every gazetteer place as a typed record (for place labels on the map, lists and checks)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from geo.geocode._index import Place, load_index
from geo.geocode.geocoder import get_geocoder


def iter_places(index_path: str | Path | None = None) -> Iterator[Place]:
    """Every gazetteer place as a :class:`~geo.geocode._index.Place`: ``name, name_ar, lat, lon, country,
    admin1_iso, admin2`` (district id such as ``"SY-DR:izra"``, or None), ``feature_code`` (GeoNames code:
    PPLA2 > PPLA3 > PPL > PPLL/PPLQ, plus bases, camps, ...), ``population`` (0 when unknown), ``geonameid``,
    ``source``. Without ``index_path`` the shared geocoder's index (loaded once per process) is used."""
    places = get_geocoder().places if index_path is None else load_index(index_path).places
    yield from places
