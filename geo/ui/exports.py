"""The Export tab: data and map downloads of the filtered view, and print/animation files.

Streamlit code, imported only by ``dashboard.py`` (everything else in ``geo`` works without Streamlit).
"""

from __future__ import annotations

import streamlit as st

from geo import query

#: Formats written by :func:`geo.export.export_store` straight from the store, chunk by chunk.
STREAMED = ("csv", "geojson", "gpkg", "kml")


def export_section(frame, state: query.ViewState, db: str | None = None, total: int | None = None) -> None:
    """Download buttons for the filtered view. With ``db`` the data formats are streamed from the store
    (any size; a progress bar while the file is written, then its download button); map files are made
    from ``frame`` when clicked. ``total`` is the number of incidents in the view when ``frame`` holds
    only a page of them."""
    from geo import view_export as export_buttons

    count = len(frame) if total is None else total
    st.caption(query.escape_markdown(f"{count:,} incidents in the current view "
                                     f"({query.describe_filters(state.filters)}). Files are made when clicked; "
                                     "the PNG takes a few seconds."))
    specs = [s for s in export_buttons.SPECS if db is None or s.key not in STREAMED]
    if db is not None:
        streamed_section(db, frame, state, count)
    cols = st.columns(6)
    for col, spec in zip(cols, specs):
        # the table selection is a way of looking, not part of the view: exports never carry it
        col.download_button(spec.label, data=lambda s=spec: export_buttons.render(s.key, frame, state.filters),
                            file_name=export_buttons.file_name_for(spec.key, frame, state.filters), mime=spec.mime,
                            on_click="ignore", key=f"dl_{spec.key}", width="stretch")
    print_section(frame, state)


def streamed_section(db: str, frame, state: query.ViewState, count: int) -> None:
    """Data files written from the store in chunks to a temporary file, with st.progress, then offered."""
    import shutil
    import tempfile
    from pathlib import Path

    from geo import view_export as export_buttons
    from geo.errors import GeoError
    from geo.export import export_store
    from geo.ui.data import opened_store, show_error

    ss = st.session_state
    specs = [s for s in export_buttons.SPECS if s.key in STREAMED]
    cols = st.columns(len(specs) * 2)
    wanted = None
    for col, spec in zip(cols[::2], specs):
        if col.button(f"Write {spec.label}", key=f"write_{spec.key}", width="stretch"):
            wanted = spec
    view_key = f"{db}|{state.filters!r}"
    made = ss.get("export_file")
    if wanted is not None:
        if made:
            shutil.rmtree(Path(made["path"]).parent, ignore_errors=True)
            ss.pop("export_file", None)
        folder = Path(tempfile.mkdtemp(prefix="atlas-export-"))
        path = folder / f"export.{wanted.key}"
        bar = st.progress(0.0, text=f"Writing {wanted.label}…")

        def progress(done: int, total: int | None) -> None:
            share = min(1.0, done / total) if total else 0.0
            bar.progress(share, text=f"Writing {wanted.label}: {done:,}" + (f" of {total:,}" if total else "")
                         + " incidents")

        try:
            with opened_store(db) as store:
                _, written = export_store(store, wanted.key, path, state.filters, progress=progress, total=count)
        except (GeoError, OSError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            bar.empty()
            show_error(exc)
            return
        bar.empty()
        made = ss.export_file = {"key": wanted.key, "path": str(path), "view": view_key, "count": written,
                                 # a page of a large server view would name only its own dates
                                 "name": export_buttons.file_name_for(wanted.key, frame if written == len(frame)
                                                                      else None, state.filters),
                                 "mime": wanted.mime, "label": wanted.label}
    if made and made["view"] == view_key and Path(made["path"]).exists():
        col = cols[2 * [s.key for s in specs].index(made["key"]) + 1]
        with open(made["path"], "rb") as handle:
            col.download_button(f"Download {made['label']} ({made['count']:,})", data=handle,
                                file_name=made["name"], mime=made["mime"], on_click="ignore",
                                key=f"dl_stream_{made['key']}", width="stretch")


def print_section(frame, state: query.ViewState) -> None:
    """Print and animation downloads: title and size chosen here; PNG, PDF and the playback GIF."""
    from geo import view_export as export_buttons

    st.markdown("**For print** (place names, locator inset, title; the GIF plays the time window through the "
                "filtered period)")
    c1, c2, c3 = st.columns([3, 2, 1])
    title = c1.text_input("Title", value="Incident Atlas", key="print_title", max_chars=120)
    size_name = c2.selectbox("Size", list(export_buttons.PRINT_SIZES), key="print_size")
    unit = c3.selectbox("GIF window", ["week", "day"], key="print_unit")
    width, height = export_buttons.PRINT_SIZES[size_name]
    cols = st.columns(len(export_buttons.PRINT_SPECS))
    for col, spec in zip(cols, export_buttons.PRINT_SPECS):
        col.download_button(spec.label, data=lambda s=spec: export_buttons.render(
                                s.key, frame, state.filters, title=title or "Incident Atlas",
                                width=width, height=height, scale=2.0 if s.key == "png" else 1.0, unit=unit),
                            file_name=export_buttons.file_name_for(spec.key, frame, state.filters), mime=spec.mime,
                            on_click="ignore", key=f"dl_print_{spec.key}", width="stretch")
