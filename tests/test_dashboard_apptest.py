"""dashboard.py driven by Streamlit's AppTest: filters change the metrics and the map's markers,
the URL query string restores a view, reset clears it, and user text is shown inert."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import open_store
from tests.dashboard_fixtures import app_store, sample_frame  # noqa: F401 (app_store is the `store` fixture)

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")




def start(query: dict | None = None, first_run_only: bool = False) -> AppTest:
    """A new session's page; like a browser's, after the rerun that the map's first report causes (the
    filters and the timeline are drawn then), unless ``first_run_only``."""
    at = AppTest.from_file(APP, default_timeout=90)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    if not first_run_only:
        at.run()
        assert not at.exception, at.exception
    return at


def incidents(at: AppTest) -> int:
    return int(next(m for m in at.metric if m.label == "Incidents").value.replace(",", ""))


def fatalities(at: AppTest) -> int:
    return int(next(m for m in at.metric if m.label == "Fatalities").value.replace(",", ""))


def map_markers(at: AppTest) -> int:
    """Incidents in the main map: the payload count inside the incidents' script the map page draws
    (the component's ``feature_group``; its ``script`` is the page without incidents)."""
    maps = [c for c in at.get("component_instance") if "IncidentAtlas.swap" in c.proto.json_args]
    assert maps, "no st_folium map on the page"
    args = json.loads(maps[0].proto.json_args)
    assert '"data":' not in args["script"]  # the page itself carries no incidents
    script = args["feature_group"]
    counts = re.findall(r'"data":\{"n":(\d+)', script)
    assert len(counts) == 1
    return int(counts[0])


def widget(at: AppTest, kind: str, label_start: str):
    return next(w for w in getattr(at.sidebar, kind) if w.label.startswith(label_start))


def test_initial_view_shows_every_incident(store):
    at = start()
    assert incidents(at) == 8 and fatalities(at) == 15
    assert map_markers(at) == 8
    assert dict(at.query_params) == {}


@pytest.mark.parametrize("kind,label,value,expected,param", [
    ("multiselect", "Actors", ["Blue Brigade"], 2, ("actor", "Blue Brigade")),
    ("multiselect", "Event type", ["Battles"], 3, ("type", "Battles")),
    ("multiselect", "Event type", ["air strike"], 1, ("type", "air strike")),
    ("multiselect", "Governorates", ["SY-DR"], 3, ("region", "SY-DR")),
    ("multiselect", "Location precision", [2], 2, ("prec", "2")),
    ("multiselect", "Source", ["Daily Ledger"], 2, ("source", "Daily Ledger")),
    ("text_input", "Search", "minibus", 1, ("q", "minibus")),
])
def test_each_filter_changes_metrics_markers_and_url(store, kind, label, value, expected, param):
    at = start()
    widget(at, kind, label).set_value(value).run()
    assert not at.exception
    assert incidents(at) == expected
    assert map_markers(at) == expected
    assert at.query_params[param[0]] in (param[1], [param[1]])


def test_date_slider_and_pickers_stay_in_step(store):
    at = start()
    widget(at, "slider", "Date range").set_value((dt.date(2026, 3, 3), dt.date(2026, 3, 15))).run()
    assert incidents(at) == 3 and map_markers(at) == 3  # T2, T3, T4
    assert widget(at, "date_input", "To").value == dt.date(2026, 3, 15)
    widget(at, "date_input", "From").set_value(dt.date(2026, 3, 11)).run()
    assert incidents(at) == 1 and map_markers(at) == 1  # T4 (12 March) only
    assert widget(at, "slider", "Date range").value == (dt.date(2026, 3, 11), dt.date(2026, 3, 15))
    assert at.query_params["since"] in ("2026-03-11", ["2026-03-11"])


def test_shared_url_restores_the_view(store):
    at = start({"type": ["Battles"], "region": ["Dar'a"], "until": "2026-03-31"})
    assert incidents(at) == 1 and map_markers(at) == 1  # T1 only (T8 is in April)
    assert widget(at, "multiselect", "Governorates").value == ["SY-DR"]
    assert widget(at, "multiselect", "Event type").value == ["Battles"]
    assert widget(at, "date_input", "To").value == dt.date(2026, 3, 31)


def test_unknown_url_values_are_dropped_not_fatal(store):
    at = start({"actor": ["Nobody At All"], "since": "garbage", "prec": ["9"]})
    assert incidents(at) == 8
    assert widget(at, "multiselect", "Actors").value == []


def test_a_link_to_an_unknown_store_keeps_its_warning_across_reruns(store):
    at = start({"store": "no-such-store"})
    message = "names a store this server does not offer"
    assert any(message in w.value for w in at.warning)
    widget(at, "multiselect", "Event type").select("Battles").run()  # a rerun keeps the warning
    assert any(message in w.value for w in at.warning)
    assert incidents(at) < 8
    assert "store" not in at.query_params  # the unknown name is not kept in the link


def test_the_timeline_chart_follows_the_first_run_in_the_space_kept_for_it(store):
    at = start(first_run_only=True)
    assert at.get("vega_lite_chart") == []  # the first run leaves the chart library to the next
    assert any("timeline is drawn once the map is in" in c.value for c in at.caption)
    at.run()  # in a browser the map's first report reruns the app
    assert len(at.get("vega_lite_chart")) == 1
    assert not any("timeline is drawn once the map is in" in c.value for c in at.caption)


def test_the_filters_follow_the_first_run_and_the_first_run_already_filters(store):
    at = start({"actor": ["Red Front"]}, first_run_only=True)
    assert incidents(at) == 3 and map_markers(at) == 3  # the link's filters apply before their widgets exist
    assert at.sidebar.multiselect == [] and at.sidebar.slider == []
    assert [h.value for h in at.sidebar.header] == ["Filters"]
    assert any("filters are drawn once the map is in" in c.value for c in at.sidebar.caption)
    at.run()  # in a browser the map's first report reruns the app
    assert widget(at, "multiselect", "Actors").value == ["Red Front"]
    assert not any("filters are drawn once the map is in" in c.value for c in at.sidebar.caption)
    assert incidents(at) == 3 and at.query_params["actor"] in ("Red Front", ["Red Front"])


def test_the_stand_in_button_draws_the_filters_should_the_map_never_report(store):
    at = start(first_run_only=True)
    next(b for b in at.sidebar.button if b.label == "Show the filters").click().run()
    assert not at.exception, at.exception
    assert widget(at, "multiselect", "Event type").value == []
    assert incidents(at) == 8


def test_reset_clears_filters_and_url(store):
    at = start({"actor": ["Red Front"]})
    assert incidents(at) == 3
    widget(at, "text_input", "Search").set_value("fire").run()
    assert incidents(at) == 0  # no Red Front incident mentions "fire" (T5's exchange of fire is Blue/Green)
    next(b for b in at.sidebar.button if b.label == "Reset filters").click().run()
    assert incidents(at) == 8 and map_markers(at) == 8
    assert dict(at.query_params) == {}
    assert widget(at, "multiselect", "Actors").value == []


def test_hostile_actor_names_are_inert_in_markdown(tmp_path, monkeypatch):
    frame = sample_frame()
    frame.loc[:, "actor1"] = "[click](https://example.invalid/x) <img src=x onerror=alert(1)>"
    db = tmp_path / "hostile.gpkg"
    s = open_store(str(db))
    s.upsert(frame)
    s.close()
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(db))
    at = start()
    texts = [m.value for m in at.markdown]
    shown = next(t for t in texts if "click" in t)
    assert "\\[click\\]\\(https\\://example" in shown
    assert "\\<img" in shown
    assert all(not getattr(m.proto, "allow_html", False) for m in at.markdown)


def test_empty_store_opens_with_zero_everywhere(tmp_path, monkeypatch):
    db = tmp_path / "empty.gpkg"
    s = open_store(str(db))
    s.upsert(sample_frame().iloc[:0])
    s.close()
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(db))
    at = start()
    assert incidents(at) == 0 and fatalities(at) == 0
    assert map_markers(at) == 0


def test_governorate_in_url_by_name_and_precision_filter_combine(store):
    at = start({"region": ["Aleppo"], "prec": ["2"]})
    assert incidents(at) == 1 and map_markers(at) == 1  # T6, the meeting near Placeholder Town
    assert widget(at, "multiselect", "Location precision").value == [2]
    assert at.query_params["region"] in ("SY-HL", ["SY-HL"])  # the URL is rewritten with the ISO code
