"""Map snapshots: standalone HTML opened offline, PNG pixels (Chromium and static), CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geo.map import snapshot as snap
from geo import taxonomy
from tests._map_demo import synthetic_incidents
from geo.errors import GeoError, InputError
from geo.filters import Filters
from geo.paths import PROJECT_ROOT, SAMPLE_DB
from geo.store import open_store

FIXED = "Generated 2026-01-01 00:00 UTC by Incident Atlas"
OUTLINE = "#6b6b6b"  # country outline colour of the offline basemap (web and static)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    """A private copy of the bundled sample store (reading never touches the repository's file)."""
    path = tmp_path_factory.mktemp("store") / "sample.gpkg"
    shutil.copy(SAMPLE_DB, path)
    return path


@pytest.fixture(scope="module")
def sample(sample_db):
    store = open_store(sample_db)
    try:
        return store.read()
    finally:
        store.close()


def _rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])


def pixels_near(image: Path, hex_color: str, tolerance: int = 12) -> int:
    """How many pixels of the picture are within ``tolerance`` (per channel) of a colour."""
    rgb = np.asarray(Image.open(image).convert("RGB")).astype(int)
    return int((np.abs(rgb - _rgb(hex_color)).max(axis=2) <= tolerance).sum())


def assert_map_picture(image: Path, incidents, size: tuple[int, int]) -> None:
    """Not blank: right size, many colours, every event type's colour and the outline colour present.

    Call it on pictures drawn with ``legend=False``: the legend's swatches would show every colour
    even if no incident were drawn.
    """
    with Image.open(image) as im:
        assert im.size == size
        rgb = np.asarray(im.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(rgb, axis=0)) > 100, "picture looks blank"
    for event_type in set(incidents["event_type"].dropna()):
        assert pixels_near(image, taxonomy.color_of(event_type)) > 20, event_type
    assert pixels_near(image, OUTLINE, tolerance=6) > 200, "outline not drawn"


def assert_legend_drawn(without: Path, with_legend: Path) -> None:
    """The legend adds a light box in the lower right corner and nothing elsewhere changes much."""
    a = np.asarray(Image.open(without).convert("RGB")).astype(int)
    b = np.asarray(Image.open(with_legend).convert("RGB")).astype(int)
    h, w, _ = a.shape
    changed = np.abs(a - b).max(axis=2) > 30
    corner = changed[h // 3:, w // 2:].sum()
    assert corner > 0.01 * h * w, "no legend in the lower right"
    assert changed[: h // 3, : w // 2].sum() < 0.002 * h * w


# ---- standalone HTML ----------------------------------------------------------------------

@pytest.mark.browser
def test_html_snapshot_of_the_sample_store_opens_offline_with_every_incident(tmp_path, sample):
    from tests._map_probe import probe_page

    out = snap.snapshot_html(sample, tmp_path / "sample.html", title="Sample <b>store</b>",
                             filters_text="Filters: none", generated_at=FIXED)
    text = out.read_text(encoding="utf-8")
    assert "<title>Sample &lt;b&gt;store&lt;/b&gt;</title>" in text
    report = probe_page(out.as_uri(), open_popups=5)
    assert report.ready
    assert report.markers == len(sample) > 0
    assert report.external == [] and report.failed == [] and report.errors == []
    assert report.broken_images == 0
    assert "Sample <b>store</b>" in report.title and FIXED in report.title and "Filters: none" in report.title
    assert "Battles" in report.legend or "Protests" in report.legend
    assert report.north_arrow and report.scale_bar
    assert "Natural Earth" in report.attribution and "GeoNames" in report.attribution
    assert len(report.popups) == 5 and all(p["text"] for p in report.popups)


@pytest.mark.browser
def test_html_snapshot_keeps_one_marker_per_incident_beyond_the_screen_cluster_threshold(tmp_path):
    from tests._map_probe import probe_page

    frame = synthetic_incidents(1200, seed=6)  # clustered on screen (500), not in the file sent to someone
    out = snap.snapshot_html(frame, tmp_path / "many.html", generated_at=FIXED)
    report = probe_page(out.as_uri())
    assert report.ready and report.markers == 1200 and report.failed == [] and report.external == []


def test_html_snapshot_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    out = tmp_path / "map.html"

    def broken(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr("geo.map.page.build_map", broken)
    with pytest.raises(RuntimeError):
        snap.snapshot_html(synthetic_incidents(5), out)
    assert list(tmp_path.iterdir()) == []


# ---- PNG via Chromium ---------------------------------------------------------------------

@pytest.mark.browser
def test_chromium_png_shows_incidents_outlines_and_respects_size_and_scale(tmp_path, sample):
    out = snap.snapshot_png(sample, tmp_path / "map.png", width=800, height=500, scale=2.0,
                            renderer="chromium", generated_at=FIXED, legend=False)
    assert_map_picture(out, sample, (1600, 1000))
    with_legend = snap.snapshot_png(sample, tmp_path / "legend.png", width=800, height=500, scale=2.0,
                                    renderer="chromium", generated_at=FIXED)
    assert_legend_drawn(out, with_legend)


@pytest.mark.browser
def test_chromium_png_is_reproducible(tmp_path):
    frame = synthetic_incidents(120, seed=4)
    first = snap.snapshot_png(frame, tmp_path / "a.png", width=700, height=450, renderer="chromium",
                              generated_at=FIXED)
    second = snap.snapshot_png(frame, tmp_path / "b.png", width=700, height=450, renderer="chromium",
                               generated_at=FIXED)
    a = np.asarray(Image.open(first).convert("RGB"))
    b = np.asarray(Image.open(second).convert("RGB"))
    assert a.shape == b.shape and np.array_equal(a, b)


@pytest.mark.browser
def test_chromium_png_of_a_clustered_map_is_not_blank(tmp_path):
    frame = synthetic_incidents(3000, seed=8, region_share=0)  # no hatched areas: colours come from clusters
    out = snap.snapshot_png(frame, tmp_path / "many.png", width=900, height=600, renderer="chromium",
                            generated_at=FIXED, legend=False)
    # cluster bubbles are rings coloured by the event types inside them
    assert_map_picture(out, frame, (900, 600))


# ---- static fallback ----------------------------------------------------------------------

def test_static_png_shows_incidents_and_outlines(tmp_path, sample):
    out = snap.snapshot_png(sample, tmp_path / "static.png", width=1000, height=700, renderer="static",
                            generated_at=FIXED, legend=False)
    assert_map_picture(out, sample, (1000, 700))
    with_legend = snap.snapshot_png(sample, tmp_path / "legend.png", width=1000, height=700, renderer="static",
                                    generated_at=FIXED)
    assert_legend_drawn(out, with_legend)


def test_static_png_svg_pdf_are_reproducible_and_carry_the_texts(tmp_path, sample):
    outputs = {}
    for run in ("a", "b"):
        for ext in ("png", "svg", "pdf"):
            path = snap.snapshot_png(sample, tmp_path / f"{run}.{ext}", width=900, height=600, renderer="static",
                                     title="Daraa overview", filters_text="Filters: region: Daraa",
                                     generated_at=FIXED)
            outputs[(run, ext)] = path.read_bytes()
    for ext in ("png", "svg", "pdf"):
        assert outputs[("a", ext)] == outputs[("b", ext)], ext
    assert outputs[("a", "pdf")].startswith(b"%PDF")
    svg = outputs[("a", "svg")].decode("utf-8")
    assert svg.lstrip().startswith(("<?xml", "<svg"))
    # text is drawn as paths (fixed glyphs), so check the colours of incidents instead
    for event_type in set(sample["event_type"].dropna()):
        assert taxonomy.color_of(event_type).lower() in svg.lower(), event_type


def test_static_picture_scale_multiplies_pixels(tmp_path):
    out = snap.snapshot_png(synthetic_incidents(30), tmp_path / "x.png", width=600, height=400, scale=1.5,
                            renderer="static", generated_at=FIXED)
    with Image.open(out) as im:
        assert im.size == (900, 600)


def test_auto_uses_the_static_renderer_when_chromium_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(snap, "CHROMIUM", str(tmp_path / "no-chromium"))
    assert not snap.chromium_available()
    assert snap.resolve_renderer("auto", ".png") == "static"
    with pytest.raises(GeoError):
        snap.resolve_renderer("chromium", ".png")
    frame = synthetic_incidents(25)
    out = snap.snapshot_png(frame, tmp_path / "fallback.png", width=700, height=500, generated_at=FIXED,
                            legend=False)
    assert_map_picture(out, frame, (700, 500))


def test_auto_falls_back_to_static_when_chromium_fails_to_start(tmp_path, monkeypatch):
    def broken_browser(*args, **kwargs):
        raise RuntimeError("browser crashed on start")

    monkeypatch.setattr(snap, "chromium_available", lambda: True)
    monkeypatch.setattr(snap, "_chromium_shot", broken_browser)
    frame = synthetic_incidents(20)
    path, renderer = snap.snapshot_picture(frame, tmp_path / "m.png", width=600, height=400, legend=False,
                                           generated_at=FIXED)
    assert renderer == "static"
    assert_map_picture(path, frame, (600, 400))
    with pytest.raises(GeoError, match="crashed"):  # asked for Chromium explicitly: the failure is reported
        snap.snapshot_png(frame, tmp_path / "n.png", renderer="chromium")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.png"]


def test_svg_and_pdf_never_need_a_browser(tmp_path, monkeypatch):
    monkeypatch.setattr(snap, "CHROMIUM", str(tmp_path / "no-chromium"))
    for ext in ("svg", "pdf"):
        out = snap.snapshot_png(synthetic_incidents(10), tmp_path / f"m.{ext}", width=500, height=400)
        assert out.stat().st_size > 1000


def test_bad_picture_requests_are_refused_without_writing(tmp_path):
    frame = synthetic_incidents(3)
    with pytest.raises(InputError):
        snap.snapshot_png(frame, tmp_path / "m.jpg")
    with pytest.raises(InputError):
        snap.snapshot_png(frame, tmp_path / "m.png", width=20, height=20)
    with pytest.raises(InputError):
        snap.snapshot_png(frame, tmp_path / "m.png", scale=50)
    with pytest.raises(InputError):
        snap.snapshot_png(frame, tmp_path / "m.png", renderer="gpu")
    assert list(tmp_path.iterdir()) == []


def test_empty_selection_still_draws_the_basemap(tmp_path):
    frame = synthetic_incidents(5).iloc[0:0]
    out = snap.snapshot_png(frame, tmp_path / "empty.png", width=600, height=400, renderer="static",
                            generated_at=FIXED)
    assert pixels_near(out, OUTLINE, tolerance=6) > 200


# ---- command line -------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "snapshot", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.browser
def test_cli_snapshot_png_and_html_with_filters(tmp_path, sample_db, sample):
    from tests._map_probe import probe_page

    daraa = Filters(regions=("Daraa",)).apply(sample)
    assert 0 < len(daraa) < len(sample)
    png = tmp_path / "daraa.png"
    done = _cli("--out", str(png), "--db", str(sample_db), "--region", "Daraa", "--width", "900",
                "--height", "600", "--generated-at", FIXED, "--no-legend")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary == {"out": str(png), "format": "png", "renderer": "chromium", "count": len(daraa)}
    assert_map_picture(png, daraa, (900, 600))

    html = tmp_path / "daraa.html"
    done = _cli("--out", str(html), "--db", str(sample_db), "--region", "Daraa")
    assert done.returncode == 0, done.stderr
    report = probe_page(html.as_uri())
    assert report.markers == len(daraa) and report.failed == [] and report.external == []
    assert "region: Daraa" in report.title


def test_cli_static_svg_and_bad_input(tmp_path, sample_db):
    svg = tmp_path / "all.svg"
    done = _cli("--out", str(svg), "--db", str(sample_db), "--renderer", "static")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["renderer"] == "static" and svg.stat().st_size > 10_000

    done = _cli("--out", str(tmp_path / "x.gif"), "--db", str(sample_db))
    assert done.returncode == 2 and done.stdout == "" and "x.gif" in done.stderr
    done = _cli("--out", str(tmp_path / "x.png"), "--db", str(tmp_path / "missing.gpkg"))
    assert done.returncode == 2 and "missing.gpkg" in done.stderr
    done = _cli("--out", str(tmp_path / "x.png"), "--db", str(sample_db), "--since", "yesterday")
    assert done.returncode == 2 and "--since" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.svg"]


@pytest.mark.browser
def test_chromium_pdf_is_one_page_of_the_requested_size(tmp_path):
    import re

    out = snap.snapshot_png(synthetic_incidents(40), tmp_path / "map.pdf", width=900, height=600,
                            renderer="chromium", generated_at=FIXED)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert len(boxes) == 1  # one page
    width_pt, height_pt = (float(v) for v in boxes[0])
    assert abs(width_pt - 900 * 0.75) < 1 and abs(height_pt - 600 * 0.75) < 1
    assert len(data) > 50_000  # the map was drawn, not an empty page
