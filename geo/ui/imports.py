"""The Import tab: upload or paste, preview with geocodes, fix, commit; and the saved corrections.

Streamlit code, imported only by ``dashboard.py`` (everything else in ``geo`` works without Streamlit).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from geo import query
from geo.errors import GeoError
from geo.ingest import formats as import_formats
from geo.ingest import session as ingest_session
from geo.ui.data import build_incident_map, show_error
from geo.ui.passages import arabic_passages

#: Import-tab fields kept across tab switches (a closed tab's widgets lose their state in Streamlit).
IMPORT_FIELDS = {"imp_mode": "Upload a file", "imp_published": None, "imp_text": "", "imp_name": "",
                 "imp_source": "", "imp_url": "", "imp_skip": False}


def _restore_import_fields() -> None:
    ss = st.session_state
    for key, default in IMPORT_FIELDS.items():
        kept = ss.get("kept_" + key, default)
        # a closed tab's widget comes back missing, or (text areas) reset to its default
        if key not in ss or (ss[key] == default and kept != default):
            ss[key] = kept


def _keep_import_fields() -> None:
    ss = st.session_state
    for key in IMPORT_FIELDS:
        if key in ss:
            ss["kept_" + key] = ss[key]


def import_section(db: str) -> None:
    """Upload or paste → preview with geocodes → fix → commit."""
    ss = st.session_state
    _restore_import_fields()
    target = ingest_session.writable_store(db) if not ingest_session.is_sample(db) else None
    note = (f"Imports go to {ingest_session.user_store_path()} (your copy of the sample; the bundled "
            "sample stays unchanged)." if target is None else f"Imports go to {db}.")
    st.caption(query.escape_markdown(note))
    src = st.radio("Source", list(ingest_session.SOURCES), horizontal=True, key="imp_mode")
    published = st.date_input("Publication date (used only when the report states none)", key="imp_published",
                              help="A report's own date (its metadata, dateline or “Published …” line) wins.")
    if src == "Upload a file":
        upload = st.file_uploader("ACLED / UCDP / CSV / GeoJSON / GeoPackage table, or a text report",
                                  type=import_formats.upload_suffixes(), key="imp_file")
        skip_bad = st.checkbox("Skip bad rows (import the good ones, list the rest)", key="imp_skip")
        if st.button("Preview upload", disabled=upload is None, key="imp_preview_file"):
            try:
                ss.preview = ingest_session.preview_upload(upload.name, upload.getvalue(), published=published,
                                                           skip_bad=skip_bad)
            except (GeoError, ImportError) as exc:
                ss.pop("preview", None)
                show_error(exc)
    else:
        text = st.text_area("Report text (English or Arabic)", height=160, key="imp_text")
        c1, c2, c3 = st.columns(3)
        c1.text_input("Report name (optional, e.g. r.txt)", key="imp_name")
        c2.text_input("Source (outlet)", key="imp_source")
        c3.text_input("Source URL (http/https)", key="imp_url")
        if st.button("Extract incidents", disabled=not text.strip(), key="imp_preview_text"):
            try:
                ss.preview = ingest_session.preview_text(
                    text, published=published, source_name=ss.imp_name.strip() or None,
                    source=ss.imp_source.strip() or None, url=ingest_session.safe_url(ss.imp_url))
            except (GeoError, ImportError) as exc:
                ss.pop("preview", None)
                show_error(exc)
    _keep_import_fields()
    preview = ss.get("preview")
    if preview is not None:
        _preview_section(preview, db)
    _corrections_section()


def _preview_section(preview, db: str) -> None:
    ss = st.session_state
    st.markdown(f"**Preview: {len(preview.frame)} incident(s) from {query.escape_markdown(preview.source_name)}**")
    if preview.published is not None:
        where = ("the report's own date (its metadata or a date line)" if preview.published_from == "document"
                 else "the publication date you entered (the report states none)")
        st.caption(f"Dated from {preview.published:%Y-%m-%d}: {where}.")
    for msg in preview.rejected[:20]:
        st.warning(query.escape_markdown(msg))
    cols = [c for c in ingest_session.PREVIEW_COLUMNS if c in preview.frame]
    st.dataframe(pd.DataFrame(preview.frame[cols]), hide_index=True, width="stretch", key="imp_table")
    arabic_passages(preview.frame)  # needs_review, and Arabic text right-to-left (the grid cannot)
    missing = preview.missing_location()
    if missing:
        st.warning(f"{len(missing)} incident(s) have no location yet; fix them below before committing.")
    _fix_geocode(preview)
    if preview.pending_aliases:
        st.caption(query.escape_markdown("Remembered when you commit: " + "; ".join(
            f"“{k}” → {v.name}" for k, v in preview.pending_aliases.items())))
    c1, c2 = st.columns(2)
    if c1.button("Commit to store", type="primary", disabled=bool(missing), key="imp_commit"):
        try:
            stored, result = ingest_session.commit(preview, db)
        except (GeoError, ImportError) as exc:
            show_error(exc)
        else:
            ss.pop("preview", None)
            ss.pending_db = stored
            ss.import_message = f"Imported into {stored}: {result.added} added, {result.updated} updated."
            ss.pop("import_message_view", None)
            st.rerun()
    if c2.button("Discard preview", key="imp_discard"):
        ss.pop("preview", None)
        st.rerun()


def _fix_geocode(preview) -> None:
    """Choose another gazetteer candidate, or a clicked point, for one incident; optionally remember it."""
    with st.expander("Fix a geocode"):
        ids = [str(e) for e in preview.frame["event_id"]]
        labels = {str(r.event_id): f"{r.event_id} · {r.location or '(no place)'}"
                  for r in preview.frame.itertuples()}
        # a new widget when a place changes (the old one kept showing the old name); the choice stays
        current = st.session_state.get("fix_current")
        event_id = st.selectbox("Incident", ids, index=ids.index(current) if current in ids else 0,
                                format_func=lambda e: labels[e],
                                key="fix_id_" + hashlib.sha1("|".join(labels.values()).encode()).hexdigest()[:12])
        st.session_state.fix_current = event_id
        spelling = ingest_session.report_spelling(preview, event_id)
        row = preview.frame[preview.frame["event_id"].astype(str) == event_id].iloc[0]
        name = st.text_input("Place name as the source wrote it", value=spelling, key=f"fix_name_{event_id}")
        remember = st.checkbox(f"Remember “{query.escape_markdown(name)}” as the chosen place for next time "
                               "(saved when you commit)", value=False, key=f"fix_rem_{event_id}")
        try:
            admin1 = row.get("admin1")
            found = ingest_session.candidates_for(name, context=admin1 if isinstance(admin1, str) and admin1 else None)
        except (GeoError, ImportError) as exc:
            found = []
            show_error(exc)
        if found:
            pick = st.selectbox("Candidates", range(len(found)),
                                format_func=lambda i: ingest_session.location_label(found[i]),
                                key=f"fix_pick_{event_id}_{name}")  # a new list for a new name
            if st.button("Use this place", key="fix_apply"):
                ingest_session.apply_location(preview, event_id, found[pick])
                if remember and name.strip():
                    ingest_session.queue_alias(preview, name, found[pick])
                st.rerun()
        else:
            st.caption(query.escape_markdown(f"No gazetteer candidates for “{name}”."))
        st.caption("Or click the right spot on this map:")
        try:
            from streamlit_folium import st_folium  # here, not at the top: a first page view never needs it

            mini = build_incident_map(preview.frame, (event_id,))
            clicked = st_folium(mini, key="fix_map", height=320, use_container_width=True,
                                returned_objects=["last_clicked"])
        except (ImportError, GeoError):
            clicked = None
        point = (clicked or {}).get("last_clicked")
        if point and st.button(
                f"Place {query.escape_markdown(event_id)} at {point['lat']:.4f}, {point['lng']:.4f}", key="fix_click"):
            loc = ingest_session.apply_point(preview, event_id, float(point["lat"]), float(point["lng"]))
            if remember and name.strip():
                ingest_session.queue_alias(preview, name, loc)
            st.rerun()


def _corrections_section() -> None:
    """The user's saved corrections (spelling → place), with delete."""
    aliases = ingest_session.list_aliases()
    with st.expander(f"Corrections: {len(aliases)} saved place alias(es)"):
        if not aliases:
            st.caption("None yet. Tick “Remember” when fixing a geocode to save one.")
            return
        shown = pd.DataFrame(aliases)[[c for c in ("alias", "name", "admin1", "lat", "lon", "added", "by")
                                       if c in aliases[0]]]
        st.dataframe(shown, hide_index=True, width="stretch", key="alias_table")
        chosen = st.selectbox("Alias", [a["alias"] for a in aliases], key="alias_pick")
        if st.button("Delete this alias", key="alias_delete"):
            ingest_session.delete_alias(chosen)
            st.rerun()
