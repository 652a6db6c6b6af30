"""Typed, immutable records passed between the stages of a build.

load (articles, topics) -> analyse (sentences, summaries) -> assemble (Digest) -> render.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, overload

from .packedtext import pack_all, unpack_all

if TYPE_CHECKING:   # records of the cross-source modules, used in annotations only
    from .analysis.conflicts import Conflict
    from .analysis.duplicates import DuplicateGroup

__all__ = [
    "Article",
    "ArticleAnalysis",
    "Correction",
    "Digest",
    "Quote",
    "Sentences",
    "Story",
    "Topic",
    "TopicDigest",
    "term_count_map",
]


@dataclass(frozen=True)
class Topic:
    """A topic declared in content/topics.yml."""

    id: str
    title: str
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Correction:
    """An editor's correction to a published article: when, and what was corrected."""

    date: datetime
    text: str


@dataclass(frozen=True)
class Article:
    """One validated article: front matter plus its Markdown body."""

    path: str
    slug: str
    title: str
    published: datetime
    source: str
    topics: tuple[str, ...]
    body: str
    url: str | None = None
    author: str | None = None
    summary: str | None = None
    updated: datetime | None = None
    draft: bool = False
    date_only: bool = False
    corrections: tuple[Correction, ...] = ()
    tags: tuple[str, ...] = ()      # passed through to the article page (Material's tags plugin)
    story: str | None = None        # an editor's pin to a story id (digest/analysis/stories.py)

    @property
    def day(self) -> date:
        """The calendar day of publication, in the article's own time zone."""
        return self.published.date()

    @property
    def last_modified(self) -> datetime:
        """The latest of publication, `updated` and every correction's date."""
        return max([self.published, *([self.updated] if self.updated else []),
                    *(c.date for c in self.corrections)])


class Sentences(Sequence[str]):
    """An article's sentences held compressed (packedtext.py's pack_all), the sentences of
    `plain` (its summary, which pages quote over and over) kept as text. Reads as the tuple it
    stands for (equal to it, hashed as it is). A one-off build holds every analysis from the
    story grouping to the end of the layout, and the sentences were the biggest part of one:
    6 KB an article of generated text, 3 KB held so."""

    __slots__ = ("_packed", "_count", "_plain")

    def __init__(self, sentences: Sequence[str], plain: Iterable[int] = ()) -> None:
        self._packed = pack_all(sentences)
        self._count = len(sentences)
        self._plain = {i: sentences[i] for i in plain}

    def _all(self) -> tuple[str, ...]:
        return unpack_all(self._packed)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, int):
            kept = self._plain.get(index + len(self) if index < 0 else index)
            if kept is not None:
                return kept
        return self._all()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sentences):
            return self._packed == other._packed
        return isinstance(other, tuple) and self._all() == other

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"Sentences({self._all()!r})"


@dataclass(frozen=True)
class ArticleAnalysis:
    """What the text-analysis core found in one article body.

    `sentences` are the article's sentences verbatim, in order; `summary` holds
    the indices of the chosen ones, in document order; `scores` their centrality.
    """

    sentences: tuple[str, ...] | Sentences
    summary: tuple[int, ...]
    scores: tuple[float, ...] = ()
    # Per-article inputs of the cross-article steps, computed (and cached) with the rest
    # so a warm build only has to combine them: the MinHash signature of the story's
    # shingles and the shingles' hashes (duplicates), packed as bytes (see
    # digest/analysis/duplicates.py); its headline-weighted term counts (related coverage): the
    # terms space-separated in one string and their counts in that order, because a pair
    # per term took half of an analysis' memory; and its numeric claims as (sentence
    # index, value, bound, figure, thing, label, scope, scope label, attributed source
    # or "") tuples (where reports differ); and what the story clustering reads of it, its
    # lede and its (name, count) pairs (digest/analysis/lede.py).
    minhash: bytes = b""
    terms: str = ""
    term_counts: tuple[int, ...] = ()
    claims: tuple[tuple[object, ...], ...] = ()
    shingles: bytes = b""
    lede: str = ""
    names: tuple[tuple[str, int], ...] = ()

    def summary_sentences(self) -> tuple[str, ...]:
        return tuple(self.sentences[i] for i in self.summary)

    def term_count_map(self) -> dict[str, int]:
        """The term counts as a mapping, term -> count."""
        return term_count_map(self.terms, self.term_counts)


def term_count_map(terms: str, counts: tuple[int, ...]) -> dict[str, int]:
    """Space-separated terms and their counts in that order (ArticleAnalysis' `terms` and
    `term_counts`) as a mapping, term -> count."""
    return dict(zip(terms.split(" "), counts)) if terms else {}


@dataclass(frozen=True)
class Quote:
    """A summary sentence quoted verbatim from an article, with its origin."""

    text: str
    slug: str
    index: int


@dataclass(frozen=True)
class TopicDigest:
    """A topic with its published articles (newest first), its story so far and the
    shorter lead its card shows."""

    topic: Topic
    articles: tuple[Article, ...]
    story: tuple[Quote, ...]
    lead: tuple[Quote, ...] = ()


@dataclass(frozen=True)
class Story:
    """One event or development: the articles that report it, across outlets and topics.

    `articles` are slugs, earliest first, each syndicated story once (its earliest copy);
    `copies` the later copies of those, shown inside the story; `summary` its
    multi-document summary; `pinned` whether an editor's `story:` field named it.
    """

    id: str
    title: str
    articles: tuple[str, ...]
    first: datetime
    last: datetime
    sources: tuple[str, ...]
    topics: tuple[str, ...]
    summary: tuple[Quote, ...] = ()
    copies: tuple[str, ...] = ()
    pinned: bool = False

    @property
    def size(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class Digest:
    """Everything the renderer needs, computed before any page is written."""

    articles: tuple[Article, ...]
    topics: tuple[TopicDigest, ...]
    analyses: dict[str, ArticleAnalysis] = field(default_factory=dict)
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Near-duplicate stories (digest/analysis/duplicates.py): each shown once, as its earliest copy.
    duplicates: tuple[DuplicateGroup, ...] = ()
    #: Per topic id, the figures its sources report differently (digest/analysis/conflicts.py).
    conflicts: dict[str, tuple[Conflict, ...]] = field(default_factory=dict)
    #: Every story, newest update first (digest/analysis/stories.py), and each slug's story id
    #: (syndicated copies included, in their original's story).
    stories: tuple[Story, ...] = ()
    story_ids: dict[str, str] = field(default_factory=dict)
    #: Per story id, the figures its reports give differently (computed by the conflicts step).
    story_conflicts: dict[str, tuple[Conflict, ...]] = field(default_factory=dict)

    def story_of(self, slug: str) -> Story | None:
        """The story an article belongs to."""
        sid = self.story_ids.get(slug)
        return self._story_map().get(sid) if sid is not None else None

    def _story_map(self) -> dict[str, Story]:
        cached = self.__dict__.get("_stories_by_id")
        if cached is None:
            cached = {s.id: s for s in self.stories}
            object.__setattr__(self, "_stories_by_id", cached)
        return cached

    def summary_of(self, article: Article) -> tuple[str, ...]:
        """The editor's `summary` if given, otherwise the generated sentences (pages and feeds)."""
        if article.summary:
            return (article.summary,)
        analysis = self.analyses.get(article.slug)
        return analysis.summary_sentences() if analysis else ()
