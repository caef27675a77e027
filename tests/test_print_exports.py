"""The dashboard's print downloads (issue 16): title and size fields, PNG/PDF/GIF buttons, file names."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.dashboard_fixtures import app_store, sample_frame  # noqa: F401 (app_store is the `store` fixture)

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")




def test_export_tab_offers_print_title_size_and_playback_gif(store):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.session_state["tab"] = "Export"
    at.run()
    assert not at.exception, at.exception
    assert [t.label for t in at.text_input if t.label == "Title"] == ["Title"]
    sizes = next(s for s in at.selectbox if s.label == "Size")
    assert "A4 landscape" in sizes.options
    labels = [b.proto.label for b in at.get("download_button")]
    for wanted in ("PNG for print", "PDF for print", "Playback GIF"):
        assert wanted in labels
    assert len([b for b in at.get("download_button") if b.proto.label in ("PNG for print", "PDF for print")]) == 2


def test_print_png_uses_the_chosen_title_and_size(tmp_path):
    from PIL import Image

    from geo.filters import Filters
    from geo.view_export import PRINT_SIZES, render

    width, height = PRINT_SIZES["A4 portrait"]
    data = render("png", sample_frame(), Filters(), title="Southern front", width=width, height=height)
    (tmp_path / "p.png").write_bytes(data)
    with Image.open(tmp_path / "p.png") as image:
        assert image.size == (width, height)
