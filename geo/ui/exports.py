"""The Export tab: data and map downloads of the filtered view, and print/animation files.

Streamlit code, imported only by ``dashboard.py`` (everything else in ``geo`` works without Streamlit).
"""

from __future__ import annotations

import streamlit as st

from geo import query


def export_section(frame, state: query.ViewState) -> None:
    """Download buttons for the filtered view (files are generated when clicked)."""
    from geo import view_export as export_buttons

    st.caption(query.escape_markdown(f"{len(frame):,} incidents in the current view "
                                     f"({query.describe_filters(state.filters)}). Files are made when clicked; "
                                     "the PNG takes a few seconds."))
    cols = st.columns(6)
    for col, spec in zip(cols, export_buttons.SPECS):
        # the table selection is a way of looking, not part of the view: exports never carry it
        col.download_button(spec.label, data=lambda s=spec: export_buttons.render(s.key, frame, state.filters),
                            file_name=export_buttons.file_name_for(spec.key, frame, state.filters), mime=spec.mime,
                            on_click="ignore", key=f"dl_{spec.key}", width="stretch")
    print_section(frame, state)


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
