"""Story quality: the story summariser against human multi-document summaries.

    python benchmarks/story_quality.py --data CSV [--budget-words N] [--limit N] [--skip N] --json OUT

Each cluster (Multi-News format, see _clusters.py) is read as one story of a site: the
digest story is the story summary (`story_summary`, what a story page shows and what a
topic's story so far is told from) with the options the plugin sets from its config
(only the story's word budget set to `--budget-words`). Baselines over the
same sentences (our splitter): a TF-IDF centroid with redundancy control, sumy LexRank
and TextRank, and lead round-robin. Every summary is cut to the same word budget (the
last sentence truncated) and scored with ROUGE-1, ROUGE-2 and ROUGE-Lsum F1
(rouge-score, stemming, one sentence per line; the mean over a cluster's references).
For each baseline: the paired bootstrap 95% CI of digest minus baseline. Also timed:
the summary of a 50-article story (articles already analysed, as on a warm build).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
HERE = Path(__file__).resolve().parent
for _path in (HERE, HERE.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import numpy as np
from _clusters import Cluster, baselines, cut, lines, load, reference_lines
from summary_quality import RESAMPLES, bootstrap, forbid_nltk_downloads

from digest.analysis.analyse import AnalysisOptions, analyse_all, story_summary
from digest.model import Article, ArticleAnalysis

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


def site_options(budget: int) -> AnalysisOptions:
    """The options the plugin passes to the analysis, from its default config and this budget."""
    from digest.adapter.plugin import DigestPlugin

    plugin = DigestPlugin()
    errors, _ = plugin.load_config({"story_words": budget})
    if errors:
        raise SystemExit(f"plugin config rejected: {errors}")
    return plugin.options()


def articles_of(cluster: Cluster, topic: str = "t") -> list[Article]:
    """The cluster's documents as site articles of one topic; undated ones an hour apart
    in file order, so that no two share a timestamp."""
    out = []
    for i, (text, title, date) in enumerate(zip(cluster.texts, cluster.titles, cluster.dates)):
        published = date + timedelta(seconds=i) if len(set(cluster.dates)) == 1 else date
        out.append(Article(path=f"{cluster.key}-{i}.md", slug=f"a{i}", title=title or f"Article {i + 1}",
                           published=published, source=f"Outlet {i + 1}", topics=(topic,), body=text))
    return out


def digest_story(cluster: Cluster, options: AnalysisOptions) -> list[str]:
    """The summary the site writes of a story made of the cluster's articles."""
    items = articles_of(cluster)
    return [q.text for q in story_summary(items, analyse_all(items, options.summary_sentences), options)]


def _scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def score(cluster: Cluster, summary: Sequence[str], scorer) -> dict[str, float]:
    """Mean F1 over the cluster's references."""
    text = lines(summary)
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    for reference in cluster.references:
        result = scorer.score(reference_lines(reference), text)
        for t in ROUGE_TYPES:
            totals[t] += result[t].fmeasure
    return {t: v / len(cluster.references) for t, v in totals.items()}


def story_ms(clusters: Sequence[Cluster], options: AnalysisOptions, size: int = 50, repeat: int = 5) -> float:
    """CPU milliseconds (this process; the machine may be shared) for one story's summary,
    `size` articles dated a day apart and already analysed: the best of `repeat`."""
    docs = [(t, ti) for c in clusters for t, ti in zip(c.texts, c.titles)][:size]
    merged = Cluster("timing", tuple(t for t, _ in docs), tuple(ti for _, ti in docs),
                     tuple(clusters[0].dates[0] + timedelta(days=i) for i in range(len(docs))), (), ("",))
    items = articles_of(merged)
    analyses: Mapping[str, ArticleAnalysis] = analyse_all(items, options.summary_sentences)
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        story_summary(items, analyses, options)
        best = min(best, time.process_time() - start)
    return best * 1000


def evaluate(clusters: Sequence[Cluster], budget: int) -> dict:
    options = site_options(budget)
    pickers = {"digest": lambda c, b: digest_story(c, options), **baselines()}
    scorer = _scorer()
    per: dict[str, dict[str, list[float]]] = {}
    words: dict[str, list[int]] = {}
    for name, pick in pickers.items():
        per[name] = {t: [] for t in ROUGE_TYPES}
        words[name] = []
        for cluster in clusters:
            summary = cut(pick(cluster, budget), budget)
            words[name].append(sum(len(s.split()) for s in summary))
            for t, v in score(cluster, summary, scorer).items():
                per[name][t].append(v)
    methods = {name: {**{t: round(float(np.mean(v)), 4) for t, v in per[name].items()},
                      "words": round(float(np.mean(words[name])), 1)} for name in pickers}
    ci = {name: {t: bootstrap(np.array(per["digest"][t]), np.array(per[name][t])) for t in ROUGE_TYPES}
          for name in pickers if name != "digest"}
    return {"clusters": len(clusters), "budget_words": budget, "methods": methods, "ci": ci,
            "resamples": RESAMPLES, "story_ms_50_articles": round(story_ms(clusters, options), 2)}


def format_table(report: Mapping) -> str:
    rows = ["| method | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-Lsum F1 | words | digest − method, 95% CI (R-1 / R-2 / R-Lsum) |",
            "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name, r in report["methods"].items():
        ci = report["ci"].get(name)
        spans = " / ".join(f"[{lo:+.4f}, {hi:+.4f}]" for lo, hi in (ci[t] for t in ROUGE_TYPES)) if ci else ""
        rows.append(f"| {name} | {r['rouge1']:.4f} | {r['rouge2']:.4f} | {r['rougeLsum']:.4f} | "
                    f"{r['words']:.0f} | {spans} |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="CSV of clusters (Multi-News format)")
    parser.add_argument("--budget-words", type=int, default=200, help="words per summary (default 200)")
    parser.add_argument("--limit", type=int, default=None, help="only N clusters")
    parser.add_argument("--skip", type=int, default=0, help="start after the first N clusters")
    parser.add_argument("--json", dest="json_out", default=None, help="write the results here")
    args = parser.parse_args(argv)
    if args.budget_words <= 0:
        parser.error("--budget-words must be positive")
    forbid_nltk_downloads()
    clusters = load(args.data, args.limit, args.skip)
    if not clusters:
        parser.error(f"no usable clusters in {args.data}")
    report = evaluate(clusters, args.budget_words)
    print(f"{report['clusters']} clusters, {report['budget_words']} words each; "
          f"story of a 50-article topic: {report['story_ms_50_articles']:.1f} ms\n")
    print(format_table(report))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
