"""Browser-free map picture (PNG, SVG, PDF) with matplotlib: the fallback when Chromium is missing.

Draws what the web map shows: country and governorate outlines with labels, region-level
incidents as hatched areas with counts, one symbol per incident coloured by ACLED event type
(shape per kind; dashed halo = approximate place; square = region only), plus title, dates and
filters, legend, scale bar, north arrow, attribution and the generated-at line. Web Mercator, like
the interactive map. Fonts are matplotlib's bundled DejaVu Sans and file metadata carries no date,
so the same input gives the same file.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from geo import taxonomy
from geo.map.basemap import outlines, region_shapes
from geo.map.payload import coordinates

R_EARTH = 6378137.0
KIND_MARKERS = {
    "clash": "X", "air strike": "^", "drone strike": "v", "shelling": "D", "explosion": "*",
    "chemical attack": "8", "suicide bomb": "*", "grenade": "d", "territory change": ">",
    "attack": "o", "abduction": "P", "sexual violence": "H", "protest": "p", "riot": "h",
    "arrest": "s", "meeting": "<", "agreement": "d", "base": "s", "looting": "8",
    "group change": "o", "weapons seized": "X", "other": "o",
}
MARKER_SCALE = {"*": 2.0, "d": 1.3, "D": 0.9, "p": 1.2, "h": 1.2, "X": 1.1, "P": 1.1}
ATTRIBUTION = ("Boundaries: Natural Earth (public domain) | Places: GeoNames (CC BY 4.0) | "
               "Incidents: sources listed per incident")


def attribution_for(incidents: pd.DataFrame, *, context: bool = False) -> str:
    """The credit line (UCDP named when its events are drawn); see :mod:`geo.map.credits`."""
    from geo.map.credits import attribution_for as credit_line

    return credit_line(incidents, context=context)


def _merc(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat = np.clip(np.asarray(lat, dtype=float), -85, 85)
    x = np.radians(np.asarray(lon, dtype=float)) * R_EARTH
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * R_EARTH
    return x, y


def _rings(geometry: dict):
    """Exterior and interior rings of a GeoJSON (Multi)Polygon as coordinate arrays."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for poly in polys:
        for ring in poly:
            yield np.asarray(ring, dtype=float)


def _polygon_patch(geometry: dict, **style):
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    verts, codes = [], []
    for ring in _rings(geometry):
        x, y = _merc(ring[:, 0], ring[:, 1])
        pts = np.column_stack([x, y])
        verts.extend(pts.tolist())
        codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(pts) - 2) + [MplPath.CLOSEPOLY])
    return PathPatch(MplPath(verts, codes), **style)


def _nice_km(max_km: float) -> float:
    for step in (1000, 500, 300, 200, 100, 50, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1):
        if step <= max_km:
            return step
    return 0.1


def render_static(incidents: pd.DataFrame, out: Path, *, width: int, height: int, scale: float, title: str,
                  subtitle: str, filters_text: str | None, generated: str,
                  highlight_ids: Sequence[str] = (), tiles_note: bool = False, legend: bool = True) -> None:
    """Draw the map picture into ``out`` (format from its extension: .png, .svg or .pdf)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fmt = Path(out).suffix.lower().lstrip(".")
    rc = {"font.family": "DejaVu Sans", "svg.hashsalt": "incident-atlas", "svg.fonttype": "path",
          "pdf.fonttype": 42, "path.simplify": True}
    with plt.rc_context(rc):
        dpi = 100.0 * scale
        fig = plt.figure(figsize=(width / 100.0, height / 100.0), dpi=dpi)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_facecolor("#dde6ec")
        fig.patch.set_facecolor("#dde6ec")

        lat, lon = coordinates(incidents)
        ok = ~(np.isnan(lat) | np.isnan(lon))
        frame = incidents[ok]
        lat, lon = lat[ok], lon[ok]
        precision = pd.to_numeric(frame.get("geo_precision", pd.Series(1, index=frame.index)),
                                  errors="coerce").fillna(1).astype(int).to_numpy()
        region = frame["region_id"].astype("object").where(frame["region_id"].notna(), "").astype(str).to_numpy() \
            if "region_id" in frame else np.full(len(frame), "")
        shapes = region_shapes(sorted({r for r, p in zip(region, precision) if p == 3 and r}))

        # view: the incidents (and their areas), else Syria; padded, aspect of the picture
        basemap = outlines()["features"]
        xs, ys = _merc(lon, lat)
        ext = [xs.min(), xs.max(), ys.min(), ys.max()] if len(xs) else None
        for rid, geometry in shapes.items():
            for ring in _rings(geometry):
                rx, ry = _merc(ring[:, 0], ring[:, 1])
                ext = [min(ext[0], rx.min()), max(ext[1], rx.max()), min(ext[2], ry.min()), max(ext[3], ry.max())] \
                    if ext else [rx.min(), rx.max(), ry.min(), ry.max()]
        if ext is None:
            syria = [f for f in basemap if f["properties"]["id"] == "SY"]
            if syria:
                rings = list(_rings(syria[0]["geometry"]))
                allx, ally = _merc(np.concatenate([r[:, 0] for r in rings]), np.concatenate([r[:, 1] for r in rings]))
                ext = [allx.min(), allx.max(), ally.min(), ally.max()]
            else:
                ext = list(_merc(np.array([35.5, 42.5]), np.array([32.2, 37.4]))[0]) + \
                    list(_merc(np.array([35.5, 42.5]), np.array([32.2, 37.4]))[1])
        span_x = max(ext[1] - ext[0], 20000.0)
        span_y = max(ext[3] - ext[2], 20000.0)
        cx, cy = (ext[0] + ext[1]) / 2, (ext[2] + ext[3]) / 2
        span_x, span_y = span_x * 1.12, span_y * 1.25  # room for the title panel and legend
        aspect = width / height
        if span_x / span_y < aspect:
            span_x = span_y * aspect
        else:
            span_y = span_x / aspect
        ax.set_xlim(cx - span_x / 2, cx + span_x / 2)
        ax.set_ylim(cy - span_y / 2, cy + span_y / 2)
        ax.set_aspect("equal", adjustable="box")
        # incidents at one point fan out (as on the interactive map): every one of them stays visible
        from geo.map._fan import fan_offsets

        per_px = span_x / max(width, 1)
        fx, fy = fan_offsets(xs, ys)
        xs, ys = xs + fx * per_px, ys - fy * per_px

        # basemap
        for feature in basemap:
            props = feature["properties"]
            if props["level"] == "country":
                fill = "#fbfaf6" if props["id"] == "SY" else "#efede6"
                ax.add_patch(_polygon_patch(feature["geometry"], facecolor=fill, edgecolor="#6b6b6b",
                                            linewidth=1.1, zorder=1))
        for feature in basemap:
            props = feature["properties"]
            if props["level"] == "admin1":
                ax.add_patch(_polygon_patch(feature["geometry"], facecolor="none", edgecolor="#9a948a",
                                            linewidth=0.7, linestyle=(0, (4, 3)), zorder=2))
        from geo.map._static_context import draw_context

        panels = [(0, 0, 380, 135), (width - 270, height - 310, width, height), (0, height - 18, width, height),
                  (0, height - 80, 160, height), (width - 80, 0, width, 120)]  # title, legend, credit, scale, N
        names = [(f["properties"]["name"], f["properties"]["lp"][1], f["properties"]["lp"][0]) for f in basemap
                 if f["properties"].get("lp") and f["properties"]["level"] == "admin1"]
        draw_context(ax, _merc, width_px=width, height_px=height, avoid_xy=(xs, ys), avoid_boxes=panels,
                     avoid_names=names)
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        for feature in basemap:
            props = feature["properties"]
            if props["level"] == "country" and props["id"] == "SY":
                continue
            lx, ly = _merc(np.array([props["lp"][1]]), np.array([props["lp"][0]]))
            if not (x0 < lx[0] < x1 and y0 < ly[0] < y1):
                continue
            country = props["level"] == "country"
            ax.text(lx[0], ly[0], props["name"].upper() if country else props["name"], ha="center", va="center",
                    fontsize=10 if country else 8, color="#8a847a" if country else "#5a554c",
                    fontweight="bold" if country else "normal", zorder=3, clip_on=True)

        # region-level areas, hatched, with their counts
        colors = frame["event_type"].map(taxonomy.color_of) if "event_type" in frame else \
            pd.Series("#555555", index=frame.index)
        colors = colors.fillna("#555555").to_numpy()
        for rid, geometry in shapes.items():
            members = (precision == 3) & (region == rid)
            color = pd.Series(colors[members]).mode().iloc[0] if members.any() else "#555555"
            ax.add_patch(_polygon_patch(geometry, facecolor="none", edgecolor=color, hatch="///",
                                        linewidth=1.6, linestyle=(0, (6, 4)), zorder=4, alpha=0.9))
            rings = list(_rings(geometry))
            rx, ry = _merc(rings[0][:, 0], rings[0][:, 1])
            ax.text((rx.min() + rx.max()) / 2, (ry.min() + ry.max()) / 2, str(int(members.sum())), ha="center",
                    va="center", fontsize=9, fontweight="bold", zorder=7,
                    bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor="#444444", linewidth=0.8))

        # incidents: one symbol each
        n = len(frame)
        size = 70 if n <= 500 else (30 if n <= 5000 else 8)
        edge = 0.8 if n <= 5000 else 0.0
        kinds = frame["kind"].fillna("other").astype(str).str.lower().to_numpy() if "kind" in frame \
            else np.full(n, "other")
        wanted = {str(i) for i in highlight_ids}
        ids = frame["event_id"].astype(str).to_numpy() if "event_id" in frame else np.full(n, "")
        hl = np.isin(ids, list(wanted)) if wanted else np.zeros(n, dtype=bool)
        if hl.any():
            ax.scatter(xs[hl], ys[hl], s=size * 3.2, c="#ffd400", edgecolors="#111111", linewidths=1, zorder=5)
        p2 = precision == 2
        if p2.any():
            ax.scatter(xs[p2], ys[p2], s=size * 3.0, facecolors="none", edgecolors=colors[p2],
                       linewidths=1.2, linestyles="--", zorder=5)
        for kind in sorted(set(kinds)):
            sel = kinds == kind
            marker = KIND_MARKERS.get(kind, "o")
            for prec in (1, 2, 3):
                part = sel & (precision == prec) if prec < 3 else sel & (precision >= 3)
                if part.any():
                    shape = "s" if prec == 3 else marker
                    ax.scatter(xs[part], ys[part], s=size * MARKER_SCALE.get(shape, 1.0), c=colors[part], marker=shape,
                               edgecolors="white", linewidths=edge, zorder=6, alpha=1.0 if n <= 5000 else 0.7)

        # title panel
        text = [(title, 15, "bold"), (subtitle, 11, "normal")]
        if filters_text:
            text.append((filters_text, 9, "normal"))
        text.append((f"{n} incident{'s' if n != 1 else ''} shown", 9, "normal"))
        text.append((generated, 8, "normal"))
        y = 0.985
        for line, size_pt, weight in text:
            fig.text(0.012, y, line, fontsize=size_pt, fontweight=weight, va="top", ha="left", color="#222222",
                     bbox=dict(facecolor="white", edgecolor="none", alpha=0.9, pad=2))
            y -= size_pt * 1.75 * 100 / (72 * height)  # points -> figure fraction

        # legend: event types, kinds, precision
        used_types = [t for t in taxonomy.event_types() if "event_type" in frame and (frame["event_type"] == t).any()]
        handles = [Patch(facecolor=taxonomy.color_of(t), edgecolor="#00000040", label=t) for t in used_types]
        for kind in sorted(set(kinds)):
            handles.append(Line2D([], [], linestyle="none", marker=KIND_MARKERS.get(kind, "o"), markersize=7,
                                  markerfacecolor="#555555", markeredgecolor="white", label=kind))
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7, markerfacecolor="#555555",
                              markeredgecolor="white", label="exact place"))
        if p2.any():
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=12, markerfacecolor="none",
                                  markeredgecolor="#555555", label="approximate (dashed halo)"))
        if (precision == 3).any():
            handles.append(Patch(facecolor="none", edgecolor="#555555", hatch="///", label="region only (hatched area)"))
        if legend:
            ax.legend(handles=handles, loc="lower right", fontsize=9, title="Legend", title_fontsize=10,
                      framealpha=0.94, ncol=1 if len(handles) <= 16 else 2, borderaxespad=1.2)

        # scale bar (true length at the map centre) and north arrow
        lat_c = math.degrees(2 * math.atan(math.exp(cy / R_EARTH)) - math.pi / 2)
        m_per_unit = math.cos(math.radians(lat_c))
        bar_km = _nice_km(span_x * m_per_unit / 1000 / 5)
        bar_units = bar_km * 1000 / m_per_unit
        bx, by = x0 + span_x * 0.02, y0 + span_y * 0.05
        ax.plot([bx, bx + bar_units], [by, by], color="#222222", linewidth=3, zorder=8, solid_capstyle="butt")
        ax.plot([bx, bx], [by - span_y * 0.006, by + span_y * 0.006], color="#222222", linewidth=1.2, zorder=8)
        ax.plot([bx + bar_units] * 2, [by - span_y * 0.006, by + span_y * 0.006], color="#222222", linewidth=1.2,
                zorder=8)
        ax.text(bx + bar_units / 2, by + span_y * 0.012, f"{bar_km:g} km", ha="center", va="bottom", fontsize=9,
                zorder=8)
        ax.annotate("N", xy=(0.965, 0.95), xytext=(0.965, 0.87), xycoords="axes fraction", ha="center",
                    va="center", fontsize=12, fontweight="bold",
                    arrowprops=dict(facecolor="#222222", edgecolor="#222222", width=4, headwidth=12))
        attribution = attribution_for(incidents, context=True) + (" | OpenStreetMap tiles are not drawn in the static picture" if tiles_note else "")
        fig.text(0.995, 0.004, attribution, fontsize=7, ha="right", va="bottom", color="#333333",
                 bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1.5))

        metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
                    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}}[fmt]
        fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata, facecolor=fig.get_facecolor())
        plt.close(fig)
