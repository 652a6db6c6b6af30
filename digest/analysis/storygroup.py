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

    def add(self, index: int, vec: Vector) -> None:
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
