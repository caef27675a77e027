"""geo.map._disk_cache: map data kept on disk between server starts, rebuilt when an input changes."""

from __future__ import annotations

import json
import os

from geo.map import _disk_cache
from geo.map import basemap, context


def test_text_is_built_once_then_read_until_an_input_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(_disk_cache, "CACHE_DIR", tmp_path / "cache")
    source = tmp_path / "input.json"
    source.write_text("1", encoding="utf-8")
    builds = []

    def build() -> str:
        builds.append(1)
        return "text " + source.read_text(encoding="utf-8") + "\nsecond line"

    assert _disk_cache.cached_text("thing", [source], build) == "text 1\nsecond line"
    assert _disk_cache.cached_text("thing", [source], build) == "text 1\nsecond line"
    assert len(builds) == 1
    source.write_text("22", encoding="utf-8")  # another size (and time): the cached text is stale
    assert _disk_cache.cached_text("thing", [source], build) == "text 22\nsecond line"
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000_000))  # same size, touched
    assert _disk_cache.cached_text("thing", [source], build) == "text 22\nsecond line"
    assert len(builds) == 3
    source.unlink()
    _disk_cache.cached_text("thing", [source], lambda: "gone")
    assert _disk_cache.cached_text("thing", [source], build) == "gone"
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")]


def test_an_unwritable_cache_folder_still_gives_the_text(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(_disk_cache, "CACHE_DIR", blocker / "cache")
    assert _disk_cache.cached_text("thing", [blocker], lambda: "built") == "built"
    assert _disk_cache.cached_text("thing", [blocker], lambda: "built again") == "built again"


def test_outlines_and_context_read_back_equal_what_is_built(tmp_path, monkeypatch):
    monkeypatch.setattr(_disk_cache, "CACHE_DIR", tmp_path / "cache")
    basemap.outlines.cache_clear()
    context._context_json.cache_clear()
    try:
        built = basemap._built_outlines()
        assert built["features"]  # the shipped boundary file
        assert basemap.outlines() == built  # written
        basemap.outlines.cache_clear()
        assert basemap.outlines() == built  # read back
        text = context.context_json()
        context._context_json.cache_clear()
        assert context.context_json() == text
        assert json.loads(text)["places"]["name"]
        assert {p.name for p in (tmp_path / "cache").iterdir()} == {"outlines.txt", "context.txt"}
    finally:
        basemap.outlines.cache_clear()
        context._context_json.cache_clear()


def test_map_page_arguments_are_kept_and_read_back(tmp_path, monkeypatch):
    from geo.map import streamlit_args

    monkeypatch.setattr(_disk_cache, "CACHE_DIR", tmp_path / "cache")
    streamlit_args.base_args.cache_clear()
    try:
        first = streamlit_args.base_args()
        streamlit_args.base_args.cache_clear()
        assert streamlit_args.base_args() == first  # read back from disk: the same page, the same map id
        built = streamlit_args._built_base_args()
        assert set(built) == set(first) and built["js_links"] == first["js_links"]
        assert first["id"] in first["script"] and "IncidentAtlas.base(" in first["script"]
        assert (tmp_path / "cache" / "base_args.txt").exists()
        assert any(p.name == "swap.js" for p in streamlit_args._base_inputs())  # an asset edit rebuilds it
    finally:
        streamlit_args.base_args.cache_clear()


def test_folium_component_is_streamlit_folium_s_own():
    import streamlit_folium

    from geo.map.streamlit_args import folium_component

    ours = folium_component()
    assert ours == streamlit_folium._component_func  # name, frontend folder, url and module all equal
    assert ours.name == "streamlit_folium.st_folium"


def test_a_file_reached_through_a_link_keys_the_cache_as_itself(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "input.json").write_text("1", encoding="utf-8")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    assert _disk_cache.cache_key([real / "input.json"]) == _disk_cache.cache_key([tmp_path / "link" / "input.json"])
