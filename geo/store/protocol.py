"""What every incident store offers (the embedded GeoPackage and PostGIS alike)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import pandas as pd

from geo.filters import Filters

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass
class UpsertResult:
    """How many incidents an upsert added and how many existing ones (same ``event_id``) it replaced."""

    added: int
    updated: int


@runtime_checkable
class IncidentStore(Protocol):
    """What every store backend offers."""

    def read(self, filters: Filters | None = None) -> "gpd.GeoDataFrame":
        """Incidents passing ``filters`` as a GeoDataFrame (schema columns + point geometry, EPSG:4326)."""

    def upsert(self, frame: pd.DataFrame) -> UpsertResult:
        """Insert or replace (by ``event_id``) every row of ``frame`` in one all-or-nothing transaction."""

    def count(self) -> int:
        """Number of incidents stored."""

    def close(self) -> None:
        """Release the connection."""
