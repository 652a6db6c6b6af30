"""The per-article stage as the plugin runs it: cached, parallel, with progress on long runs.

A `Pipeline` is the `Analyser` that `build_digest` accepts. The analysis reads an
article's prose from its converted body (digest/loading/prose.py), so one job per
article converts the body once and analyses the prose of that HTML; the analysis and,
when the plugin places the body itself, the converted body come back together. Both are
looked up first in the on-disk caches: an article with both is not touched, one whose
body is cached is analysed from that HTML without converting it again, and a cached
analysis whose body is missing only converts. The call waits for every job (every topic
page and related list combines the analyses), so the bodies are ready before any page
is rendered; `body(slug)` hands each to the plugin when its page comes up.

Articles whose body MkDocs must convert (a relative link, see `needs_mkdocs`) are still
converted here, for their prose only. Markdown settings that cannot be pickled are used
in this process instead of the pool or cluster (`kind`, see choose_executor). Call
`close()` when the build is over (or has failed) to release the workers and the bodies.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..loading.convert import DEFAULT_MARKDOWN, Converted, MarkdownSettings, convert_body, needs_mkdocs, picklable
from ..loading.prose import prose_text
from ..model import Article, ArticleAnalysis
from ..packedtext import pack, unpack
from .analyse import analyse_prose
from .cache import AnalysisCache, PageCache
from .executor import Executor, SerialExecutor, choose_executor

__all__ = ["Pipeline", "cached_analyser"]

log = logging.getLogger("mkdocs.plugins.digest")

#: Runs with at least this many articles to analyse report progress every ~10%.
PROGRESS_FROM = 500


class Utf8Text:
    """A job's text that pickles as UTF-8 bytes and arrives as a str. Pickling a str itself
    keeps a UTF-8 copy inside it for as long as it lives (CPython caches it there for any text
    beyond ASCII), and every article's body lives all build long: it would hold twice its size,
    390 MB at 100,000 generated articles. Encoding a bytes copy for every job up front instead
    would hold all of them during the analysis, in the workers forked then too. This encodes
    each as it is sent, and leaves the string as it was."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __reduce__(self) -> tuple[Callable[[bytes], str], tuple[bytes]]:
        return _decoded, (self.text.encode("utf-8", "surrogatepass"),)


def _decoded(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogatepass")


def _plain(text: str | Utf8Text) -> str:
    """The text of a job's field: a str once pickled, the wrapper in this process (no pickling)."""
    return text.text if isinstance(text, Utf8Text) else text


#: One article's job: title, Markdown body, summary length, settings, whether to analyse,
#: whether to return the converted body, and the body's HTML if the page cache had it.
Job = tuple[str, "str | Utf8Text", int, MarkdownSettings, bool, bool, "str | Utf8Text | None"]


def _article_job(job: Job) -> tuple[ArticleAnalysis | None, Converted | None]:
    """Convert the body (unless its HTML is given) and analyse its prose; module-level and
    tuple-fed so it pickles cheaply."""
    title, body, n, settings, analyse, keep, given = job
    converted = convert_body(_plain(body), settings) if given is None else Converted(_plain(given))
    analysis = analyse_prose(title, prose_text(converted.html), n) if analyse else None
    return analysis, converted if keep else None


@dataclass(frozen=True, slots=True)
class Packed:
    """A converted body as the pipeline holds it until its page is written: its HTML packed
    (digest/packedtext.py, about a third of the text's size). Every article's body
    waits from the analysis until MkDocs' page loop reaches it, so the text itself was the
    biggest thing alive in a build after the analyses (420 MB at 100,000 generated articles)."""

    html: bytes
    toc: tuple[dict[str, Any], ...]

    @classmethod
    def of(cls, body: Converted) -> Packed:
        return cls(pack(body.html), body.toc)

    def unpacked(self) -> Converted:
        return Converted(unpack(self.html), self.toc)


class Pipeline:
    """Cached, parallel analysis and body conversion of articles; see the module doc.

    `markdown`: the site's settings; the bodies of articles that do not need MkDocs are
    then converted for the plugin too. None: analyses only, prose converted with
    DEFAULT_MARKDOWN."""

    def __init__(self, summary_sentences: int, cache: AnalysisCache | None = None, workers: int = 0,
                 executor: Executor | None = None, markdown: MarkdownSettings | None = None,
                 page_cache: PageCache | None = None, kind: str = "local", scheduler: str | None = None) -> None:
        self.summary_sentences = summary_sentences
        self.cache, self.page_cache = cache, page_cache
        self.workers, self.executor, self.markdown = workers, executor, markdown
        self.kind, self.scheduler = kind, scheduler     # choose_executor's: "local" or "dask", and where
        self._bodies: dict[str, Packed] = {}
        self._converted: frozenset[str] = frozenset()

    @property
    def converted(self) -> frozenset[str]:
        """Slugs whose body this pipeline converts (the others are left to MkDocs)."""
        return self._converted

    def __call__(self, articles: Iterable[Article]) -> dict[str, ArticleAnalysis]:
        self.close()
        items = list(articles)
        settings = self.markdown or DEFAULT_MARKDOWN
        context = settings.fingerprint()
        n = self.summary_sentences
        found: dict[str, ArticleAnalysis] = {}
        todo: list[tuple[Article, str, str, Job]] = []     # (article, analysis key, body key, job)
        converted = []
        for article in items:
            key = self.cache.key(article.title, article.body, n, context) if self.cache else ""
            hit = self.cache.get(key) if self.cache else None
            keep = self.markdown is not None and not needs_mkdocs(article.body)
            body_key = self.page_cache.key(article.body) if keep and self.page_cache else ""
            body = self.page_cache.get(body_key) if body_key and self.page_cache else None
            if keep:
                converted.append(article.slug)
            if body is not None:
                self._bodies[article.slug] = Packed.of(body)
            if hit is not None:
                found[article.slug] = hit
            if hit is None or (keep and body is None):
                todo.append((article, key, body_key, (article.title, Utf8Text(article.body), n, settings, hit is None,
                                                      keep and body is None, Utf8Text(body.html) if body else None)))
        self._converted = frozenset(converted)
        self._run(todo, found, len(items), settings)
        return {a.slug: found[a.slug] for a in items}

    def _run(self, todo: list[tuple[Article, str, str, Job]], found: dict[str, ArticleAnalysis], total: int,
             settings: MarkdownSettings) -> None:
        """Run the jobs, storing each result; waits for all."""
        if not picklable(settings):
            if self.kind != "local" and todo:
                log.warning("digest: the Markdown settings cannot be pickled, so the analysis runs in the "
                            "build process instead of executor: %s", self.kind)
            runner: Executor = SerialExecutor()
        else:
            runner = self.executor or choose_executor(len(todo), self.workers, self.kind, self.scheduler)
        start = time.perf_counter()
        step, loud = max(1, len(todo) // 10), len(todo) >= PROGRESS_FROM
        if loud:
            log.info("digest: analysing %d of %d articles on %d process(es)", len(todo), total, runner.workers)
        try:
            results = runner.map(_article_job, [job for *_, job in todo])
            for done, ((article, key, body_key, _), (analysis, body)) in enumerate(zip(todo, results), 1):
                if analysis is not None:
                    found[article.slug] = analysis
                    if self.cache:
                        self.cache.put(key, analysis)
                if body is not None:
                    self._bodies[article.slug] = Packed.of(body)
                    if self.page_cache:
                        self.page_cache.put(body_key, body)
                if loud and (done % step == 0 or done == len(todo)):
                    log.info("digest: analysed %d/%d articles (%d%%, %.1f s)", done, len(todo),
                             100 * done // len(todo), time.perf_counter() - start)
        finally:
            if runner is not self.executor:
                runner.close()
        log.debug("digest: %d of %d articles reused from the cache, %d analysed or converted in %.2f s",
                  total - len(todo), total, len(todo), time.perf_counter() - start)

    def bodies(self) -> dict[str, Converted]:
        """Every body this pipeline converted (or found in the page cache), by slug."""
        return {slug: body.unpacked() for slug, body in self._bodies.items()}

    def body(self, slug: str, take: bool = False) -> Converted | None:
        """The converted body of an article; None if the pipeline does not convert it (MkDocs
        does). `take`: hand it over and forget it (a build needs each body once)."""
        found = self._bodies.pop(slug, None) if take else self._bodies.get(slug)
        return found.unpacked() if found is not None else None

    def close(self) -> None:
        """Drop the bodies (the workers are released when the jobs are done)."""
        self._bodies, self._converted = {}, frozenset()


def cached_analyser(summary_sentences: int, cache: AnalysisCache | None = None,
                    workers: int = 0, executor: Executor | None = None) -> Pipeline:
    """A Pipeline that analyses only (no body conversion)."""
    return Pipeline(summary_sentences, cache, workers, executor)
