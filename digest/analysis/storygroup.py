"""A story as the clustering builds it (digest/analysis/stories.py): its members and the sum of
their unit vectors, with the exact dot product every similarity uses. Pure."""

from __future__ import annotations

import math
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

__all__ = ["Group", "Vector", "dot"]


Vector = dict[str, float]


def dot(a: Vector, b: Vector, shared: AbstractSet[str] | None = None) -> float:
    """The dot product over the shared terms only (a C-level key intersection: a tenth of the
    terms; `shared`, that intersection if the caller made it), summed exactly (fsum), so that
    the set's order cannot change the last bit."""
    return math.fsum([a[t] * b[t] for t in (a.keys() & b.keys() if shared is None else shared)])


@dataclass
class Group:
    """A story being built: its members (indices, ascending) and the sum of their unit vectors.
    `stale`: a replay in place moved its members or their vectors, and the sums wait for its end."""

    id: str
    pinned: bool
    members: list[int] = field(default_factory=list)
    total: Vector = field(default_factory=dict)
    norm2: float = 0.0
    stale: bool = False
    lent: bool = False          # `total` is the first member's vector itself (see add)

    def add(self, index: int, vec: Vector) -> None:
        """Add a member. A story's first member lends it its vector as the sums instead of a
        copy (nearly every story of an archive has one article): the same numbers (0 + w is w)
        and a vector less per story in memory, 730 MB of a 100,000-article build's peak. The
        sums are copied before a second member is added to them, so a vector is never changed."""
        if not self.members and not self.total:
            self.total, self.norm2, self.lent = vec, 1.0, True
        else:
            if self.lent:
                self.total, self.lent = dict(self.total), False
            self.norm2 += 2.0 * dot(self.total, vec) + 1.0
            for t, w in vec.items():
                self.total[t] = self.total.get(t, 0.0) + w
        self.members.append(index)

    def similarity(self, vec: Vector) -> float:
        return dot(vec, self.total) / math.sqrt(self.norm2) if self.norm2 > 0 else 0.0

    def summed(self, vectors: list[Vector], upto: int | None = None) -> Group:
        """The story of its first `upto` members (all: None), its sums made again in member order,
        as adding them one by one makes them: bit for bit a cold build's."""
        again = Group(self.id, self.pinned)
        for index in self.members[:upto]:
            again.add(index, vectors[index])
        return again
