"""The analysis stage as the plugin runs it: cached, parallel, with progress on long runs.

`cached_analyser(...)` returns the `Analyser` that `build_digest` accepts: it looks every
article up in the on-disk cache, analyses only the misses (in parallel when there are
many), stores them, and returns the analyses by slug in input order. Topic stories and
related links are cheap and recomputed from these every build.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from .analyse import Analyser, analyse_article
from .cache import AnalysisCache
from .executor import Executor, choose_executor
from .model import Article, ArticleAnalysis

__all__ = ["cached_analyser"]

log = logging.getLogger("mkdocs.plugins.digest")

#: Runs with at least this many articles to analyse report progress every ~10%.
PROGRESS_FROM = 500


def _analyse_job(job: tuple[str, str, int]) -> ArticleAnalysis:
    """One article's analysis; module-level and tuple-fed so it pickles cheaply."""
    return analyse_article(*job)


def cached_analyser(summary_sentences: int, cache: AnalysisCache | None = None,
                    workers: int = 0, executor: Executor | None = None) -> Analyser:
    """An Analyser that reuses cached results and analyses the rest on `workers` processes."""

    def analyse(articles: Iterable[Article]) -> dict[str, ArticleAnalysis]:
        items = list(articles)
        found: dict[str, ArticleAnalysis] = {}
        todo: list[tuple[Article, str]] = []
        for article in items:
            key = cache.key(article.title, article.body, summary_sentences) if cache else ""
            hit = cache.get(key) if cache else None
            if hit is None:
                todo.append((article, key))
            else:
                found[article.slug] = hit
        start = time.perf_counter()
        jobs = [(a.title, a.body, summary_sentences) for a, _ in todo]
        runner = executor or choose_executor(len(jobs), workers)
        step = max(1, len(jobs) // 10)
        try:
            if len(jobs) >= PROGRESS_FROM:
                log.info("digest: analysing %d of %d articles on %d process(es)",
                         len(jobs), len(items), runner.workers)
            for done, ((article, key), analysis) in enumerate(zip(todo, runner.map(_analyse_job, jobs)), 1):
                found[article.slug] = analysis
                if cache:
                    cache.put(key, analysis)
                if len(jobs) >= PROGRESS_FROM and (done % step == 0 or done == len(jobs)):
                    log.info("digest: analysed %d/%d articles (%d%%, %.1f s)", done, len(jobs),
                             100 * done // len(jobs), time.perf_counter() - start)
        finally:
            if executor is None:
                runner.close()
        log.debug("digest: %d analyses reused from the cache, %d computed in %.2f s",
                  len(items) - len(jobs), len(jobs), time.perf_counter() - start)
        return {a.slug: found[a.slug] for a in items}

    return analyse
