"""The per-article stage as the plugin runs it: cached, parallel, with progress on long runs.

A `Pipeline` is the `Analyser` that `build_digest` accepts. For every article it looks
up the analysis and (when `markdown` settings are given) the converted body in the
on-disk caches and computes only what is missing, in parallel when there is much to do.

The two halves are needed at different times, so they are scheduled differently:
- analyses are needed at once (every topic page and related list combines them), so the
  call waits for all of them and returns them by slug;
- converted bodies are needed only when MkDocs writes each article page, so their jobs
  are queued on the same pool right after and `body(slug)` collects each result when
  its page comes up. The pool converts while the build process combines the analyses,
  renders pages and runs the theme: on two cores that overlaps the two largest costs
  of a cold build instead of adding them.
Call `close()` when the build is over (or has failed) to release the workers.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterable, Iterator

from ..loading.convert import Converted, MarkdownSettings, convert_body, needs_mkdocs
from ..model import Article, ArticleAnalysis
from .analyse import analyse_article
from .cache import AnalysisCache, PageCache
from .executor import Executor, choose_executor

__all__ = ["Pipeline", "cached_analyser"]

log = logging.getLogger("mkdocs.plugins.digest")

#: Runs with at least this many articles to analyse report progress every ~10%.
PROGRESS_FROM = 500


def _analyse_job(job: tuple[str, str, int]) -> ArticleAnalysis:
    """One article's analysis; module-level and tuple-fed so it pickles cheaply."""
    return analyse_article(*job)


def _convert_job(job: tuple[str, MarkdownSettings]) -> Converted:
    return convert_body(*job)


class Pipeline:
    """Cached, parallel analysis and body conversion of articles; see the module doc."""

    def __init__(self, summary_sentences: int, cache: AnalysisCache | None = None, workers: int = 0,
                 executor: Executor | None = None, markdown: MarkdownSettings | None = None,
                 page_cache: PageCache | None = None) -> None:
        self.summary_sentences = summary_sentences
        self.cache, self.page_cache = cache, page_cache
        self.workers, self.executor, self.markdown = workers, executor, markdown
        self._runner: Executor | None = None
        self._bodies: dict[str, Converted] = {}
        self._queued: deque[tuple[str, str]] = deque()     # (slug, page-cache key), in job order
        self._results: Iterator[Converted] = iter(())

    @property
    def converted(self) -> frozenset[str]:
        """Slugs whose body this pipeline converts (the others are left to MkDocs)."""
        return frozenset(self._bodies) | frozenset(slug for slug, _ in self._queued)

    def __call__(self, articles: Iterable[Article]) -> dict[str, ArticleAnalysis]:
        self.close()
        items = list(articles)
        found: dict[str, ArticleAnalysis] = {}
        todo: list[tuple[Article, str]] = []
        convert: list[tuple[Article, str]] = []
        for article in items:
            key = self.cache.key(article.title, article.body, self.summary_sentences) if self.cache else ""
            hit = self.cache.get(key) if self.cache else None
            if hit is None:
                todo.append((article, key))
            else:
                found[article.slug] = hit
            if self.markdown is not None and not needs_mkdocs(article.body):
                body_key = self.page_cache.key(article.body) if self.page_cache else ""
                body = self.page_cache.get(body_key) if self.page_cache else None
                if body is None:
                    convert.append((article, body_key))
                else:
                    self._bodies[article.slug] = body
        self._runner = self.executor or choose_executor(len(todo) + len(convert), self.workers)
        self._analyse(todo, found, len(items))
        if convert and self.markdown is not None:
            self._queued = deque((a.slug, key) for a, key in convert)
            self._results = self._runner.map(_convert_job, [(a.body, self.markdown) for a, _ in convert])
        elif self.executor is None:
            self._runner.close()
        return {a.slug: found[a.slug] for a in items}

    def _analyse(self, todo: list[tuple[Article, str]], found: dict[str, ArticleAnalysis], total: int) -> None:
        """Analyse the cache misses on the runner, storing each result; waits for all."""
        assert self._runner is not None
        start = time.perf_counter()
        step, loud = max(1, len(todo) // 10), len(todo) >= PROGRESS_FROM
        if loud:
            log.info("digest: analysing %d of %d articles on %d process(es)",
                     len(todo), total, self._runner.workers)
        jobs = [(a.title, a.body, self.summary_sentences) for a, _ in todo]
        for done, ((article, key), analysis) in enumerate(zip(todo, self._runner.map(_analyse_job, jobs)), 1):
            found[article.slug] = analysis
            if self.cache:
                self.cache.put(key, analysis)
            if loud and (done % step == 0 or done == len(todo)):
                log.info("digest: analysed %d/%d articles (%d%%, %.1f s)", done, len(todo),
                         100 * done // len(todo), time.perf_counter() - start)
        log.debug("digest: %d analyses reused from the cache, %d computed in %.2f s",
                  total - len(todo), len(todo), time.perf_counter() - start)

    def body(self, slug: str) -> Converted | None:
        """The converted body of an article, waiting for its job if need be; None if the
        pipeline does not convert it (MkDocs does)."""
        while slug not in self._bodies and self._queued:
            queued, key = self._queued.popleft()
            converted = next(self._results)
            self._bodies[queued] = converted
            if self.page_cache:
                self.page_cache.put(key, converted)
        return self._bodies.get(slug)

    def close(self) -> None:
        """Release the workers; bodies not yet collected are dropped (and recomputed next time)."""
        if self._runner is not None and self.executor is None:
            self._runner.close()
        self._runner, self._queued, self._results = None, deque(), iter(())
        self._bodies = {}


def cached_analyser(summary_sentences: int, cache: AnalysisCache | None = None,
                    workers: int = 0, executor: Executor | None = None) -> Pipeline:
    """A Pipeline that analyses only (no body conversion)."""
    return Pipeline(summary_sentences, cache, workers, executor)
