"""The attribution line of a map or picture: the basemap's sources plus those of the incidents shown."""

from __future__ import annotations

import pandas as pd

BASE_CREDIT = "Boundaries: Natural Earth (public domain)"
# the gazetteer that placed the incidents: GeoNames, Who's On First and UCDP GED's exact-place names
PLACES_CREDIT = "Places: GeoNames, Who's On First, UCDP GED (CC BY 4.0)"
CONTEXT_CREDIT = (PLACES_CREDIT + " | Districts: Who's On First | "
                  "Rivers, lakes: GSHHG (LGPL), \u00a9 OpenStreetMap contributors (ODbL)")
UCDP_CREDIT = "Incidents: UCDP GED, Uppsala Conflict Data Program (ucdp.uu.se), CC BY 4.0"
OTHER_INCIDENTS = "Incidents: sources listed per incident"


def has_ucdp(incidents: pd.DataFrame) -> bool:
    """True when any incident comes from UCDP GED (event id ``ucdp:<id>``)."""
    if "event_id" not in incidents.columns or not len(incidents):
        return False
    return bool(incidents["event_id"].astype("object").astype(str).str.startswith("ucdp:").any())


def attribution_for(incidents: pd.DataFrame, *, context: bool = True) -> str:
    """Credit line for a map of ``incidents`` (UCDP credited whenever one of its events is shown)."""
    parts = [BASE_CREDIT, CONTEXT_CREDIT if context else PLACES_CREDIT]
    if has_ucdp(incidents):
        parts.append(UCDP_CREDIT + "; other incidents: sources listed per incident")
    else:
        parts.append(OTHER_INCIDENTS)
    return " | ".join(parts)
