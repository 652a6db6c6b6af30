"""The summary-quality harness end to end on a tiny CSV of the BBC layout."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("rouge_score")
pytest.importorskip("sumy")

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "summary_quality.py"

STORIES = [
    ("bank raises rates", ["the bank of england raised interest rates to 4.75% on thursday.",
                           "mr king said inflation risks had grown.",
                           "economists had expected the rise after strong retail sales.",
                           "the pound rose against the dollar after the decision.",
                           "house prices are expected to slow as a result."]),
    ("rates rise again", ["interest rates rose again on thursday, the bank of england said.",
                          "the rise to 4.75% was the fifth in a year.",
                          "retail sales had been strong in the u.s. and the uk.",
                          "mortgage lenders said repayments would rise.",
                          "the decision was unanimous, the minutes showed."]),
]


def _write_csv(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["", "document", "summary", "categories", "articles_length",
                         "summaries_length"])
        for number in range(6):
            title, sentences = STORIES[number % 2]
            body = " ".join(sentences[:3]) + "\n\n" + " ".join(sentences[3:])
            summary = "".join(sentences[i] for i in (2, 0))      # run together, score order
            writer.writerow([number, f"{title} {number}\n\n{body}\n", summary, "business",
                             len(body.split()), len(summary.split())])


@pytest.fixture(scope="module")
def harness():
    spec = importlib.util.spec_from_file_location("summary_quality", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["summary_quality"] = module
    spec.loader.exec_module(module)
    return module


def test_budget_is_the_number_of_quoted_sentences(harness, tmp_path: Path) -> None:
    data = tmp_path / "tiny.csv"
    _write_csv(data)
    from _bbc import load

    articles = load(data)
    assert len(articles) == 6 and {a.k for a in articles} == {2}
    assert articles[0].title == "bank raises rates 0"
    assert articles[0].sentences[1] == "mr king said inflation risks had grown."
    assert [a.key for a in load(data, limit=2, skip=3)] == ["3", "4"]


def test_harness_writes_the_json_shape(harness, tmp_path: Path, monkeypatch, capsys) -> None:
    import nltk

    monkeypatch.setattr(nltk, "download", nltk.download)   # restored after the test
    data, out = tmp_path / "tiny.csv", tmp_path / "out.json"
    _write_csv(data)
    harness.main(["--data", str(data), "--limit", "6", "--json", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["n"] == 6
    assert list(report["methods"]) == ["digest", "lead-k", "lexrank", "textrank", "lsa", "luhn"]
    for scores in report["methods"].values():
        assert set(scores) == {"rouge1", "rouge2", "rougeL", "rougeLsum", "articles_per_s"}
        assert all(0.0 <= scores[k] <= 1.0 for k in ("rouge1", "rouge2", "rougeL", "rougeLsum"))
        assert scores["articles_per_s"] > 0
    assert list(report["ci"]) == ["lead-k", "lexrank", "textrank", "lsa", "luhn"]
    for name, spans in report["ci"].items():
        assert set(spans) == {"rouge1", "rouge2", "rougeL", "rougeLsum"}
        for t, (lo, hi) in spans.items():       # the CI holds digest minus the method's mean
            gap = report["methods"]["digest"][t] - report["methods"][name][t]
            assert lo - 1e-4 <= gap <= hi + 1e-4, (name, t)
    assert report["methods"]["lead-k"]["rouge1"] < 1.0          # references are not the lead
    topics = report["topics"]
    assert topics["groups"] == 1 and set(topics["methods"]) == {"digest", "top-sentence"}
    assert topics["methods"]["digest"]["articles_quoted"] >= 1
    printed = capsys.readouterr().out
    assert "| digest |" in printed and "| luhn |" in printed


def test_every_method_keeps_the_budget_and_picks_distinct_sentences(harness, tmp_path) -> None:
    data = tmp_path / "tiny.csv"
    _write_csv(data)
    from _baselines import methods
    from _bbc import load

    articles = load(data)
    for name, method in methods().items():
        for article in articles:
            picks = method(article)
            assert len(picks) == article.k == len(set(picks)), name
            assert list(picks) == sorted(picks), name
