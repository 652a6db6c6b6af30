"""From a validated corpus to a Digest: per-article analysis, topic stories, related links,
near-duplicate stories and the figures that sources report differently.

Pure: no MkDocs and no file I/O, so it can be cached, parallelised or reused by
another site generator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain

from ..loading.convert import MarkdownSettings
from ..loading.prose import body_prose
from ..model import Article, ArticleAnalysis, Digest, Quote, Topic, TopicDigest
from .conflicts import Conflict, conflicts_by_group
from .duplicates import (
    DEFAULT_THRESHOLD,
    PairMemo,
    Story,
    copy_map,
    find_duplicates,
    sketch_of_words,
)
from .figures import Claim, attach_claims, raw_claims
from .similarity import DEFAULT_MIN_SCORE, related, vectorise, vectorise_counts
from .story import Report, stories
from .summarize import rank_terms, select
from .text import split_sentences, words_and_terms

__all__ = ["AnalysisOptions", "analyse_article", "analyse_prose", "article_claims", "build_digest",
           "event_groups", "related_articles", "topic_conflicts"]


@dataclass(frozen=True)
class AnalysisOptions:
    """The knobs of the analysis stage (mirrors the plugin's config)."""

    summary_sentences: int = 3
    story_words: int = 120          # the topic page's story so far
    lead_words: int = 45            # the short lead on the topic's card
    related: int = 5
    related_min_score: float = DEFAULT_MIN_SCORE
    duplicate_threshold: float = DEFAULT_THRESHOLD
    figure_window_days: float = 3.0


def analyse_article(title: str, body: str, n: int, markdown: MarkdownSettings | None = None) -> ArticleAnalysis:
    """`analyse_prose` of the Markdown body's prose, converted with `markdown` (default:
    convert.DEFAULT_MARKDOWN); the pipeline converts once and calls analyse_prose itself."""
    return analyse_prose(title, body_prose(body, markdown), n)


def analyse_prose(title: str, prose: str, n: int) -> ArticleAnalysis:
    """Everything about one article that depends only on its text (`prose`: the paragraphs
    of its converted body, one a line, see digest/loading/prose.py): sentences, summary, and
    the per-article inputs of duplicate detection, related coverage and figure conflicts."""
    sentences = tuple(split_sentences(prose))
    # Each sentence is split into words and terms once, for the shingles, the term counts
    # and the ranking: the words (terms) of "title, prose" are those of its parts in turn.
    title_words, title_terms = words_and_terms(title)
    split = [words_and_terms(s) for s in sentences]
    sentence_terms = [found for _, found in split]
    minhash, hashes = sketch_of_words([*title_words, *chain.from_iterable(found for found, _ in split)])
    counts = sorted(Counter(chain(title_terms, title_terms, *sentence_terms)).items())
    features = {
        "minhash": minhash,
        "shingles": hashes,
        "terms": " ".join(term for term, _ in counts),
        "term_counts": tuple(count for _, count in counts),
        "claims": raw_claims(sentences),
    }
    if not sentences:
        return ArticleAnalysis((), (), **features)  # type: ignore[arg-type]
    scores, sim = rank_terms(sentence_terms, title_terms)
    chosen = select(scores, sim, n) if n > 0 else ()
    return ArticleAnalysis(sentences, chosen, tuple(round(float(s), 6) for s in scores),
                           **features)  # type: ignore[arg-type]


def topic_story(articles: Iterable[Article], analyses: Mapping[str, ArticleAnalysis],
                options: AnalysisOptions) -> tuple[tuple[Quote, ...], tuple[Quote, ...]]:
    """The story so far of one topic in about `options.story_words` words and the lead of its
    card in about `options.lead_words`: quotes from its articles, oldest first (see story.py)."""
    reports = [Report(a.slug, a.published.timestamp(), analyses[a.slug].sentences) for a in articles]
    story, lead = stories(reports, (options.story_words, options.lead_words))
    return (tuple(Quote(p.text, p.key, p.index) for p in story),
            tuple(Quote(p.text, p.key, p.index) for p in lead))


def related_articles(articles: Iterable[Article], limit: int, min_score: float = DEFAULT_MIN_SCORE,
                     analyses: Mapping[str, ArticleAnalysis] | None = None) -> dict[str, tuple[str, ...]]:
    """For each article, up to `limit` others across all topics whose text is similar
    (TF-IDF cosine of headline and prose at least `min_score`), most similar first."""
    items = list(articles)
    if analyses is not None:
        corpus = vectorise_counts({a.slug: analyses[a.slug].term_count_map() for a in items})
    else:
        corpus = vectorise({a.slug: f"{a.title}\n{a.title}\n{body_prose(a.body)}" for a in items})
    return related(corpus, limit, min_score)


def article_claims(article: Article, analysis: ArticleAnalysis) -> tuple[Claim, ...]:
    """The numeric claims in an article's sentences, attributed and dated."""
    return attach_claims(analysis.claims, analysis.sentences, article.slug, article.source, article.published)


def event_groups(articles: Iterable[Article], links: Mapping[str, Iterable[str]],
                 window_days: float) -> dict[str, tuple[str, ...]]:
    """Articles about one event, until stories group them: articles joined when one lists
    the other as related coverage and they were published within `window_days` of each
    other, transitively (so a group may span weeks). Keyed by the group's earliest slug;
    each article is in exactly one group."""
    items = sorted(articles, key=lambda a: (a.published, a.slug))
    when = {a.slug: a.published for a in items}
    parent = {a.slug: a.slug for a in items}

    def root(slug: str) -> str:
        while parent[slug] != slug:
            parent[slug] = parent[parent[slug]]
            slug = parent[slug]
        return slug

    for a in items:
        for other in links.get(a.slug, ()):
            if other in when and abs((when[other] - a.published).total_seconds()) <= window_days * 86400:
                ra, rb = root(a.slug), root(other)
                if ra != rb:    # the earlier root stands for the group
                    first, second = sorted((ra, rb), key=lambda s: (when[s], s))
                    parent[second] = first
    groups: dict[str, list[str]] = {}
    for a in items:
        groups.setdefault(root(a.slug), []).append(a.slug)
    return {key: tuple(slugs) for key, slugs in groups.items()}


def topic_conflicts(by_group: Mapping[str, tuple[Conflict, ...]], groups: Mapping[str, Iterable[str]],
                    topic_articles: Mapping[str, Iterable[Article]]) -> dict[str, tuple[Conflict, ...]]:
    """Per topic, the conflicts of the groups (stories) with an article in it, earliest first."""
    members = {key: frozenset(groups[key]) for key in by_group}
    found = {}
    for tid, items in topic_articles.items():
        slugs = {a.slug for a in items}
        picked = [c for key, conflicts in by_group.items() if members[key] & slugs for c in conflicts]
        found[tid] = tuple(sorted(picked, key=lambda x: (x.claims[0].published, x.label)))
    return found


Analyser = Callable[[Iterable[Article]], dict[str, ArticleAnalysis]]


def analyse_all(articles: Iterable[Article], n: int) -> dict[str, ArticleAnalysis]:
    """Analyse every article in this process (the plugin swaps in a cached, parallel one)."""
    return {a.slug: analyse_article(a.title, a.body, n) for a in articles}


def _story(article: Article, analysis: ArticleAnalysis) -> Story:
    """What duplicate detection needs of an article: its text only if the analysis lacks
    the text's signature and shingle hashes (joining every text costs, and they are there)."""
    known = bool(analysis.minhash and analysis.shingles)
    text = "" if known else f"{article.title}\n{' '.join(analysis.sentences)}"
    return Story(article.slug, article.published, text, analysis.minhash, analysis.shingles)


def build_digest(topics: Iterable[Topic], articles: Iterable[Article], options: AnalysisOptions,
                 analyser: Analyser | None = None, pair_memo: PairMemo | None = None) -> Digest:
    """Analyse every article, then assemble each topic's story and the related links
    (`pair_memo`: the duplicate candidates of the last build, updated; see PairMemo)."""
    from ..loading.topics import TopicIndex

    published = tuple(articles)
    index = TopicIndex(topics)
    analyses = (analyser or (lambda items: analyse_all(items, options.summary_sentences)))(published)
    # Syndicated copies are shown once: topics, stories, related links and figures use
    # the earliest copy only; a later copy keeps its page and its original's related links.
    duplicates = find_duplicates((_story(a, analyses[a.slug]) for a in published), options.duplicate_threshold,
                                 memo=pair_memo)
    copies = copy_map(duplicates)
    shown = tuple(a for a in published if a.slug not in copies)
    groups = index.group(shown)
    digests = tuple(
        TopicDigest(topic, tuple(groups[topic.id]), *topic_story(groups[topic.id], analyses, options))
        for topic in index.topics.values()
    )
    links = related_articles(shown, options.related, options.related_min_score, analyses)
    links.update({copy: links.get(original, ()) for copy, original in copies.items()})
    claims = {a.slug: article_claims(a, analyses[a.slug]) for a in shown}
    # Figures are compared within one event's articles only. Stories (when they land) are
    # passed here as the groups; until then, related articles close in time form a group.
    events = event_groups(shown, links, options.figure_window_days)
    conflicts = topic_conflicts(conflicts_by_group(claims, events), events, groups)
    return Digest(articles=published, topics=digests, analyses=analyses, related=links,
                  duplicates=duplicates, conflicts=conflicts)
