"""What every incident store offers (the embedded GeoPackage and PostGIS alike).

Callers code against :class:`IncidentStore` and never probe for methods: both backends implement every
method below (``tests/store_contract.py`` runs the same checks on each). Stores are context managers::

    with open_store(db) as store:
        frame = store.read(filters)
"""

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
        """Incidents passing ``filters`` as a GeoDataFrame (schema columns + point geometry, EPSG:4326),
        oldest first; every field of :data:`geo.filters.FIELDS` is applied exactly as ``Filters.mask``."""

    def upsert(self, frame: pd.DataFrame) -> UpsertResult:
        """Insert or replace (by ``event_id``) every row of ``frame`` in one all-or-nothing transaction."""

    def count(self) -> int:
        """Number of incidents stored."""

    def facets(self, filters: Filters | None = None) -> dict:
        """Filter options with counts of the incidents passing ``filters``: the dict of
        :func:`geo.query.counts.facets` (keys :data:`geo.query.counts.FACET_KEYS`)."""

    def change_marker(self) -> str:
        """A value that changes whenever the stored incidents may have changed (for caches keyed on it)."""

    def counts_by_admin1(self, filters: Filters | None = None) -> pd.DataFrame:
        """Incidents and fatalities per governorate, as :func:`geo.query.density.region_counts`."""

    def grid_counts(self, filters: Filters | None = None, cell_deg: float = 0.25) -> "gpd.GeoDataFrame":
        """Square-grid density, as :func:`geo.query.density.grid_counts`."""

    def cell_type_counts(self, filters: Filters | None = None, cell_deg: float = 0.25) -> pd.DataFrame:
        """Incidents per grid cell and event type with coordinate sums (the map's large-view bubbles),
        as :func:`geo.query.cells.cell_type_counts` of ``read(filters)``; a server store groups in SQL."""

    def close(self) -> None:
        """Release the connection (reading after this is an error)."""

    def __enter__(self) -> "IncidentStore":
        """The store itself (``with open_store(db) as store:``)."""

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
