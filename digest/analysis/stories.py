"""Stories: the articles that report one event or development, grouped across outlets.

Each article becomes a TF-IDF vector (sublinear term counts) of its headline (counted twice),
its lede (the first `LEDE_WORDS` words of its news sentences: page furniture such as web-archive
notices, embedded-tweet prompts, captions and credits is skipped, and datelines dropped, so an
article that is nothing but furniture has no lede and joins no story) and its names: words
capitalised inside a sentence, counted again in the lede and, where the article repeats them,
across its whole prose (a later paragraph names the people and places a feature's lede only
hints at). An article of fewer than `min_terms` distinct terms (a one-line crawl notice,
a player prompt) is too short to say which event it reports and stays a story of its own,
even beside the same line under another event. Articles are taken in date order (then
slug); each one joins the story of its most similar earlier article published within
`window_days` before it (single link),
if its similarity to that story's centroid also clears a bar (the centroid check keeps a
chain of pairwise links from merging two events), the two share `rare_shared` rare words
(one beat's common vocabulary is not one event) and, if their similarity is below
`named_link`, a name (same who or where: one desk's stories of one beat share its words as
much as one event's reports do), or else it starts a story. A link under `link` but at least
`named_floor` counts too when the two give `named_rare` of the same rare names (the same people
and places: the judge's and the defendant's names in two outlets' ledes that tell one case from
two ends).

Every decision uses only earlier articles (document frequencies too are counted over the
articles seen so far), so the grouping is a pure function of the corpus and its date
order: a `StoryIndex` kept from the last build takes a newer article exactly as a cold
build would, without reclustering the archive; after an edit it replays from the edited
article on (`truncate`), or, in a live preview, decides again in place only the articles the edit
can reach (storyreplay.py). Candidates come from an inverted index
over each article's top terms, scanned only back through the time window and capped per
term, so the cost grows with the number of articles, not with the number of pairs.

An editor's `story: <id>` pins an article to a story; it wins over the automatic grouping
(pinned articles never join another story; later unpinned ones may join theirs).
Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import neg
from sys import intern

from . import storyreplay
from .lede import LEDE_WORDS, NAME_REPEATS, lede, names
from .storygroup import Group, Retired, Vector, dot
from .storyitems import StoryItem, features, lede_names, proper_names, story_item
from .storymargins import Margins, cut_slack, score_slack
from .storyscores import Scorer, nearest

__all__ = ["LEDE_WORDS", "NAME_REPEATS", "StoryIndex", "StoryItem", "StoryOptions", "cluster", "features", "lede",
           "lede_names", "names", "proper_names", "story_item"]


@dataclass(frozen=True)
class StoryOptions:
    """The clustering knobs. Chosen on the Multi-News sample (benchmarks/story_clusters.py) over
    three drawn date seeds and both halves, and read by hand on the one-outlet BBC set, where
    `named_link` decides: its lower-cased text has no names, so only links above that bar group it."""

    window_days: float = 4.0        # an article links only to articles at most this much older
    link: float = 0.14              # cosine to the nearest earlier member (single link)
    centroid: float = 0.18          # cosine to the story's centroid (holds back chained merges)
    top_terms: int = 20             # an article's heaviest terms, which it is indexed under
    postings: int = 60              # earlier articles scanned per term, newest first
    candidates: int = 40            # articles compared exactly, most shared terms first
    rare_shared: int = 2            # a link needs this many shared rare terms (0: no such check)
    rare: float = 0.02              # a term is rare while at most this share of the articles has it
    rare_floor: int = 10            # ... or at most this many (one event's reports may number ten)
    named_link: float = 0.30        # a weaker link needs a name both articles capitalise (0: no such check)
    named_floor: float = 0.10       # a link under `link` but this high counts if the two share ... (0: never)
    named_rare: int = 2             # ... this many names that at most `rare` of the articles hold (no floor)
    min_terms: int = 8              # fewer distinct terms than this: too short to place (0: no such check)

    @property
    def links_on_rare_names(self) -> bool:
        """Whether a link under `link` can count (`named_floor`, `named_rare`)."""
        return 0 < self.named_floor < self.link and self.named_rare > 0


class StoryIndex:
    """The incremental clustering state: feed articles in date order with `add`.

    `assignment()` maps each slug to its story id. A story's id is its pin, or else the
    slug of its first article (which stays its first: later articles only join)."""

    def __init__(self, options: StoryOptions | None = None, keep_read: bool = False) -> None:
        # keep_read (a live preview's): each article's features and names are kept with its item,
        # so that a replay does not read them again, and each term's holders, so that an edit is
        # replayed in place (a cold build would only hold them longer).
        self.keep_read = keep_read
        self._read: dict[str, tuple[StoryItem, Counter[str], frozenset[str]]] = {}
        self.reset(options or StoryOptions())

    def reset(self, options: StoryOptions) -> None:
        """Forget every article (a cold start)."""
        self.options = options
        self.items: list[StoryItem] = []
        self._vectors: list[Mapping[str, float]] = []     # a Vector; Retired once out of every window
        self._retired = 0       # a one-off build's: the articles before it are out of every window
        self._top: list[tuple[str, ...]] = []
        self._group_of: list[Group] = []
        self._groups: dict[str, Group] = {}
        self._df: Counter[str] = Counter()
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._names: list[Collection[str]] = []      # a frozenset; a tuple once retired
        self._when: list[float] = []        # each article's date (a timestamp)
        self._margins: list[Margins | None] = []     # keep_read: each decision's margins (storymargins.py)
        self._raw: list[array[float]] = []      # keep_read: each vector's weights before the norm
        self._held: dict[str, list[int]] = defaultdict(list)    # keep_read: each term's articles (positions)
        self.replayed = 0       # articles the last replay decided again (for the tests and the log)
        self.kept = 0           # nudged articles whose decision the last replay kept on its margins
        self._partial: dict[tuple[int, int], Group] = {}   # a replay's centroids as of a place
        self._scorer = Scorer()     # a one-off build's candidate scores, made in numpy (storyscores.py)

    def _vector(self, counts: Counter[str], df: Mapping[str, int], n: int) -> tuple[Vector, list[float]]:
        """The unit TF-IDF vector (sublinear counts) and its weights before the norm, in `counts`' order."""
        log = math.log
        weights = [(1.0 + log(c)) * log((n + 1) / (df[t] + 0.5)) for t, c in counts.items()]
        return self._unit(counts, weights), weights

    @staticmethod
    def _unit(counts: Counter[str], weights: list[float]) -> Vector:
        """The unit vector; its terms interned, so that the index (which keeps every article's
        vector for the articles to come) holds one string per distinct word, not one per article
        and word: 7 KB an article of the build's peak memory."""
        norm = math.sqrt(sum(w * w for w in weights)) or 1.0
        return {intern(t): w / norm for t, w in zip(counts, weights)}

    def _candidates(self, item: StoryItem, vec: Vector, before: int | None) -> tuple[list[int], float]:
        """Earlier articles within the window indexed under one of this article's terms,
        most shared terms first (weighted by this article's weights), and the cut's margin.
        `before`: only the articles before this position count (a replay in place), else all so far."""
        since = item.key[0] - self.options.window_days * 86400.0
        when = self._when
        cap = self.options.postings

        def scanned(term: str) -> Sequence[int]:
            postings: Sequence[int] = self._postings.get(term, ())
            if before is None:
                return postings[-cap:]
            end = bisect_left(postings, before)
            return postings[max(0, end - cap):end]

        # The dates ascend with the positions: the window is the positions from `first` on.
        first = bisect_left(when, since)
        keep = self.options.candidates
        if not self.keep_read:
            return [j for j, _ in nearest(vec, self._postings, first, cap, keep, before)], math.inf
        ranked = nearest(vec, self._postings, first, cap, None, before)     # all: for the cut's margin

        def same_terms(tied: set[int]) -> bool:       # tied sums of one set of terms stay tied
            held: dict[int, list[str]] = defaultdict(list)
            for term in vec:
                for j in tied.intersection(scanned(term)):
                    if when[j] >= since:
                        held[j].append(term)
            return len({tuple(terms) for terms in held.values()}) == 1

        return [j for j, _ in ranked[:keep]], cut_slack(ranked, keep, same_terms)

    def _choose(self, vec: Vector, names: frozenset[str], candidates: list[int], df: Mapping[str, int],
                before: int | None, margins: Margins | None = None) -> Group | None:
        """The story of the most similar linked candidate whose centroid also agrees. A link
        below `named_link` also needs a name in common: one beat's stories share its words
        ("seed", "quarter-finals"; "bidder", "shareholders") as much as one event's reports do,
        and the names (who, where) are what tell them apart. Text without capitals (a
        lower-cased feed) shows no names, so only its strong links group it. `margins`: the
        decision's margins are recorded there (a live preview's, storymargins.py)."""
        vectors = self._vectors
        link = self.options.link
        floor = self.options.named_floor if self.options.links_on_rare_names else link
        if self.keep_read:      # its vectors change in place (storyreplay.py): no arrays kept
            scores = [dot(vec, vectors[j]) for j in candidates]
        else:
            scores = self._scorer.scores(vec, candidates, vectors)
        scored = sorted(zip(scores, map(neg, candidates)), reverse=True)
        seen = len(self.items) if before is None else before
        rare = self._rare(vec, df, seen)
        rare_names = self._rare_names(vec, names, df, seen)

        def named_rarely(i: int) -> bool:     # shares enough rare names to link under `link`
            return len(rare_names.intersection(self._names[i])) >= self.options.named_rare

        if margins is not None:
            margins.candidates = tuple(candidates)
            margins.slack = score_slack(scored, link, self.options.named_link,
                                        lambda i: not names.isdisjoint(self._names[i]), floor, named_rarely)
        tried: set[str] = set()
        chosen: Group | None = None
        best = math.inf
        for score, minus in scored:
            if score < floor:
                break
            if score < link:
                if not named_rarely(-minus):
                    continue
            elif score < self.options.named_link and names.isdisjoint(self._names[-minus]):
                continue
            group = self._group_of[-minus]
            if group.id in tried or not self._specific(vectors[-minus].keys(), rare):
                continue
            if chosen is not None and margins is not None:
                # The next story that could win if the scores moved: half the gap to it is a margin.
                margins.slack = min(margins.slack, (best - score) / 2.0)
                break
            tried.add(group.id)
            # A story of one article has no centroid apart from it: the link decides.
            size, similarity, norm2 = self._centroid(group, vec, before)
            if size >= 2 and margins is not None:
                margins.read_centroid(group, size, norm2, similarity, self.options.centroid)
            if size < 2 or similarity >= self.options.centroid:
                if margins is None:
                    return group
                chosen, best = group, score
        return chosen

    def _centroid(self, group: Group, vec: Vector, before: int | None) -> tuple[int, float, float]:
        """The story's size, its centroid's similarity to `vec` and its sum's squared norm,
        counting its members before position `before` only (a replay in place: its sums as they
        were then) if given."""
        if before is None or (not group.stale and (not group.members or group.members[-1] < before)):
            return len(group.members), group.similarity(vec), group.norm2
        upto = bisect_left(group.members, before)
        key = (id(group), upto)
        if key not in self._partial:
            self._partial[key] = group.summed(self._vectors, upto)
        partial = self._partial[key]
        return upto, partial.similarity(vec), partial.norm2

    def _rare(self, vec: Vector, df: Mapping[str, int], seen: int) -> frozenset[str]:
        """The article's rare terms: those at most `rare` of the `seen` articles (or `rare_floor`) hold."""
        most = max(float(self.options.rare_floor), self.options.rare * seen)
        return frozenset(t for t in vec if df[t] <= most) if self.options.rare_shared > 0 else frozenset()

    def _rare_names(self, vec: Vector, names: frozenset[str], df: Mapping[str, int], seen: int) -> frozenset[str]:
        """The article's names that at most `rare` of the `seen` articles hold, with no `rare_floor`:
        a rule that adds links asks for evidence a small archive cannot give (on a site of twelve
        articles every name is in "at most ten"), where the rare-word check, which holds links
        back, is lenient."""
        if not self.options.links_on_rare_names:
            return frozenset()
        most = self.options.rare * seen
        return frozenset(t for t in names if t in vec and df[t] <= most)

    def _specific(self, theirs: AbstractSet[str], rare: frozenset[str]) -> bool:
        """Whether two articles (the `rare` terms of the first, the terms of the second) share
        enough rare terms to be about one event, not one beat: a business desk's every rates
        story shares "economy", "rates" and "growth"."""
        need = self.options.rare_shared
        return need <= 0 or len(rare & theirs) >= need

    def _features(self, item: StoryItem) -> tuple[Counter[str], frozenset[str]]:
        """The item's word counts (none when too few to place it) and names, kept if keep_read."""
        known = self._read.get(item.slug) if self.keep_read else None
        if known is not None and known[0] is item:
            counts, named = known[1], known[2]
        else:
            counts, named = item.features_and_names()
            if self.keep_read:
                self._read[item.slug] = (item, counts, named)
        return (Counter() if len(counts) < self.options.min_terms else counts), named

    def _top_terms(self, vec: Vector) -> tuple[str, ...]:
        """Its heaviest terms, ties by term (the pairs are made and compared in C: no key function)."""
        return tuple(t for _, t in sorted(zip(map(neg, vec.values()), vec))[: self.options.top_terms])

    def add(self, item: StoryItem) -> str:
        """Place one article, newer than (or as new as, with a later slug) every earlier one."""
        if self.items and item.key < self.items[-1].key:
            raise ValueError(f"{item.slug} is older than {self.items[-1].slug}: rebuild the index")
        counts, named = self._features(item)
        self._df.update(counts.keys())
        vec, weights = self._vector(counts, self._df, len(self.items) + 1)
        margins = Margins() if self.keep_read and item.pin is None else None
        if item.pin is not None:
            group = self._groups.get(item.pin) or self._new(item.pin, True)
        else:
            candidates, cut = self._candidates(item, vec, None)
            if margins is not None:
                margins.cut = cut
            group = self._choose(vec, named, candidates, self._df, None, margins) or self._new(item.slug, False)
        index = len(self.items)
        self.items.append(item)
        self._when.append(item.key[0])
        self._margins.append(margins)
        if self.keep_read:
            self._raw.append(array("d", weights))
        self._vectors.append(vec)
        self._top.append(top := self._top_terms(vec))
        self._names.append(named)
        self._group_of.append(group)
        if not self.keep_read:
            self._scorer.placed(index, vec)
        group.add(index, vec)
        for term in top:
            self._postings[term].append(index)
        if self.keep_read:
            for term in vec:
                self._held[term].append(index)
        else:
            self.retire(item.key[0] - self.options.window_days * 86400.0)
        return group.id

    def retire(self, since: float) -> None:
        """Hold compact (Retired: the same numbers) the vectors of the articles dated before
        `since`, and the sums of the stories whose last article they are, and their names as
        tuples: no article to come reaches back to them (its window starts later), only a warm
        build's replay and the store read them again. Not in a live preview's index, which
        decides old articles again in place."""
        if self.keep_read:
            return
        vectors, when, groups, names = self._vectors, self._when, self._group_of, self._names
        j = self._retired
        while j < len(vectors) and when[j] < since:
            vec, group = vectors[j], groups[j]
            names[j] = tuple(names[j])
            if isinstance(vec, dict):
                vectors[j] = compact = Retired(vec)
                if group.total is vec:      # a story's sums lent by its only article (storygroup.py)
                    group.total = compact
            if group.members[-1] == j:
                group.retire()
            self._scorer.forget(j)
            j += 1
        self._retired = j

    def _new(self, wanted: str, pinned: bool) -> Group:
        sid, n = wanted, 2
        while sid in self._groups:      # an automatic id that an editor's pin already took
            sid, n = f"{wanted}-{n}", n + 1
        group = self._groups[sid] = Group(sid, pinned)
        return group

    def assignment(self) -> dict[str, str]:
        return {item.slug: group.id for item, group in zip(self.items, self._group_of)}

    def pinned(self) -> frozenset[str]:
        return frozenset(g.id for g in self._groups.values() if g.pinned)

    def extend(self, items: Iterable[StoryItem]) -> StoryIndex:
        for item in sorted(items, key=lambda i: i.key):
            self.add(item)
        return self

    def truncate(self, keep: int) -> None:
        """Forget every article from position `keep` on, leaving exactly the state the first
        `keep` articles give. The stories that lose members have their centroids summed again
        in member order, so their floating-point sums are a cold build's, bit for bit."""
        touched: dict[str, Group] = {}
        for index in range(len(self.items) - 1, keep - 1, -1):
            for term in self._top[index]:
                self._postings[term].pop()
            for term in self._vectors[index]:
                left = self._df[term] - 1
                if left:
                    self._df[term] = left
                else:
                    del self._df[term]
                if self.keep_read:
                    self._held[term].pop()
            group = self._group_of[index]
            group.members.pop()
            touched[group.id] = group
        del self.items[keep:], self._vectors[keep:], self._top[keep:], self._group_of[keep:], self._names[keep:]
        del self._when[keep:], self._margins[keep:], self._raw[keep:]
        self._retired = min(self._retired, keep)
        self._scorer.forget_from(keep)
        self._settle(touched.values())

    def _settle(self, groups: Iterable[Group]) -> None:
        """Stories whose members changed: the empty ones dropped, the others' sums made again."""
        for group in groups:
            group.stale = False
            if not group.members:
                del self._groups[group.id]
                continue
            again = group.summed(self._vectors)
            group.total, group.norm2, group.lent = again.total, again.norm2, again.lent



def cluster(items: Iterable[StoryItem], options: StoryOptions | None = None,
            warm: StoryIndex | None = None) -> StoryIndex:
    """Group articles into stories. `warm` (the index of the last build, updated in place and
    returned) keeps the articles up to the first one that differs from the last build's (an
    edit, a deletion, an older article added) and places only the rest again, as a cold build
    would (articles edited in place: deciding again only those the edits reach, `replay`); with
    other options it starts afresh."""
    ordered = sorted(items, key=lambda i: i.key)
    options = options or StoryOptions()
    if warm is None:
        return StoryIndex(options).extend(ordered)
    if warm.options != options:
        warm.reset(options)
    same = 0
    for old, new in zip(warm.items, ordered):
        if old is not new and old != new:       # a live preview gives the same items back
            break
        same += 1
    if same < len(warm.items) and storyreplay.can_replay(warm, ordered, same):
        storyreplay.replay(warm, ordered, same)
    else:
        if same < len(warm.items):
            warm.truncate(same)
        warm.extend(ordered[same:])
    if len(warm._read) > len(warm.items):       # articles gone: their features go too
        warm._read = {i.slug: warm._read[i.slug] for i in warm.items if i.slug in warm._read}
    return warm
