"""Near-duplicate stories: syndicated and lightly edited copies of one article.

Each article (headline and prose) becomes a set of word shingles (runs of `k`
words); MinHash signatures estimate the Jaccard similarity of two sets and
locality-sensitive hashing (`datasketch.MinHashLSH`) finds the candidate pairs
without comparing every pair. Candidates are then confirmed on their exact
shingle Jaccard, so the threshold means what it says. Copies are grouped
transitively (A copies B, B copies C) and each group is shown once: its earliest
article, "also reported by" the rest.

Different stories on the same event share facts and names but few five-word
runs, so they stay well below the threshold; a wire story re-run with a new
headline and a reworded paragraph keeps most of its runs and stays above it.
Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["DEFAULT_THRESHOLD", "DuplicateGroup", "Story", "copy_map", "find_duplicates",
           "jaccard", "shingles", "signature"]

#: Shingle Jaccard at or above which two articles are copies of one story. On the
#: labelled set (tests/data/duplicates_eval.json) lightly edited copies score 0.53 and
#: up, other accounts of the same event 0.01 and below: 0.3 leaves room on both sides.
DEFAULT_THRESHOLD = 0.3
SHINGLE_WORDS = 5
NUM_PERM = 128
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class Story:
    """What the detector needs of an article: its key, date and text."""

    slug: str
    published: datetime
    text: str
    minhash: tuple[int, ...] = ()   # precomputed `signature(text).hashvalues`, if known


@dataclass(frozen=True)
class DuplicateGroup:
    """One story published several times: the earliest copy and the later ones.

    `similarity` gives, for each later copy, its shingle Jaccard with the original
    (rounded; a copy joined through another copy may score below the threshold).
    """

    original: str
    copies: tuple[str, ...]
    similarity: tuple[float, ...] = ()

    @property
    def members(self) -> tuple[str, ...]:
        return (self.original, *self.copies)


def shingles(text: str, k: int = SHINGLE_WORDS) -> frozenset[str]:
    """The set of k-word runs of a text, lowercased, punctuation and case ignored."""
    words = [w.replace("’", "'") for w in _WORD.findall(text.lower())]
    if len(words) <= k:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i:i + k]) for i in range(len(words) - k + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|, 0 for two empty sets."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@lru_cache(maxsize=65536)
def signature(text: str, k: int = SHINGLE_WORDS) -> MinHash | None:
    """The MinHash of a text's shingles (None for an empty text), remembered between builds
    of one process (`mkdocs serve`). CRC-32 is a fast, stable 32-bit hash for the shingles."""
    items = shingles(text, k)
    if not items:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)
    m.update_batch([s.encode("utf-8") for s in items])
    return m


def _from_values(values: tuple[int, ...]) -> MinHash:
    """A MinHash rebuilt from stored hash values (as cached with an article's analysis)."""
    extra = {"scheme": _SCHEME} if _SCHEME else {}        # datasketch >= 2 records its hash scheme
    return MinHash(num_perm=len(values), seed=1, hashvalues=np.array(values, dtype=np.uint64), **extra)


_SCHEME = getattr(MinHash(num_perm=1, seed=1), "scheme", None)


def candidate_pairs(signatures: Sequence[MinHash | None], threshold: float) -> set[tuple[int, int]]:
    """Index pairs whose MinHash signatures collide in an LSH band tuned to `threshold`
    and whose estimated Jaccard is not far below it.

    Both are set a little below the real threshold (the estimate's standard error
    with 128 permutations is about 0.04) so that pairs just above it are rarely
    missed; the exact check afterwards removes the extra candidates.
    """
    margin = 0.12
    lsh = MinHashLSH(threshold=max(0.05, threshold - margin), num_perm=NUM_PERM)
    values = np.array([sig.hashvalues if sig is not None else np.zeros(NUM_PERM, np.uint64)
                       for sig in signatures]).reshape(len(signatures), NUM_PERM)
    pairs: set[tuple[int, int]] = set()
    for i, sig in enumerate(signatures):
        if sig is None:
            continue
        found = np.array([int(j) for j in lsh.query(sig)], dtype=np.int64)
        if found.size:
            estimate = (values[found] == values[i]).mean(axis=1)   # MinHash Jaccard, all at once
            pairs.update((int(j), i) for j in found[estimate >= threshold - margin])
        lsh.insert(str(i), sig)
    return pairs


def find_duplicates(stories: Iterable[Story], threshold: float = DEFAULT_THRESHOLD,
                    k: int = SHINGLE_WORDS) -> tuple[DuplicateGroup, ...]:
    """Groups of near-duplicate stories, earliest first within and across groups."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"duplicate threshold must be in (0, 1], not {threshold}")
    items = sorted(stories, key=lambda s: (s.published, s.slug))
    sets: dict[int, frozenset[str]] = {}

    def shingled(i: int) -> frozenset[str]:      # only candidates are ever shingled again
        if i not in sets:
            sets[i] = shingles(items[i].text, k)
        return sets[i]

    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    signatures = [_from_values(s.minhash) if s.minhash else signature(s.text, k) for s in items]
    for i, j in sorted(candidate_pairs(signatures, threshold)):
        if jaccard(shingled(i), shingled(j)) >= threshold:
            a, b = root(i), root(j)
            parent[max(a, b)] = min(a, b)   # the earlier article stays the root
    members: dict[int, list[int]] = {}
    for i in range(len(items)):
        members.setdefault(root(i), []).append(i)
    groups = []
    for first, group in sorted(members.items()):
        if len(group) < 2:
            continue
        later = [i for i in group if i != first]
        groups.append(DuplicateGroup(
            items[first].slug, tuple(items[i].slug for i in later),
            tuple(round(jaccard(shingled(first), shingled(i)), 3) for i in later)))
    return tuple(groups)


def copy_map(groups: Iterable[DuplicateGroup]) -> dict[str, str]:
    """Each later copy's slug mapped to its group's original."""
    return {c: g.original for g in groups for c in g.copies}
