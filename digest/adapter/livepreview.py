"""Live preview: under `mkdocs serve`, a change to articles only rebuilds what it touches.

MkDocs rebuilds the whole site on every change: it empties the site folder, then converts and
renders every page again (15 s at 5,000 articles). The plugin takes over the server's builder
(`on_serve`) and, when only article files changed since the last build:

1. reads the articles again, re-parsing only the files whose size or modification time changed
   (digest/loading/loader.py's `ParseMemo`), and analyses only the articles whose text changed;
2. generates every page, feed and search record as a full build does (digest/adapter/generate.py),
   with the summaries of unchanged stories and topics memoised in the analysis stage;
3. compares each page's text with the last build's and sends only the pages that differ (and the new
   ones) through MkDocs' own page steps, with every plugin's page events, the theme and the nav of
   the last full build; deletes the pages that are gone; writes only the feeds that changed;
4. rewrites the search index in the background, in a forked process (livesearch.py): search
   lags a moment behind the pages.

Anything else (topics.yml, mkdocs.yml, templates, other pages, a plugin this module does not know
to be page-local, an article that fails validation) gets MkDocs' full rebuild, as before. MkDocs'
page steps are internal functions, so the first fast rebuild checks them: it also re-renders one
unchanged page and compares it with the file the full build wrote; a difference turns the fast path
off for the session. `live_preview: false` turns it off altogether.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..analysis.analyse import Analyser
from ..analysis.duplicates import PairMemo
from ..analysis.memo import Memo
from ..analysis.pipeline import Pipeline
from ..errors import ValidationFailed
from ..loading.convert import Converted
from ..loading.loader import Corpus, ParseMemo
from ..model import Article, ArticleAnalysis
from ..pages.render import templates_dir
from .generate import Generated, generate
from .filestamps import Stamp, file_stamps
from .livesearch import LiveSearch
from .pagefiles import SlotPage
from .placement import article_sources, blog_dirs

if TYPE_CHECKING:
    from .plugin import DigestPlugin

__all__ = ["LivePreview", "PAGE_LOCAL_PLUGINS"]

log = logging.getLogger("mkdocs.plugins.digest")

#: Plugins whose work is done page by page: with any other enabled, every change rebuilds fully.
PAGE_LOCAL_PLUGINS = frozenset({"digest", "search", "material/search"})

#: Fast rebuilds between two full garbage collections (see _settle_garbage).
COLLECT_EVERY = 100


def _settle_garbage(live: LivePreview) -> None:
    """Keep the collector off what the last builds left: at 10,000 articles the heap holds
    millions of objects, and each rebuild set off one or two full collections over all of
    them (0.3 to 1.2 s). Freezing moves what exists now out of its reach, so it scans only
    what this rebuild makes. Cycles among frozen objects that die later wait for the next
    full collection, made every COLLECT_EVERY rebuilds (and by every full build's end)."""
    live.rebuilds += 1
    if live.rebuilds % COLLECT_EVERY == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


class _Clock:
    """Seconds spent in each step of a rebuild, for the log."""

    def __init__(self) -> None:
        self.last, self.steps = time.perf_counter(), []     # type: ignore[var-annotated]

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.steps.append(f"{step} {now - self.last:.2f} s")
        self.last = now

    def __str__(self) -> str:
        return ", ".join(self.steps)


class LivePreview:
    """The last build's MkDocs objects and outputs, and the fast rebuild that reuses them."""

    def __init__(self, plugin: DigestPlugin) -> None:
        self.plugin = plugin
        self.enabled = True
        self.checked = False                # the first fast rebuild checks MkDocs' page steps
        self.rebuilds = 0
        self._expected: tuple[str, bytes] | None = None   # the probe page's file, as the full build wrote it
        self.parsed = ParseMemo()
        self.memo = Memo()                  # summaries and pages by their inputs (analysis/memo.py)
        self.analyses: dict[str, tuple[str, str, ArticleAnalysis]] = {}
        self.bodies: dict[str, Converted] = {}
        self.converted: set[str] = set()
        self.retold: set[str] = set()           # articles whose title or body the last change touched
        self.config: MkDocsConfig | None = None
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None
        self.made: Generated | None = None
        self.corpus: Corpus | None = None
        self.sources: dict[str, File] = {}
        self.pairs: PairMemo | None = None    # duplicate candidates, kept by find_duplicates
        self._doc_files: tuple[Files | None, Sequence[File]] = (None, [])  # MkDocs' pages of `files`
        self._known: dict[str, tuple[int, ...]] = {}  # the last _changes' stamps, for the loader
        self.stamps: dict[str, Stamp] = {}
        self.roots: list[Path] = []
        self.search = LiveSearch(plugin)     # the search index after a fast rebuild (livesearch.py)

    # -- what a full build leaves behind ------------------------------------------------------

    def analyser(self, pipeline: Pipeline) -> Analyser:
        """The full build's analyser: the pipeline's, remembering every analysis and body."""
        def run(articles: Iterable[Article]) -> dict[str, ArticleAnalysis]:
            items = list(articles)
            found = pipeline(items)
            self.analyses = {a.slug: (a.title, a.body, found[a.slug]) for a in items}
            self.bodies = dict(pipeline.bodies())
            self.converted = set(pipeline.converted)
            return found
        return run

    def took(self, config: MkDocsConfig, corpus: Corpus, made: Generated, sources: list[File],
             memo: PairMemo | None) -> None:
        """A full build's inputs and outputs, kept for the next rebuild (nav, env: see `saw`)."""
        self.config, self.corpus, self.made, self.pairs = config, corpus, made, memo
        self.checked = False                # after a full build, MkDocs' page steps are checked again
        self.sources = {f.src_uri: f for f in sources}
        folder = Path(config.docs_dir)
        self.roots = [folder, *(Path(p) for p in [config.config_file_path] if p),
                      templates_dir(), *(Path(w) for w in config.watch)]
        self.stamps = file_stamps(self.roots)

    def saw(self, files: Files, nav: Navigation, env: jinja2.Environment | None = None) -> None:
        self.files, self.nav = files, nav
        if env is not None:
            self.env = env

    def body(self, slug: str) -> Converted | None:
        return self.bodies.get(slug)

    # -- the rebuild --------------------------------------------------------------------------

    def builder(self, full: Callable[[], None]) -> Callable[[], None]:
        """The server's builder: the fast rebuild when it applies, else MkDocs' full one."""
        def build() -> None:
            start = time.perf_counter()
            try:
                done = self.rebuild()
            except ValidationFailed:
                done = False        # the full build reports every problem
            except Exception as exc:  # noqa: BLE001 - any surprise: the full build is the safe answer
                log.warning("digest: the live preview's fast rebuild failed (%s: %s); rebuilding fully.",
                            type(exc).__name__, exc)
                done = False
            if done:
                log.info("digest: live preview updated in %.2f s", time.perf_counter() - start)
                return
            self.made = None
            self.search.stop()
            full()
        return build

    def _why_not(self) -> str | None:
        config = self.config
        if not self.enabled or config is None or self.made is None or self.files is None or self.env is None:
            return "no complete build to start from"
        others = [name for name, plugin in config.plugins.items()
                  if name not in PAGE_LOCAL_PLUGINS and getattr(plugin, "config", {}).get("enabled", True)]
        if others:
            return f"plugins that are not page by page are on ({', '.join(sorted(others))})"
        return None

    def _changes(self) -> tuple[dict[str, Stamp], set[str], set[str], set[str]] | None:
        """The new stamps and the article files changed, added and removed; None if anything
        else changed (then only a full build is right)."""
        assert self.config is not None
        self._known = {}
        stamps = file_stamps(self.roots, self._known)
        docs = os.path.join(os.path.abspath(self.config.docs_dir), "")
        folder = os.path.join(docs, self.plugin.config.articles_dir.strip("/"), "") \
            if self.plugin.config.articles_dir.strip("/") else docs
        changed: set[str] = set()
        added: set[str] = set()
        removed: set[str] = set()
        last = self.stamps
        moved = [path for path, stamp in stamps.items() if last.get(path) != stamp]
        for path in [*moved, *(last.keys() - stamps.keys())]:
            old, new = last.get(path), stamps.get(path)
            if not (path.endswith(".md") and path.startswith(folder)):
                return None
            uri = Path(path).relative_to(docs).as_posix()
            (changed if old and new else added if new else removed).add(uri)
        return stamps, changed, added, removed

    def rebuild(self) -> bool:
        """Rebuild what the article changes touch; False when only a full build will do."""
        why = self._why_not()
        if why is not None:
            log.info("digest: full rebuild: %s", why)
            return False
        found = self._changes()
        if found is None:
            return False
        stamps, changed, added, removed = found
        plugin, config = self.plugin, self.config
        assert config is not None and self.made is not None and self.files is not None
        if not (changed or added or removed):
            self.stamps = stamps
            return True
        plugin.acquire(config)
        # The last rebuild's search index is out of date now: stop it, so that it does not
        # hold a core while this one runs.
        self.search.stop(wait=False)
        try:
            return self._rebuild(config, stamps, added, removed)
        finally:
            plugin.release()

    def _sources(self, config: MkDocsConfig, added: set[str], removed: set[str]) -> list[File] | None:
        """The article files after the change; None if a new file is not an article MkDocs builds."""
        sources = {uri: f for uri, f in self.sources.items() if uri not in removed}
        if added:
            new = Files([File(uri, config.docs_dir, config.site_dir, config.use_directory_urls)
                         for uri in sorted(added)])
            set_exclusions(new, config)
            kept = article_sources(new, config, self.plugin.config.articles_dir, blog_dirs(config),
                                   self.plugin.serving)
            if len(kept) != len(added):
                return None
            sources.update((f.src_uri, f) for f in kept)
        return list(sources.values())

    def _fast_analyser(self, pipeline: Pipeline) -> Analyser:
        """Analyses of unchanged articles come from memory; the others from the pipeline."""
        def run(articles: Iterable[Article]) -> dict[str, ArticleAnalysis]:
            items = list(articles)
            fresh = [a for a in items if self.analyses.get(a.slug, ("", "", None))[:2] != (a.title, a.body)]
            self.retold = {a.slug for a in fresh}
            found = pipeline(fresh) if fresh else {}
            for a in fresh:
                self.analyses[a.slug] = (a.title, a.body, found[a.slug])
                self.bodies.pop(a.slug, None)
                self.converted.discard(a.slug)
            self.bodies.update(pipeline.bodies())
            self.converted.update(pipeline.converted)
            alive = {a.slug for a in items}
            for slug in [s for s in self.analyses if s not in alive]:
                del self.analyses[slug]
                self.bodies.pop(slug, None)
                self.converted.discard(slug)
            return {a.slug: self.analyses[a.slug][2] for a in items}
        return run

    def _rebuild(self, config: MkDocsConfig, stamps: dict[str, Stamp], added: set[str], removed: set[str]) -> bool:
        plugin, old, files = self.plugin, self.made, self.files
        assert old is not None and files is not None and self.nav is not None and self.env is not None
        _settle_garbage(self)
        sources = self._sources(config, added, removed)
        if sources is None:
            return False
        clock = _Clock()
        # The loader takes the files' stamps from _changes' stat of them; only this load.
        self.parsed.known, self._known = self._known, {}
        try:
            corpus = plugin.load(config, sources, self.parsed, live=True)
        finally:
            self.parsed.known = {}
        clock("read")
        if tuple(corpus.topics) != tuple(self.corpus.topics if self.corpus else ()):
            return False
        pipeline = plugin.pipeline(config, serial=True)
        plugin.adopt(pipeline)
        try:
            made = generate(config, plugin.config, plugin.options(), plugin.messages, corpus, plugin.published(corpus),
                            self._fast_analyser(pipeline), lambda: frozenset(self.converted), self.pairs,
                            plugin.stories, nonce=old.pageset.nonce, memo=self.memo)
        finally:
            plugin.release_pipeline()
        clock("generate")
        if made.nav != old.nav:
            return False
        gone = [uri for uri in old.pages if uri not in made.pages]
        fresh = [uri for uri in made.pages if uri not in old.pages]
        # A body converted outside MkDocs is not in its page's text: a retold article's page differs.
        retold = {uri for uri, slug in made.bodies.items() if slug in self.retold}
        differ = [uri for uri in made.pages if uri in old.pages
                  and (uri in retold or made.text_of(uri) != old.text_of(uri))]
        plugin.take(made)
        for uri in gone:
            self._remove(files.get_file_from_path(uri))
        pages = [self._page(config, files, uri, made) for uri in differ]
        if gone or fresh:
            files = self.files = self._reordered(config, files, made, old)
            pages += [self._page(config, files, uri, made) for uri in fresh]
        if not self.checked:
            probe = next((uri for uri in made.pages if uri not in differ and uri not in fresh), None)
            if probe is not None:
                pages.append(self._probe(config, files, probe, made))
        # The same Files object holds the same pages (a page that came or went makes a new one).
        if self._doc_files[0] is not files:
            self._doc_files = (files, files.documentation_pages(inclusion=InclusionLevel.is_in_serve))
        doc_files = self._doc_files[1]
        clock("compare")
        for page in pages:
            mkdocs_build._populate_page(page, config, files)
        for page in pages:
            mkdocs_build._build_page(page, config, doc_files, self.nav, self.env)
        if not self.checked:
            if not self._check():
                return False
        for path, text in made.feeds.items():
            if old.feeds.get(path) != text:
                feed = files.get_file_from_path(path)
                if feed is not None:
                    feed.content_string = text
                    feed.copy_file()
        if gone or fresh:       # the sitemap lists every page
            for template in config.theme.static_templates:
                mkdocs_build._build_theme_template(template, self.env, files, config, self.nav)
        clock("pages")
        self.search.start(config, made)
        self.made, self.corpus, self.stamps = made, corpus, stamps
        self.sources = {f.src_uri: f for f in sources}
        log.info("digest: live preview: %d page(s) rebuilt, %d new, %d removed (%s)",
                 len(differ), len(fresh), len(gone), clock)
        return True

    def _page(self, config: MkDocsConfig, files: Files, uri: str, made: Generated) -> Any:
        """The page of `uri`, its text replaced by the new build's."""
        file = files.get_file_from_path(uri)
        assert file is not None, uri
        if file.content_string != made.pages[uri]:
            file.content_string = made.pages[uri]
        if uri in made.bodies:
            SlotPage(None, file, config, made.pageset)
        elif file.page is None or isinstance(file.page, SlotPage):
            Page(None, file, config)
        assert file.page is not None
        return file.page

    def _reordered(self, config: MkDocsConfig, files: Files, made: Generated, old: Generated) -> Files:
        """The site's files in the order a full build has them (the sitemap follows it): the
        site's own, then the generated pages in the digest's order, then the feeds."""
        ours = set(old.pages) | set(old.feeds)
        kept = {f.src_uri: f for f in files if f.src_uri in ours}
        pages = [kept.get(uri) or self.plugin.page_file(config, uri, made) for uri in made.pages]
        feeds = [kept.get(path) or File.generated(config, path, content=text) for path, text in made.feeds.items()]
        return Files([*(f for f in files if f.src_uri not in ours), *pages, *feeds])

    def _remove(self, file: File | None) -> None:
        """A page that is gone: its output off the disk (the files list is made anew)."""
        if file is None:
            return
        try:
            os.remove(file.abs_dest_path)
            os.rmdir(os.path.dirname(file.abs_dest_path))
        except OSError:
            pass

    def _probe(self, config: MkDocsConfig, files: Files, uri: str, made: Generated) -> Any:
        """An unchanged page rendered again, to check MkDocs' page steps give what the full build wrote."""
        page = self._page(config, files, uri, made)
        with open(page.file.abs_dest_path, "rb") as f:
            self._expected = (page.file.abs_dest_path, f.read())
        return page

    def _check(self) -> bool:
        self.checked = True
        expected = self._expected
        if expected is None:
            return True
        path, before = expected
        with open(path, "rb") as f:
            after = f.read()
        if after != before:
            log.warning("digest: the live preview rendered %s differently from the full build, so it is "
                        "turned off for this session (every change rebuilds fully). Fix: report it; "
                        "`live_preview: false` turns it off for good.", path)
            self.enabled = False
            return False
        return True
