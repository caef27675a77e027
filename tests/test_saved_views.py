"""Saved views (geo.views), store names in links (geo.ui.state), passages and needs_review (geo.ui.passages)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geo import views
from geo.errors import InputError
from geo.map._passage import passage_of, passage_spans


def test_save_list_replace_and_delete_a_view(tmp_path):
    path = tmp_path / "views.json"
    assert views.list_views(path) == {}
    assert views.save_view("  Daraa   spring ", {"region": ["SY-DR"], "since": "2024-03-01", "empty": []}, path) \
        == "Daraa spring"
    views.save_view("Hama", {"region": ["SY-HM"], "store": ["my-copy"]}, path)
    assert views.list_views(path) == {"Daraa spring": {"region": ["SY-DR"], "since": ["2024-03-01"]},
                                      "Hama": {"region": ["SY-HM"], "store": ["my-copy"]}}
    views.save_view("Hama", {"q": ["checkpoint"]}, path)  # same name: replaced
    assert views.list_views(path)["Hama"] == {"q": ["checkpoint"]}
    assert views.delete_view("Hama", path) is True
    assert views.delete_view("Hama", path) is False
    assert list(views.list_views(path)) == ["Daraa spring"]
    assert not list(tmp_path.glob(".views.json.*"))  # no temporary files left behind


def test_bad_names_and_unreadable_files_give_clear_errors(tmp_path):
    path = tmp_path / "views.json"
    with pytest.raises(InputError, match="name"):
        views.save_view("   ", {}, path)
    with pytest.raises(InputError, match="longer"):
        views.save_view("x" * 200, {}, path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="views.json"):
        views.list_views(path)


def test_views_live_in_the_user_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("INCIDENT_ATLAS_HOME", str(tmp_path / "home"))
    views.save_view("A", {"q": ["x"]})
    assert json.loads((tmp_path / "home" / "views.json").read_text()) == {"A": {"q": ["x"]}}


def test_store_names_offer_only_the_servers_stores(monkeypatch, tmp_path):
    from geo.paths import SAMPLE_DB
    from geo.ui.state import store_name_of, store_names

    user_copy = tmp_path / "user.gpkg"
    monkeypatch.setenv("INCIDENT_ATLAS_USER_DB", str(user_copy))
    stores = [str(SAMPLE_DB), str(user_copy)]
    assert store_names(stores) == {"sample": str(SAMPLE_DB), "my-copy": str(user_copy)}
    assert store_names([str(tmp_path / "atlas.gpkg")]) == {"configured": str(tmp_path / "atlas.gpkg")}
    assert store_name_of(str(user_copy), stores) == "my-copy"
    assert store_name_of("/etc/passwd", stores) is None


def test_passage_marks_the_sentence_inside_merged_excerpts():
    extra = json.dumps({"excerpts": [{"span": "0-5", "text": "First."}, {"span": "6-20", "text": "Second <b>."}]})
    assert passage_of("Second <b>.", "6-20", extra) == ("First.\n…\nSecond <b>.", "Second <b>.")
    assert passage_of("Alpha. Beta.", "Beta.") == ("Alpha. Beta.", "Beta.")
    assert passage_of("Alpha. Beta.", "0-6") == ("Alpha. Beta.", "")  # document offsets: nothing to mark
    frame = pd.DataFrame({"notes": ["Second <b>.", "Alpha. Beta.", "Long notes"], "span": [None, "Beta.", "Long"],
                          "extra": [extra, None, None]})
    assert passage_spans(frame, ["Second <b>.", "Alpha. Beta.", "Long…"]) == [
        0, "First.\n…\nSecond <b>.", "Second <b>.", 1, "", "Beta."]  # row 2 was shortened: left out


def test_needs_review_flags_and_arabic_passages():
    from geo.ui.passages import arabic_rows, needs_review

    frame = pd.DataFrame({"event_id": ["a", "b"], "location": ["الصنمين", "Hama"],
                          "notes": ["قصف على <script>الصنمين</script>.", "Plain English."],
                          "span": ["<script>الصنمين</script>", None],
                          "extra": [json.dumps({"needs_review": True}), "{}"]})
    assert needs_review(frame["extra"][0]) and not needs_review("{}") and not needs_review("not json")
    rows = arabic_rows(frame)
    assert [r["event_id"] for r in rows] == ["a"]  # only Arabic passages are repeated
    assert rows[0]["needs_review"] and rows[0]["sentence"] == "<script>الصنمين</script>"
    assert rows[0]["before"] + rows[0]["sentence"] + rows[0]["after"] == frame["notes"][0]
