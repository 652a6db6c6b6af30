"""The MkDocs plugin: content/ in, generated topic, article, archive and source pages out.

Hooks, in build order:
- on_config: adds our theme overrides and stylesheet to the Material theme.
- on_files: loads and validates all of content/, analyses it, renders every page and
  swaps the raw article files for the generated pages (nothing is written to disk).
- on_env: renders the theme's nav once per folder for pages outside the nav (articles).
- on_page_context: tells the theme's head (overrides/main.html) which feeds a page links to.
- on_serve: also watches site_templates/ (MkDocs already watches content/).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
import markdown
import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from .analyse import AnalysisOptions, Analyser, build_digest
from .cache import AnalysisCache, PageCache
from .config import DigestConfig
from .errors import ValidationFailed
from .feeds import FEED_FILES, MEDIA_TYPES, SiteInfo, build_feeds, feed_paths
from .loader import Corpus, load_corpus
from .navcache import memoise_nav_partials
from .pipeline import cached_analyser
from .render import PageSet, Renderer, page_uri, templates_dir
from .sanitize import clean_html, sanitize_version

__all__ = ["DigestPlugin"]

log = logging.getLogger("mkdocs.plugins.digest")
STYLESHEET = "assets/digest.css"


class DigestPlugin(BasePlugin[DigestConfig]):
    """Builds a news digest from the Markdown articles in docs_dir.

    `now` is the moment the build publishes as of (embargo); None means build_time(),
    i.e. the clock or NEWSDIGEST_NOW. Tests set it directly.
    """

    now: datetime | None = None

    def __init__(self) -> None:
        super().__init__()
        self._topic_pages: dict[str, tuple[str, str]] = {}
        self.article_uris: frozenset[str] = frozenset()
        self.pageset: PageSet | None = None
        self.page_cache: PageCache | None = None
        self._page_keys: dict[str, str] = {}            # article -> cache key to store under
        self._page_hits: dict[str, tuple[str, list[dict[str, object]]]] = {}   # article -> cached

    def _cache_dir(self, config: MkDocsConfig) -> Path:
        """`cache_dir`, relative to the folder of mkdocs.yml."""
        return Path(config.config_file_path or ".").resolve().parent / self.config.cache_dir

    def _page_cache(self, config: MkDocsConfig) -> PageCache | None:
        """The cache of converted article HTML, keyed also by everything conversion depends on."""
        if not self.config.cache:
            return None
        context = json.dumps([mkdocs.__version__, markdown.__version__, config.use_directory_urls,
                              [str(e) for e in config.markdown_extensions], repr(config.mdx_configs),
                              self.config.sanitize_html, sanitize_version()], default=str)
        return PageCache(self._cache_dir(config) / "pages", hashlib.sha256(context.encode()).hexdigest())

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.config.feeds and not config.site_url:
            log.warning("digest: feeds are on but mkdocs.yml has no site_url, so feed and canonical "
                        "links cannot be absolute. Fix: set site_url to the site's public address.")
        overrides = str(templates_dir() / "overrides")
        if overrides not in config.theme.dirs:
            config.theme.dirs.insert(0, overrides)
        if STYLESHEET not in [str(x) for x in config.extra_css]:
            config.extra_css.append(STYLESHEET)
        return config

    def options(self) -> AnalysisOptions:
        return AnalysisOptions(
            summary_sentences=self.config.summary_sentences,
            topic_sentences=self.config.topic_sentences,
            topic_half_life_days=float(self.config.topic_half_life_days),
            related=self.config.related_articles,
            related_min_score=self.config.related_min_score,
            duplicate_threshold=self.config.duplicate_threshold,
            figure_window_days=float(self.config.figure_window_days),
        )

    def analyser(self, config: MkDocsConfig) -> Analyser:
        """Cached (in `cache_dir`, beside mkdocs.yml) and parallel (`workers`) analysis."""
        cache = AnalysisCache(self._cache_dir(config)) if self.config.cache else None
        return cached_analyser(self.config.summary_sentences, cache, self.config.workers)

    def load(self, config: MkDocsConfig) -> Corpus:
        """Load and validate content/; one PluginError lists every problem."""
        try:
            corpus = load_corpus(Path(config.docs_dir), self.config.topics_file,
                                 max_bytes=self.config.max_article_kb * 1024, now=self.now)
        except ValidationFailed as exc:
            raise PluginError(str(exc)) from None
        for warning in corpus.warnings:
            log.warning(str(warning))
        if corpus.scheduled and not self.config.scheduled:
            log.info("digest: %d scheduled article(s) held back until their date (see `digest check`)",
                     len(corpus.scheduled))
        return corpus

    # Runs after other plugins' on_files so that generated pages are not re-filtered by them.
    @event_priority(-50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        corpus = self.load(config)
        articles = (corpus.articles + (corpus.drafts if self.config.drafts else ())
                    + (corpus.scheduled if self.config.scheduled else ()))
        digest = build_digest(corpus.topics, articles, self.options(), analyser=self.analyser(config))
        renderer = Renderer(config.use_directory_urls, self.config.latest_articles,
                            full_text_days=self.config.search_full_text_days or None, chart_period=self.config.chart_period,
                            feeds=FEED_FILES if self.config.feeds else None,
                            topic_articles=self.config.topic_page_articles)
        pageset = self.pageset = renderer.render(digest)
        self.page_cache = self._page_cache(config)
        self._page_keys, self._page_hits = {}, {}
        self.article_uris = frozenset(page_uri("article", a.slug) for a in digest.articles)
        docs = Path(config.docs_dir).resolve()
        for file in list(files):
            if file.abs_src_path is None:
                continue
            src = Path(file.abs_src_path).resolve()
            if src.suffix == ".md" or src == docs / self.config.topics_file:
                files.remove(file)
        in_nav = {uri for item in pageset.nav for uri in _uris(item)}
        for uri, content in pageset.pages.items():
            existing = files.get_file_from_path(uri)
            if existing is not None:
                files.remove(existing)
            inclusion = InclusionLevel.UNDEFINED if uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))
        if self.config.feeds:
            site = SiteInfo(config.site_name, config.site_description or "", config.site_url or "",
                            config.use_directory_urls, str(config.theme.get("language") or "en"))
            for path, text in build_feeds(digest, site, self.config.feed_entries).items():
                existing = files.get_file_from_path(path)
                if existing is not None:
                    files.remove(existing)
                files.append(File.generated(config, path, content=text))
        self._topic_pages = {page_uri("topic", t.id): (t.id, t.title) for t in corpus.topics}
        if self.config.build_nav and config.nav is None:
            config.nav = pageset.nav
        log.info("digest: %d articles, %d topics, %d pages generated",
                 len(articles), len(corpus.topics), len(pageset.pages))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        """An unchanged article's converted HTML comes from the page cache: Markdown gets nothing."""
        uri = page.file.src_uri
        if self.page_cache is None or self.pageset is None or uri not in self.article_uris:
            return markdown
        key = self.page_cache.key(uri, markdown.replace(self.pageset.nonce, _NONCE))
        hit = self.page_cache.get(key)
        if hit is None:
            self._page_keys[uri] = key
            return markdown
        self._page_hits[uri] = hit
        return ""

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        """Sanitise article pages (their bodies are untrusted), then put our own HTML back."""
        uri = page.file.src_uri
        nonce = self.pageset.nonce if self.pageset else ""
        if uri in self._page_hits:
            cached, toc = self._page_hits.pop(uri)
            html, page.toc = cached.replace(_NONCE, nonce), get_toc(toc)  # type: ignore[arg-type]
        else:
            if self.config.sanitize_html and uri in self.article_uris:
                html = clean_html(html)
            if self.page_cache is not None and uri in self._page_keys:
                self.page_cache.put(self._page_keys.pop(uri), html.replace(nonce, _NONCE), _toc_tokens(page.toc))
        return self.pageset.fill(uri, html) if self.pageset else html

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext | None:
        """`digest_feeds`: the feeds this page links to from its head, its topic's first."""
        if not self.config.feeds:
            return context
        names = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}
        groups: list[tuple[str | None, str]] = [(None, config.site_name)]
        if page.file.src_uri in self._topic_pages:
            tid, title = self._topic_pages[page.file.src_uri]
            groups.insert(0, (tid, f"{title} · {config.site_name}"))
        base = (config.site_url or "").rstrip("/") + "/" if config.site_url else ""
        context["digest_feeds"] = [  # type: ignore[typeddict-unknown-key]
            {"type": MEDIA_TYPES[kind], "title": f"{title} ({names[kind]})",
             "href": base + path if base else get_relative_url(path, page.url)}
            for tid, title in groups for kind, path in feed_paths(tid).items()]
        return context

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment | None:
        memoise_nav_partials(env)   # the nav is rendered once per folder for articles
        return env

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer | None:
        server.watch(str(templates_dir()))
        return server


_NONCE = "\x00nd-nonce\x00"    # stands for the build's random slot nonce in cached HTML


def _toc_tokens(toc: Iterable[AnchorLink]) -> list[dict[str, object]]:
    """A table of contents back as the tokens `get_toc` reads (to cache it as JSON)."""
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _toc_tokens(a.children)} for a in toc]


def _uris(item: object) -> list[str]:
    """Every page source path named in a nav entry, however deeply nested."""
    if isinstance(item, str):
        return [item]
    if isinstance(item, dict):
        return [u for v in item.values() for u in _uris(v)]
    if isinstance(item, list):
        return [u for v in item for u in _uris(v)]
    return []
