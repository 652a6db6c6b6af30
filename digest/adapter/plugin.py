"""The MkDocs plugin: content/ in, generated topic, article, archive and source pages out.

Hooks, in build order:
- on_config: waits for any other build of this site to end (digest/adapter/lock.py), held
  until on_post_build or on_build_error; adds our theme overrides and stylesheet to the
  Material theme; warns about Material plugins that hinder the digest
  (digest/adapter/materialplugins.py); picks the message catalogue for theme.language
  (digest/pages/messages.py), warning when there is none.
- on_files: loads and validates all of content/, then generates every page, feed and search
  record (digest/adapter/generate.py; the analysis is cached and runs on a pool that converts
  each body once, digest/adapter/pipelines.py); swaps the raw article files for the generated
  pages (nothing is written to disk); starts writing the search index in the background.
- on_page_content: fills our HTML slots; sanitises a body MkDocs converted itself.
- on_env: renders the theme's nav once per folder for pages outside the nav (articles,
  digest/adapter/navcache.py; `cache_nav`).
- on_page_context: puts in the article's converted body, the feed links of the page's head and
  the search box's strings (`digest_search_messages`); last of all plugins, fills an article
  page into the theme's frame (digest/adapter/frame.py).
- on_post_page: checks the first filled page of each shape against the theme's own output.
- on_post_build: waits for the search index (site/pagefind/) and prunes cache entries
  the build did not use.
- on_nav: keeps the final files and nav for the live preview.
- on_serve: also watches site_templates/; under `live_preview`, article changes take the fast
  rebuild of digest/adapter/livepreview.py instead of MkDocs' full one.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from ..analysis.analyse import AnalysisOptions
from ..analysis.stories import StoryIndex
from ..analysis.executor import ExecutorError
from ..analysis.pipeline import Pipeline
from ..errors import ValidationFailed
from ..loading.convert import Converted
from ..loading.loader import Corpus, ParseMemo, load_corpus
from ..loading.sanitize import clean_html
from ..model import Article, ArticleAnalysis
from ..pages.messages import Messages
from ..pages.messages import load as load_messages
from ..pages.searchshards import IndexJob, SearchIndexError
from ..pages.render import PageSet, mount, page_uri, page_url, templates_dir
from .config import DigestConfig
from .memory import give_back
from .frame import FrameMaker
from .generate import Generated, generate, language, topics_file_uri
from .livepreview import LivePreview
from .lock import SiteLock
from .headfeeds import head_feeds
from .materialplugins import prepare_theme, social_tags
from .pipelines import analysis_options, cache_dir, close_pipeline, make_pipeline
from .navcache import NavMemo, memoise_nav_partials
from .pagefiles import SlotPage, keep_safe_files, make_folders
from .watching import watch_events
from .placement import NAV_PLACEHOLDER, article_sources, articles_folder, blog_dirs, check_collisions, place_nav

#: Material overrides (main.html, partials, assets): they know Material's markup, so they live here.
OVERRIDES = Path(__file__).resolve().parent / "overrides"

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
        self._rendered: dict[str, str] = {}     # a generated page's path in the site -> in the PageSet
        self.article_uris: frozenset[str] = frozenset()
        self.pageset: PageSet | None = None
        self._pipeline: Pipeline | None = None
        self._frames: FrameMaker | None = None      # the theme's page around article pages
        self._bodies: dict[str, str] = {}     # article page -> slug, for bodies the pipeline converts
        self._search: IndexJob | None = None    # the search index, written while pages render
        self._frozen = False                    # objects of this build kept out of gc passes
        self._stories: StoryIndex | None = None  # story clustering of the last build (serve)
        self._nav_memos: list[NavMemo] = []     # the theme's nav partials, rendered once per folder
        self.messages: Messages = load_messages(None)  # our words, in theme.language (on_config)
        self._search_strings: dict[str, str] = self.messages.search_strings()
        self._serving = False
        self._lock = SiteLock()                 # one build of this site at a time (lock.py)
        self.made: Generated | None = None      # what the last build generated (serve)
        self._live: LivePreview | None = None   # `mkdocs serve`'s fast rebuilds (livepreview.py)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._serving = command == "serve"     # draft_docs pages are built under `mkdocs serve`
        self._live = LivePreview(self) if self._serving and self.config.live_preview else None

    @property
    def serving(self) -> bool:
        return self._serving

    # First: no other plugin's on_config, and not MkDocs' cleaning of site_dir, runs before
    # a concurrent build of this site has ended (see lock.py).
    @event_priority(100)
    def _take_lock(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.acquire(config)
        return config

    def acquire(self, config: MkDocsConfig) -> None:
        """Wait for any other build of this site to end (lock.py), then hold it off."""
        self._lock.take(cache_dir(config, self.config) if self.config.cache else None, Path(config.site_dir))

    def release(self) -> None:
        self._lock.release()

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.config.feeds and not config.site_url:
            log.warning("digest: feeds are on but mkdocs.yml has no site_url, so feed and canonical "
                        "links cannot be absolute. Fix: set site_url to the site's public address.")
        prepare_theme(config, OVERRIDES, STYLESHEET)
        self.messages = load_messages(language(config))
        self._search_strings = self.messages.search_strings()
        if self.messages.warning:
            log.warning(self.messages.warning)
        return config

    on_config = CombinedEvent(_take_lock, _configure)

    def options(self) -> AnalysisOptions:
        return analysis_options(self.config)

    def pipeline(self, config: MkDocsConfig, serial: bool = False) -> Pipeline:
        return make_pipeline(config, self.config, serial)

    def adopt(self, pipeline: Pipeline) -> None:
        """Use `pipeline` for this (live) rebuild; `release_pipeline` commits its caches."""
        self._close()
        self._pipeline = pipeline

    def release_pipeline(self) -> None:
        self._close()

    def stories(self) -> StoryIndex:
        """The story clustering, kept from build to build (see digest/analysis/stories.py)."""
        self._stories = self._stories or StoryIndex(self.options().stories, keep_read=self._live is not None)
        return self._stories

    def read(self, config: MkDocsConfig, sources: list[File] | None = None, memo: ParseMemo | None = None) -> Corpus:
        """Load and validate the articles (`sources`, or every Markdown file of articles_dir);
        raises ValidationFailed. `digest check` reads them so too. `memo`: the files parsed by
        the last live rebuild, re-read only when their size or modification time changed."""
        folder = articles_folder(config, self.config.articles_dir)
        candidates = None if sources is None else [f.abs_src_path or "" for f in sources]
        return load_corpus(folder, self.config.topics_file, candidates=candidates,
                           max_bytes=self.config.max_article_kb * 1024, now=self.now,
                           allow_raw_html=self.config.allow_raw_html_files, memo=memo)

    def load(self, config: MkDocsConfig, sources: list[File] | None = None, memo: ParseMemo | None = None,
             live: bool = False) -> Corpus:
        """Load and validate the articles; one PluginError lists every problem (in a `live`
        rebuild: ValidationFailed, so that the full build it falls back to reports them)."""
        try:
            corpus = self.read(config, sources, memo)
        except ValidationFailed as exc:
            if live:
                raise
            raise PluginError(str(exc)) from None
        for warning in corpus.warnings:
            log.warning(str(warning))
        if corpus.scheduled and not self.config.scheduled:
            log.info("digest: %d scheduled article(s) held back until their date (see `digest check`)",
                     len(corpus.scheduled))
        return corpus

    def published(self, corpus: Corpus) -> tuple[Article, ...]:
        """The articles this build publishes: drafts and scheduled ones only when asked to."""
        return (corpus.articles + (corpus.drafts if self.config.drafts else ())
                + (corpus.scheduled if self.config.scheduled else ()))

    def take(self, made: Generated) -> None:
        """What the page events need of a build's output (full build or live rebuild)."""
        self.made, self.pageset = made, made.pageset
        self._rendered, self._bodies = made.rendered, made.bodies
        self.article_uris, self._topic_pages = made.article_uris, made.topic_pages

    def start_search(self, config: MkDocsConfig, made: Generated, later: bool = False) -> None:
        """Write the search index in the background (it needs only the digest); `later`: make
        its records there too (a live rebuild does not wait for them)."""
        self.cancel_search()
        self._search = IndexJob(Path(config.site_dir) / "pagefind", made.records if later else made.records(),
                                language(config), self.config.search_shard_size,
                                cache_dir(config, self.config) / "search" if self.config.cache else None)

    # Runs after other plugins' on_files so that generated pages are not re-filtered by them,
    # and after Material's blog (-50), which marks its posts as excluded there.
    @event_priority(-60)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        blogs = blog_dirs(config)
        sources = article_sources(files, config, self.config.articles_dir, blogs, self._serving)
        corpus = self.load(config, sources, self._live.parsed if self._live is not None else None)
        articles = self.published(corpus)
        # Everything so far lives until the build ends: keep it out of the cyclic garbage
        # collector's full passes, here and in the pool's forked workers; released in _close.
        gc.freeze()
        self._frozen = True
        if config.use_directory_urls:
            make_folders(Path(config.site_dir), [page_url(mount(page_uri("article", a.slug), self.config.prefix),
                                                          True) for a in articles])
        if self._pipeline is not None:
            self._pipeline.close()
        pipeline = self._pipeline = self.pipeline(config)
        memo = pipeline.cache.pairs.load() if pipeline.cache else None
        if self._stories is None and self._live is None and pipeline.cache:    # the last build's
            self._stories = pipeline.cache.stories.load(self.options().stories)
            if self._stories is not None:
                log.debug("digest: story grouping resumed from the last build's %d articles",
                          len(self._stories.items))
        self._stories = self._stories or StoryIndex(self.options().stories, keep_read=self._live is not None)
        def analysed(items: Iterable[Article]) -> dict[str, ArticleAnalysis]:
            # The pool's results are unpickled, their buffers freed: heap the grouping cannot use.
            found = pipeline(items)
            give_back()
            return found

        analyser = self._live.analyser(pipeline) if self._live is not None else analysed

        def grouped() -> None:
            # A one-off build stores its story grouping for the next (which starts from it) and
            # lets it go before related coverage and the pages: every article's vector and
            # every story's sums were a fifth of the build's peak memory.
            if pipeline.cache and self._stories is not None:
                pipeline.cache.stories.keep(self._stories)
            self._stories = None
            give_back()

        try:
            made = generate(config, self.config, self.options(), self.messages, corpus, articles, analyser,
                            lambda: pipeline.converted, memo, self.stories,
                            memo=self._live.memo if self._live is not None else None,
                            grouped=None if self._serving else grouped)
        except ExecutorError as exc:
            raise PluginError(str(exc)) from None
        if pipeline.cache and memo is not None:
            pipeline.cache.pairs.keep(memo)
        self.start_search(config, made)
        self.take(made)
        # The articles and topics.yml are the digest's sources, not pages: every other file stays.
        for file in [*sources, files.get_file_from_path(topics_file_uri(self.config))]:
            if file is not None:
                files.remove(file)
        keep_safe_files(files, str(articles_folder(config, self.config.articles_dir)), corpus.files)
        counts = len(articles), len(corpus.topics)
        if self._live is not None:
            self._live.took(config, corpus, made, sources, memo)
        # Nothing else holds the articles (their raw bodies) and their source files now: a
        # one-off build lets them go before the page files, which MkDocs holds to the end, can
        # reuse their memory (a live preview has kept them, just above).
        del corpus, articles, sources
        give_back()
        generated = [self.page_file(config, uri, made) for uri in made.pages]
        generated += [File.generated(config, path, content=text) for path, text in made.feeds.items()]
        check_collisions(files, generated, Path(config.docs_dir).name, blogs)
        at = self.config.prefix
        if not place_nav(config, files, made.nav, at, self.config.nav_title, self.config.build_nav):
            log.info("digest: the nav in mkdocs.yml has no place for the digest's pages. Fix: add an "
                     "entry such as '- %s: %s' where they belong.", self.config.nav_title,
                     f"{at}/" if at else NAV_PLACEHOLDER)
        for file in generated:
            files.append(file)
        log.info("digest: %d articles, %d topics, %d pages generated", *counts, len(made.pages))
        if not self._serving:
            # A one-off build needs neither again: the digest (every analysis) and the story
            # index were half the build's memory, which MkDocs' page loop can now reuse.
            self.made = self._stories = None
            del made
            give_back()
        return files

    def page_file(self, config: MkDocsConfig, uri: str, made: Generated) -> File:
        """A generated page's file (and page, for a body converted outside MkDocs)."""
        inclusion = InclusionLevel.UNDEFINED if uri in made.in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, uri, content=made.pages[uri], inclusion=inclusion)
        if uri in made.bodies:     # MkDocs keeps a page a plugin sets (and makes none)
            SlotPage(None, file, config, made.pageset)
        return file

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        """Put our own HTML in place of its placeholders; a body MkDocs converted itself is
        sanitised first (article text is untrusted). Pool-converted bodies come later."""
        uri = page.file.src_uri
        if uri not in self._rendered or self.pageset is None:
            return html         # a page of the site's own
        if self.config.sanitize_html and uri in self.article_uris and uri not in self._bodies:
            html = clean_html(html)
        return self.pageset.fill(self._rendered[uri], html, take=not self._serving)

    # Before other plugins read the page's content for the template (e.g. a search index).
    @event_priority(100)
    def _put_body(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                  nav: Navigation) -> TemplateContext | None:
        """An article's converted body (and table of contents) goes in now, before other
        plugins read the page's content."""
        slug = self._bodies.get(page.file.src_uri)
        body = self._body(slug) if slug is not None else None
        if body is not None and self.pageset is not None and page.content is not None:
            page.content = page.content.replace(self.pageset.body_marker, body.html, 1)
            page.toc = get_toc(list(body.toc))  # type: ignore[arg-type]
        # Our Open Graph / Twitter tags yield to those Material's social plugin writes.
        context["digest_social_tags"] = social_tags(config, page)  # type: ignore[typeddict-unknown-key]
        context["digest_search_messages"] = self._search_strings  # type: ignore[typeddict-unknown-key]
        if self.config.feeds:
            topic = self._topic_pages.get(page.file.src_uri)
            context["digest_feeds"] = head_feeds(config, page.url, topic, self.config.prefix)  # type: ignore[typeddict-unknown-key]
        return context

    # After every other plugin, so the frame is filled with the page as they left it.
    @event_priority(-100)
    def _fill_page(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                   nav: Navigation) -> TemplateContext | None:
        """An article page goes into its shape's frame instead of the theme's template
        (overrides/main.html prints it as it is), once the frame has passed its check."""
        if self._frames is None or page.file.src_uri not in self.article_uris or page.file.inclusion.is_in_nav():
            return context
        self._frames.fill_in(page, context)
        return context

    on_page_context = CombinedEvent(_put_body, _fill_page)

    # First, so the check compares the template's own output.
    @event_priority(100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """A shape's first page is rendered by the theme: its frame is used for the others
        only if filling it gave the same page. A filled page gets its body back."""
        if self._frames is not None:
            self._frames.check(page, output)
            self._frames.written(page)
        return output

    def _body(self, slug: str) -> Converted | None:
        """An article's body converted outside MkDocs: by this build's pipeline, or kept by the live preview."""
        # A build takes each body out of the pipeline as its page comes up (its page holds it
        # from then on); a live preview keeps its own copies for the next rebuild.
        found = self._pipeline.body(slug, take=self._live is None) if self._pipeline is not None else None
        if found is None and self._live is not None:
            found = self._live.body(slug)
        return found

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment | None:
        # The nav is rendered once per folder for articles (checked on each folder's second page).
        self._nav_memos = memoise_nav_partials(env) if self.config.cache_nav else []
        # The search box's strings also for templates without a page (the 404 page).
        env.globals["digest_search_messages"] = self._search_strings
        self._frames = FrameMaker(env, config) if self.config.fill_pages else None
        # A build gets a fresh environment (also under `mkdocs serve`), so templates cannot
        # change during one: skip the file-system check Jinja makes on every include.
        env.auto_reload = False
        if self._live is not None:
            self._live.env = env
        return env

    def _post_build(self, *, config: MkDocsConfig) -> None:
        """The search index, begun in on_files, is complete; then the
        caches drop the entries this (complete) build did not use."""
        if self._frames is not None:
            log.debug("digest: %d article pages filled into the theme's frame", self._frames.filled)
        for memo in self._nav_memos:
            log.debug("digest: %s served from its per-folder memo %d times (%d folders refused it)",
                      memo.name, memo.served, len(memo.refused))
        removed = self._close(prune=True)
        if removed:
            log.debug("digest: %d unused cache entries removed", removed)
        if self._search is not None:
            start, job, self._search = time.perf_counter(), self._search, None
            try:
                job.wait()
            except SearchIndexError as exc:
                raise PluginError(f"digest: the search index was not written: {exc}") from None
            done = job.written
            log.info("digest: search index of %d pages written (%d bundles, %d reused from the cache; "
                     "the build waited %.1f s for it)", job.records, done.indexed + done.reused if done else 1,
                     done.reused if done else 0, time.perf_counter() - start)

    # Last: every plugin has written into site_dir before the next build may clean it.
    @event_priority(-100)
    def _after_build(self, *, config: MkDocsConfig) -> None:
        self._lock.release()

    on_post_build = CombinedEvent(_post_build, _after_build)

    def on_build_error(self, *, error: Exception) -> None:
        try:
            if self._live is not None:      # a failed build is no base for a fast rebuild
                self._live.made = None
            self._close()
            self.cancel_search()
        finally:
            self._lock.release()

    def on_shutdown(self) -> None:
        """`mkdocs serve` stops: so does the live preview's search job, before MkDocs
        deletes the temporary site it writes into."""
        if self._live is not None:
            self._live.search.stop()

    def cancel_search(self) -> None:
        if self._search is not None:
            self._search.cancel()
            self._search = None

    def _close(self, prune: bool = False) -> int:
        """Release the pipeline's workers (every page has its body by now, or the build failed)
        and commit what the caches hold; after a complete build (`prune`) first drop the
        entries it did not use. Returns how many were dropped."""
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        removed, self._pipeline = close_pipeline(self._pipeline, prune), None
        return removed

    # Last: other plugins' hooks have seen the final nav and files.
    @event_priority(-100)
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self._live is not None:
            self._live.saw(files, nav)
        return nav

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer | None:
        """Also watch our templates; under `live_preview`, changes to articles take the fast
        rebuild (digest/adapter/livepreview.py) instead of MkDocs' full one; under `file_events`
        saves are heard through the OS's file events (digest/adapter/watching.py)."""
        if self.config.file_events:
            watch_events(server)
        server.watch(str(templates_dir()))
        server.watch(str(OVERRIDES))
        if self._live is not None:
            server.builder = self._live.builder(builder)
        return server
