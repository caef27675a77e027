"""Local copies of the map's JavaScript, CSS and icons (never a CDN).

Third-party files come from the installed XStatic wheels (Leaflet, Leaflet.markercluster); the
project's own JS/CSS/icons live in ``assets/``. :func:`ensure_static_assets` copies them all to
``static/vendor`` for Streamlit's static file server and joins the scripts into one file (the map
component loads scripts one after another, so each extra file costs a round trip before the map
draws); :func:`inline_bundle` returns them as inline ``<script>``/``<style>`` text with images as data
URIs for standalone HTML files.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.paths import ASSETS_DIR, STATIC_DIR

#: URL prefix under which Streamlit serves ``./static`` (server.enableStaticServing).
STATIC_URL = "/app/static/vendor"
VENDOR_DIR = STATIC_DIR / "vendor"
ICONS_DIR = ASSETS_DIR / "icons"


@dataclass(frozen=True)
class Asset:
    """One file the map needs: where it comes from and where it is served under ``static/vendor``."""

    name: str
    source: Path
    target: str  # path relative to static/vendor
    kind: str  # "js" or "css"


def _xstatic_dir(module: str) -> Path:
    import importlib

    pkg = importlib.import_module(f"xstatic.pkg.{module}")
    return Path(pkg.BASE_DIR)


@lru_cache(maxsize=1)
def vendor_assets() -> tuple[Asset, ...]:
    """Every JS/CSS file the map loads, in load order."""
    leaflet = _xstatic_dir("leaflet")
    cluster = _xstatic_dir("leaflet_markercluster")
    return (
        Asset("leaflet", leaflet / "leaflet.js", "leaflet/leaflet.js", "js"),
        Asset("markercluster", cluster / "leaflet.markercluster.js", "markercluster/leaflet.markercluster.js", "js"),
        Asset("atlas_context", ASSETS_DIR / "atlas" / "context.js", "atlas/context.js", "js"),
        Asset("atlas_playback", ASSETS_DIR / "atlas" / "playback.js", "atlas/playback.js", "js"),
        Asset("atlas", ASSETS_DIR / "atlas" / "atlas.js", "atlas/atlas.js", "js"),
        Asset("leaflet_css", leaflet / "leaflet.css", "leaflet/leaflet.css", "css"),
        Asset("markercluster_css", cluster / "MarkerCluster.css", "markercluster/MarkerCluster.css", "css"),
        Asset("markercluster_default_css", cluster / "MarkerCluster.Default.css",
              "markercluster/MarkerCluster.Default.css", "css"),
        Asset("atlas_css", ASSETS_DIR / "atlas" / "atlas.css", "atlas/atlas.css", "css"),
    )


def _tmp_name(dest: Path) -> Path:
    """A temporary name next to ``dest``, unique per process and thread (files appear atomically)."""
    return dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def _extra_files() -> list[tuple[Path, str]]:
    """Images referenced by the CSS (Leaflet's layer-control and default pin images)."""
    images = _xstatic_dir("leaflet") / "images"
    return [(p, f"leaflet/images/{p.name}") for p in sorted(images.glob("*.png"))]


#: (file written under static/vendor/fonts, DejaVu file bundled with matplotlib, CSS font-weight)
FONTS = (("atlas-sans.woff", "DejaVuSans.ttf", "normal"), ("atlas-sans-bold.woff", "DejaVuSans-Bold.ttf", "bold"))
FONT_FAMILY = "Atlas Sans"
# Latin, punctuation, arrows, shapes and Arabic: what titles, labels and popups need.
_FONT_RANGES = ((0x20, 0x250), (0x2000, 0x2070), (0x20AC, 0x20AD), (0x2190, 0x2200), (0x25A0, 0x2600),
                (0x600, 0x700), (0xFB50, 0xFE00), (0xFE70, 0xFF00))


def _font_source(file_name: str) -> Path:
    from importlib.util import find_spec  # matplotlib's data folder without importing it (~0.4 s)

    spec = find_spec("matplotlib")
    if spec is None or not spec.origin:
        raise ImportError("matplotlib is not installed")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / file_name


def _build_font(source: Path, dest: Path) -> None:
    """A WOFF subset of a DejaVu font (Bitstream Vera licence, shipped with matplotlib)."""
    import logging

    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset" is expected noise
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in _FONT_RANGES for c in range(lo, hi)])
    subsetter.subset(font)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(dest)
    subset.save_font(font, str(tmp), options)
    tmp.replace(dest)


def ensure_fonts() -> list[tuple[Path, str]]:
    """The map's font files (built once into static/vendor/fonts); [] if fontTools is unavailable."""
    fonts = []
    for name, source_name, weight in FONTS:
        source, dest = _font_source(source_name), VENDOR_DIR / "fonts" / name
        try:
            if not dest.exists() or dest.stat().st_mtime < source.stat().st_mtime:
                _build_font(source, dest)
        except (ImportError, OSError):
            return []
        fonts.append((dest, weight))
    css = "".join(f'@font-face{{font-family:"{FONT_FAMILY}";src:url("{path.name}") format("woff");'
                  f"font-weight:{weight};font-style:normal}}\n" for path, weight in fonts)
    css_file = VENDOR_DIR / "fonts" / "atlas-fonts.css"
    if not css_file.exists() or css_file.read_text(encoding="utf-8") != css:
        tmp = _tmp_name(css_file)
        tmp.write_text(css, encoding="utf-8")
        tmp.replace(css_file)
    return fonts


def ensure_static_assets() -> Path:
    """Copy the map's JS/CSS/images into ``static/vendor`` (idempotent; only changed files are copied).

    Returns the ``static/vendor`` directory. Streamlit serves it at ``/app/static/vendor/`` when
    ``server.enableStaticServing`` is on.
    """
    files = [(a.source, a.target) for a in vendor_assets()] + _extra_files()
    for source, target in files:
        dest = VENDOR_DIR / target
        stat = source.stat()
        if dest.exists():
            dstat = dest.stat()
            if dstat.st_size == stat.st_size and dstat.st_mtime >= stat.st_mtime:
                continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = _tmp_name(dest)
        shutil.copy2(source, tmp)
        tmp.replace(dest)
    _ensure_script_bundle()
    ensure_fonts()
    return VENDOR_DIR


#: The map's scripts joined in load order, under static/vendor.
SCRIPT_BUNDLE = "atlas/bundle.js"


def _script_text(asset: Asset) -> str:
    return re.sub(r"//# sourceMappingURL=\S+", "", asset.source.read_text(encoding="utf-8"))


def _ensure_script_bundle() -> Path:
    """Write ``static/vendor/atlas/bundle.js``: every JS asset in load order (rewritten when a source is
    newer than the bundle). Each file ends with ``;`` on its own line, so one file's last statement cannot
    run into the next file's first."""
    dest = VENDOR_DIR / SCRIPT_BUNDLE
    sources = [a for a in vendor_assets() if a.kind == "js"]
    if dest.exists() and all(a.source.stat().st_mtime <= dest.stat().st_mtime for a in sources):
        return dest
    text = "".join(f"/* {a.name} */\n{_script_text(a)}\n;\n" for a in sources)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(dest)
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(dest)
    return dest


@lru_cache(maxsize=4)
def _bundle_version(size: int, mtime_ns: int) -> str:
    return hashlib.sha256((VENDOR_DIR / SCRIPT_BUNDLE).read_bytes()).hexdigest()[:12]


def static_links() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) lists of (name, URL) pointing at Streamlit's static server: one script
    (the bundle, its URL naming its content so a browser never runs a stale copy) and the stylesheets."""
    bundle = _ensure_script_bundle()
    stat = bundle.stat()
    js = [("atlas_bundle", f"{STATIC_URL}/{SCRIPT_BUNDLE}?v={_bundle_version(stat.st_size, stat.st_mtime_ns)}")]
    css = [(a.name, f"{STATIC_URL}/{a.target}") for a in vendor_assets() if a.kind == "css"]
    if (VENDOR_DIR / "fonts" / "atlas-fonts.css").exists():
        css.insert(0, ("atlas_fonts", f"{STATIC_URL}/fonts/atlas-fonts.css"))
    return js, css


def _data_uri(path: Path) -> str:
    mime = {"png": "image/png", "svg": "image/svg+xml"}[path.suffix.lstrip(".").lower()]
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css_urls(css: str, base: Path) -> str:
    """Replace relative ``url(...)`` references in a stylesheet by data URIs."""

    def repl(match: re.Match) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        path = (base / ref).resolve()
        if not path.is_file():
            return "url(data:,)"  # never let a stylesheet trigger a request
        return f'url("{_data_uri(path)}")'

    return re.sub(r"""url\((['"]?)([^'")]+)\1\)""", repl, css)


def _safe_script(code: str) -> str:
    # A script element ends at the first "</script"; vendor code never needs that sequence literally.
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def inline_bundle() -> str:
    """All vendor and project JS/CSS as inline ``<style>``/``<script>`` elements (for standalone files)."""
    parts = []
    fonts = ensure_fonts()
    if fonts:
        faces = "".join(
            f'@font-face{{font-family:"{FONT_FAMILY}";src:url(data:font/woff;base64,'
            f'{base64.b64encode(path.read_bytes()).decode("ascii")}) format("woff");font-weight:{weight};'
            "font-style:normal}" for path, weight in fonts)
        parts.append(f"<style>/* DejaVu Sans subset (Bitstream Vera licence) */\n{faces}</style>")
    for asset in vendor_assets():
        text = asset.source.read_text(encoding="utf-8")
        if asset.kind == "css":
            parts.append(f"<style>/* {asset.name} */\n{_inline_css_urls(text, asset.source.parent)}</style>")
    for asset in vendor_assets():
        if asset.kind == "js":
            text = _script_text(asset)
            parts.append(f"<script>/* {asset.name} */\n{_safe_script(text)}</script>")
    images = {p.name: _data_uri(p) for p, _ in _extra_files()}
    # Default Leaflet pins (if anyone adds one) come from data URIs, not from a file next to the page.
    parts.append(
        "<script>(function(){var I=" + _json_for_script(images) + ";"
        "L.Icon.Default.prototype._getIconUrl=function(n){var k=this.options[n+'Url'];"
        "return I[k]||I['marker-icon.png'];};})();</script>"
    )
    return "\n".join(parts)


def _json_for_script(value) -> str:
    from geo.map.payload import json_for_script

    return json_for_script(value)


def icon_slug(kind: str | None) -> str:
    """File stem of the icon for a map ``kind`` (``other`` when there is no icon of that name)."""
    slug = re.sub(r"[^a-z0-9]+", "-", (kind or "").strip().lower()).strip("-")
    slug = _KIND_ALIASES.get(slug, slug)
    return slug if slug in icon_glyphs() else "other"


_KIND_ALIASES = {
    "airstrike": "air-strike", "air-raid": "air-strike", "bombing": "air-strike",
    "drone": "drone-strike", "drone-attack": "drone-strike", "uav-strike": "drone-strike",
    "artillery": "shelling", "missile-attack": "shelling", "rocket-attack": "shelling",
    "ied": "explosion", "landmine": "explosion", "car-bomb": "explosion", "bomb": "explosion",
    "armed-clash": "clash", "battle": "clash", "fighting": "clash",
    "abduction-forced-disappearance": "abduction", "kidnapping": "abduction",
    "arrests": "arrest", "detention": "arrest", "demonstration": "protest", "ceasefire": "agreement",
    "talks": "meeting", "negotiation": "meeting", "headquarters": "base", "military-base": "base",
    "chemical-weapon": "chemical-attack",
}


@lru_cache(maxsize=1)
def icon_glyphs() -> dict[str, str]:
    """Icon stem -> the SVG markup of its white glyph (the disc is drawn per colour by the map JS)."""
    glyphs = {}
    for path in sorted(ICONS_DIR.glob("*.svg")):
        text = path.read_text(encoding="utf-8")
        match = re.search(r'<g class="glyph">(.*?)</g>\s*</svg>', text, flags=re.DOTALL)
        if match:
            glyphs[path.stem] = match.group(1).strip()
    return glyphs
