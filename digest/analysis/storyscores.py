"""The candidates' exact cosines for a one-off build's clustering (digest/analysis/stories.py), made together.

Each article is compared with up to `candidates` earlier ones, and at 100,000 articles nearly
every list is full: 40 key intersections and 40 sums of products looked up term by term in
Python were the largest share of the grouping's time. Here every candidate's products come from
one numpy gather (each vector held as term ids and weights; the article's weights sit in one
array indexed by term id, zero elsewhere), and each candidate's cosine is `math.fsum` of its
products. The products are the same doubles as `a[t] * b[t]`, the terms not shared add exact
zeros, and fsum is correctly rounded whatever the order: each score is `storygroup.dot`'s, bit
for bit, so the grouping is unchanged. A live preview's index, which replaces vectors in place,
keeps `dot`. Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from itertools import chain, repeat

import numpy as np

__all__ = ["Scorer", "nearest"]

Arrays = tuple[np.ndarray, np.ndarray]


def nearest(vec: Mapping[str, float], postings: Mapping[str, list[int]], first: int, cap: int,
            keep: int | None, before: int | None = None) -> list[tuple[int, float]]:
    """(position, shared weight) of the `keep` (None: all) positions from `first` on that share
    the most of `vec`'s weight among the last `cap` postings of each of its terms (before
    position `before`, if given: a replay in place), ties to the later position: the story
    candidates. The sums are `np.bincount`'s, which adds in input order, that is term by term
    as a loop over `vec` would: the same doubles, so the same candidates in the same order."""
    spans: list[list[int]] = []
    weights: list[float] = []
    for term, weight in vec.items():
        held = postings.get(term)
        if not held:
            continue
        end = len(held) if before is None else bisect_left(held, before)
        if end and held[end - 1] >= first:
            span = held[max(0, end - cap):end]
            if span[0] < first:
                span = span[bisect_left(span, first):]
            spans.append(span)
            weights.append(weight)
    if not spans:
        return []
    at = np.fromiter(chain.from_iterable(spans), np.intp) - first
    by = np.fromiter(chain.from_iterable(map(repeat, weights, map(len, spans))), np.float64, len(at))
    sums = np.bincount(at, by)
    found = np.flatnonzero(sums)
    order = np.lexsort((-found, -sums[found]))[:keep]
    return list(zip((found[order] + first).tolist(), sums[found[order]].tolist()))


class Scorer:
    """Term ids, and each vector's arrays while its article can still be a candidate."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._arrays: dict[int, Arrays] = {}
        self._probe = np.zeros(1024)
        self._last: tuple[Mapping[str, float], Arrays] | None = None

    def _of(self, vec: Mapping[str, float]) -> Arrays:
        ids = self._ids
        terms = np.fromiter((ids.setdefault(t, len(ids)) for t in vec), np.intp, len(vec))
        return terms, np.fromiter(vec.values(), np.float64, len(vec))

    def scores(self, vec: Mapping[str, float], candidates: Sequence[int],
               vectors: Sequence[Mapping[str, float]]) -> list[float]:
        """The exact cosine of `vec` with each candidate's vector, in the candidates' order."""
        arrays = self._arrays
        for j in candidates:
            if j not in arrays:
                arrays[j] = self._of(vectors[j])
        terms, weights = query = self._of(vec)
        self._last = (vec, query)
        if not candidates:
            return []
        if len(self._ids) > len(self._probe):
            self._probe = np.zeros(max(len(self._ids), 2 * len(self._probe)))
        probe = self._probe
        probe[terms] = weights
        try:
            parts = [arrays[j] for j in candidates]
            products = (probe[np.concatenate([p[0] for p in parts])]
                        * np.concatenate([p[1] for p in parts])).tolist()
        finally:
            probe[terms] = 0.0
        fsum, out, at = math.fsum, [], 0
        for p in parts:
            end = at + len(p[0])
            out.append(fsum(products[at:end]))
            at = end
        return out

    def placed(self, position: int, vec: Mapping[str, float]) -> None:
        """The article last scored joined the index at `position`: keep its arrays for the articles to come."""
        if self._last is not None and self._last[0] is vec:
            self._arrays[position] = self._last[1]
        self._last = None

    def forget(self, position: int) -> None:
        """The article at `position` can no longer be a candidate (out of every window)."""
        self._arrays.pop(position, None)

    def forget_from(self, keep: int) -> None:
        """The articles from `keep` on are gone (a truncated index)."""
        for j in [j for j in self._arrays if j >= keep]:
            del self._arrays[j]
        self._last = None
