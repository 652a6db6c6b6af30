"""What one build generates from the articles: the digest, its pages, its feeds and its search
records, all as text in memory, addressed as they are in the site (under `prefix`).

The full build (plugin.py's on_files) and the live preview's fast rebuild (livepreview.py) both
call `generate`, so the two cannot disagree about what a page holds.
"""

from __future__ import annotations

import posixpath
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from ..analysis.analyse import Analyser, AnalysisOptions, build_digest
from ..analysis.duplicates import PairMemo
from ..analysis.memo import Memo
from ..analysis.stories import StoryIndex
from ..loading.loader import Corpus
from ..model import Article
from ..pages.feeds import FEED_FILES, SiteInfo, build_feeds
from ..pages.messages import Messages
from ..pages.pagefindservice import Record
from ..pages.render import PageSet, Renderer, mount, page_uri, templates_dir
from ..pages.searchindex import search_records
from .config import DigestConfig
from .filestamps import file_stamps
from .placement import mounted_nav, nav_uris, site_url_of

__all__ = ["Generated", "generate", "language", "topics_file_uri"]


@dataclass(frozen=True)
class Generated:
    """Everything a build publishes besides MkDocs' own files. Keys are site paths (mounted)."""

    pageset: PageSet                        # keyed by unmounted path; `pages` below is mounted
    pages: dict[str, str]                   # page path in the site -> its Markdown (with slots)
    rendered: dict[str, str]                # page path in the site -> its path in the PageSet
    feeds: dict[str, str]                   # feed path in the site -> its text
    records: Callable[[], list[Record]]     # made when asked (a live preview asks in the background)
    nav: list[dict[str, object]]            # our section of the nav, mounted
    in_nav: frozenset[str]
    bodies: dict[str, str]                  # article page -> slug, for bodies converted outside MkDocs
    article_uris: frozenset[str]
    topic_pages: dict[str, tuple[str, str]]  # topic page -> (topic id, title)

    def text_of(self, uri: str) -> tuple[str, tuple[str, ...]]:
        """A page's Markdown and its slots' HTML: equal for two builds iff the page is."""
        return self.pages[uri], self.pageset.slots_of(self.rendered[uri])


def language(config: MkDocsConfig) -> str:
    """The theme's language (Material's `theme.language`), 'en' when it names none."""
    return str(config.theme.get("language") or "en")


def generate(config: MkDocsConfig, options: DigestConfig, analysis: AnalysisOptions, messages: Messages,
             corpus: Corpus, articles: tuple[Article, ...], analyser: Analyser, converted: Callable[[], Collection[str]],
             pair_memo: PairMemo | None, stories: Callable[[], StoryIndex], nonce: str | None = None,
             memo: Memo | None = None, grouped: Callable[[], None] | None = None) -> Generated:
    """Analyse `articles` (with `analyser`, which converts the bodies of the slugs `converted()`
    gives once it has run) and lay out every generated page, feed and search record. `memo`: the
    last build's summaries and pages (a live preview's, see digest/analysis/memo.py). `stories()`
    gives the story index when the grouping starts (so that no frame here holds it), and
    `grouped` is called once the stories are grouped: the index is no longer needed, and a
    one-off build lets it go then (see the plugin's on_files)."""
    at = options.prefix
    digest = build_digest(corpus.topics, articles, analysis, analyser=analyser, pair_memo=pair_memo,
                          story_index=stories, memo=memo, grouped=grouped)

    # Only the search records need the digest once the pages and feeds are laid out. A one-off
    # build asks for them once and the digest goes with that (every analysis: a third of the
    # build's memory, which the page files and MkDocs' page loop then reuse); a live preview
    # asks at every rebuild.
    held = [digest]

    def records() -> list[Record]:
        found = search_records(held[0], config.site_name, config.site_description or "",
                               config.use_directory_urls, options.search_full_text_days or None,
                               article_count=lambda n: messages.n("articles_count", n), date_format=messages.date)
        if memo is None:
            held.clear()
        return [replace(r, url="/" + mount(r.url[1:], at)) for r in found] if at else found

    # A live preview's rebuilds keep the nonce of the build before them: the full build's renderer
    # (its compiled templates) then serves the first rebuild too.
    nonce = nonce or secrets.token_hex(6)
    settings: dict[str, Any] = dict(directory_urls=config.use_directory_urls, latest=options.latest_articles,
                                    chart_period=options.chart_period, feeds=FEED_FILES if options.feeds else None,
                                    topic_articles=options.topic_page_articles, language=language(config),
                                    nonce=nonce, memo=memo)
    # A live preview keeps its renderer (and so the templates it compiled, 0.15 s at every
    # rebuild) while the settings and the template files stay the same.
    renderer = (Renderer(**settings, pack_slots=True) if memo is None
                else memo.at(("renderer",), (settings, file_stamps([templates_dir() / "pages"])),
                             lambda: Renderer(**settings)))
    done = frozenset(converted())
    pageset = renderer.render(digest, done)
    rendered = {mount(uri, at): uri for uri in pageset.pages}
    nav = mounted_nav(pageset.nav, at)
    feeds: dict[str, str] = {}
    if options.feeds:
        site = SiteInfo(config.site_name, config.site_description or "", site_url_of(config.site_url, at),
                        config.use_directory_urls, language(config))
        feeds = {mount(path, at): text for path, text in build_feeds(digest, site, options.feed_entries, memo).items()}
    if memo is not None:
        memo.done()
    uris = frozenset(mount(page_uri("article", a.slug), at) for a in digest.articles)
    del digest
    return Generated(
        pageset=pageset, pages={uri: pageset.pages[own] for uri, own in rendered.items()},
        rendered=rendered, feeds=feeds, records=records, nav=nav,
        in_nav=frozenset(uri for item in nav for uri in nav_uris(item)),
        bodies={mount(page_uri("article", slug), at): slug for slug in done},
        article_uris=uris,
        topic_pages={mount(page_uri("topic", t.id), at): (t.id, t.title) for t in corpus.topics})


def topics_file_uri(options: DigestConfig) -> str:
    """topics.yml's path among the site's files."""
    return posixpath.normpath(posixpath.join(options.articles_dir, options.topics_file))
