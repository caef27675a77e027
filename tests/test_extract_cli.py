"""``python -m geo extract``: files, JSON Lines on stdin, --published, errors without partial output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(__file__).parent / "fixtures" / "reports"
CONTRACT = ("doc_id", "event_date", "date_end", "time_precision", "event_type", "sub_event_type", "kind", "actor1",
            "actor2", "actors", "location", "lat", "lon", "country", "admin1", "admin1_iso", "geo_precision", "count",
            "fatalities", "excerpt", "span", "confidence")


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "extract", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_files_print_one_contract_object_per_incident_main_event_first():
    done = _run(str(REPORTS / "izra_officers_meeting.txt"), str(REPORTS / "dael_clashes.html"),
                "--published", "2021-05-20")
    assert done.returncode == 0, done.stderr
    rows = _lines(done.stdout)
    for row in rows:
        assert set(CONTRACT) <= set(row)
    by_doc = [r["doc_id"] for r in rows]
    assert by_doc[0] == "izra_officers_meeting" and rows[0]["kind"] == "meeting"
    assert rows[0]["admin1_iso"] == "SY-DR" and isinstance(rows[0]["lat"], float)
    assert "dael_clashes" in by_doc
    air = next(r for r in rows if r["kind"] == "air strike")
    assert (air["event_date"], air["date_end"], air["time_precision"], air["count"]) == (
        "2021-05-17", "2021-05-19", 2, 15)
    start, end = (int(x) for x in rows[0]["span"].split("-"))
    text = (REPORTS / "izra_officers_meeting.txt").read_text(encoding="utf-8")
    assert text[start:end] == rows[0]["excerpt"]


def test_dash_reads_json_lines_documents_from_stdin():
    done = _run("-", stdin=(REPORTS / "notes.jsonl").read_text(encoding="utf-8"))
    assert done.returncode == 0, done.stderr
    rows = _lines(done.stdout)
    assert [(r["doc_id"], r["kind"]) for r in rows] == [("n1", "shelling"), ("n2", "protest")]
    assert rows[0]["title"] == "note one" and rows[0]["event_date"] == "2021-02-03"
    assert rows[1]["actor1"] == "Protesters (Syria)" and rows[1]["admin1_iso"] == "SY-DR"


def test_published_fills_in_for_stdin_documents_without_a_date():
    line = json.dumps({"id": "x", "text": "Regime forces shelled Saraqib in Idleb yesterday."})
    done = _run("-", "--published", "2021-02-10", stdin=line + "\n")
    assert done.returncode == 0, done.stderr
    assert _lines(done.stdout)[0]["event_date"] == "2021-02-09"


def test_bad_stdin_line_names_row_and_column_and_prints_nothing():
    good = json.dumps({"id": "a", "text": "On 3 February 2021, regime forces shelled Kansafra in Idleb.",
                       "published": "2021-02-03"})
    bad = json.dumps({"id": "b", "text": "Regime forces shelled Kansafra in Idleb."})
    done = _run("-", stdin=good + "\n" + bad + "\n")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "<stdin>:2:published" in done.stderr


def test_undated_file_without_published_fails_with_one_line_reason(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("Regime forces shelled Saraqib in Idleb.\n", encoding="utf-8")
    done = _run(str(REPORTS / "raqqa_notes.md"), str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert "undated.txt" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_bad_published_date_is_rejected():
    done = _run(str(REPORTS / "raqqa_notes.md"), "--published", "someday")
    assert done.returncode == 2 and "someday" in done.stderr
