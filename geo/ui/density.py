"""The Density tab: incidents per governorate and a hexagon or grid aggregation.

Streamlit code, imported only by ``dashboard.py`` (everything else in ``geo`` works without Streamlit).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo import query
from geo.ui.data import governorate_shapes, is_server, server_density


def _geo_data(gdf) -> alt.Data:
    """A GeoDataFrame as inline GeoJSON features for Altair (Streamlit cannot send geometries as Arrow).

    Vega draws with d3-geo, which reads counter-clockwise rings as "everything but this polygon", so the
    outer rings are turned clockwise first.
    """
    import json

    from shapely import orient_polygons

    gdf = gdf.set_geometry(orient_polygons(gdf.geometry.values, exterior_cw=True))
    return alt.Data(values=json.loads(gdf.to_json())["features"])


def _countries_of(counts: pd.DataFrame) -> set[str]:
    """ISO alpha-2 codes of the governorates counted (Syria when none is known)."""
    found = {str(i).split("-")[0] for i in counts.get("admin1_iso", []) if i and "-" in str(i)}
    return found or {"SY"}


def density_section(db: str, token: str, state: query.ViewState, frame, selection=None) -> None:
    """Choropleth of incidents per governorate and a grid/hexagon aggregation of the filtered set.

    A store that aggregates on its server (PostGIS) counts per governorate and per grid cell itself;
    otherwise the loaded rows are aggregated here (hexagons).
    """
    size = st.session_state.get("hex", 0.2)
    aggregated = server_density(db, token, repr(state.filters), state.filters, size) if is_server(db) else None
    counts = aggregated[0] if aggregated else (
        selection.region_counts() if selection is not None else query.region_counts(frame))
    shapes = governorate_shapes()
    left, right = st.columns(2)
    with left:
        st.markdown("**Incidents per governorate**")
        if shapes is not None and len(counts):
            shown = shapes[shapes["country"].isin(_countries_of(counts))]
            merged = shown[["admin1_iso", "geometry"]].merge(counts, on="admin1_iso", how="left")
            merged["incidents"] = merged["incidents"].fillna(0).astype(int)
            merged["name"] = merged["name"].fillna(merged["admin1_iso"])
            merged["fatalities"] = merged["fatalities"].fillna(0).astype(int)
            chart = (alt.Chart(_geo_data(merged)).mark_geoshape(stroke="#555", strokeWidth=0.5)
                     .encode(color=alt.Color("properties.incidents:Q", scale=alt.Scale(scheme="orangered"),
                                             title="Incidents"),
                             tooltip=[alt.Tooltip("properties.name:N", title="Governorate"),
                                      alt.Tooltip("properties.incidents:Q", title="Incidents"),
                                      alt.Tooltip("properties.fatalities:Q", title="Fatalities")])
                     .project("mercator").properties(height=380))
            st.altair_chart(chart, width="stretch")
        st.dataframe(counts, hide_index=True, width="stretch", height=200)
    with right:
        shape = "Grid cell" if aggregated else "Hexagon"
        st.markdown(f"**{shape} density**")
        st.select_slider(f"{shape} size (degrees)", [0.05, 0.1, 0.2, 0.3, 0.5], value=0.2, key="hex")
        hexes = aggregated[1] if aggregated else query.hex_counts(frame, size)
        if len(hexes):
            layers = []
            if shapes is not None:
                outline = shapes[shapes["country"].isin(_countries_of(counts))]
                layers.append(alt.Chart(_geo_data(outline[["geometry"]])).mark_geoshape(fill="#f4f4f4", stroke="#999",
                                                                            strokeWidth=0.4))
            layers.append(alt.Chart(_geo_data(hexes[["incidents", "geometry"]])).mark_geoshape(
                stroke="white", strokeWidth=0.3).encode(
                color=alt.Color("properties.incidents:Q", scale=alt.Scale(scheme="viridis", type="log"),
                                title="Incidents"),
                tooltip=[alt.Tooltip("properties.incidents:Q", title="Incidents")]))
            st.altair_chart(alt.layer(*layers).project("mercator").properties(height=380),
                            width="stretch")
        else:
            st.info("No incidents to aggregate.")
