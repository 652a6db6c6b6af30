"""Precision and recall of the cross-source detectors on their labelled test sets.

    python benchmarks/cross_source_eval.py [--json out.json]

- Near-duplicates (digest/analysis/duplicates.py) on tests/data/duplicates_eval.json: pairs of
  articles labelled "same story" (exact copies, new headlines, reworded or trimmed
  paragraphs, a local intro) or "different story" (another account of the same
  event, another event on the same subject).
- Figures (digest/analysis/figures.py, conflicts.py) on tests/data/figures_eval.json: pairs of
  sentences labelled "same counted thing over the same period" or not. "figures compared"
  is what the "where reports differ" panel may set side by side (`comparable`: counts of
  what an event did); "figure grouping" is the broader `same_thing`, any counted noun.

A positive is a pair the detector puts together; precision is the share of those
that are labelled together, recall the share of labelled-together pairs it finds.
tests/test_cross_source.py runs the same functions and holds them above a floor.

With `--bbc CSV` and `--multi-news CSV` it also counts the "where reports differ" entries
shown on real news no one here wrote:

- the BBC News Summary dev set (../shared/data/bbc-news-summary/dev.csv): one outlet, so
  every entry shown is wrong unless a sentence cites another outlet; the digest is computed
  as a build would (build_digest: its categories as topics, dates spread over a year, seeded);
- the Multi-News dev clusters (../shared/data/multi-news/validation.csv): each cluster is one
  group of articles from different outlets about one event (its articles are "outlet 1",
  "outlet 2", ... of that cluster). Every entry shown was labelled by hand in
  tests/data/multinews_conflicts.json; precision is the share labelled a real disagreement
  (entries not labelled yet are counted and listed with --misses).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from digest.analysis.analyse import AnalysisOptions, analyse_prose, article_claims, build_digest
from digest.analysis.conflicts import Conflict, comparable, conflicts_by_group, same_thing
from digest.analysis.duplicates import DEFAULT_THRESHOLD, Story, find_duplicates
from digest.analysis.figures import Claim, extract_claims
from digest.model import Article, Topic

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


def evaluate_figures(together: Callable[[Claim, Claim], bool] = comparable) -> Score:
    """Labelled pairs scored by `together` (default: what the panel compares)."""
    data = json.loads((DATA / "figures_eval.json").read_text(encoding="utf-8"))
    results = []
    for n, pair in enumerate(data["pairs"]):
        a, b = _claim(pair["a"], f"a{n}"), _claim(pair["b"], f"b{n}")
        predicted = a is not None and b is not None and together(a, b)
        results.append((predicted, bool(pair["same"]), f"#{n}: {pair['a']['text']} ~ {pair['b']['text']}"))
    return _score(results)


def _rows(path: str) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def bbc_articles(path: str, seed: int = 7) -> list[Article]:
    """The BBC set as articles: source BBC, its category as topic, dates over a year (seeded)."""
    rng = random.Random(seed)
    start = datetime(2004, 6, 1, tzinfo=UTC)
    articles = []
    for number, row in enumerate(_rows(path)):
        title, _, body = row["document"].strip().partition("\n")
        category = (row.get("categories") or "news").strip()
        when = start + timedelta(days=rng.uniform(0, 365))
        articles.append(Article(path=f"bbc/{number}.md", slug=f"bbc-{number}", title=title.strip(),
                                published=when, source="BBC", topics=(category,), body=body.strip()))
    return articles


def bbc_conflicts(path: str, seed: int = 7) -> tuple[int, int, list[Conflict]]:
    """(articles, topics, entries shown) of the digest of the BBC set, as a build computes it."""
    articles = bbc_articles(path, seed)
    topics = [Topic(t, t.title()) for t in sorted({a.topics[0] for a in articles})]
    digest = build_digest(topics, articles, AnalysisOptions())
    shown = [c for found in digest.conflicts.values() for c in found]
    return len(articles), len(topics), shown


def bbc_stress(path: str) -> dict[str, tuple[Conflict, ...]]:
    """The worst case for the same-quantity rules: each BBC topic one group of unrelated
    articles, each article its own outlet. Every entry shown is a false one."""
    claims: dict[str, tuple[Claim, ...]] = {}
    groups: dict[str, list[str]] = {}
    for a in bbc_articles(path):
        prose = "\n".join(line.strip() for line in a.body.splitlines() if line.strip())
        own = Article(path=a.path, slug=a.slug, title=a.title, published=a.published, source=f"outlet {a.slug}",
                      topics=a.topics, body="")
        claims[a.slug] = article_claims(own, analyse_prose(a.title, prose, 0))
        groups.setdefault(a.topics[0], []).append(a.slug)
    return conflicts_by_group(claims, groups)


def multinews_conflicts(path: str) -> tuple[int, int, dict[str, tuple[Conflict, ...]]]:
    """(clusters, articles, entries shown per cluster): each cluster is one group, each of
    its articles another outlet."""
    when = datetime(2031, 1, 1, tzinfo=UTC)
    claims: dict[str, tuple[Claim, ...]] = {}
    groups: dict[str, list[str]] = {}
    rows = _rows(path)
    for number, row in enumerate(rows):
        documents = ast.literal_eval(row["documents"])
        for i, text in enumerate(documents):
            slug = f"c{number}-a{i + 1}"
            prose = "\n".join(line.strip() for line in str(text).splitlines() if line.strip())
            analysis = analyse_prose("", prose, 0)
            article = Article(path=f"{slug}.md", slug=slug, title="", published=when, source=f"outlet {i + 1}",
                              topics=(), body="")
            claims[slug] = article_claims(article, analysis)
            groups.setdefault(f"c{number}", []).append(slug)
    return len(rows), len(claims), conflicts_by_group(claims, groups)


def entry_key(group: str, conflict: Conflict) -> str:
    """How a shown entry is named in the labels: cluster, counted thing, figures by source."""
    figures = "; ".join(f"{c.figure} ({c.source})" for c in conflict.claims)
    return f"{group} | {conflict.label}{' ' + conflict.scope_label if conflict.scope_label else ''} | {figures}"


def label_entries(found: dict[str, tuple[Conflict, ...]]) -> tuple[int, int, list[str]]:
    """(shown, labelled real, keys not labelled) against tests/data/multinews_conflicts.json."""
    labels = json.loads((DATA / "multinews_conflicts.json").read_text(encoding="utf-8"))["entries"]
    real = {e["entry"]: bool(e["real"]) for e in labels}
    keys = [entry_key(group, c) for group, conflicts in found.items() for c in conflicts]
    return len(keys), sum(real.get(k, False) for k in keys), [k for k in keys if k not in real]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--misses", action="store_true", help="list the pairs each detector gets wrong")
    parser.add_argument("--bbc", help="count the entries shown on the BBC News Summary CSV (one outlet)")
    parser.add_argument("--multi-news", help="count and score the entries shown on the Multi-News CSV")
    args = parser.parse_args(argv)
    scores = {"duplicates": evaluate_duplicates(), "figures compared": evaluate_figures(),
              "figure grouping": evaluate_figures(same_thing)}
    report: dict[str, object] = {k: {"pairs": s.pairs, "precision": s.precision, "recall": s.recall}
                                 for k, s in scores.items()}
    for name, score in scores.items():
        print(score.line(name))
        if args.misses:
            for miss in score.misses:
                print(f"  wrong: {miss}")
    if args.bbc:
        n, topics, shown = bbc_conflicts(args.bbc)
        print(f"BBC (one outlet): {n} articles, {topics} topics - {len(shown)} entries shown (right number: 0)")
        for c in shown:
            print("  shown: " + entry_key("bbc", c))
        stress = [(g, c) for g, found in bbc_stress(args.bbc).items() for c in found]
        print(f"BBC, each topic one group and each article its own outlet: {len(stress)} entries shown "
              "(right number: 0)")
        for group, c in stress:
            print("  shown: " + entry_key(group, c))
        report["bbc"] = {"articles": n, "entries_shown": len(shown), "stress_entries_shown": len(stress)}
    if args.multi_news:
        clusters, n, found = multinews_conflicts(args.multi_news)
        shown, real, unlabelled = label_entries(found)
        precision = real / shown if shown else 1.0
        print(f"Multi-News: {clusters} clusters, {n} articles - {shown} entries shown, {real} real "
              f"disagreements: precision {precision:.3f}" + (f" ({len(unlabelled)} not labelled)" if unlabelled else ""))
        if args.misses:
            for key in unlabelled:
                print(f"  not labelled: {key}")
        report["multi_news"] = {"clusters": clusters, "articles": n, "entries_shown": shown, "real": real,
                                "precision": precision, "unlabelled": len(unlabelled)}
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
