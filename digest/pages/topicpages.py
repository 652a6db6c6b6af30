"""What a topic page shows, each sentence and each article once.

A topic page leads with its latest stories (cards: a story's headline and first summary
sentence, or a one-article story's article with the first sentence of its summary), then its story so far (told from the stories'
leads, which leave out what the cards show: see digest/analysis/topicstory.py), where its
reports differ (a figure's sentence the page already quotes is linked, not repeated), and a
timeline of its newest articles. An article a card shows is not in the timeline, and a
timeline entry's summary leaves out the sentences shown above it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..analysis.conflicts import Conflict
from ..analysis.topicstory import card_text
from ..model import Article, Digest, Story, TopicDigest
from .monthpages import by_day

__all__ = ["topic_context", "MAX_CONFLICTS", "MAX_FIGURES"]

MAX_CONFLICTS, MAX_FIGURES = 10, 8


def topic_context(td: TopicDigest, latest: list[Story], topic_articles: int, digest: Digest,
                  articles: Mapping[str, Article], summaries: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """The template context of topic.md.j2 for `td`, whose `latest` stories are its cards and
    whose timeline lists up to `topic_articles` of the newest other articles."""
    # Each article once: a one-article story the latest stories show is not in the timeline,
    # which goes on with the next newest articles instead.
    alone = {s.articles[0] for s in latest if s.size == 1}
    listed = [a for a in td.articles if a.slug not in alone][:topic_articles]
    cards = {s.id: card_text(s, articles, digest.analyses) for s in latest}
    conflicts = _latest_conflicts(digest.conflicts.get(td.topic.id, ()))
    # Each sentence once: what the cards, the story so far and the figures quote is not
    # repeated in a timeline entry's summary (the entry keeps its other sentences).
    quoted = {text for shown in cards.values() for text in shown} | {q.text for q in td.story}
    seen = quoted | {claim.sentence for c in conflicts for claim in c.claims}
    return {"t": td, "stories": latest, "cards": cards,
            "card_summaries": {s.articles[0]: cards[s.id] for s in latest if s.size == 1}, "conflicts": conflicts, "quoted": quoted,
            "shown": _newest_shown(td.articles, alone | {a.slug for a in listed}),
            "timeline": by_day(listed),
            "timeline_summaries": {a.slug: tuple(s for s in summaries[a.slug] if s not in seen) for a in listed}}


def _latest_conflicts(conflicts: Iterable[Conflict]) -> list[Conflict]:
    """The newest MAX_CONFLICTS conflicts, each trimmed to its newest MAX_FIGURES claims."""
    def newest(c: Conflict) -> datetime:
        return max(cl.published for cl in c.claims)
    picked = sorted(conflicts, key=newest, reverse=True)[:MAX_CONFLICTS]
    return [c if len(c.claims) <= MAX_FIGURES else
            replace(c, claims=tuple(sorted(c.claims, key=lambda cl: cl.published)[-MAX_FIGURES:]))
            for c in picked]


def _newest_shown(articles: Iterable[Article], on_page: Collection[str]) -> int:
    """How many of the newest `articles` (newest first) are all on the page: what its
    "the latest N of M" note may claim."""
    count = 0
    for a in articles:
        if a.slug not in on_page:
            break
        count += 1
    return count
