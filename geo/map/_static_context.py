"""The offline context (rivers, lakes, districts, place names) drawn by the matplotlib renderer.

Same data as the interactive map (:mod:`geo.map.context`); place names are chosen the same way: most
important first, by zoom-like scale, a name left out rather than drawn over another name or an incident.
"""

from __future__ import annotations

import numpy as np

#: Metres per pixel below which a label tier is drawn (tiers of geo.map.context.tier_of; ~zoom 6..11).
TIER_MAX_M_PER_PX = (2500.0, 1200.0, 600.0, 300.0, 150.0, 75.0)
CHAR_PX = 6.0
LINE_PX = 13.0


def draw_context(ax, merc, *, width_px: int, height_px: int, avoid_xy: tuple[np.ndarray, np.ndarray],
                 avoid_boxes: list[tuple[float, float, float, float]] = (), avoid_names=()) -> int:
    """Draw water, district outlines and place names on ``ax`` (Web Mercator metres); returns labels drawn.

    ``avoid_xy`` are incident positions, ``avoid_boxes`` pixel boxes (title, legend, ...) and
    ``avoid_names`` ``(name, lon, lat)`` of labels drawn by the caller (governorates): no name goes there."""
    from matplotlib.patches import Polygon as PolygonPatch

    from geo.map import context as ctx

    x0, x1 = ax.get_xlim()
    _, y1 = ax.get_ylim()
    per_px = (x1 - x0) / max(width_px, 1)

    def to_xy(coords) -> tuple[np.ndarray, np.ndarray]:
        arr = np.asarray(coords, dtype=float)
        return merc(arr[:, 0], arr[:, 1])

    for feature in ctx.water_payload()["features"]:
        geom = feature["geometry"]
        if geom["type"] == "LineString":
            lx, ly = to_xy(geom["coordinates"])
            ax.plot(lx, ly, color="#6fa8dc", linewidth=1.6 if feature["properties"].get("name") else 0.9,
                    zorder=1.5, solid_capstyle="round")
        elif geom["type"] == "Polygon":
            lx, ly = to_xy(geom["coordinates"][0])
            ax.add_patch(PolygonPatch(np.column_stack([lx, ly]), closed=True, facecolor="#b9d8ee",
                                      edgecolor="#7fb3d5", linewidth=0.6, zorder=1.5))
    districts = per_px < TIER_MAX_M_PER_PX[2]
    if districts:
        for feature in ctx.districts_payload(ctx.DISTRICTS_FILE)["features"]:
            geom = feature["geometry"]
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            for poly in polys:
                lx, ly = to_xy(poly[0])
                ax.plot(lx, ly, color="#6e5a45", linewidth=0.9, alpha=0.8, zorder=2.2)

    taken: list[tuple[float, float, float, float]] = []
    ax_x, ax_y = avoid_xy
    for x, y in zip(ax_x, ax_y):
        px, py = (x - x0) / per_px, (y1 - y) / per_px
        taken.append((px - 9, py - 9, px + 9, py + 9))

    taken.extend(tuple(b) for b in avoid_boxes)
    for name, lon, lat in avoid_names:
        mx, my = merc(np.array([lon]), np.array([lat]))
        px, py = (mx[0] - x0) / per_px, (y1 - my[0]) / per_px
        half = len(name) * CHAR_PX * 0.6 + 4
        taken.append((px - half, py - 8, px + half, py + 8))

    def free(box) -> bool:
        return not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken)

    places = ctx.places_payload()
    drawn = 0
    for name, yy, xx, tier in zip(places["name"], places["y"], places["x"], places["t"]):
        if per_px > TIER_MAX_M_PER_PX[min(tier, len(TIER_MAX_M_PER_PX) - 1)]:
            continue
        mx, my = merc(np.array([xx / places["cs"]]), np.array([yy / places["cs"]]))
        px, py = (mx[0] - x0) / per_px, (y1 - my[0]) / per_px
        if not (0 <= px <= width_px and 0 <= py <= height_px):
            continue
        w = len(name) * CHAR_PX * (1.2 if tier <= 1 else 1.0) + 4
        box = (px + 4, py - LINE_PX / 2, px + 4 + w, py + LINE_PX / 2)
        dot = (px - 3, py - 3, px + 3, py + 3)
        if not (free(box) and free(dot)):
            continue
        taken.extend([box, dot])
        ax.plot([mx[0]], [my[0]], marker="o", markersize=2.6, color="#4a4640", zorder=3.2)
        ax.annotate(name, (mx[0], my[0]), xytext=(5, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=8.5 if tier <= 1 else 7, fontweight="bold" if tier <= 1 else "normal",
                    color="#2b2925", zorder=3.2, annotation_clip=True)
        drawn += 1
    return drawn
