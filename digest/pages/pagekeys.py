"""What each kind of list page reads, as a memo key (digest/analysis/memo.py): a live preview
gives back a page's last text when its key is equal, so a key must hold everything its template
shows besides the site-wide settings (a missing input would leave the page stale)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from ..model import Article

__all__ = ["listed", "topic_key"]


def topic_key(context: dict[str, Any], months: list[tuple[str, list[Article]]], common: dict[str, Any]) -> Hashable:
    """What topic.md.j2 reads: its context (topicpages.py's topic_context: the topic digest, its
    latest stories and their cards, its conflicts, its timeline and what the timeline leaves out),
    the articles its cards, quotes and figures name, and each month's count."""
    articles, also_by, copy_of = common["articles"], common["also_by"], common["copy_of"]
    td, stories, conflicts = context["t"], context["stories"], context["conflicts"]
    named = ([s.articles[0] for s in stories] + [q.slug for q in td.story]
             + [f.slug for c in conflicts for f in c.claims])
    listed = [a for _, items in context["timeline"] for a in items]
    return (td, tuple(stories), tuple(sorted(context["cards"].items())), tuple(sorted(context["card_summaries"].items())),
            tuple(conflicts), tuple(sorted(context["quoted"])), context["shown"],
            tuple((day, tuple(items)) for day, items in context["timeline"]),
            tuple(sorted(context["timeline_summaries"].items())),
            tuple((articles[slug], also_by.get(slug)) for slug in named),
            tuple((a, also_by.get(a.slug), copy_of.get(a.slug)) for a in listed),
            tuple((m, len(items), items[0].published) for m, items in months))


def listed(items: Iterable[Article], common: dict[str, Any]) -> Hashable:
    """What a list of articles (article_item in _macros.j2) shows of them: each article, its
    summary, the copies it stands for and the original it re-runs."""
    summaries, also_by, copy_of = common["summaries"], common["also_by"], common["copy_of"]
    return tuple((a, summaries[a.slug], also_by.get(a.slug), copy_of.get(a.slug)) for a in items)
