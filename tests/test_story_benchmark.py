"""The story-clustering benchmark's scores (benchmarks/story_clusters.py) on hand-made labellings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import story_clusters  # noqa: E402


def test_bcubed_and_ari_of_known_labellings() -> None:
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert story_clusters.bcubed({"a": "x", "b": "x", "c": "y", "d": "y"}, truth) == (1.0, 1.0)
    # Everything in one cluster: precision 1/2 for every item, recall 1.
    assert story_clusters.bcubed({k: "x" for k in truth}, truth) == (0.5, 1.0)
    # Every item alone: precision 1, recall 1/2.
    assert story_clusters.bcubed({k: k for k in truth}, truth) == (1.0, 0.5)
    assert story_clusters.ari(["x", "x", "y", "y"], [1, 1, 2, 2]) == 1.0
    assert story_clusters.ari(["x", "y", "x", "y"], [1, 1, 2, 2]) == pytest.approx(-0.5)


def test_the_benchmark_reads_titles_and_dates_and_writes_its_figures(tmp_path: Path) -> None:
    rows = [
        (["The ferry Marisol sank off Kessan island with 40 aboard; Port Verin coastguard rescued survivors.",
          "Rescuers from Port Verin searched near Kessan island after the Marisol ferry sank."],
         ["Ferry Marisol sinks off Kessan", "Marisol ferry: Port Verin rescuers search"],
         ["2021-03-01T08:00:00+00:00", "2021-03-01T11:00:00+00:00"]),
        (["Brammel opened a new public library with a rooftop reading garden and a children's wing.",
          "Readers queued for the opening of the Brammel library and its rooftop garden."],
         ["Brammel library opens", "Queues at Brammel's new library"],
         ["2021-03-02T09:00:00+00:00", "2021-03-02T12:00:00+00:00"]),
    ]
    result = _run(tmp_path, rows)
    assert result["articles"] == 4 and result["clusters_true"] == 2
    assert result["bcubed_precision"] == 1.0 and result["bcubed_recall"] == 1.0 and result["ari"] == 1.0
    assert set(result) >= {"bcubed_f1", "ms_per_1000"}
    assert result["unplaceable"] == 0 and result["placeable"]["bcubed_f1"] == 1.0
    # A page the crawl caught instead of the article: too few terms to place, a story of its own.
    rows[0][0].append("Please try again later.")
    rows[0][1].append("")
    rows[0][2].append("2021-03-01T12:00:00+00:00")
    result = _run(tmp_path, rows)
    assert result["unplaceable"] == 1 and result["articles"] == 5
    assert result["bcubed_recall"] == result["bcubed_recall_ceiling"] == round(11 / 15, 4)
    assert result["placeable"] == {"bcubed_precision": 1.0, "bcubed_recall": 1.0, "bcubed_f1": 1.0}


def _run(tmp_path: Path, rows: list) -> dict:
    import csv
    data = tmp_path / "clusters.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["documents", "summary", "titles", "dates"])
        for docs, titles, dates in rows:
            writer.writerow([repr(docs), "s", json.dumps(titles), json.dumps(dates)])
    out = tmp_path / "out.json"
    assert story_clusters.main(["--data", str(data), "--json", str(out)]) == 0
    return json.loads(out.read_text())


def test_the_speed_benchmark_times_two_checkouts_on_the_same_items(tmp_path: Path) -> None:
    """benchmarks/story_speed.py against this very checkout: the same stories, a ratio near 1."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "speed.json"
    subprocess.run([sys.executable, str(root / "benchmarks" / "story_speed.py"), "--articles", "300",
                    "--reference", str(root), "--json", str(out)], check=True, capture_output=True, cwd=tmp_path)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["n"] == 300 and result["same_stories"] is True
    assert result["this"]["digest"] == result["reference"]["digest"] and result["this"]["stories"] <= 300
    assert result["ratio"] > 0 and result["this"]["ms_per_article"] > 0
