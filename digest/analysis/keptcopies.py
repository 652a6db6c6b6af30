"""Syndicated copies kept from one live rebuild to the next, when an edit cannot change them.

`duplicates.find_duplicates` checks every candidate pair of the archive (some 40,000 at 10,000
articles, 0.15 s) on every save. Most saves change one article's body and no copy: then the
groups are the last run's, exactly, when

- every article has its signature and shingle hashes;
- no article that changed (edited, redated) or left was in a group last time; and
- no article that changed or came now pairs with any other: each is compared with every
  signature (the LSH bands and the estimate `candidate_pairs` uses) and then on its exact
  Jaccard.

Only the pairs of a changed or new article with the others decide anything new, and none of
them passes, so the union-find of a full run joins the same groups as last time (an article
in no group is in no group's order either). Otherwise
(`None`) the full run is made. Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from .duplicates import (
    NUM_PERM,
    SHINGLE_WORDS,
    DuplicateGroup,
    Story,
    _row_collisions,
    candidate_scheme,
    hash_jaccard,
    pack,
)

__all__ = ["KeptCopies"]

Row = tuple[datetime, bytes, bytes]     # published, packed signature, shingle hashes


@dataclass
class KeptCopies:
    """The last run's articles (by slug) and groups, for a live preview's next run."""

    threshold: float = -1.0
    rows: dict[str, Row] = field(default_factory=dict)
    groups: tuple[DuplicateGroup, ...] = ()

    def groups_if_unchanged(self, items: Sequence[Story], threshold: float, k: int) -> tuple[DuplicateGroup, ...] | None:
        """The last run's groups if this run's would be the same (see the module), else None."""
        if threshold != self.threshold or k != SHINGLE_WORDS:
            return None
        grouped = {slug for g in self.groups for slug in g.members}
        changed: list[int] = []
        for i, s in enumerate(items):
            if not s.minhash or not s.hashes:
                return None
            last = self.rows.get(s.slug)
            if last is not None and last[0] == s.published and (last[1] is s.minhash or last[1] == s.minhash) \
                    and (last[2] is s.hashes or last[2] == s.hashes):
                continue
            if s.slug in grouped:           # an edited copy (or original), or a copy redated
                return None
            changed.append(i)               # edited, redated or new
        if not grouped <= {s.slug for s in items}:
            return None                     # a copy or an original left
        if changed and _pairs_any(items, changed, threshold):
            return None
        return self.groups

    def keep(self, items: Sequence[Story], threshold: float, groups: tuple[DuplicateGroup, ...]) -> None:
        """This run's articles and groups, for the next."""
        self.threshold, self.groups = threshold, groups
        self.rows = {s.slug: (s.published, s.minhash, s.hashes) for s in items}


def _pairs_any(items: Sequence[Story], changed: list[int], threshold: float) -> bool:
    """Whether a changed row is a candidate of another row (as `candidate_pairs` finds them)
    whose shingle Jaccard reaches `threshold`."""
    columns, width, least = candidate_scheme(threshold)
    values = np.frombuffer(b"".join(pack(s.minhash) for s in items), dtype=np.uint64).reshape(len(items), NUM_PERM)
    for first, second in _row_collisions(values[:, columns], len(columns) // width, width,
                                         np.asarray(changed, dtype=np.int64)):
        keep = np.count_nonzero(values[first] == values[second], axis=1) >= least
        for i, j in zip(first[keep].tolist(), second[keep].tolist()):
            if hash_jaccard(items[i].hashes, items[j].hashes) >= threshold:
                return True
    return False
