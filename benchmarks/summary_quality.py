"""Summary quality: our summariser against lead-k and sumy's extractors on real news.

    python benchmarks/summary_quality.py --data PATH.csv [--limit N] [--json OUT.json]

Single-document: every method gets the same sentences (our splitter) and the same
budget per article, the number of sentences in the human reference, and is scored
with ROUGE-1/2/L and ROUGE-Lsum F1 (rouge-score, Porter stemming; for Lsum one sentence
per line, the reference's sentences in its own order), with the paired bootstrap 95% CI
of digest minus each other method. ROUGE-L over the whole summary rewards following the
reference's sentence order, which here is importance order; Lsum, per sentence, does
not. Speed is articles per second in
this one process on one core, sentences already in memory, after a warm-up on ten
articles (best of three passes). Multi-document: articles of one
category are grouped into topic-sized clusters, and each topic's story (story.py, the
site's default word budget) is checked for sentences that repeat each other and for
how many articles it quotes (benchmarks/story_quality.py scores stories against human
multi-document summaries).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")     # one core: no threaded BLAS behind numpy
HERE = Path(__file__).resolve().parent
for _path in (HERE, HERE.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import numpy as np
from _baselines import Method, methods
from _bbc import Article, load

from digest.analysis.analyse import AnalysisOptions
from digest.analysis.story import Report, tell
from digest.analysis.text import split_sentences, terms

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
RESAMPLES = 2000
SEED = 12
TOPIC_SIZE = 10          # articles per topic-sized group
TOPIC_WORDS = AnalysisOptions().story_words   # words per topic story (the plugin's default)
REPEAT_THRESHOLD = 0.5   # two chosen sentences repeat each other above this ROUGE-1 F1


def forbid_nltk_downloads() -> None:
    """Make any attempt to fetch NLTK data fail loudly instead of going to the network."""
    try:
        import nltk
    except ImportError:
        return

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"NLTK download attempted: {args} {kwargs}")

    nltk.download = refuse  # type: ignore[assignment]


def _scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def run_method(method: Method, articles: Sequence[Article], warmup: int = 10, repeat: int = 3
               ) -> tuple[list[tuple[int, ...]], float]:
    """Each article's chosen indices, and articles per second: the best of `repeat` timed
    passes after `warmup` articles (the best pass is the least disturbed by other load)."""
    for article in articles[:warmup]:
        method(article)
    best = float("inf")
    chosen: list[tuple[int, ...]] = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        chosen = [method(a) for a in articles]
        best = min(best, time.perf_counter() - start)
    return chosen, len(articles) / best if best > 0 else float("inf")


def reference_lines(article: Article) -> str:
    """The reference one sentence per line, in its own order: the article's sentences it
    quotes (its text runs them together), or our splitter's sentences of it if none."""
    squeezed = "".join(article.reference.split())
    found = sorted((squeezed.find("".join(s.split())), s) for s in set(article.sentences)
                   if "".join(s.split()) in squeezed)
    return "\n".join(s for _, s in found) or "\n".join(split_sentences(article.reference))


def per_article(articles: Sequence[Article], chosen: Sequence[tuple[int, ...]], scorer=None
                ) -> dict[str, list[float]]:
    """ROUGE F1 of the chosen sentences (in document order) against each article's reference."""
    scorer = scorer or _scorer()
    out: dict[str, list[float]] = {t: [] for t in ROUGE_TYPES}
    for article, picks in zip(articles, chosen):
        assert len(picks) == len(set(picks)) <= article.k, "budget or duplicates violated"
        summary = "\n".join(article.sentences[i] for i in sorted(picks))
        result = scorer.score(reference_lines(article), summary)
        for t in ROUGE_TYPES:
            out[t].append(result[t].fmeasure)
    return out


def score(articles: Sequence[Article], chosen: Sequence[tuple[int, ...]], scorer=None
          ) -> dict[str, float]:
    """Mean ROUGE F1 of the chosen sentences against each article's reference."""
    found = per_article(articles, chosen, scorer)
    return {t: sum(v) / max(len(v), 1) for t, v in found.items()}


def bootstrap(a: Sequence[float], b: Sequence[float], resamples: int = RESAMPLES, seed: int = SEED
              ) -> list[float]:
    """Paired bootstrap 95% CI of mean(a - b), seeded."""
    diff = np.asarray(a) - np.asarray(b)
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), size=(resamples, len(diff)))].mean(axis=1)
    return [round(float(np.percentile(means, 2.5)), 4), round(float(np.percentile(means, 97.5)), 4)]


def evaluate(articles: Sequence[Article], table: Mapping[str, Method]
             ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, list[float]]]]:
    """ROUGE F1 and speed of every method on the same articles, and the CI of the first
    method (ours) minus each other one."""
    scorer = _scorer()
    results: dict[str, dict[str, float]] = {}
    scores: dict[str, dict[str, list[float]]] = {}
    for name, method in table.items():
        chosen, speed = run_method(method, articles)
        scores[name] = per_article(articles, chosen, scorer)
        results[name] = {**{t: sum(v) / max(len(v), 1) for t, v in scores[name].items()},
                         "articles_per_s": speed}
    first, *others = list(table)
    ci = {name: {t: bootstrap(scores[first][t], scores[name][t]) for t in ROUGE_TYPES} for name in others}
    return results, ci


# -- multi-document -------------------------------------------------------------------

def topic_groups(articles: Sequence[Article], size: int = TOPIC_SIZE) -> list[list[Article]]:
    """Topic-sized groups: per category, a seed article and its nearest unassigned peers."""
    from digest.analysis.summarize import _matrix

    groups: list[list[Article]] = []
    for category in sorted({a.category for a in articles}):
        members = [a for a in articles if a.category == category]
        vectors = _matrix([terms(a.title + " " + " ".join(a.sentences)) for a in members])
        free = list(range(len(members)))
        while len(free) >= max(5, min(size, len(members))):
            seed = free[0]
            ranked = sorted(free[1:], key=lambda j: -float(vectors[seed] @ vectors[j]))
            group = [seed, *ranked[: size - 1]]
            groups.append([members[j] for j in group])
            free = [j for j in free if j not in group]
    return groups


def _reports(group: Sequence[Article]) -> list[Report]:
    return [Report(a.key, 0.0, a.sentences) for a in group]


def _top_sentences(group: Sequence[Article], words: int) -> list[tuple[str, str]]:
    """Baseline: each article's top sentence, most central articles first, up to `words`."""
    from digest.analysis.summarize import _matrix, rank_sentences

    tops = []
    for a in group:
        scores, _ = rank_sentences(a.sentences, a.title)
        tops.append((a.key, a.sentences[int(np.argmax(scores))]))
    m = _matrix([terms(text) for _, text in tops])
    closeness = m @ m.sum(axis=0)
    out, used = [], 0
    for i in np.argsort(-closeness, kind="stable"):
        if used >= words:
            break
        out.append(tops[int(i)])
        used += len(tops[int(i)][1].split())
    return out


def topic_redundancy(groups: Sequence[Sequence[Article]], words: int = TOPIC_WORDS,
                     threshold: float = REPEAT_THRESHOLD) -> dict[str, dict[str, float]]:
    """Share of chosen sentence pairs that repeat each other, and articles quoted per summary."""
    scorer = _rouge1()
    pickers = {
        "digest": lambda group: [(p.key, p.text) for p in tell(_reports(group), words)],
        "top-sentence": lambda group: _top_sentences(group, words),
    }
    out: dict[str, dict[str, float]] = {}
    for name, pick in pickers.items():
        pairs = repeats = 0
        sources: list[int] = []
        worst: list[float] = []
        for group in groups:
            picked = pick(group)
            sims = [scorer.score(a, b)["rouge1"].fmeasure
                    for i, (_, a) in enumerate(picked) for _, b in picked[i + 1:]]
            pairs += len(sims)
            repeats += sum(s > threshold for s in sims)
            worst.append(max(sims, default=0.0))
            sources.append(len({key for key, _ in picked}))
        out[name] = {"repeat_pairs": repeats / max(pairs, 1),
                     "max_pair_overlap": statistics.mean(worst) if worst else 0.0,
                     "articles_quoted": statistics.mean(sources) if sources else 0.0}
    return out


def _rouge1():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)


# -- the splitter ------------------------------------------------------------------------

def splitter_speed(articles: Sequence[Article], repeat: int = 3) -> dict[str, float]:
    """Articles per second of the sentence splitter alone, and of split plus summarise."""
    from digest.analysis.summarize import summarize

    bodies = [a.body for a in articles]
    best_split = best_total = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        split = [split_sentences(b) for b in bodies]
        middle = time.perf_counter()
        for a, sentences in zip(articles, split):
            summarize(sentences, a.k, a.title)
        end = time.perf_counter()
        best_split = min(best_split, middle - start)
        best_total = min(best_total, end - start)
    n = len(articles)
    return {"split_articles_per_s": n / best_split,
            "split_and_summarize_articles_per_s": n / best_total,
            "reference_text_in_whole_sentences": _reference_coverage(articles)}


def _reference_coverage(articles: Sequence[Article]) -> float:
    """Share of the references' text made of whole sentences from our splitter.

    The references quote article sentences, so a splitter that cuts where the
    reference's authors did covers it all; a missed or spurious boundary leaves
    part of a reference uncovered.
    """
    covered = total = 0
    for a in articles:
        squeezed = "".join(a.reference.split())
        pieces = ("".join(s.split()) for s in a.sentences)
        covered += sum(len(p) for p in pieces if p in squeezed)
        total += len(squeezed)
    return covered / total if total else 0.0


# -- report -------------------------------------------------------------------------------

def format_table(results: Mapping[str, Mapping[str, float]],
                 ci: Mapping[str, Mapping[str, Sequence[float]]] | None = None) -> str:
    lines = ["| method | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 | ROUGE-Lsum F1 | articles/s | "
             "digest − method, 95% CI (R-1 / R-2 / R-Lsum) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for name, r in results.items():
        spans = ci.get(name) if ci else None
        text = " / ".join(f"[{spans[t][0]:+.4f}, {spans[t][1]:+.4f}]"
                          for t in ("rouge1", "rouge2", "rougeLsum")) if spans else ""
        lines.append(f"| {name} | {r['rouge1']:.4f} | {r['rouge2']:.4f} | {r['rougeL']:.4f} | "
                     f"{r['rougeLsum']:.4f} | {r['articles_per_s']:,.0f} | {text} |")
    return "\n".join(lines)


def format_topics(topics: Mapping[str, Mapping[str, float]], groups: int) -> str:
    lines = [f"Topic summaries: {groups} groups of up to {TOPIC_SIZE} articles, "
             f"about {TOPIC_WORDS} words each; a pair repeats if ROUGE-1 F1 > {REPEAT_THRESHOLD}",
             "| method | repeating pairs | mean worst-pair ROUGE-1 | articles quoted |",
             "| --- | ---: | ---: | ---: |"]
    for name, r in topics.items():
        lines.append(f"| {name} | {r['repeat_pairs']:.1%} | {r['max_pair_overlap']:.3f} | "
                     f"{r['articles_quoted']:.2f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="CSV with document and summary columns")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--skip", type=int, default=0, help="start after the first N articles")
    parser.add_argument("--json", dest="json_out", default=None, help="write the results here")
    args = parser.parse_args(argv)

    forbid_nltk_downloads()
    articles = load(args.data, args.limit, args.skip)
    results, ci = evaluate(articles, methods())
    groups = topic_groups(articles)
    topics = topic_redundancy(groups)
    splitter = splitter_speed(articles)
    report = {"n": len(articles), "methods": results, "ci": ci, "resamples": RESAMPLES,
              "budget": "reference sentence count",
              "topics": {"groups": len(groups), "threshold_rouge1_f1": REPEAT_THRESHOLD,
                         "methods": topics},
              "splitter": splitter}
    print(f"{len(articles)} articles; budget: the reference's sentence count\n")
    print(format_table(results, ci))
    print()
    print(format_topics(topics, len(groups)))
    print()
    print(f"Splitter: {splitter['split_articles_per_s']:,.0f} articles/s alone; split + digest "
          f"summary: {splitter['split_and_summarize_articles_per_s']:,.0f} articles/s; "
          f"{splitter['reference_text_in_whole_sentences']:.2%} of the references' text is "
          f"whole sentences of ours")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
