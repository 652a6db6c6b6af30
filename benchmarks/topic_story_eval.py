"""A topic's story so far told from its stories, against the old one told from its articles.

    python benchmarks/topic_story_eval.py --bbc CSV --multi-news CSV [--seed N] [--show] --json OUT

- BBC News Summary (`--bbc`): every article is a BBC article of its category's topic,
  dated over two months (seeded). Per topic: how many distinct stories the story so far
  quotes, how many of them have two or more articles, and the share of its quotes from its
  most quoted story.
- Multi-News (`--multi-news`): the clusters (one event each, 1 to 10 articles from
  different outlets) are dealt to topics of 10 clusters each (seeded), each cluster's
  articles within 3 days and the clusters over 60 days, as in story_clusters.py; the site's
  own story grouping runs on them. Per topic: distinct true events quoted, the share of
  the topic's three largest events (by articles) the story quotes, and ROUGE-1 / ROUGE-2
  recall against those three events' human summaries together (what a reader of the topic
  should learn first). Paired bootstrap 95% CI of new minus old over topics.

`old` is the story summariser of story pages applied to all the topic's articles (the
topic story before stories led it); `new` is the site's story so far (topicstory.py).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
for _path in (HERE, HERE.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import numpy as np
from story_quality import site_options
from summary_quality import bootstrap, forbid_nltk_downloads

from digest.analysis.analyse import AnalysisOptions, build_digest, story_summary
from digest.model import Article, Digest, Quote, Topic

START = datetime(2020, 1, 1, tzinfo=UTC)
SPAN_DAYS, CLUSTER_DAYS, PER_TOPIC, TOP = 60, 3, 10, 3


def _rows(path: str) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def bbc_corpus(path: str, seed: int) -> tuple[list[Topic], list[Article]]:
    """The BBC set: source BBC, its category as topic, dates over two months (seeded)."""
    rng = random.Random(seed)
    articles = []
    for number, row in enumerate(_rows(path)):
        title, _, body = row["document"].strip().partition("\n")
        category = (row.get("categories") or "news").strip()
        when = START + timedelta(seconds=rng.uniform(0, SPAN_DAYS * 86400))
        articles.append(Article(path=f"bbc/{number}.md", slug=f"bbc-{number}", title=title.strip(),
                                published=when, source="BBC", topics=(category,), body=body.strip()))
    return [Topic(t, t.title()) for t in sorted({a.topics[0] for a in articles})], articles


def multinews_corpus(path: str, seed: int) -> tuple[list[Topic], list[Article], dict[str, int], dict[int, str]]:
    """The clusters dealt to topics: topics, articles, each slug's true event, each event's summary."""
    rng = random.Random(seed)
    rows = _rows(path)
    order = list(range(len(rows)))
    rng.shuffle(order)
    topic_of = {row: f"t{k // PER_TOPIC:02d}" for k, row in enumerate(order)}
    articles, truth, summaries = [], {}, {}
    for number, row in enumerate(rows):
        docs = [str(d) for d in ast.literal_eval(row["documents"]) if str(d).strip()]
        start = START + timedelta(seconds=rng.uniform(0, (SPAN_DAYS - CLUSTER_DAYS) * 86400))
        summaries[number] = row["summary"].strip()
        for i, doc in enumerate(docs):
            slug = f"c{number:04d}-{i}"
            when = start + timedelta(seconds=rng.uniform(0, CLUSTER_DAYS * 86400))
            articles.append(Article(path=f"{slug}.md", slug=slug, title="", published=when,
                                    source=f"Outlet {number}-{i}", topics=(topic_of[number],), body=doc))
            truth[slug] = number
    topics = [Topic(t, t) for t in sorted(set(topic_of.values()))]
    return topics, articles, truth, summaries


def summaries_of(digest: Digest, options: AnalysisOptions) -> dict[str, dict[str, tuple[Quote, ...]]]:
    """Per method ("old", "new"), each topic's story so far."""
    return {"old": {td.topic.id: story_summary(td.articles, digest.analyses, options) for td in digest.topics},
            "new": {td.topic.id: td.story for td in digest.topics}}


def spread(quotes: Sequence[Quote], label: dict[str, object]) -> tuple[int, float]:
    """(distinct labels quoted, share of the quotes from the most quoted one)."""
    counts = Counter(label[q.slug] for q in quotes)
    return len(counts), (max(counts.values()) / len(quotes) if quotes else 0.0)


def bbc(path: str, seed: int, options: AnalysisOptions, show: bool) -> dict:
    topics, articles = bbc_corpus(path, seed)
    digest = build_digest(topics, articles, options)
    label: dict[str, object] = dict(digest.story_ids)
    sizes = {st.id: st.size for st in digest.stories}
    out: dict = {"articles": len(articles), "stories": len(digest.stories),
                 "stories_2plus": sum(1 for s in digest.stories if s.size > 1), "topics": {}}
    for method, per_topic in summaries_of(digest, options).items():
        for tid, quotes in per_topic.items():
            distinct, top = spread(quotes, label)
            multi = len({label[q.slug] for q in quotes if sizes[label[q.slug]] > 1})
            out["topics"].setdefault(tid, {})[method] = {"quotes": len(quotes), "distinct_stories": distinct,
                                                         "multi_article_stories": multi,
                                                         "top_story_share": round(top, 3)}
            if show:
                print(f"\n== BBC {tid} ({method})")
                for q in quotes:
                    print(f"  [{label[q.slug]}] {q.text}")
    for method in ("old", "new"):
        for key in ("distinct_stories", "multi_article_stories"):
            out[f"{method}_{key}_mean"] = round(float(np.mean([t[method][key] for t in out["topics"].values()])), 2)
    return out


def multinews(path: str, seed: int, options: AnalysisOptions, show: bool) -> dict:
    from rouge_score import rouge_scorer

    forbid_nltk_downloads()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    topics, articles, truth, summaries = multinews_corpus(path, seed)
    digest = build_digest(topics, articles, options)
    label: dict[str, object] = dict(truth)
    per: dict[str, dict[str, list[float]]] = {m: {"distinct": [], "top_recall": [], "rouge1": [], "rouge2": [],
                                                  "words": []}
                                              for m in ("old", "new")}
    for method, per_topic in summaries_of(digest, options).items():
        for td in digest.topics:
            quotes = per_topic[td.topic.id]
            sizes = Counter(truth[a.slug] for a in td.articles)
            top = [event for event, _ in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]
            quoted = {truth[q.slug] for q in quotes}
            reference = "\n".join(summaries[e] for e in top)
            scores = scorer.score(reference, "\n".join(q.text for q in quotes))
            per[method]["distinct"].append(len(quoted))
            per[method]["top_recall"].append(len(quoted & set(top)) / len(top))
            per[method]["rouge1"].append(scores["rouge1"].recall)
            per[method]["rouge2"].append(scores["rouge2"].recall)
            per[method]["words"].append(sum(len(q.text.split()) for q in quotes))
            if show:
                print(f"\n== Multi-News {td.topic.id} ({method}); largest events {top}")
                for q in quotes:
                    print(f"  [{label[q.slug]}] {q.text}")
    means = {m: {k: round(float(np.mean(v)), 4) for k, v in per[m].items()} for m in per}
    ci = {k: bootstrap(np.array(per["new"][k]), np.array(per["old"][k])) for k in per["new"]}
    return {"articles": len(articles), "events": len(summaries), "topics": len(topics),
            "stories_found": len(digest.stories), "means": means, "ci_new_minus_old": ci}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bbc", help="BBC News Summary CSV (document, categories)")
    parser.add_argument("--multi-news", help="Multi-News CSV (documents, summary)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", action="store_true", help="print every story so far, old and new")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    options = site_options(AnalysisOptions().story_words)   # as the plugin's default config sets them
    report: dict = {"seed": args.seed, "budget_words": options.story_words}
    if args.bbc:
        report["bbc"] = bbc(args.bbc, args.seed, options, args.show)
    if args.multi_news:
        report["multi_news"] = multinews(args.multi_news, args.seed, options, args.show)
    summary = {k: ({kk: vv for kk, vv in v.items() if kk != "topics"} if isinstance(v, dict) else v)
               for k, v in report.items()}
    print(json.dumps(summary, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
