"""CPU per article of the analysis pool's job, stage by stage, on generated and real text.

Runs each stage of `digest.analysis.pipeline._article_job` over the same articles in
this process (no pool), best of `--repeat`, after one warm-up pass (the stem caches are
warm in a long build too), and prints milliseconds per article: the body's conversion,
its prose, sentences, words and terms, figure claims, lede and names, MinHash sketch,
summary ranking, and the whole job. Generated articles are benchmarks/corpus.py's; real
ones are the BBC News Summary's development split when given (`--bbc`).

    .venv/bin/python benchmarks/article_cost.py --articles 400 --bbc ../shared/data/bbc-news-summary/dev.csv
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from _bbc import split_document

from digest.analysis.duplicates import sketch_of_words
from digest.analysis.figures import raw_claims
from digest.analysis.lede import lede_and_names
from digest.analysis.pipeline import _article_job
from digest.analysis.summarize import rank_terms, select
from digest.analysis.text import split_sentences, words_and_terms
from digest.loading.convert import MarkdownSettings, convert_body
from digest.loading.prose import prose_text

#: The benchmark site's Markdown settings (build_speed.py's mkdocs.yml).
SETTINGS = MarkdownSettings(("toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html"),
                            {"toc": {"permalink": True}})


def _best(stage: Callable[[Any], Any], items: Sequence[Any], repeat: int) -> tuple[float, list[Any]]:
    out = [stage(x) for x in items]                      # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        out = [stage(x) for x in items]
        best = min(best, time.perf_counter() - start)
    return 1000 * best / max(len(items), 1), out


def stages(articles: Sequence[tuple[str, str]], repeat: int) -> dict[str, float]:
    """ms per article of each stage and of the whole job."""
    found: dict[str, float] = {}
    found["convert"], converted = _best(lambda a: convert_body(a[1], SETTINGS), articles, repeat)
    found["prose"], prose = _best(lambda c: prose_text(c.html), converted, repeat)
    found["sentences"], sentences = _best(split_sentences, prose, repeat)
    found["words_terms"], split = _best(lambda ss: [words_and_terms(s) for s in ss], sentences, repeat)
    found["claims"], _ = _best(raw_claims, sentences, repeat)
    found["lede_names"], _ = _best(lede_and_names, sentences, repeat)
    found["sketch"], _ = _best(lambda sp: sketch_of_words(list(chain.from_iterable(w for w, _ in sp))), split, repeat)
    found["rank"], _ = _best(lambda sp: select(*rank_terms([t for _, t in sp], []), 3) if sp else (), split, repeat)
    jobs = [(title, body, 3, SETTINGS, True, True, None) for title, body in articles]
    found["job"], _ = _best(_article_job, jobs, repeat)
    return {k: round(v, 3) for k, v in found.items()}


def _bbc(path: str, n: int) -> list[tuple[str, str]]:
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        return [split_document(row["document"]) for _, row in zip(range(n), csv.DictReader(handle))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--bbc", help="the BBC News Summary CSV (dev split)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = {"generated": stages([(a.title, a.body) for a in corpus.generate(args.articles)], args.repeat)}
    if args.bbc:
        result["bbc"] = stages(_bbc(args.bbc, args.articles), args.repeat)
    for name, found in result.items():
        print(f"{name:10s} " + "  ".join(f"{k} {v:.3f}" for k, v in found.items()) + "  (ms per article)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
