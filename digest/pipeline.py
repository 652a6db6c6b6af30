"""The per-article stage as the plugin runs it: cached, parallel, with progress on long runs.

A `Pipeline` is the `Analyser` that `build_digest` accepts. For every article it looks
up the analysis (and, when `markdown` settings are given, the converted body) in the
on-disk caches, computes only what is missing, in parallel when there is much to do,
stores it, and returns the analyses by slug in input order; the converted bodies are
left in `bodies` for the renderer. Topic stories and related links are cheap and
recomputed from these every build.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from .analyse import analyse_article
from .cache import AnalysisCache, PageCache
from .convert import Converted, MarkdownSettings, convert_body
from .executor import Executor, choose_executor
from .model import Article, ArticleAnalysis

__all__ = ["Pipeline", "cached_analyser"]

log = logging.getLogger("mkdocs.plugins.digest")

#: Runs with at least this many articles to process report progress every ~10%.
PROGRESS_FROM = 500

_Job = tuple[str, str, int, bool, "MarkdownSettings | None"]


def _run_job(job: _Job) -> tuple[ArticleAnalysis | None, Converted | None]:
    """One article's missing work; module-level and tuple-fed so it pickles cheaply."""
    title, body, n, analyse, markdown = job
    return (analyse_article(title, body, n) if analyse else None,
            convert_body(body, markdown) if markdown is not None else None)


class Pipeline:
    """Cached, parallel analysis (and body conversion) of articles; see the module doc."""

    def __init__(self, summary_sentences: int, cache: AnalysisCache | None = None, workers: int = 0,
                 executor: Executor | None = None, markdown: MarkdownSettings | None = None,
                 page_cache: PageCache | None = None) -> None:
        self.summary_sentences = summary_sentences
        self.cache, self.page_cache = cache, page_cache
        self.workers, self.executor, self.markdown = workers, executor, markdown
        self.bodies: dict[str, Converted] = {}

    def _lookup(self, article: Article) -> tuple[ArticleAnalysis | None, Converted | None, str, str]:
        """(cached analysis, cached body, analysis key, body key); None where absent."""
        key = self.cache.key(article.title, article.body, self.summary_sentences) if self.cache else ""
        body_key = self.page_cache.key(article.body) if self.page_cache else ""
        return (self.cache.get(key) if self.cache else None,
                self.page_cache.get(body_key) if self.page_cache else None, key, body_key)

    def __call__(self, articles: Iterable[Article]) -> dict[str, ArticleAnalysis]:
        items = list(articles)
        found: dict[str, ArticleAnalysis] = {}
        self.bodies = {}
        todo: list[tuple[Article, str, str]] = []
        jobs: list[_Job] = []
        for article in items:
            analysis, body, key, body_key = self._lookup(article)
            if analysis is not None:
                found[article.slug] = analysis
            if body is not None:
                self.bodies[article.slug] = body
            settings = self.markdown if body is None else None
            if analysis is None or settings is not None:
                todo.append((article, key, body_key))
                jobs.append((article.title, article.body, self.summary_sentences, analysis is None, settings))
        start = time.perf_counter()
        runner = self.executor or choose_executor(len(jobs), self.workers)
        step = max(1, len(jobs) // 10)
        loud = len(jobs) >= PROGRESS_FROM
        try:
            if loud:
                log.info("digest: analysing %d of %d articles on %d process(es)",
                         len(jobs), len(items), runner.workers)
            for done, ((article, key, body_key), (analysis, body)) in enumerate(
                    zip(todo, runner.map(_run_job, jobs)), 1):
                if analysis is not None:
                    found[article.slug] = analysis
                    if self.cache:
                        self.cache.put(key, analysis)
                if body is not None:
                    self.bodies[article.slug] = body
                    if self.page_cache:
                        self.page_cache.put(body_key, body)
                if loud and (done % step == 0 or done == len(jobs)):
                    log.info("digest: analysed %d/%d articles (%d%%, %.1f s)", done, len(jobs),
                             100 * done // len(jobs), time.perf_counter() - start)
        finally:
            if self.executor is None:
                runner.close()
        log.debug("digest: %d articles reused from the cache, %d processed in %.2f s",
                  len(items) - len(jobs), len(jobs), time.perf_counter() - start)
        return {a.slug: found[a.slug] for a in items}


def cached_analyser(summary_sentences: int, cache: AnalysisCache | None = None,
                    workers: int = 0, executor: Executor | None = None) -> Pipeline:
    """A Pipeline that analyses only (no body conversion)."""
    return Pipeline(summary_sentences, cache, workers, executor)
