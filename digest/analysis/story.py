"""A topic's story: what happened first, then what changed since, in about N words.

Extractive and attributed: every quote is a verbatim span of one article's sentence
(see quotes.py for what may be quoted). The story is chosen by coverage: the concepts of
the coverage (stemmed content-word bigrams, and single terms at a lower weight) are
weighted by how many articles report them (cross-document support: a fact several
outlets report matters more) and how early in each article they come (news puts the
essentials first); sentences are then picked greedily for the most uncovered concept
weight per word, with a small lead prior, until the word budget is used (maximum
coverage under a budget; a covered concept counts once, which is what keeps repeats across
outlets out).

Time: when the coverage spans days, the story has two parts. The start, from the
earliest reports, tells the event (weighted by support over all the coverage: the central
facts are the ones later reports repeat). The developments, from later reports, get the
rest of the budget; there concepts the start already told count for less and newer reports
weigh more, so recency decides what counts as a development, never whether the start is
told, and newer reporting is not drowned out. Quotes are returned oldest first.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .quotes import candidates, stands_alone
from .text import terms

__all__ = ["DEFAULT", "Pick", "Report", "StoryParams", "stories", "tell"]

DAY = 86400.0


@dataclass(frozen=True)
class Report:
    """One article as the story sees it: its sentences (verbatim) and when it was published.

    A report may stand for more than one article (a topic's story reads one report per
    story, see topicstory.py): `weight` scales its concepts' weight and `support` is how
    many articles stand behind it, counted as that many for cross-document support;
    `adjacent[i]` whether sentence i directly follows sentence i - 1 in one article (empty:
    all do), since a sentence that cannot stand alone is only quoted with its own predecessor.
    """

    key: str
    published: float                 # POSIX timestamp
    sentences: Sequence[str]
    weight: float = 1.0
    support: int = 1
    adjacent: Sequence[bool] = ()


@dataclass(frozen=True)
class Pick:
    """A quoted span: `text` is `sentences[index]` of report `key`, or a suffix of it."""

    key: str
    index: int
    text: str
    published: float


@dataclass(frozen=True)
class StoryParams:
    """The weights of the story (set on half of the Multi-News sample, checked on the rest)."""

    bigram: float = 1.0            # weight of a content-word bigram ...
    unigram: float = 0.35          # ... and of a single content term
    position_decay: float = 0.8    # a concept's weight in an article: (1 + position) ** -decay
    single_source: float = 0.0     # concepts only one article reports, when three or more exist
    lead_prior: float = 0.6        # bonus of an article's opening sentences, in mean concept weights
    cost_power: float = 0.55       # gain / words ** power: below 1 favours fuller sentences
    max_position: int = 30         # sentences read per article (fewer for very large topics)
    max_words: int = 70            # longer "sentences" are run-ons of lists or captions
    repeat: float = 0.65           # shared share of terms above which a sentence repeats one chosen
    start_days: float = 1.5        # the start: reports within this of the first one ...
    start_share: float = 0.15      # ... or this share of the topic's time span, whichever is longer
    start_budget: float = 0.5      # share of the words that tells the start, when there are developments,
    start_least: float = 0.3       # ... down to this when the start is a small part of the coverage
    same_article: float = 0.8      # gain of each further quote from an article already quoted, times this
    told: float = 0.4              # weight left to a concept the start told, in the developments
    half_life_share: float = 0.25  # developments: newer reports weigh more (half-life: share of span)
    max_reports: int = 300         # larger topics: the earliest, the newest and a spread between
    per_report: int = 0            # at most this many sentences quoted from one report (0: no limit)


DEFAULT = StoryParams()


@dataclass
class _Unit:
    """A candidate quote: one sentence, or one that cannot stand alone with the one before."""

    report: int
    indices: tuple[int, ...]
    texts: tuple[str, ...]
    concepts: np.ndarray           # concept ids, distinct
    words: int
    position: int
    vocab: frozenset[int]          # term ids, for the repeat check


def _thin(reports: Sequence[Report], limit: int) -> list[Report]:
    """At most `limit` reports: the earliest fifth, the newest half and an even spread between."""
    ordered = sorted(reports, key=lambda r: (r.published, r.key))
    if len(ordered) <= limit:
        return ordered
    head, tail = limit // 5, limit // 2
    middle = ordered[head:len(ordered) - tail]
    step = len(middle) / (limit - head - tail)
    spread = [middle[int(k * step)] for k in range(limit - head - tail)]
    return [*ordered[:head], *spread, *ordered[len(ordered) - tail:]]


class _Coverage:
    """The topic's quotable units and, per report, where each concept first occurs.

    Concepts are coded as integers (a term's id; a bigram's ids packed in one number) so
    that the weights are a few array operations, whatever the size of the topic.
    """

    def __init__(self, reports: Sequence[Report], params: StoryParams) -> None:
        per_report = max(6, min(params.max_position, 3000 // max(len(reports), 1)))
        vocab: dict[str, int] = {}
        ids: list[int] = []                 # term ids of every accepted sentence, one after another
        sentence_of: list[int] = []
        where: list[tuple[int, int]] = []   # (report, position among its quotable sentences)
        plans: list[tuple[int, tuple[int, ...], tuple[str, ...], tuple[int, ...], int]] = []
        found_terms: list[list[int]] = []
        for r, report in enumerate(reports):
            cased = any(not s.islower() for s in report.sentences[:5])
            previous: tuple[int, str, int] | None = None     # the last sentence that stood alone
            position = 0
            for i, text in enumerate(candidates(report.sentences[:per_report + 1])[:per_report]):
                if text is None:
                    previous = None
                    continue
                k = len(where)
                found = [vocab.setdefault(t, len(vocab)) for t in terms(text)]
                ids += found
                found_terms.append(found)
                sentence_of += [k] * len(found)
                where.append((r, position))
                words = len(text.split())
                if stands_alone(text, cased, first=position == 0):
                    if words <= params.max_words:
                        plans.append((r, (i,), (text,), (k,), position))
                    previous = (i, text, k)
                elif previous is not None and previous[0] == i - 1 and (
                        not report.adjacent or report.adjacent[i]):
                    p_i, p_text, p_k = previous
                    if words + len(p_text.split()) <= params.max_words:
                        plans.append((r, (p_i, i), (p_text, text), (p_k, k), position - 1))
                    previous = None
                else:
                    previous = None
                position += 1
        term = np.asarray(ids, dtype=np.int64)
        owner = np.asarray(sentence_of, dtype=np.int64)
        pair = owner[:-1] == owner[1:]
        codes = np.concatenate([term, (((term[:-1] + 1) << 24) | term[1:])[pair]])
        occurs = np.concatenate([owner, owner[:-1][pair]])
        concepts, inverse = np.unique(codes, return_inverse=True)
        self.size = len(concepts)
        self.bigram = concepts >= (1 << 24)
        distinct = np.unique(occurs * self.size + inverse)          # (sentence, concept), sorted
        bounds = np.searchsorted(distinct, np.arange(len(where) + 1) * self.size)
        per_sentence = [distinct[bounds[k]:bounds[k + 1]] % self.size for k in range(len(where))]
        self.units = []
        for r, indices, texts, ks, position in plans:
            single = len(ks) == 1
            concepts = per_sentence[ks[0]] if single else np.unique(np.concatenate([per_sentence[k] for k in ks]))
            known = frozenset(found_terms[ks[0]] if single else found_terms[ks[0]] + found_terms[ks[1]])
            self.units.append(_Unit(r, indices, texts, concepts, sum(len(t.split()) for t in texts), position,
                                    known))
        # The units' concepts as one flat array, for the gains of all units in one pass.
        sizes = np.array([u.concepts.size for u in self.units], dtype=np.int64)
        self.flat = np.concatenate([u.concepts for u in self.units]) if self.units else np.zeros(0, np.int64)
        self.owner = np.repeat(np.arange(len(self.units)), sizes)
        self.sizes = np.maximum(sizes, 1)
        self.unit_report = np.array([u.report for u in self.units], dtype=np.int64)
        self.unit_words = np.array([u.words for u in self.units], dtype=np.float64)
        self.unit_position = np.array([u.position for u in self.units], dtype=np.float64)
        # First position of each concept in each report.
        place = np.array([p for _, p in where] or [0], dtype=np.int64)[occurs]
        report = np.array([r for r, _ in where] or [0], dtype=np.int64)[occurs]
        key = report * self.size + inverse
        first = np.lexsort((place, key))
        keep = np.ones(len(first), dtype=bool)
        keep[1:] = key[first][1:] != key[first][:-1]
        self.rows = report[first][keep]
        self.cols = inverse[first][keep]
        self.places = place[first][keep].astype(np.float64)
        self.support = np.array([r.support for r in reports] or [1], dtype=np.float64)

    def weights(self, report_weight: np.ndarray, params: StoryParams) -> np.ndarray:
        """Each concept's weight: its position-discounted presence summed over the reports."""
        n = self.size
        present = report_weight[self.rows] > 0
        weight = np.bincount(self.cols, report_weight[self.rows] * (1.0 + self.places) ** -params.position_decay,
                             minlength=n)
        scale = np.where(self.bigram, params.bigram, params.unigram)
        if float(self.support[report_weight > 0].sum()) >= 3:
            support = np.bincount(self.cols[present], self.support[self.rows[present]], minlength=n)
            scale = np.where(support < 2, scale * params.single_source, scale)
        return weight * scale

    def told(self, reports: np.ndarray) -> np.ndarray:
        """Whether each concept occurs in any of the `reports` (a mask over reports)."""
        mask = np.zeros(self.size, dtype=bool)
        mask[self.cols[reports[self.rows]]] = True
        return mask


def _select(coverage: _Coverage, allowed: np.ndarray, weight: np.ndarray, covered: np.ndarray,
            chosen: dict[tuple[int, int], str], budget: int, params: StoryParams) -> None:
    """Greedy maximum coverage under `budget` words, adding to `chosen` and `covered`.

    Lazy: a unit's gain only falls as concepts get covered and articles quoted, so each
    is rescored only when it reaches the top of the queue.
    """
    live = np.flatnonzero(allowed)
    if budget <= 0 or not live.size:
        return
    units = coverage.units
    n = len(units)
    means = np.bincount(coverage.owner, weights=weight[coverage.flat], minlength=n) / coverage.sizes
    bonus = params.lead_prior * float(means[live].mean()) / (1.0 + coverage.unit_position)
    slack = max(15, int(0.15 * budget))
    quoted: dict[int, int] = {}             # quotes so far per report
    for r, _ in chosen:
        quoted[r] = quoted.get(r, 0) + 1
    said = dict(quoted)                     # sentences quoted so far per report
    picked: list[_Unit] = []

    def value(k: int) -> tuple[float, int]:
        u = units[k]
        cost = sum(len(t.split()) for i, t in zip(u.indices, u.texts) if (u.report, i) not in chosen)
        if cost == 0:
            return 0.0, 0
        gain = float(weight[u.concepts][~covered[u.concepts]].sum()) + bonus[k]
        gain *= params.same_article ** quoted.get(u.report, 0)
        return gain / cost ** params.cost_power, cost

    open_weight = np.where(covered, 0.0, weight)
    gains = np.bincount(coverage.owner, weights=open_weight[coverage.flat], minlength=n) + bonus
    factor = np.array([params.same_article ** quoted.get(int(r), 0) for r in coverage.unit_report[live]])
    first = gains[live] * factor / np.maximum(coverage.unit_words[live], 1.0) ** params.cost_power
    heap = [(-float(v), int(k)) for v, k in zip(first, live)]
    heapq.heapify(heap)
    used = 0
    while heap and used < budget:
        _, k = heapq.heappop(heap)
        current, cost = value(k)
        if cost == 0 or current <= 0:
            continue
        if heap and current < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-current, k))         # stale: its gain fell since it was scored
            continue
        if chosen and used + cost > budget + slack:     # the first quote of a story always fits
            continue
        u = units[k]
        if params.per_report and said.get(u.report, 0) + len(u.indices) > params.per_report:
            continue
        if any(_repeats(u, p, params.repeat) for p in picked):
            continue
        picked.append(u)
        quoted[u.report] = quoted.get(u.report, 0) + 1
        said[u.report] = said.get(u.report, 0) + len(u.indices)
        used += cost
        covered[u.concepts] = True
        for i, t in zip(u.indices, u.texts):
            chosen.setdefault((u.report, i), t)


def _repeats(a: _Unit, b: _Unit, threshold: float) -> bool:
    if not a.vocab or not b.vocab:
        return False
    return len(a.vocab & b.vocab) / min(len(a.vocab), len(b.vocab)) > threshold


def tell(reports: Sequence[Report], budget_words: int, params: StoryParams = DEFAULT) -> list[Pick]:
    """The story of these reports in about `budget_words` words (the last quote may run past
    the budget, by at most 15% or 15 words; a story always has at least one quote if any
    sentence may be quoted), oldest report first, then sentence order."""
    return stories(reports, (budget_words,), params)[0]


def stories(reports: Sequence[Report], budgets: Sequence[int], params: StoryParams = DEFAULT
            ) -> list[list[Pick]]:
    """`tell` for each of the `budgets` (a page's story and a card's lead), reading the reports once."""
    if not reports or all(b <= 0 for b in budgets):
        return [[] for _ in budgets]
    items = _thin(reports, params.max_reports)
    coverage = _Coverage(items, params)
    if not coverage.units:
        return [[] for _ in budgets]
    published = np.array([r.published for r in items])
    t0, t1 = published[0], published[-1]
    window = max(params.start_days * DAY, params.start_share * (t1 - t0))
    start = published <= t0 + window
    own = np.array([r.weight for r in items], dtype=np.float64)
    everyone = coverage.weights(own, params)
    if not start.all():
        half_life = max(params.half_life_share * (t1 - t0), DAY)
        later = coverage.weights(own * np.where(start, 0.0, 0.5 + 0.5 * 0.5 ** ((t1 - published) / half_life)),
                                 params)
        later = np.where(coverage.told(start), later * params.told, later)
    out = []
    in_start = start[coverage.unit_report]
    for budget in budgets:
        covered = np.zeros(coverage.size, dtype=bool)
        chosen: dict[tuple[int, int], str] = {}
        if start.all():
            _select(coverage, in_start, everyone, covered, chosen, budget, params)
        else:
            share = min(params.start_budget, max(params.start_least, float(start.mean())))
            _select(coverage, in_start, everyone, covered, chosen, int(round(budget * share)), params)
            used = sum(len(t.split()) for t in chosen.values())
            _select(coverage, ~in_start, later, covered, chosen, budget - used, params)
        picks = [Pick(items[r].key, i, text, items[r].published) for (r, i), text in chosen.items()]
        out.append(sorted(picks, key=lambda p: (p.published, p.key, p.index)))
    return out
