"""Benchmark report text -> incidents on hand-coded news articles, the current extractor vs a baseline commit.

Each article folder holds ``*.json`` files (``text``, ``published``, ``title``, gold ``events`` and
``not_events``; see the folder's README). Every incident the extractor returns is scored with the rule the
project is judged by:

- a gold incident is *found* when a predicted incident has the same ``event_type``, lies within 25 km of it
  (for a gold incident of ``geo_precision`` 3: has the same ``admin1_iso``), and its ``event_date`` lies within
  ``[date_from - 1 day, date_to + 1 day]``; recall = found gold / all gold;
- precision = predicted incidents matching some gold incident / all predicted incidents;
- false maps = predicted incidents within 10 km of a ``not_events`` place that match no gold incident.

The baseline is the extractor of another commit (default: the commit this work started from), exported with
``git archive`` into a temporary folder and run in a subprocess, so both run in the same conditions.

    .venv/bin/python bench/extract_articles.py /work/shared/articles [/work/shared/articles_ar] [--verbose]
    .venv/bin/python bench/extract_articles.py /work/shared/articles --baseline none   # this tree only

The article files are read by path and never copied.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASELINE = "7f04617"

# Run inside a subprocess with the implementation's root first on sys.path: extract every article, print JSON.
_RUNNER = r"""
import datetime as dt, json, sys, time
root, paths, repeat = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, root)
from geo.extract import Document, extract
from geo.geocode import get_geocoder
geocoder = get_geocoder()
geocoder.geocode("Daraa")
docs = []
for p in paths:
    data = json.load(open(p, encoding="utf-8"))
    docs.append(Document(data["id"], data["text"], dt.date.fromisoformat(data["published"]), data.get("title"),
                         data.get("url")))
best = float("inf")
out = {}
for _ in range(max(1, repeat)):
    if hasattr(geocoder, "_cache"):
        geocoder._cache.clear()
    t0 = time.process_time()
    preds = {d.id: [i.to_json() for i in extract(d, geocoder=geocoder)] for d in docs}
    best = min(best, time.process_time() - t0)
    out = preds
print(json.dumps({"preds": out, "cpu": best}))
"""


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def matches(pred: dict, gold: dict) -> bool:
    """The judging rule: same event type, within 25 km (or same governorate for a region gold), date in window."""
    if pred.get("event_type") != gold["event_type"] or not pred.get("event_date"):
        return False
    day = dt.date.fromisoformat(pred["event_date"])
    lo = dt.date.fromisoformat(gold["date_from"]) - dt.timedelta(days=1)
    hi = dt.date.fromisoformat(gold.get("date_to") or gold["date_from"]) + dt.timedelta(days=1)
    if not lo <= day <= hi:
        return False
    if gold.get("geo_precision") == 3 and gold.get("admin1_iso") and pred.get("admin1_iso") == gold["admin1_iso"]:
        return True
    if pred.get("lat") is None or pred.get("lon") is None:
        return False
    return km(pred["lat"], pred["lon"], gold["lat"], gold["lon"]) <= 25


def score(articles: list[dict], preds: dict[str, list[dict]]) -> dict:
    """Totals and per-article lines for one system."""
    gold_n = found = pred_n = good = false_maps = 0
    lines = []
    for art in articles:
        golds, got = art["events"], preds.get(art["id"], [])
        hit_gold = [any(matches(p, g) for p in got) for g in golds]
        hit_pred = [any(matches(p, g) for g in golds) for p in got]
        false = [p for p, ok in zip(got, hit_pred) if not ok and p.get("lat") is not None and any(
            km(p["lat"], p["lon"], n["lat"], n["lon"]) <= 10 for n in art.get("not_events", []))]
        gold_n += len(golds)
        found += sum(hit_gold)
        pred_n += len(got)
        good += sum(hit_pred)
        false_maps += len(false)
        lines.append({"id": art["id"], "gold": len(golds), "found": sum(hit_gold), "pred": len(got),
                      "good": sum(hit_pred), "false": len(false), "missed": [g for g, ok in zip(golds, hit_gold) if not ok],
                      "wrong": [p for p, ok in zip(got, hit_pred) if not ok]})
    recall = found / gold_n if gold_n else 0.0
    precision = good / pred_n if pred_n else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {"gold": gold_n, "found": found, "pred": pred_n, "good": good, "recall": recall, "precision": precision,
            "f1": f1, "false_maps": false_maps, "lines": lines}


def run_impl(root: Path, paths: list[Path], repeat: int) -> tuple[dict, float]:
    """Predictions of the extractor under ``root`` (in a subprocess) and its best CPU seconds."""
    proc = subprocess.run([sys.executable, "-c", _RUNNER, str(root), json.dumps([str(p) for p in paths]),
                           str(repeat)], capture_output=True, text=True, cwd=str(root))
    if proc.returncode != 0:
        raise SystemExit(f"extractor under {root} failed:\n{proc.stderr[-3000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return data["preds"], data["cpu"]


def export_commit(ref: str, dest: Path) -> Path:
    """The tree of ``ref`` (geo/ and data/) written to ``dest`` with git archive; no worktree is created."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "geo", "data"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def _describe(inc: dict) -> str:
    where = inc.get("location") or inc.get("place")
    date = inc.get("event_date") or inc.get("date_from")
    return f"{inc['event_type']:<27} {str(where)[:38]:<38} {inc.get('admin1_iso') or '':<6} {date}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", help="article folders (JSON files with gold events)")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE,
                        help=f"git ref of the extractor to compare with (default {DEFAULT_BASELINE}); 'none' skips it")
    parser.add_argument("--verbose", action="store_true", help="per-article lines with misses and wrong predictions")
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions (best CPU time is reported)")
    args = parser.parse_args(argv)
    for folder in args.folders:
        paths = sorted(Path(folder).glob("*.json"))
        if not paths:
            raise SystemExit(f"{folder}: no article JSON files")
        articles = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
        systems: dict[str, tuple[dict, float]] = {}
        with tempfile.TemporaryDirectory(prefix="extract-baseline-") as tmp:
            if args.baseline.lower() != "none":
                systems[f"baseline {args.baseline}"] = run_impl(export_commit(args.baseline, Path(tmp)), paths,
                                                                args.repeat)
            systems["this tree"] = run_impl(ROOT, paths, args.repeat)
        scores = {name: score(articles, preds) for name, (preds, _) in systems.items()}
        print(f"\n{folder}: {len(articles)} articles, {scores['this tree']['gold']} gold incidents")
        print(f"{'system':<22}{'pred':>6}{'recall':>8}{'precision':>11}{'F1':>7}{'false maps':>12}{'docs/cpu-s':>12}")
        for name, s in scores.items():
            rate = len(articles) / max(systems[name][1], 1e-9)
            print(f"{name:<22}{s['pred']:>6}{s['recall']:>8.1%}{s['precision']:>11.1%}{s['f1']:>7.2f}"
                  f"{s['false_maps']:>12}{rate:>12.0f}")
        if args.verbose:
            for name, s in scores.items():
                print(f"\n--- {name}")
                for line in s["lines"]:
                    print(f"{line['id']}: gold {line['gold']} found {line['found']} | pred {line['pred']} "
                          f"good {line['good']} false maps {line['false']}")
                    for g in line["missed"]:
                        print(f"   missed  {_describe(g)}")
                    for p in line["wrong"]:
                        print(f"   wrong   {_describe(p)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
