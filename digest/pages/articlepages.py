"""Article pages: one page per article (article.md.j2), and what a live preview compares of them.

An article page shows the article, its topics' titles, its story's size and outlets, the copies
it stands for or the original it re-runs, its summary, its body (converted outside MkDocs, or
left to MkDocs' Markdown) and its related coverage, each related article with its summary.

A live preview lays out every page again after each save and keeps the last text of each page
whose inputs are equal (digest/analysis/memo.py). At 10,000 articles building those inputs cost
a third of a second, so they are built cheaply: each related article and its summary by C-level
lookups, each topic list's titles once, and each summary taken from the last render
(`memo.PerArticle`) when the article and its analysis are the very objects it had (the summary is
made of those two only), so that the comparisons meet the same objects and end at once. A page
whose inputs are all the very objects of the last layout (`KeptPages`) is not even looked up: the
last text is taken as it is, an identity check instead of building its memo key.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, MutableMapping
from functools import partial
from operator import is_
from typing import Any

from ..analysis.memo import PerArticle
from ..model import Article, Digest

__all__ = ["KeptPages", "article_pages", "summaries_of"]


def summaries_of(digest: Digest, kept: PerArticle[tuple[str, ...]] | None) -> dict[str, tuple[str, ...]]:
    """Every article's summary (`Digest.summary_of`); with `kept`, the last render's for an
    article whose article and analysis objects are those it was made from."""
    if kept is None:
        return {a.slug: digest.summary_of(a) for a in digest.articles}
    analyses = digest.analyses
    summaries = {a.slug: kept.get(a.slug, a, analyses.get(a.slug), partial(digest.summary_of, a))
                 for a in digest.articles}
    kept.done()
    return summaries


class KeptPages:
    """Each article page of the last layout with what it was made from (a live preview's, kept
    with `Memo.kept`): its article, topic titles, story, copies, summary, body flag, related
    articles and their summaries, by slug, for one nonce (a full build starts afresh)."""

    def __init__(self) -> None:
        self.nonce = ""
        self.last: dict[str, tuple[Any, ...]] = {}

    def start(self, nonce: str) -> dict[str, tuple[Any, ...]]:
        """The last layout's pages for this nonce (none after a full build)."""
        if nonce != self.nonce:
            self.nonce, self.last = nonce, {}
        return self.last


def _same(last: tuple[Any, ...], shown: tuple[Any, ...]) -> bool:
    """Whether a page's inputs are the last layout's very objects (equal, for the small
    tuples made afresh each layout: topic titles and the copies an original stands for)."""
    return (last[0] is shown[0] and last[1] == shown[1] and last[2] is shown[2] and last[3] == shown[3]
            and last[4] is shown[4] and last[5] is shown[5] and last[6] == shown[6]
            and len(last[7]) == len(shown[7]) and all(map(is_, last[7], shown[7]))
            and all(map(is_, last[8], shown[8])))


def article_pages(page: Callable[..., str], uri_of: Callable[[str], str],
                  topic_titles: Mapping[str, str], converted: Collection[str], body_marker: Any,
                  related_item: Callable[..., Any], kept: KeptPages | None = None,
                  slots: MutableMapping[str, tuple[str, ...] | bytes] | None = None, nonce: str = "",
                  **common: Any) -> dict[str, str]:
    """Every article page by source path; `page` renders a template (Renderer._page), `common`
    holds the context every page gets (the digest, its articles and their summaries among it).
    `kept` (with the renderer's `slots` table and `nonce`): the last layout's pages, taken
    again where every input is the same object."""
    digest: Digest = common["digest"]
    articles: Mapping[str, Article] = common["articles"]
    summaries: Mapping[str, tuple[str, ...]] = common["summaries"]
    also_by, copy_of = common["also_by"], common["copy_of"]
    article_of, summary_of = articles.__getitem__, summaries.__getitem__
    titles: dict[tuple[str, ...], tuple[str | None, ...]] = {}
    pages: dict[str, str] = {}
    last = kept.start(nonce) if kept is not None and slots is not None else None
    this: dict[str, tuple[Any, ...]] = {}
    for a in digest.articles:
        slug = a.slug
        uri = uri_of(slug)
        linked = digest.related.get(slug, ())
        related = tuple(map(article_of, linked))
        own = digest.story_of(slug)
        if a.topics not in titles:
            titles[a.topics] = tuple(topic_titles.get(tid) for tid in a.topics)
        # What article.md.j2 reads: the article, its topics' titles, its story's size and outlets,
        # its copies, its summary, whether its body comes converted, and its related entries.
        shown = (a, titles[a.topics], (own.id, own.size, len(own.copies), own.sources) if own else None,
                 also_by.get(slug), copy_of.get(slug), summaries[slug], slug in converted,
                 related, tuple(map(summary_of, linked)))
        if last is not None:
            before = last.get(slug)
            if before is not None and before[9] == uri and _same(before, (*shown[:2], own, *shown[3:])):
                pages[uri] = before[10]
                slots[uri] = before[11]     # type: ignore[index]
                this[slug] = before
                continue
        pages[uri] = page("article.md.j2", uri, a.title, " ".join(summaries[slug]),
                          tags=a.tags, a=a, related=list(related), topic_titles=topic_titles,
                          story=own, body_slot=body_marker if slug in converted else None,
                          related_item=related_item, memo_key=shown, **common)
        if last is not None:
            this[slug] = (*shown[:2], own, *shown[3:], uri, pages[uri], slots[uri])   # type: ignore[index]
    if kept is not None and last is not None:
        kept.last = this
    return pages
