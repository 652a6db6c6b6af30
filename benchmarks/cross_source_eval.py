"""Precision and recall of the cross-source detectors on their labelled test sets.

    python benchmarks/cross_source_eval.py [--json out.json]

- Near-duplicates (digest/analysis/duplicates.py) on tests/data/duplicates_eval.json: pairs of
  articles labelled "same story" (exact copies, new headlines, reworded or trimmed
  paragraphs, a local intro) or "different story" (another account of the same
  event, another event on the same subject).
- Figure grouping (digest/analysis/figures.py) on tests/data/figures_eval.json: pairs of
  sentences labelled "same counted thing over the same period" or not.

A positive is a pair the detector puts together; precision is the share of those
that are labelled together, recall the share of labelled-together pairs it finds.
tests/test_cross_source.py runs the same functions and holds them above a floor.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from digest.analysis.conflicts import same_thing
from digest.analysis.duplicates import DEFAULT_THRESHOLD, Story, find_duplicates
from digest.analysis.figures import Claim, extract_claims

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int
    tn: int
    misses: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def pairs(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def line(self, name: str) -> str:
        return (f"{name}: {self.pairs} pairs ({self.tp + self.fn} positive) - "
                f"precision {self.precision:.3f}, recall {self.recall:.3f} "
                f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})")


def _score(results: list[tuple[bool, bool, str]]) -> Score:
    tp = sum(p and g for p, g, _ in results)
    fp = sum(p and not g for p, g, _ in results)
    fn = sum(g and not p for p, g, _ in results)
    tn = sum(not p and not g for p, g, _ in results)
    return Score(tp, fp, fn, tn, tuple(name for p, g, name in results if p != g))


def story_texts(data: dict) -> dict[str, tuple[str, str]]:
    """Every story of the duplicate set as (title, body), variants built from their base."""
    stories: dict[str, tuple[str, str]] = {}
    for key, s in data["stories"].items():
        if "from" in s:
            base = data["stories"][s["from"]]
            paragraphs = list(base["paragraphs"])
            for index, text in s.get("replace", {}).items():
                paragraphs[int(index)] = text
            paragraphs = [p for i, p in enumerate(paragraphs) if i not in set(s.get("drop", []))]
            paragraphs = s.get("prepend", []) + paragraphs + s.get("append", [])
            stories[key] = (s.get("title", base["title"]), "\n".join(paragraphs))
        else:
            stories[key] = (s["title"], "\n".join(s["paragraphs"]))
    return stories


def evaluate_duplicates(threshold: float = DEFAULT_THRESHOLD) -> Score:
    data = json.loads((DATA / "duplicates_eval.json").read_text(encoding="utf-8"))
    texts = story_texts(data)
    when = datetime(2031, 1, 1, tzinfo=UTC)
    results = []
    for pair in data["pairs"]:
        a, b = pair["a"], pair["b"]
        groups = find_duplicates([Story(a, when, "\n".join(texts[a])), Story(b, when, "\n".join(texts[b]))],
                                 threshold)
        results.append((bool(groups), bool(pair["duplicate"]), f"{a} ~ {b}"))
    return _score(results)


def _claim(side: dict, slug: str) -> Claim | None:
    sentences = ([side["prev"]] if "prev" in side else []) + [side["text"]]
    published = datetime.fromisoformat(side["date"]).replace(tzinfo=UTC)
    claims = [c for c in extract_claims(sentences, slug=slug, source="Desk", published=published)
              if c.index == len(sentences) - 1 and c.figure.lower() == side["figure"].lower()]
    return claims[0] if claims else None


def evaluate_figures() -> Score:
    data = json.loads((DATA / "figures_eval.json").read_text(encoding="utf-8"))
    results = []
    for n, pair in enumerate(data["pairs"]):
        a, b = _claim(pair["a"], f"a{n}"), _claim(pair["b"], f"b{n}")
        predicted = a is not None and b is not None and same_thing(a, b)
        results.append((predicted, bool(pair["same"]), f"#{n}: {pair['a']['text']} ~ {pair['b']['text']}"))
    return _score(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--misses", action="store_true", help="list the pairs each detector gets wrong")
    args = parser.parse_args(argv)
    scores = {"duplicates": evaluate_duplicates(), "figure grouping": evaluate_figures()}
    for name, score in scores.items():
        print(score.line(name))
        if args.misses:
            for miss in score.misses:
                print(f"  wrong: {miss}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {k: {"pairs": s.pairs, "precision": s.precision, "recall": s.recall} for k, s in scores.items()},
            indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
