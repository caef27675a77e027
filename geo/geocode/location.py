"""The result of geocoding a name: a point or a region, with an honest precision code."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

PLACE: Literal["place"] = "place"
REGION: Literal["region"] = "region"


@dataclass(frozen=True)
class Location:
    """Where a place name points.

    ``geo_precision`` follows ACLED: 1 the town itself, 2 near a town / part of a region, 3 region only.
    A region (``kind == "region"``) carries ``region_id``, the id of its polygon in the gazetteer, and a
    representative point inside it as ``lat``/``lon``. ``admin2`` is the district id (``"SY-DR:izra"``);
    ``reason`` says why this candidate was chosen over its namesakes (e.g. "in Daraa, named in the query";
    "12 km from Nawa, also in the report"); ``alternatives`` are the other candidates, best first.
    """

    query: str
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    admin1_iso: str | None
    kind: Literal["place", "region"]
    geo_precision: int
    score: float
    region_id: str | None = None
    geonameid: int | None = None
    feature_code: str | None = None
    source: str | None = None
    alternatives: tuple["Location", ...] = field(default=(), compare=False)
    admin2: str | None = None
    reason: str | None = None

    def to_json(self) -> dict:
        """The CLI's JSON object (DESIGN.md contract), plus region_id and alternatives' names."""
        data = asdict(self)
        data["alternatives"] = [
            {k: alt.__dict__[k] for k in ("name", "lat", "lon", "admin1", "admin1_iso", "score")}
            for alt in self.alternatives
        ]
        return data
