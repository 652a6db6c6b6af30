"""From a validated corpus to a Digest: per-article analysis, topic stories, related links,
near-duplicate stories and the figures that sources report differently.

Pure: no MkDocs and no file I/O, so it can be cached, parallelised or reused by
another site generator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain
from typing import TypeVar

from ..loading.convert import MarkdownSettings
from ..loading.prose import body_prose
from ..model import Article, ArticleAnalysis, Digest, Quote, Sentences, Story, Topic, TopicDigest
from .conflicts import Conflict, conflicts_by_group
from .duplicates import (
    DEFAULT_THRESHOLD,
    SHINGLE_WORDS,
    PairMemo,
    copy_map,
    find_duplicates,
    sketch_of_words,
)
from .figures import Claim, attach_claims, raw_claims
from .keptcopies import KeptCopies
from .memo import Memo, PerArticle
from .duplicates import Story as Text
from .relatedindex import RelatedIndex
from .similarity import DEFAULT_MIN_SCORE, related, related_counts, vectorise
from .lede import lede_and_names
from .stories import StoryIndex, StoryItem, StoryOptions, cluster
from .story import Report
from .story import stories as told_stories
from .summarize import rank_terms, select
from .topicstory import Lead, story_leads, tell_topic
from .text import split_sentences, words_and_terms

T = TypeVar("T")

__all__ = ["AnalysisOptions", "analyse_article", "analyse_prose", "article_claims", "build_digest",
           "group_stories", "related_articles", "story_summary", "topic_conflicts"]


@dataclass(frozen=True)
class AnalysisOptions:
    """The knobs of the analysis stage (mirrors the plugin's config)."""

    summary_sentences: int = 3
    story_words: int = 120          # the topic page's story so far
    lead_words: int = 45            # the short lead on the topic's card
    topic_cards: int = 10           # the latest stories a topic page shows as cards (latest_articles)
    related: int = 5
    related_min_score: float = DEFAULT_MIN_SCORE
    duplicate_threshold: float = DEFAULT_THRESHOLD
    stories: StoryOptions = StoryOptions()


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
    features["lede"], features["names"] = lede_and_names(sentences)
    if not sentences:
        return ArticleAnalysis((), (), **features)  # type: ignore[arg-type]
    scores, sim = rank_terms(sentence_terms, title_terms)
    chosen = select(scores, sim, n) if n > 0 else ()
    return ArticleAnalysis(sentences, chosen, tuple(round(float(s), 6) for s in scores),
                           **features)  # type: ignore[arg-type]


def story_summary(articles: Iterable[Article], analyses: Mapping[str, ArticleAnalysis],
                  options: AnalysisOptions, memo: Memo | None = None) -> tuple[Quote, ...]:
    """A story's multi-document summary in about `options.story_words` words: quotes from its
    articles, oldest first (the summariser of story.py, each article one report). `memo`: the
    last build's summaries, reused when the reports are the same (see memo.py)."""
    reports = tuple(Report(a.slug, a.published.timestamp(), analyses[a.slug].sentences) for a in articles)
    budgets = (options.story_words,)

    def tell() -> tuple[Quote, ...]:
        return tuple(Quote(p.text, p.key, p.index) for p in told_stories(reports, budgets)[0])

    # A story is known by its first article (`place` in the memo), unique among the stories.
    return tell() if memo is None else memo.at(("told", reports[0].key if reports else ""), (reports, budgets), tell)


def topic_story(articles: Iterable[Article], stories: Iterable[Story], analyses: Mapping[str, ArticleAnalysis],
                options: AnalysisOptions, memo: Memo | None = None,
                place: str = "") -> tuple[tuple[Quote, ...], tuple[Quote, ...]]:
    """The story so far of one topic in about `options.story_words` words and the lead of its
    card in about `options.lead_words`, told from the leads of its `stories` (those with an
    article among `articles`, the topic's), each weighed by its size (see topicstory.py).
    `memo`: the last build's results, by topic (`place`, the topic's id)."""
    items = tuple(articles)
    stories = tuple(stories)

    def told(what: str, inputs: object, compute: Callable[[], T]) -> T:
        # `place` names the topic: its inputs are compared with its last build's only.
        return compute() if memo is None else memo.at((what, place), inputs, compute)

    # The story so far sits below the topic's cards: its leads leave out what the cards show.
    # The topic's own card (home and topics pages) has no story cards beside it: full leads.
    # A lead reads the stories, the topic's articles and their analyses (story_leads).
    read = (items, stories, tuple(analyses[a.slug] for a in items), options.topic_cards)
    # A live preview keeps each story's lead too: an edit recomputes only its own story's.
    def kept(cards: int) -> dict[str, tuple[object, ...]] | None:
        return memo.kept(f"leads:{place}:{cards}", dict) if memo is not None else None

    leads, full = told("leads", read, lambda: (
        tuple(story_leads(items, stories, analyses, cards=options.topic_cards, kept=kept(options.topic_cards))),
        tuple(story_leads(items, stories, analyses, kept=kept(0)))))

    # tell_topic reads the leads, the budget and the articles' dates (it weighs recency) only: an
    # edit that leaves the leads alone keeps the topic's story (the dates, not the articles, are its key).
    dates = tuple((a.slug, a.published) for a in items)

    def tell(name: str, reports: tuple[Lead, ...], budget: int) -> tuple[Quote, ...]:
        return told(name, (reports, budget, dates),
                    lambda: tell_topic(reports, (budget,), {a.slug: a.published.timestamp() for a in items})[0])

    story, lead = tell("story", leads, options.story_words), tell("lead", full, options.lead_words)
    return story, lead


def group_stories(published: Iterable[Article], copies: Mapping[str, str], analyses: Mapping[str, ArticleAnalysis],
                  options: AnalysisOptions, index: StoryIndex | None = None,
                  memo: Memo | None = None) -> tuple[tuple[Story, ...], dict[str, str]]:
    """The stories of the articles, newest update first, and each slug's story id. Syndicated
    copies (`copies`: copy -> original) are not clustered: they sit in their original's story
    (and their outlets count among its outlets). `index`: the clustering state of the last build."""
    everything = {a.slug: a for a in published}
    items = {slug: a for slug, a in everything.items() if slug not in copies}
    def item(a: Article) -> StoryItem:
        analysis = analyses[a.slug]
        return StoryItem(a.slug, a.published, a.title, analysis.lede, a.story, analysis.names)

    # A live preview's unchanged articles give the very items of the last build (the index meets
    # them without comparing their fields).
    kept: PerArticle[StoryItem] | None = memo.kept("story_items", PerArticle) if memo is not None else None
    found = cluster([item(a) if kept is None else kept.get(a.slug, a, analyses[a.slug], partial(item, a))
                     for a in items.values()], options.stories, index).assignment()
    if kept is not None:
        kept.done()
    members: dict[str, list[Article]] = {}
    for slug, sid in found.items():
        members.setdefault(sid, []).append(items[slug])
    ids = dict(found)
    ids.update({copy: found[original] for copy, original in copies.items() if original in found})
    copies_in: dict[str, list[str]] = {}
    for copy, original in sorted(copies.items()):
        if original in found:
            copies_in.setdefault(found[original], []).append(copy)
    pinned = {a.story for a in items.values() if a.story}
    stories = []
    for sid, group in members.items():
        if len(group) > 1:
            group.sort(key=lambda a: (a.published, a.slug))
        copied = tuple(everything[c] for c in copies_in.get(sid, ()))

        def make(sid: str = sid, group: list[Article] = group, copied: tuple[Article, ...] = copied) -> Story:
            return Story(
                id=sid, title=group[0].title, articles=tuple(a.slug for a in group),
                first=group[0].published, last=max(a.published for a in group),
                sources=tuple(dict.fromkeys([a.source for a in group] + [c.source for c in copied])),
                topics=tuple(dict.fromkeys(t for a in group for t in a.topics)),
                summary=story_summary(group, analyses, options, memo) if len(group) > 1 else (),
                copies=tuple(c.slug for c in copied), pinned=sid in pinned)

        # A live preview's story is the last build's while its articles (and, for its summary,
        # their analyses) are; its summary is memoised by those too (story_summary).
        inputs = (tuple(group), copied, sid in pinned,
                  (tuple(analyses[a.slug] for a in group), options.story_words) if len(group) > 1 else ())
        stories.append(make() if memo is None else memo.at(("story", sid), inputs, make))
    stories.sort(key=lambda s: (s.last, s.id), reverse=True)
    return tuple(stories), ids


def related_articles(articles: Iterable[Article], limit: int, min_score: float = DEFAULT_MIN_SCORE,
                     analyses: Mapping[str, ArticleAnalysis] | None = None,
                     index: RelatedIndex | None = None) -> dict[str, tuple[str, ...]]:
    """For each article, up to `limit` others across all topics whose text is similar
    (TF-IDF cosine of headline and prose at least `min_score`), most similar first. `index`
    (with `analyses`): the last build's, which rescores only the lists a change can alter."""
    items = list(articles)
    if analyses is not None and index is not None:
        return index.related({a.slug: (analyses[a.slug].terms, analyses[a.slug].term_counts) for a in items},
                             limit, min_score)
    if analyses is not None:
        return related_counts({a.slug: (analyses[a.slug].terms, analyses[a.slug].term_counts) for a in items},
                              limit, min_score)
    corpus = vectorise({a.slug: f"{a.title}\n{a.title}\n{body_prose(a.body)}" for a in items})
    return related(corpus, limit, min_score)


def article_claims(article: Article, analysis: ArticleAnalysis) -> tuple[Claim, ...]:
    """The numeric claims in an article's sentences, attributed and dated."""
    # Compressed sentences (model.Sentences) are read whole once, not once per claim.
    sentences = tuple(analysis.sentences) if analysis.claims else ()
    return attach_claims(analysis.claims, sentences, article.slug, article.source, article.published)


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


def _text(article: Article, analysis: ArticleAnalysis) -> Text:
    """What duplicate detection needs of an article: its text only if the analysis lacks
    the text's signature and shingle hashes (joining every text costs, and they are there)."""
    known = bool(analysis.minhash and analysis.shingles)
    text = "" if known else f"{article.title}\n{' '.join(analysis.sentences)}"
    return Text(article.slug, article.published, text, analysis.minhash, analysis.shingles)


def _compact(analysis: ArticleAnalysis) -> ArticleAnalysis:
    """The analysis as a one-off build holds it after duplicate detection (the cache keeps it
    whole): without the signature and shingle hashes, which only that step reads, and with its
    sentences compressed (digest/model.py's Sentences; the summary's stay as text)."""
    if isinstance(analysis.sentences, Sentences):
        return analysis
    return replace(analysis, minhash=b"", shingles=b"", sentences=Sentences(analysis.sentences, analysis.summary))


def build_digest(topics: Iterable[Topic], articles: Iterable[Article], options: AnalysisOptions,
                 analyser: Analyser | None = None, pair_memo: PairMemo | None = None,
                 story_index: StoryIndex | Callable[[], StoryIndex] | None = None, memo: Memo | None = None,
                 grouped: Callable[[], None] | None = None) -> Digest:
    """Analyse every article, then assemble the stories, each topic's summary and the related
    links (`pair_memo`: the duplicate candidates of the last build, updated, see PairMemo;
    `story_index`: the story clustering of the last build, extended when only newer articles
    came, see digest/analysis/stories.py, or a function giving it when the grouping starts;
    `grouped`: called once the stories are grouped, when this no longer holds the index, so
    that the caller can store it and let it go before the rest; `memo`: the last build's
    summaries, see memo.py)."""
    from ..loading.topics import TopicIndex

    published = tuple(articles)
    index = TopicIndex(topics)
    analyses = (analyser or (lambda items: analyse_all(items, options.summary_sentences)))(published)
    # Syndicated copies are shown once: topics, stories, related links and figures use
    # the earliest copy only; a later copy keeps its page and its original's related links.
    # A live preview's unchanged articles keep their texts (memo.PerArticle).
    kept_texts: PerArticle[Text] | None = memo.kept("texts", PerArticle) if memo is not None else None
    texts = [_text(a, analyses[a.slug]) if kept_texts is None else
             kept_texts.get(a.slug, a, analyses[a.slug], partial(_text, a, analyses[a.slug])) for a in published]
    if kept_texts is not None:
        kept_texts.done()
    # A live preview keeps the groups when an edit cannot change them (keptcopies.py).
    kept = memo.kept("copies", KeptCopies) if memo is not None else None
    duplicates = kept.groups_if_unchanged(texts, options.duplicate_threshold, SHINGLE_WORDS) if kept else None
    if duplicates is None:
        duplicates = find_duplicates(texts, options.duplicate_threshold, memo=pair_memo,
                                     scores=memo.kept("jaccard", dict) if memo is not None else None)
    if kept is not None:
        kept.keep(texts, options.duplicate_threshold, duplicates)
    if memo is None:
        # A one-off build needs the signatures and shingle hashes only to find the copies, and
        # reads each article's sentences a few times from here on: together 6 KB an article of
        # the peak memory still to come (the story grouping).
        del texts
        analyses = {slug: _compact(a) for slug, a in analyses.items()}
    copies = copy_map(duplicates)
    shown = tuple(a for a in published if a.slug not in copies)
    groups = index.group(shown)
    stories, story_ids = group_stories(published, copies, analyses, options,
                                       story_index() if callable(story_index) else story_index, memo)
    del story_index
    if grouped is not None:
        grouped()
    in_topic: dict[str, list[Story]] = {}
    for s in stories:
        for tid in s.topics:
            in_topic.setdefault(tid, []).append(s)
    digests = tuple(
        TopicDigest(topic, tuple(groups[topic.id]),
                    *topic_story(groups[topic.id], in_topic.get(topic.id, ()), analyses, options, memo, topic.id))
        for topic in index.topics.values()
    )
    links = related_articles(shown, options.related, options.related_min_score, analyses,
                             memo.kept("related", RelatedIndex) if memo is not None else None)
    links.update({copy: links.get(original, ()) for copy, original in copies.items()})
    # A live preview's unchanged articles keep their claims (memo.PerArticle).
    kept_claims: PerArticle[tuple[Claim, ...]] | None = memo.kept("claims", PerArticle) if memo is not None else None
    claims = {a.slug: article_claims(a, analyses[a.slug]) if kept_claims is None else
              kept_claims.get(a.slug, a, analyses[a.slug], partial(article_claims, a, analyses[a.slug]))
              for a in shown}
    if kept_claims is not None:
        kept_claims.done()
    # Figures are compared within one story only (one event, however long it runs).
    members = {s.id: tuple(slug for slug in s.articles if slug in claims) for s in stories}
    by_story = conflicts_by_group(claims, members, memo)
    conflicts = topic_conflicts(by_story, members, groups)
    return Digest(articles=published, topics=digests, analyses=analyses, related=links,
                  duplicates=duplicates, conflicts=conflicts, stories=stories, story_ids=story_ids,
                  story_conflicts={sid: found for sid, found in by_story.items() if found})
