"""How well articles are grouped into stories, on real multi-outlet clusters.

    python benchmarks/story_clusters.py --data ../shared/data/multi-news/validation.csv [--seed N] --json OUT

The CSV holds one event per row: `documents` (a Python or JSON list of article texts) and
`summary`; optional `titles` and `dates` (JSON lists, ISO dates) are used when present.
Every cluster's articles are mixed into one corpus; where dates are missing they are drawn
(seeded) so that each cluster's articles fall within 3 days of each other and clusters
overlap in time over a 60-day span. The corpus is clustered by digest/analysis/stories.py
and scored against the true clusters: B-cubed precision, recall and F1 (averaged over
articles) and the adjusted Rand index, with the clustering time per 1,000 articles.
`--part tune|check` keeps only the even or odd rows (tune on one half, check on the other);
`--skip N` and `--limit N` keep the rows after the first N, or at most N of them.
`--bootstrap N` adds a 95% interval for each B-cubed figure: N resamples of the true clusters
(with replacement), each article keeping its precision and recall in the one clustering.
`--bbc CSV` instead clusters the BBC News Summary articles (one outlet, no gold stories; dates
drawn over `--bbc-days`) and prints every story of several articles, to be read by hand.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from digest.analysis.stories import StoryItem, StoryOptions, cluster, story_item  # noqa: E402
from digest.analysis.text import split_sentences  # noqa: E402

SPAN_DAYS, CLUSTER_DAYS = 60, 3
START = datetime(2020, 1, 1, tzinfo=UTC)


def _list(value: str | None) -> list:
    if not value:
        return []
    try:
        found = json.loads(value)
    except ValueError:
        found = ast.literal_eval(value)
    return list(found)


def _date(value: object) -> datetime:
    when = datetime.fromisoformat(str(value))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def load(path: Path, seed: int, part: str = "all", skip: int = 0,
         limit: int | None = None) -> tuple[list[StoryItem], dict[str, int]]:
    """The mixed corpus and each article's true cluster (rows after `skip`, at most `limit`)."""
    csv.field_size_limit(1 << 30)
    rng = random.Random(seed)
    items: list[StoryItem] = []
    truth: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row_no, row in enumerate(csv.DictReader(handle)):
            if (part == "tune" and row_no % 2) or (part == "check" and not row_no % 2) or row_no < skip:
                continue
            if limit is not None and len(set(truth.values())) >= limit:
                break
            docs = [d for d in _list(row["documents"]) if str(d).strip()]
            titles, dates = _list(row.get("titles")), _list(row.get("dates"))
            start = START + timedelta(seconds=rng.uniform(0, (SPAN_DAYS - CLUSTER_DAYS) * 86400))
            for i, doc in enumerate(docs):
                slug = f"c{row_no:05d}-{i}"
                when = (_date(dates[i]) if i < len(dates) and dates[i] else
                        start + timedelta(seconds=rng.uniform(0, CLUSTER_DAYS * 86400)))
                title = str(titles[i]) if i < len(titles) and titles[i] else ""
                items.append(story_item(slug, when, title, split_sentences(" ".join(str(doc).split()))))
                truth[slug] = row_no
    return items, truth


def _per_item(found: dict[str, str], truth: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Each item's B-cubed precision and recall."""
    by_found: dict[str, set[str]] = {}
    by_true: dict[int, set[str]] = {}
    for key, label in found.items():
        by_found.setdefault(label, set()).add(key)
        by_true.setdefault(truth[key], set()).add(key)
    out = {}
    for key in found:
        mine, right = by_found[found[key]], by_true[truth[key]]
        both = len(mine & right)
        out[key] = (both / len(mine), both / len(right))
    return out


def bcubed(found: dict[str, str], truth: dict[str, int]) -> tuple[float, float]:
    """B-cubed precision and recall, averaged over items."""
    scores = _per_item(found, truth).values()
    return sum(p for p, _ in scores) / len(scores), sum(r for _, r in scores) / len(scores)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bootstrap(found: dict[str, str], truth: dict[str, int], rounds: int, seed: int) -> dict[str, list[float]]:
    """95% intervals (2.5th and 97.5th percentiles) of B-cubed precision, recall and F1 over
    `rounds` resamples of the true clusters, with replacement."""
    per_item = _per_item(found, truth)
    sums: dict[int, list[float]] = {}
    for key, (p, r) in per_item.items():
        total = sums.setdefault(truth[key], [0.0, 0.0, 0.0])
        total[0] += p
        total[1] += r
        total[2] += 1
    clusters = [sums[k] for k in sorted(sums)]
    rng = random.Random(seed)
    drawn: dict[str, list[float]] = {"bcubed_precision": [], "bcubed_recall": [], "bcubed_f1": []}
    for _ in range(rounds):
        sample = rng.choices(clusters, k=len(clusters))
        n = sum(c[2] for c in sample)
        p, r = sum(c[0] for c in sample) / n, sum(c[1] for c in sample) / n
        for name, value in (("bcubed_precision", p), ("bcubed_recall", r), ("bcubed_f1", _f1(p, r))):
            drawn[name].append(value)
    out = {}
    for name, values in drawn.items():
        values.sort()
        out[f"{name}_ci95"] = [round(values[int(0.025 * (rounds - 1))], 4), round(values[int(0.975 * (rounds - 1))], 4)]
    return out


def ari(found: Sequence[object], truth: Sequence[object]) -> float:
    """The adjusted Rand index of two labellings of the same items."""
    n = len(found)
    pairs = Counter(zip(found, truth))
    index = sum(comb(c, 2) for c in pairs.values())
    a = sum(comb(c, 2) for c in Counter(found).values())
    b = sum(comb(c, 2) for c in Counter(truth).values())
    expected = a * b / comb(n, 2) if n > 1 else 0.0
    top = (a + b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def unplaceable(items: Sequence[StoryItem], options: StoryOptions) -> set[str]:
    """The articles with too few distinct terms for the clustering to place (each is a story of
    its own): in Multi-News these are pages the crawl caught instead of the article (the
    Internet Archive's and Twitter's boilerplate, "Please try again later.")."""
    return {item.slug for item in items if len(item.features_and_names()[0]) < options.min_terms}


def _bcubed_figures(found: dict[str, str], truth: dict[str, int]) -> dict[str, float]:
    p, r = bcubed(found, truth)
    return {"bcubed_precision": round(p, 4), "bcubed_recall": round(r, 4), "bcubed_f1": round(_f1(p, r), 4)}


def evaluate(items: list[StoryItem], truth: dict[str, int], options: StoryOptions | None = None,
             rounds: int = 0, seed: int = 0) -> dict:
    options = options or StoryOptions()
    started = time.perf_counter()
    found = cluster(items, options).assignment()
    elapsed = time.perf_counter() - started
    keys = sorted(found)
    result = {
        "articles": len(items),
        "clusters_true": len(set(truth.values())),
        "clusters_found": len(set(found.values())),
        **_bcubed_figures(found, truth),
        "ari": round(ari([found[k] for k in keys], [truth[k] for k in keys]), 4),
        "ms_per_1000": round(elapsed * 1000 * 1000 / max(len(items), 1), 1),
    }
    if rounds:
        result.update(bootstrap(found, truth, rounds, seed))
    # The same figures over the articles the clustering can place, and the recall that a
    # clustering perfect on those would score on all: what the rest costs whatever the method.
    lost = unplaceable(items, options)
    placeable = {k: v for k, v in truth.items() if k not in lost}
    ideal = {k: (k if k in lost else f"true {v}") for k, v in truth.items()}
    result["unplaceable"] = len(lost)
    result["bcubed_recall_ceiling"] = round(bcubed(ideal, truth)[1], 4)
    if placeable:
        placed = {k: found[k] for k in placeable}
        result["placeable"] = _bcubed_figures(placed, placeable)
        if rounds:
            result["placeable"].update(bootstrap(placed, placeable, rounds, seed))
    return result


def bbc_stories(path: Path, seed: int, days: float) -> list[list[tuple[datetime, str, str]]]:
    """The BBC set's stories of several articles, as (date, category, title), earliest first."""
    from _bbc import load as load_bbc
    rng = random.Random(seed)
    items, about = [], {}
    for a in load_bbc(path):
        when = START + timedelta(seconds=rng.uniform(0, days * 86400))
        items.append(story_item(a.key, when, a.title, a.sentences))
        about[a.key] = (when, a.category, a.title)
    groups: dict[str, list[tuple[datetime, str, str]]] = {}
    for slug, sid in cluster(items).assignment().items():
        groups.setdefault(sid, []).append(about[slug])
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="CSV of clusters (documents, summary[, titles, dates])")
    parser.add_argument("--seed", type=int, default=13, help="seed of the drawn dates")
    parser.add_argument("--part", choices=("all", "tune", "check"), default="all")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N rows (clusters)")
    parser.add_argument("--limit", type=int, help="keep at most N rows (clusters)")
    parser.add_argument("--bootstrap", type=int, default=0, metavar="N",
                        help="add 95%% intervals of the B-cubed figures from N resamples of the clusters")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--bbc", help="BBC News Summary CSV: print its stories of several articles")
    parser.add_argument("--bbc-days", type=float, default=60.0, help="span of the BBC articles' drawn dates")
    args = parser.parse_args(argv)
    if args.bbc:
        found = bbc_stories(Path(args.bbc), args.seed, args.bbc_days)
        print(f"{args.bbc}: {len(found)} stories of several articles, {sum(map(len, found))} articles in them")
        for number, group in enumerate(found, 1):
            print(f"{number}. " + " | ".join(f"{when:%Y-%m-%d} {category}: {title}" for when, category, title in group))
        return 0
    if not args.data:
        parser.error("--data or --bbc is required")
    items, truth = load(Path(args.data), args.seed, args.part, args.skip, args.limit)
    if not items:
        print(f"{args.data}: no articles", file=sys.stderr)
        return 1
    result = evaluate(items, truth, rounds=args.bootstrap, seed=args.seed)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
