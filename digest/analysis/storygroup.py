"""A story as the clustering builds it (digest/analysis/stories.py): its members and the sum of
their unit vectors, with the exact dot product every similarity uses. Pure."""

from __future__ import annotations

import math
from array import array
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

__all__ = ["Group", "Retired", "Vector", "dot"]


Vector = dict[str, float]


class Retired(Mapping[str, float]):
    """A unit vector (or a story's sums) no later article's window reaches: its terms and its
    weights, the same doubles in the same order, in a tuple and an array, under half the dict's
    memory (every article's vector was 350 MB of a 100,000-article build's peak). Read again only
    by a warm build's replay and the store, which go through it in order; a look-up scans."""

    __slots__ = ("terms", "weights")

    def __init__(self, vec: Mapping[str, float]) -> None:
        self.terms = tuple(vec)
        self.weights = array("d", vec.values())

    def __getitem__(self, term: str) -> float:
        try:
            return self.weights[self.terms.index(term)]
        except ValueError:
            raise KeyError(term) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def items(self) -> ItemsView[str, float]:
        return _Pairs(self)

    def values(self) -> ValuesView[float]:
        return _Weights(self)


class _Pairs(ItemsView[str, float]):
    _mapping: Retired

    def __iter__(self) -> Iterator[tuple[str, float]]:
        return zip(self._mapping.terms, self._mapping.weights)


class _Weights(ValuesView[float]):
    _mapping: Retired

    def __iter__(self) -> Iterator[float]:
        return iter(self._mapping.weights)


def dot(a: Mapping[str, float], b: Mapping[str, float], shared: AbstractSet[str] | None = None) -> float:
    """The dot product over the shared terms only (a C-level key intersection: a tenth of the
    terms; `shared`, that intersection if the caller made it), summed exactly (fsum), so that
    the set's order cannot change the last bit."""
    return math.fsum([a[t] * b[t] for t in (a.keys() & b.keys() if shared is None else shared)])


@dataclass(slots=True)
class Group:
    """A story being built: its members (indices, ascending) and the sum of their unit vectors.
    `stale`: a replay in place moved its members or their vectors, and the sums wait for its end."""

    id: str
    pinned: bool
    members: list[int] = field(default_factory=list)
    total: Mapping[str, float] = field(default_factory=dict)   # a Vector, or Retired
    norm2: float = 0.0
    stale: bool = False
    lent: bool = False          # `total` is the first member's vector itself (see add)

    def add(self, index: int, vec: Mapping[str, float]) -> None:
        """Add a member. A story's first member lends it its vector as the sums instead of a
        copy (nearly every story of an archive has one article): the same numbers (0 + w is w)
        and a vector less per story in memory, 730 MB of a 100,000-article build's peak. The
        sums are copied before a second member is added to them, so a vector is never changed."""
        if not self.members and not self.total:
            self.total, self.norm2, self.lent = vec, 1.0, True
        else:
            total = self.total if isinstance(self.total, dict) and not self.lent else dict(self.total.items())
            self.norm2 += 2.0 * dot(total, vec) + 1.0
            for t, w in vec.items():
                total[t] = total.get(t, 0.0) + w
            self.total, self.lent = total, False
        self.members.append(index)

    def retire(self) -> None:
        """Its last member has left every later article's window: hold its sums compact."""
        if isinstance(self.total, dict):
            self.total = Retired(self.total)

    def similarity(self, vec: Mapping[str, float]) -> float:
        return dot(vec, self.total) / math.sqrt(self.norm2) if self.norm2 > 0 else 0.0

    def summed(self, vectors: list[Mapping[str, float]], upto: int | None = None) -> Group:
        """The story of its first `upto` members (all: None), its sums made again in member order,
        as adding them one by one makes them: bit for bit a cold build's."""
        again = Group(self.id, self.pinned)
        for index in self.members[:upto]:
            again.add(index, vectors[index])
        return again
