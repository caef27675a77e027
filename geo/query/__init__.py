"""Dashboard queries without Streamlit, one job per module:

* :mod:`.urlstate` — filter state <-> URL query string (``ViewState``), one-line filter descriptions;
* :mod:`.counts` — facets: filter options with counts (``facets``, ``actor_counts``, ``value_counts``);
* :mod:`.summary` — headline metrics (``summarize``) and the date window a dashboard opens on;
* :mod:`.timeline` — incidents per day/week and reading a drag on the timeline;
* :mod:`.density` — per governorate, square grid and hexagon aggregations;
* :mod:`.mapclick` — what a map click or the visible bounds select;
* :mod:`.markdown` — escaping user data for Streamlit markdown.

The names below are re-exported so callers can keep writing ``from geo import query; query.facets(...)``.
"""

from __future__ import annotations

from geo.query.counts import (
                              FACET_KEYS,
                              actor_counts,
                              date_bounds,
                              facets,
                              label_with_count,
                              sorted_counts,
                              value_counts,
)
from geo.query.density import grid_counts, hex_counts, region_counts, region_iso
from geo.query.mapclick import bbox_from_bounds, governorate_from_click
from geo.query.markdown import escape_markdown
from geo.query.summary import (
                              Summary,
                              summarize,
)
from geo.query.timeline import choose_granularity, span_dates, timeline
from geo.query.urlstate import (
                              IN_VIEW_KEY,
                              KEYS,
                              ViewState,
                              describe_filters,
                              from_query_params,
                              to_query_params,
                              without_bbox,
)

__all__ = ["FACET_KEYS", "IN_VIEW_KEY", "KEYS", "Summary", "ViewState",
           "actor_counts", "bbox_from_bounds", "choose_granularity", "date_bounds", "describe_filters",
           "escape_markdown", "facets", "from_query_params", "governorate_from_click", "grid_counts",
           "hex_counts", "label_with_count", "region_counts", "region_iso", "sorted_counts",
           "span_dates", "summarize", "timeline", "to_query_params", "value_counts", "without_bbox"]
