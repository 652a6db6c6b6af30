"""Story pages: one page per story of two or more articles (see digest/analysis/stories.py).

A story page gives the story's headline (its earliest report's title), its multi-document
summary, when it was first reported and last updated and by how many outlets, its coverage
by outlet (how many articles each gave), a timeline that lists each article once with its
outlet, the figures its reports give differently, and its topics.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..model import Article, Digest, Story

__all__ = ["story_pages", "story_members", "shown_stories"]


def shown_stories(digest: Digest) -> list[Story]:
    """The stories that get a page: those of two or more articles, newest update first."""
    return [s for s in digest.stories if s.size > 1]


def story_members(story: Story, articles: Mapping[str, Article]) -> list[Article]:
    """A story's articles and their syndicated copies, in publication order."""
    return sorted((articles[slug] for slug in (*story.articles, *story.copies)),
                  key=lambda a: (a.published, a.slug))


def story_pages(page: Callable[..., str], uri_of: Callable[[str], str],
                topic_titles: Mapping[str, str], describe: Callable[[Story], str],
                **common: Any) -> dict[str, str]:
    """Every story page by source path; `page` renders a template (Renderer._page), `common`
    holds the context every page gets (the digest and its articles among it)."""
    digest: Digest = common["digest"]
    articles: Mapping[str, Article] = common["articles"]
    pages: dict[str, str] = {}
    for story in shown_stories(digest):
        members = story_members(story, articles)
        by_outlet: dict[str, int] = {}
        for a in members:
            by_outlet[a.source] = by_outlet.get(a.source, 0) + 1
        uri = uri_of(story.id)
        pages[uri] = page("story.md.j2", uri, story.title, describe(story), s=story, members=members,
                          by_outlet=sorted(by_outlet.items(), key=lambda kv: (-kv[1], kv[0])),
                          conflicts=digest.story_conflicts.get(story.id, ()),
                          topic_titles=topic_titles, **common)
    return pages
