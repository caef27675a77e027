"""``python -m geo snapshot``: the (filtered) incident map as PNG, standalone HTML, SVG or PDF."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.commands._common import add_db_argument, add_filter_arguments, read_incidents

_DESCRIPTION = """\
Write a snapshot of the incident map (all incidents in the store, or those passing the filters):
  .html  the interactive map in one file (scripts, styles, icons inlined): opens offline anywhere
  .png   a picture rendered by headless Chromium (/usr/bin/chromium, network blocked); without
         Chromium, or with --renderer static, drawn with matplotlib instead
  .svg   vector picture (matplotlib)
  .pdf   printable page drawn by headless Chromium like .png (matplotlib without Chromium or with
         --renderer static)
  .gif   with --animate day|week: the time playback, one frame per window, drawn by headless Chromium
Pictures carry the title, date range, filters, legend, scale bar, north arrow, attribution and a
generated-at line. Prints one JSON object on stdout: {"out", "format", "renderer", "count"}."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``snapshot`` sub-command."""
    parser = subparsers.add_parser("snapshot", help="write the map as PNG, standalone HTML, SVG or PDF",
                                   description=_DESCRIPTION,
                                   epilog="example: python -m geo snapshot --out daraa.png --region Daraa "
                                          "--since 2020-05-01 --width 1170 --height 827 --scale 3",
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="FILE.png, FILE.html, FILE.svg, FILE.pdf or FILE.gif")
    add_db_argument(parser)
    add_filter_arguments(parser)
    look = parser.add_argument_group("picture")
    look.add_argument("--width", type=int, default=1600, help="page width in CSS pixels (default 1600)")
    look.add_argument("--height", type=int, default=1000, help="page height in CSS pixels (default 1000)")
    look.add_argument("--scale", type=float, default=1.0,
                      help="pixel density: 2 doubles the resolution (e.g. A4 at 300 dpi: 1170x827 --scale 3)")
    look.add_argument("--renderer", choices=("auto", "chromium", "static"), default="auto",
                      help="auto: Chromium for PNG and PDF when installed, else matplotlib")
    look.add_argument("--title", help="title line (default: Incident Atlas)")
    look.add_argument("--subtitle", help="second line (default: the incidents' date range)")
    look.add_argument("--tiles", action="store_true", help="add OpenStreetMap tiles (needs the internet)")
    look.add_argument("--cluster-threshold", type=int, default=None, metavar="N",
                      help="cluster markers above N incidents (default: 5000 for .html, 500 for pictures)")
    look.add_argument("--no-legend", action="store_true", help="leave the legend out of pictures")
    look.add_argument("--animate", choices=("day", "week"), metavar="WINDOW",
                      help="write FILE.gif: the time playback with a day or week window per frame")
    look.add_argument("--frame-ms", type=int, default=700, help="milliseconds per .gif frame (default 700)")
    look.add_argument("--generated-at", metavar="TEXT",
                      help="fixed text for the generated-at line (for byte-identical repeat runs)")


def describe_filters(args: argparse.Namespace) -> str:
    """One line naming the filters given on the command line ("Filters: none" when there are none)."""
    parts = []
    if args.since or args.until:
        parts.append(f"dates {args.since or '…'} to {args.until or '…'}")
    for label, values in (("actor", args.actor), ("type", args.type), ("region", args.region),
                          ("district", args.district),
                          ("precision", [str(p) for p in args.precision]), ("source", args.source)):
        if values:
            parts.append(f"{label}: " + ", ".join(values))
    if args.text:
        parts.append(f"text: \u201c{args.text}\u201d")
    if args.bbox:
        parts.append(f"box: {args.bbox}")
    return "Filters: " + ("; ".join(parts) if parts else "none")


def run(args: argparse.Namespace) -> int:
    """Read the filtered incidents and write the snapshot."""
    from geo.errors import InputError
    from geo.map.snapshot import snapshot_html, snapshot_picture

    out = Path(args.out)
    suffix = out.suffix.lower()
    if args.animate and suffix != ".gif":
        raise InputError(f"--animate writes an animated GIF: name the output FILE.gif, not {args.out!r}")
    if suffix not in (".png", ".html", ".htm", ".svg", ".pdf") and not (args.animate and suffix == ".gif"):
        raise InputError(f"cannot tell the snapshot format from {args.out!r}: use .png, .html, .svg or .pdf "
                         "(or .gif with --animate day|week)")
    frame = read_incidents(args)
    common = dict(title=args.title, subtitle=args.subtitle, filters_text=describe_filters(args), tiles=args.tiles,
                  generated_at=args.generated_at)
    if args.cluster_threshold is not None:
        common["cluster_threshold"] = args.cluster_threshold
    if args.animate:
        from geo.map.animate import snapshot_gif

        path, frames = snapshot_gif(frame, out, unit=args.animate, width=args.width, height=args.height,
                                    frame_ms=args.frame_ms, title=args.title, subtitle=args.subtitle,
                                    filters_text=common["filters_text"], generated_at=args.generated_at)
        renderer = f"chromium, {frames} frames"
    elif suffix in (".html", ".htm"):
        path, renderer = snapshot_html(frame, out, **common), "html"
    else:
        path, renderer = snapshot_picture(frame, out, width=args.width, height=args.height, scale=args.scale,
                                          renderer=args.renderer, legend=not args.no_legend, **common)
    print(f"wrote a map of {len(frame)} incident(s) to {path} ({renderer})", file=sys.stderr)
    print(json.dumps({"out": str(path), "format": suffix.lstrip("."), "renderer": renderer, "count": len(frame)},
                     ensure_ascii=False))
    return 0
