"""Article pages: one page per article (article.md.j2), and what a live preview compares of them.

An article page shows the article, its topics' titles, its story's size and outlets, the copies
it stands for or the original it re-runs, its summary, its body (converted outside MkDocs, or
left to MkDocs' Markdown) and its related coverage, each related article with its summary.

A live preview lays out every page again after each save and keeps the last text of each page
whose inputs are equal (digest/analysis/memo.py). At 10,000 articles building those inputs cost
a third of a second, so they are built cheaply: each related article and its summary by C-level
lookups, each topic list's titles once, and each summary taken from the last render
(`memo.PerArticle`) when the article and its analysis are the very objects it had (the summary is
made of those two only), so that the comparisons meet the same objects and end at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from functools import partial
from typing import Any

from ..analysis.memo import PerArticle
from ..model import Article, Digest

__all__ = ["article_pages", "summaries_of"]


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


def article_pages(page: Callable[..., str], uri_of: Callable[[str], str],
                  topic_titles: Mapping[str, str], converted: Collection[str], body_marker: Any,
                  related_item: Callable[..., Any], **common: Any) -> dict[str, str]:
    """Every article page by source path; `page` renders a template (Renderer._page), `common`
    holds the context every page gets (the digest, its articles and their summaries among it)."""
    digest: Digest = common["digest"]
    articles: Mapping[str, Article] = common["articles"]
    summaries: Mapping[str, tuple[str, ...]] = common["summaries"]
    also_by, copy_of = common["also_by"], common["copy_of"]
    article_of, summary_of = articles.__getitem__, summaries.__getitem__
    titles: dict[tuple[str, ...], tuple[str | None, ...]] = {}
    pages: dict[str, str] = {}
    for a in digest.articles:
        slug = a.slug
        uri = uri_of(slug)
        linked = digest.related.get(slug, ())
        related = list(map(article_of, linked))
        own = digest.story_of(slug)
        if a.topics not in titles:
            titles[a.topics] = tuple(topic_titles.get(tid) for tid in a.topics)
        # What article.md.j2 reads: the article, its topics' titles, its story's size and outlets,
        # its copies, its summary, whether its body comes converted, and its related entries.
        shown = (a, titles[a.topics], (own.id, own.size, len(own.copies), own.sources) if own else None,
                 also_by.get(slug), copy_of.get(slug), summaries[slug], slug in converted,
                 tuple(related), tuple(map(summary_of, linked)))
        pages[uri] = page("article.md.j2", uri, a.title, " ".join(summaries[slug]),
                          tags=a.tags, a=a, related=related, topic_titles=topic_titles,
                          story=own, body_slot=body_marker if slug in converted else None,
                          related_item=related_item, memo_key=shown, **common)
    return pages
