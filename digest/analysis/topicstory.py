"""A topic's story so far, told from its stories rather than from its articles one by one.

The summariser of story.py reads one report per story of the topic: the story's lead
(its own summary's quotes, those of the topic's articles; for a one-article story, or a
story with nothing quotable in its summary, the opening sentences of its earliest article
in the topic). Each report weighs sqrt(articles x outlets) and stands for its articles in
cross-document support, so a story forty articles tell outweighs a one-off (and more so
when several outlets tell it), yet at most `per_story` sentences come from one story and no
single story floods the summary. Quotes stay verbatim: each maps back to the article
and sentence its story's lead quoted. Pure and deterministic.

The topic page shows its latest stories as cards above the story so far, each with its own
summary (`card_text`); so that a reader does not meet a sentence twice, the lead of a story
shown as a card leaves out what its card shows and goes on with its next sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from math import sqrt

from ..model import Article, ArticleAnalysis, Quote, Story
from .quotes import quotable
from .story import DEFAULT, Report, StoryParams, stories

__all__ = ["Lead", "TopicParams", "card_text", "story_leads", "tell_topic"]


@dataclass(frozen=True)
class TopicParams:
    """How a topic's story reads its stories (judged on BBC and mixed Multi-News topics)."""

    per_story: int = 2            # sentences quoted from one story at most
    lead_sentences: int = 2       # a story's lead: the first quotes of its summary its card does not show
    card_sentences: int = 1       # the quotes of its summary a story's card shows
    max_stories: int = 300        # the heaviest stories read, in a very large topic


DEFAULT_TOPIC = TopicParams()


@dataclass(frozen=True)
class Lead:
    """One story as the topic's story sees it: its quotes, when it began and its weight."""

    story: str
    quotes: tuple[Quote, ...]
    first: float                  # POSIX timestamp of its earliest article in the topic
    articles: int
    outlets: int

    @property
    def weight(self) -> float:
        return sqrt(max(self.articles, 1) * max(self.outlets, 1))


def card_text(story: Story, articles: Mapping[str, Article], analyses: Mapping[str, ArticleAnalysis],
              params: TopicParams = DEFAULT_TOPIC) -> tuple[str, ...]:
    """The sentences a topic page's card of `story` shows: for a story of several articles
    the first quote(s) of its summary, for a one-article story the first of its article's
    summary (the editor's `summary`, or the generated sentences)."""
    if story.size > 1:
        return tuple(q.text for q in story.summary[: params.card_sentences])
    only = articles[story.articles[0]]
    if only.summary:
        return (only.summary,)
    analysis = analyses.get(only.slug)
    return analysis.summary_sentences()[: params.card_sentences] if analysis else ()


def story_leads(articles: Iterable[Article], stories_of_topic: Iterable[Story],
                analyses: Mapping[str, ArticleAnalysis], params: TopicParams = DEFAULT_TOPIC,
                cards: int = 0, kept: dict[str, tuple[object, ...]] | None = None) -> list[Lead]:
    """The lead of each story with an article among `articles` (the topic's), in story order
    (newest update first). A story's quotes of articles outside the topic are left out: the
    topic quotes its own. The first `cards` stories are the topic page's cards: their leads
    leave out the sentences their cards show (`card_text`). `kept` (a live preview's, for one
    topic and `cards`): each story's lead of the last call, taken again while the story, its
    articles in the topic and the analyses it read are the very objects it was made from."""
    mine = {a.slug: a for a in articles}
    leads: list[Lead] = []
    shown = 0
    made: dict[str, tuple[object, ...]] = {}
    for s in stories_of_topic:
        members = tuple(mine[slug] for slug in s.articles if slug in mine)
        if not members:
            continue
        card = shown < cards
        shown += 1
        read = (s, members, card, analyses.get(members[0].slug), analyses.get(s.articles[0]))
        last = kept.get(s.id) if kept is not None else None
        if last is not None and last[0] is s and last[1] == members and last[2] == card \
                and last[3] is read[3] and last[4] is read[4]:
            made[s.id] = last
            leads.append(last[5])       # type: ignore[arg-type]
            continue
        skip = frozenset(card_text(s, mine, analyses, params)) if card else frozenset()
        quotes = tuple(q for q in s.summary if q.slug in mine and q.text not in skip)[: params.lead_sentences]
        if not quotes:
            first = members[0]
            quotes = tuple(Quote(text, first.slug, i)
                           for i, text in _opening(analyses[first.slug], params.lead_sentences, skip))
        lead = Lead(s.id, quotes, members[0].published.timestamp(), s.size + len(s.copies), len(s.sources))
        leads.append(lead)
        made[s.id] = (*read, lead)
    if kept is not None:
        kept.clear()
        kept.update(made)
    return leads


def tell_topic(leads: Sequence[Lead], budgets: Sequence[int], published: Mapping[str, float],
               params: TopicParams = DEFAULT_TOPIC, story_params: StoryParams = DEFAULT) -> list[tuple[Quote, ...]]:
    """For each of the `budgets` (in words), the topic's story told from the `leads`: quotes
    ordered by their article's publication (`published`, slug -> timestamp), then slug and
    sentence."""
    heaviest = sorted(leads, key=lambda lead: (-lead.weight, lead.first, lead.story))[: params.max_stories]
    by_key = {lead.story: lead for lead in heaviest}
    reports = [Report(lead.story, lead.first, [q.text for q in lead.quotes], lead.weight, lead.articles,
                      _adjacent(lead.quotes)) for lead in heaviest]
    told = stories(reports, budgets, replace(story_params, per_report=params.per_story))
    out = []
    for picks in told:
        quotes = []
        for p in picks:
            origin = by_key[p.key].quotes[p.index]
            quotes.append(Quote(p.text, origin.slug, origin.index))
        quotes.sort(key=lambda q: (published[q.slug], q.slug, q.index))
        out.append(tuple(quotes))
    return out


def _adjacent(quotes: Sequence[Quote]) -> tuple[bool, ...]:
    """Whether each quote is the sentence right after the one before it, in the same article."""
    return tuple(i > 0 and q.slug == quotes[i - 1].slug and q.index == quotes[i - 1].index + 1
                 for i, q in enumerate(quotes))


def _opening(analysis: ArticleAnalysis, n: int, skip: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """An article's first `n` quotable sentences not in `skip`, and the others before them
    (index, text; the summariser quotes only the quotable)."""
    taken: list[tuple[int, str]] = []
    found = 0
    for i, text in enumerate(analysis.sentences):
        if text in skip:
            continue
        taken.append((i, text))
        found += bool(quotable(text))
        if found >= n:
            break
    return taken
