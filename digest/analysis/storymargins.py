"""How far each story decision stood from going another way (digest/analysis/stories.py).

A live preview keeps, for every article, the margins of its last decision: how far its scores
stood from the link bars and from each other, how far its candidate cut stood, and how far each
story centroid it read stood from the centroid bar. An edit that moves a common word's document
frequency by one nudges the vector of every article holding that word, by a tiny amount; such an
article is decided again only if the nudges (its own and those of the articles and stories it
read) could tip one of those comparisons. A decision kept so stays exactly what a cold build
decides, and its margins shrink by what was spent, so they stay safe for the next edit.

For unit vectors a and b nudged by da and db, |a'.b' - a.b| <= |da| + |db|; a story's centroid
(its members' sum T, nudged by dT) has |a'.T'/|T'| - a.T/|T|| <= |da| + 2 |dT| / |T|; a sum of an
article's weights over some of its terms moves by at most the L1 norm of its nudge. `EPS` covers
the rounding of the sums themselves.
Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import sub

from .storygroup import Group, Vector

__all__ = ["EPS", "CentroidRead", "Margins", "cut_slack", "nudge", "score_slack"]

#: Far above the rounding of a sum of unit products, far below any margin that matters.
EPS = 1e-9


@dataclass
class CentroidRead:
    """A story centroid a decision read: the story, its members then, its sum's norm then (a
    lower bound once nudges are spent) and how far the similarity stood from the bar."""

    group: Group
    upto: int
    norm: float
    slack: float


@dataclass
class Margins:
    """One decision's margins (see the module's docstring); mutable: spent as nudges are taken."""

    slack: float = math.inf             # the scores' distance to the bars, and half their gaps
    cut: float = math.inf               # half the gap at the candidate cut (inf: none was cut)
    candidates: tuple[int, ...] = ()    # the candidates it compared (positions)
    centroids: list[CentroidRead] = field(default_factory=list)

    def read_centroid(self, group: Group, upto: int, norm2: float, similarity: float, bar: float) -> None:
        self.centroids.append(CentroidRead(group, upto, math.sqrt(norm2), abs(similarity - bar)))

    def takes(self, own: float, own_l1: float, nudged: Mapping[int, float]) -> bool:
        """Whether the decision stands after the nudges: its own vector's `own`
        (L2) and `own_l1`, and `nudged` (position -> L2 nudge of every article nudged so far).
        If it stands, the margins are spent by the bounds used."""
        if own_l1 + EPS >= self.cut:
            return False
        bound = own + max((nudged.get(c, 0.0) for c in self.candidates), default=0.0)
        if bound + EPS >= self.slack:
            return False
        spent = []
        for read in self.centroids:
            moved = sum(nudged.get(m, 0.0) for m in read.group.members[:read.upto]) if nudged else 0.0
            if moved and read.norm <= moved:
                return False
            centroid = own + 2.0 * moved / read.norm if moved else own
            if centroid + EPS >= read.slack:
                return False
            spent.append((centroid, moved))
        self.cut -= own_l1
        self.slack -= bound
        for read, (centroid, moved) in zip(self.centroids, spent):
            read.norm -= moved
            read.slack -= centroid
        return True

    def reads_nudged(self, nudged: Mapping[int, float]) -> bool:
        """Whether it read a nudged article or a story that holds one (so it needs `takes`)."""
        return any(c in nudged for c in self.candidates) or any(
            any(m in nudged for m in read.group.members[:read.upto]) for read in self.centroids)


def score_slack(scored: Sequence[tuple[float, int]], link: float, named_link: float,
                shares_name: Callable[[int], bool], floor: float | None = None,
                named_rarely: Callable[[int], bool] | None = None) -> float:
    """How far the scores (descending; (score, -position)) stand from the bars: a smaller nudge
    keeps the same candidates above `link`, on the same side of `named_link` those that share
    no name (where it counts), and on the same side of `floor` (the rare-name link's bar, under
    `link`) those that share enough rare names (`named_rarely`). The gap between the winner and
    the next story that could win is added by the caller: the order of the others does not
    change the decision."""
    slack = math.inf
    bottom = link if floor is None or named_rarely is None else min(floor, link)
    for score, neg in scored:
        if score < bottom:
            return min(slack, bottom - score)
        if score < link:
            slack = min(slack, link - score)
            if named_rarely is not None and named_rarely(-neg):
                slack = min(slack, score - bottom)
            continue
        slack = min(slack, score - link)
        if named_link and not shares_name(-neg):
            slack = min(slack, abs(score - named_link))
    return slack


def cut_slack(ranked: Sequence[tuple[int, float]], keep: int, same_terms: Callable[[set[int]], bool]) -> float:
    """Half the gap between the last candidate kept and the first left out (inf: none left out).
    Candidates tied across the cut that share the very same terms keep their tie (their sums add
    the same weights in the same order) and their order (by position): then the gap that counts
    is the one around the tie."""
    if len(ranked) <= keep or keep <= 0:
        return math.inf
    at = ranked[keep - 1][1]
    if at != ranked[keep][1]:
        return (at - ranked[keep][1]) / 2.0
    tied = [i for i, (_, total) in enumerate(ranked) if total == at]
    if not same_terms({ranked[i][0] for i in tied}):
        return 0.0
    above = ranked[tied[0] - 1][1] - at if tied[0] > 0 else math.inf
    below = at - ranked[tied[-1] + 1][1] if tied[-1] + 1 < len(ranked) else math.inf
    return min(above, below) / 2.0


def nudge(new: Vector, old: Vector, same_terms: bool = False) -> tuple[float, float]:
    """The L2 and L1 norms of `new - old` (`same_terms`: both hold the same terms in the same order)."""
    if same_terms:
        a, b = list(new.values()), list(old.values())
        return math.dist(a, b), math.fsum(map(abs, map(sub, a, b)))
    l2 = l1 = 0.0
    for t, w in new.items():
        d = abs(w - old.get(t, 0.0))
        l2 += d * d
        l1 += d
    for t, w in old.items():
        if t not in new:
            l2 += w * w
            l1 += abs(w)
    return math.sqrt(l2), l1
