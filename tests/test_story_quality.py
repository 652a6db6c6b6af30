"""The multi-document harness end to end on a tiny CSV in the Multi-News layout."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("rouge_score")
pytest.importorskip("sumy")

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "story_quality.py"
EVENT = ["A passenger ferry capsized on Lake Varn on Tuesday, killing at least 41 people.",
         "The ferry was carrying about 120 passengers when it overturned in a storm.",
         "Rescuers pulled 63 survivors from the water and 16 people are missing."]
LATER = ["The captain of the ferry was charged with manslaughter on Monday.",
         "Parliament passed a ferry safety law after the disaster on Lake Varn.",
         "The ferry company said it would pay compensation to the families."]


@pytest.fixture(scope="module")
def harness():
    spec = importlib.util.spec_from_file_location("story_quality", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["story_quality"] = module
    spec.loader.exec_module(module)
    return module


def _write(path: Path, extra: bool) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["documents", "summary", *(["summaries", "titles", "dates"] if extra else [])])
        for n in range(4):
            docs = [" \n \n ".join(EVENT), " \n \n ".join(EVENT[:1] + LATER), " \n \n ".join(LATER[::-1])]
            refs = [" ".join(EVENT[:2] + LATER[:1]), " ".join(EVENT[:1] + LATER[1:])]
            row = [repr(docs), refs[0]]
            if extra:
                row += [json.dumps(refs), json.dumps(["Ferry capsizes", "Captain charged", "Safety law"]),
                        json.dumps(["2021-03-02", "2021-03-20", f"2021-04-{10 + n:02d}"])]
            writer.writerow(row)


@pytest.mark.parametrize("extra", [False, True])
def test_harness_writes_the_json_shape(harness, tmp_path: Path, extra: bool) -> None:
    data, out = tmp_path / "tiny.csv", tmp_path / "out.json"
    _write(data, extra)
    harness.main(["--data", str(data), "--budget-words", "40", "--json", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["clusters"] == 4 and report["budget_words"] == 40
    assert list(report["methods"]) == ["digest", "centroid", "lexrank", "textrank", "lead"]
    for scores in report["methods"].values():
        assert 0 < scores["words"] <= 40
        assert all(0.0 < scores[t] <= 1.0 for t in ("rouge1", "rouge2", "rougeLsum"))
    assert list(report["ci"]) == ["centroid", "lexrank", "textrank", "lead"]
    for spans in report["ci"].values():
        assert all(lo <= hi for lo, hi in spans.values())
    assert report["story_ms_50_articles"] > 0


def test_clusters_read_several_references_titles_and_dates(harness, tmp_path: Path) -> None:
    from _clusters import cut, load

    data = tmp_path / "tiny.csv"
    _write(data, True)
    clusters = load(str(data))
    assert len(clusters[0].references) == 2 and clusters[0].titles[1] == "Captain charged"
    assert clusters[0].dates[2].isoformat() == "2021-04-10T00:00:00+00:00"
    assert clusters[0].sentences[0] == tuple(EVENT)
    assert cut(["one two three", "four five six"], 4) == ["one two three", "four"]
    story = harness.digest_story(clusters[0], harness.site_options(40))
    assert story and all(any(s.endswith(q) for d in clusters[0].sentences for s in d) for q in story)
