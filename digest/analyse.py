"""From a validated corpus to a Digest: per-article analysis, topic stories, related links.

Pure: no MkDocs and no file I/O, so it can be cached, parallelised or reused by
another site generator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .model import Article, ArticleAnalysis, Digest, Quote, Topic, TopicDigest
from .summarize import Candidate, summarize_topic, rank_sentences, summarize
from .text import plain_text, split_sentences

__all__ = ["AnalysisOptions", "analyse_article", "build_digest", "related_articles"]


@dataclass(frozen=True)
class AnalysisOptions:
    """The knobs of the analysis stage (mirrors the plugin's config)."""

    summary_sentences: int = 3
    topic_sentences: int = 6
    topic_half_life_days: float = 7.0
    candidates_per_article: int = 3
    related: int = 5


def analyse_article(title: str, body: str, n: int) -> ArticleAnalysis:
    """Split an article into sentences and choose its summary. Depends only on its text."""
    sentences = tuple(split_sentences(plain_text(body)))
    if not sentences:
        return ArticleAnalysis((), ())
    scores, _ = rank_sentences(sentences, title)
    chosen = summarize(sentences, n, title)
    return ArticleAnalysis(sentences, chosen, tuple(round(float(s), 6) for s in scores))


def _candidates(article: Article, analysis: ArticleAnalysis, newest: float,
                per_article: int) -> list[Candidate]:
    if not analysis.scores:
        return []
    order = sorted(range(len(analysis.sentences)), key=lambda i: -analysis.scores[i])
    best = max(analysis.scores) or 1.0
    age = (newest - article.published.timestamp()) / 86400.0
    return [Candidate(article.slug, i, analysis.sentences[i], age, analysis.scores[i] / best)
            for i in order[:per_article]]


def topic_story(articles: Iterable[Article], analyses: Mapping[str, ArticleAnalysis],
                options: AnalysisOptions) -> tuple[Quote, ...]:
    """The story so far of one topic: quotes from its articles, in story order."""
    items = list(articles)
    if not items:
        return ()
    newest = max(a.published.timestamp() for a in items)
    pool = [c for a in items
            for c in _candidates(a, analyses[a.slug], newest, options.candidates_per_article)]
    picked = summarize_topic(pool, options.topic_sentences, options.topic_half_life_days)
    return tuple(Quote(c.text, c.key, c.index) for c in picked)


def related_articles(groups: Mapping[str, list[Article]], limit: int,
                     window: int = 8) -> dict[str, tuple[str, ...]]:
    """For each article, up to `limit` others sharing its topics, closest in time first.

    Only neighbours within `window` places in each topic's timeline are compared,
    so the cost stays linear in the number of articles.
    """
    shared: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    when: dict[str, float] = {}
    for items in groups.values():
        for pos, article in enumerate(items):
            when[article.slug] = article.published.timestamp()
            for other in items[max(0, pos - window): pos + window + 1]:
                if other.slug != article.slug:
                    shared[article.slug][other.slug] += 1
    result: dict[str, tuple[str, ...]] = {}
    for slug, others in shared.items():
        ranked = sorted(others, key=lambda o: (-others[o], abs(when[o] - when[slug]), o))
        result[slug] = tuple(ranked[:limit])
    return result


Analyser = Callable[[Iterable[Article]], dict[str, ArticleAnalysis]]


def analyse_all(articles: Iterable[Article], n: int) -> dict[str, ArticleAnalysis]:
    """Analyse every article in this process (the plugin swaps in a cached, parallel one)."""
    return {a.slug: analyse_article(a.title, a.body, n) for a in articles}


def build_digest(topics: Iterable[Topic], articles: Iterable[Article], options: AnalysisOptions,
                 analyser: Analyser | None = None) -> Digest:
    """Analyse every article, then assemble each topic's story and the related links."""
    from .topics import TopicIndex

    published = tuple(articles)
    index = TopicIndex(topics)
    analyses = (analyser or (lambda items: analyse_all(items, options.summary_sentences)))(published)
    groups = index.group(published)
    digests = tuple(
        TopicDigest(topic, tuple(groups[topic.id]), topic_story(groups[topic.id], analyses, options))
        for topic in index.topics.values()
    )
    return Digest(articles=published, topics=digests, analyses=analyses,
                  related=related_articles(groups, options.related))
