"""Near-duplicate stories: syndicated and lightly edited copies of one article.

Each article (headline and prose) becomes a set of word shingles (runs of `k`
words); MinHash signatures (`datasketch.MinHash`) estimate the Jaccard similarity
of two sets and locality-sensitive hashing (the bands `datasketch.MinHashLSH` would
use, bucketed with numpy and scipy) finds the candidate pairs without comparing
every pair. Candidates are then confirmed on their exact shingle Jaccard (of the
shingles' 32-bit hashes, computed with the signature), so the threshold means what it says. Copies are grouped transitively (A copies B, B
copies C) and each group is shown once: its earliest article, "also reported by"
the rest.

Different stories on the same event share facts and names but few five-word
runs, so they stay well below the threshold; a wire story re-run with a new
headline and a reworded paragraph keeps most of its runs and stays above it.
Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from scipy import sparse

from .text import words

__all__ = [
    "DEFAULT_THRESHOLD",
    "DuplicateGroup",
    "PairMemo",
    "Story",
    "candidate_scheme",
    "copy_map",
    "find_duplicates",
    "jaccard",
    "pack",
    "shingles",
    "signature",
    "signature_of_words",
    "sketch_of_words",
]

#: Shingle Jaccard at or above which two articles are copies of one story. On the
#: labelled set (tests/data/duplicates_eval.json) lightly edited copies score 0.53 and
#: up, other accounts of the same event 0.01 and below: 0.3 leaves room on both sides.
DEFAULT_THRESHOLD = 0.3
SHINGLE_WORDS = 5
NUM_PERM = 128
#: Candidates are found in LSH bands of the values datasketch puts in a band for this far below
#: the threshold: 3 at 0.3, in 42 bands of consecutive values, and the same values again in 42
#: bands of values 42 apart (see candidate_scheme). A pair is then a candidate with probability
#: 0.90 at Jaccard 0.3, 0.99 at 0.38 and 0.9999 at 0.53 (the lowest labelled copy). Bands of 2
#: values (0.12 below: 35 of 2) found nearly every pair at 0.3, but also 30% of the pairs at 0.1:
#: on templated text (a generated archive's pairs share 6% of their runs) that compared a third
#: of all pairs, 18 million at 10,000 articles, growing as their square. One layout of 42 bands
#: alone found a real trimmed copy (Jaccard 0.385) 92% of the time and missed it on Multi-News.
BAND_MARGIN = 0.05
#: ... and pre-filtered on the estimated Jaccard this far below the threshold: two of the
#: estimate's standard errors (about 0.04 at 0.3 with 128 permutations), so a pair at the threshold
#: passes with probability 0.97 and one at 0.38 with 0.9999 (the bands, above, are the looser
#: stage). Three (0.12) passed 0.998 at 0.3, but also every pair of a generated archive's
#: templated text whose estimate ran high: 1.95 million pairs to check exactly at 100,000 articles,
#: none of them copies (true Jaccard 0.21 at most).
ESTIMATE_MARGIN = 0.08


@dataclass(frozen=True)
class Story:
    """What the detector needs of an article: its key, date and text."""

    slug: str
    published: datetime
    text: str
    minhash: bytes = b""            # precomputed `pack(signature(text))`, if known
    hashes: bytes = b""             # precomputed `shingle_hashes(text)`, if known


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


@dataclass
class PairMemo:
    """The candidate pairs of an earlier run, by the digests of the signatures they pair.

    Whether two signatures are candidates depends on nothing else, so rows whose
    signature was there before need not be compared with each other again: a warm build
    compares only the new rows with all. `candidate_pairs` reads it and leaves in it the
    pairs of the run it made; the plugin keeps it in the cache between builds.
    """

    threshold: float = -1.0
    digests: tuple[str, ...] = ()               # each row's signature digest, "" for none
    pairs: tuple[tuple[int, int], ...] = ()     # rows i < j


def signature_digest(sig: Sequence[int] | bytes) -> str:
    """A short, stable digest of a MinHash signature ("" for an empty one)."""
    return hashlib.blake2b(pack(sig), digest_size=8).hexdigest() if sig else ""


def _runs(found: Sequence[str], k: int) -> Iterator[str]:
    """The k-word runs of a text's words, joined by one space (all of them if fewer)."""
    if len(found) <= k:
        return iter([" ".join(found)] if found else [])
    return map(" ".join, zip(*(found[i:] for i in range(k))))


def shingles(text: str, k: int = SHINGLE_WORDS) -> frozenset[str]:
    """The set of k-word runs of a text, lowercased, punctuation and case ignored."""
    return frozenset(_runs(words(text), k))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|, 0 for two empty sets."""
    common = len(a & b)
    union = len(a) + len(b) - common
    return common / union if union else 0.0


_SCHEME = getattr(MinHash(num_perm=1, seed=1), "scheme", None)
_SCHEME_ARG = {"scheme": _SCHEME} if _SCHEME else {}     # datasketch >= 2 records its hash scheme
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1).permutations


@lru_cache(maxsize=65536)
def signature(text: str, k: int = SHINGLE_WORDS) -> tuple[int, ...]:
    """The MinHash values of a text's shingles, () for a text without words; remembered
    between builds of one process (`mkdocs serve`)."""
    return signature_of_words(words(text), k)


def signature_of_words(found: Sequence[str], k: int = SHINGLE_WORDS) -> tuple[int, ...]:
    """`signature` of a text with these words (`digest.text.words`)."""
    return _minhash(_hashed_runs(found, k))


def sketch_of_words(found: Sequence[str], k: int = SHINGLE_WORDS) -> tuple[bytes, bytes]:
    """A text's MinHash signature (packed) and its shingle hashes (see `shingle_hashes`),
    from its words: computed once per article (and cached), so combining needs no text.
    Each run is hashed once for both."""
    hashed = _hashed_runs(found, k)
    return pack(_minhash(hashed)), _distinct(hashed)


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> bytes:
    """The text's shingles as sorted, distinct 32-bit hashes: the exact Jaccard check
    compares these instead of the shingle strings (two shingles of a pair of articles
    share a hash by chance about once in 6,000 pairs; that moves its Jaccard by < 0.001)."""
    return _distinct(_hashed_runs(words(text), k))


def pack(sig: Sequence[int] | bytes) -> bytes:
    """A signature as packed 64-bit integers (an eighth of the memory of a tuple of ints)."""
    return sig if isinstance(sig, bytes) else np.asarray(sig, dtype=np.uint64).tobytes()


def _hashed_runs(found: Sequence[str], k: int) -> list[int]:
    """The CRC-32 (a fast, stable 32-bit hash) of each k-word run, repeats included."""
    return list(map(zlib.crc32, map(str.encode, _runs(found, k))))


def _minhash(hashed: list[int]) -> tuple[int, ...]:
    """The MinHash of the runs' hashes, () for none. A repeated shingle cannot change a
    minimum, so no set is made first; the permutations are drawn once per process, and
    the hashes go in as they are (the MinHash's hash function is the identity)."""
    if not hashed:
        return ()
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_same, permutations=_PERMUTATIONS, **_SCHEME_ARG)
    m.update_batch(hashed)
    return tuple(m.hashvalues.tolist())


def _same(value: int) -> int:
    return value


def _distinct(hashed: list[int]) -> bytes:
    """The distinct hashes, sorted, as packed 32-bit integers."""
    return np.unique(np.array(hashed, dtype=np.uint32)).tobytes()


def hash_jaccard(a: bytes, b: bytes) -> float:
    """Jaccard of two `shingle_hashes` sets, 0 for two empty ones."""
    x, y = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    common = len(np.intersect1d(x, y, assume_unique=True))
    union = len(x) + len(y) - common
    return common / union if union else 0.0


@lru_cache(maxsize=16)
def _bands(threshold: float) -> tuple[int, int]:
    """(bands, values per band) that datasketch's MinHashLSH picks for `threshold`."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@lru_cache(maxsize=16)
def _band_columns(bands: int, width: int) -> np.ndarray:
    """The signature columns of each band in turn: `bands` bands of consecutive columns, then
    the same columns again in bands of columns `bands` apart, so each value sits in two bands
    that share no other value."""
    used = np.arange(bands * width)
    return np.concatenate([used, used.reshape(width, bands).T.ravel()])


def candidate_scheme(threshold: float) -> tuple[np.ndarray, int, float]:
    """The signature columns of the LSH bands in turn, the values in each band, and the least
    number of equal signature values (the estimated Jaccard times NUM_PERM) of a candidate pair
    at `threshold`; see BAND_MARGIN."""
    bands, width = _bands(max(0.05, threshold - BAND_MARGIN))
    return _band_columns(bands, width), width, (threshold - ESTIMATE_MARGIN) * NUM_PERM


def _column_ids(values: np.ndarray) -> np.ndarray:
    """Each value replaced by its rank among the distinct values of its column: equal
    exactly where the values are, in an integer type of half or a quarter of the bytes."""
    ids = np.empty(values.shape, dtype=np.uint16 if len(values) <= 1 << 16 else np.uint32)
    for column in range(values.shape[1]):
        ids[:, column] = np.unique(values[:, column], return_inverse=True)[1].ravel()
    return ids


def _buckets(values: np.ndarray, bands: int, width: int) -> sparse.csr_matrix:
    """Rows x buckets, 1 where a row falls in a bucket: one bucket per distinct band of values."""
    n = len(values)
    columns = np.zeros((n, bands), dtype=np.int64)
    offset = 0
    for band in range(bands):
        keys = np.ascontiguousarray(values[:, band * width:(band + 1) * width]).view(f"V{values.itemsize * width}")
        ids = np.unique(keys.ravel(), return_inverse=True)[1].ravel()
        columns[:, band] = ids + offset
        offset += int(ids.max(initial=-1)) + 1
    return sparse.csr_matrix((np.ones(n * bands, dtype=np.int32), columns.ravel(), np.arange(0, n * bands + 1, bands)),
                             shape=(n, max(offset, 1)))


def _collisions(values: np.ndarray, bands: int, width: int, rows: np.ndarray | None = None,
                block: int = 256, chunk: int = 16384) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs of rows i < j whose values agree on all of at least one band, in chunks; with
    `rows`, only the pairs that have one of those rows in them.

    Rows sharing a bucket are found with sparse products, a block of rows at a time, so
    each pair comes out once however many bands it shares and memory stays bounded.
    """
    member = _buckets(values, bands, width)
    transposed = member.T.tocsr()
    todo = np.arange(len(values)) if rows is None else rows
    for start in range(0, len(todo), block):
        these = todo[start:start + block]
        shared = (member[these] @ transposed).tocoo()
        one, other = these[shared.row].astype(np.int64), shared.col.astype(np.int64)
        first, second = np.minimum(one, other), np.maximum(one, other)
        # Without `rows` each pair comes from its first row only; with them, from each.
        keep = (second > first) & ((other > one) if rows is None else True)
        first, second = first[keep], second[keep]
        for at in range(0, len(first), chunk):
            yield first[at:at + chunk], second[at:at + chunk]


#: Up to this many new rows are compared with every row directly instead of through buckets.
FEW_ROWS = 32


def _row_collisions(values: np.ndarray, bands: int, width: int,
                    rows: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """`_collisions(values, bands, width, rows)` for a few `rows` (a live preview's edit): each
    row's values compared with every row's, band by band, without building the buckets of all
    (which cost a tenth of a second at 10,000 articles for every saved edit)."""
    for row in rows.tolist():
        equal = values[:, :bands * width] == values[row, :bands * width]
        hit = np.flatnonzero(equal.reshape(len(values), bands, width).all(axis=2).any(axis=1))
        hit = hit[hit != row]
        yield np.minimum(hit, row), np.maximum(hit, row)


def candidate_pairs(signatures: Sequence[tuple[int, ...] | bytes], threshold: float,
                    memo: PairMemo | None = None) -> set[tuple[int, int]]:
    """Index pairs whose MinHash signatures collide in an LSH band tuned to `threshold`
    and whose estimated Jaccard (the share of values whose low bytes agree) is not far below it.

    Both are set below the real threshold (see BAND_MARGIN and ESTIMATE_MARGIN) so that
    copies are rarely missed; the exact check afterwards removes the extra candidates. The
    bands hold the values datasketch's MinHashLSH would, each value in two of them, without an
    index object or a MinHash per article. Empty signatures pair with nothing. With a `memo` of an earlier run, pairs
    of signatures it had are taken from it (see PairMemo), and it is updated.
    """
    columns, width, least = candidate_scheme(threshold)
    bands = len(columns) // width
    digests = [signature_digest(sig) for sig in signatures] if memo is not None else []
    pairs, known = _remembered(memo, digests, threshold) if memo is not None else (set(), set())
    present = np.array([i for i, sig in enumerate(signatures) if sig], dtype=np.int64)
    fresh = np.array([at for at, i in enumerate(present.tolist()) if i not in known], dtype=np.int64)
    if len(fresh):
        packed = b"".join(pack(signatures[i]) for i in present)
        values = np.frombuffer(packed, dtype=np.uint64).reshape(len(present), NUM_PERM)
        # Ranks compare as the values do; only the bucketing of many rows needs them (smaller).
        ids = values if 0 < len(fresh) <= FEW_ROWS < len(present) else _column_ids(values)
        rows = None if len(fresh) == len(present) else fresh
        banded = np.ascontiguousarray(ids[:, columns])
        found = (_collisions(banded, bands, width, rows) if rows is None or len(rows) > FEW_ROWS
                 else _row_collisions(banded, bands, width, rows))
        # The estimate counts the values' low bytes that agree: two different values agree there
        # one time in 256, which can only add candidates (the exact check drops them), never lose
        # one, and reads an eighth of the bytes (the largest cost of a big archive: 80 million
        # colliding pairs of a generated 100,000).
        low = (values & 0xFF).astype(np.uint8)
        for first, second in found:
            keep = np.count_nonzero(low[first] == low[second], axis=1) >= least
            pairs.update(zip(present[first[keep]].tolist(), present[second[keep]].tolist()))
    if memo is not None:
        memo.threshold, memo.digests, memo.pairs = threshold, tuple(digests), tuple(sorted(pairs))
    return pairs


def _remembered(memo: PairMemo, digests: list[str], threshold: float) -> tuple[set[tuple[int, int]], set[int]]:
    """The memo's pairs among rows it knew (renumbered to these rows), and those rows.
    A signature that occurs twice now is treated as new (its rows pair with each other)."""
    if memo.threshold != threshold:
        return set(), set()
    times = Counter(digests)
    row = {d: i for i, d in enumerate(digests) if d and times[d] == 1}
    then = {j: row[d] for j, d in enumerate(memo.digests) if d in row}
    pairs = {(min(then[a], then[b]), max(then[a], then[b])) for a, b in memo.pairs
             if a in then and b in then and then[a] != then[b]}
    return pairs, set(then.values())


def find_duplicates(stories: Iterable[Story], threshold: float = DEFAULT_THRESHOLD,
                    k: int = SHINGLE_WORDS, memo: PairMemo | None = None,
                    scores: dict[tuple[bytes, bytes], float] | None = None) -> tuple[DuplicateGroup, ...]:
    """Groups of near-duplicate stories, earliest first within and across groups (`memo`:
    see PairMemo). `scores`: the last run's Jaccard of each candidate pair by the pair's shingle
    hashes (a live preview's, which checks some 40,000 candidates at 10,000 articles); left
    holding this run's."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"duplicate threshold must be in (0, 1], not {threshold}")
    items = sorted(stories, key=lambda s: (s.published, s.slug))
    sets: dict[int, bytes] = {}

    def shingled(i: int) -> bytes:      # only candidates are ever shingled (if not known)
        if i not in sets:
            sets[i] = items[i].hashes if items[i].hashes and k == SHINGLE_WORDS else shingle_hashes(items[i].text, k)
        return sets[i]

    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    last = scores if scores is not None and k == SHINGLE_WORDS else {}
    seen: dict[tuple[bytes, bytes], float] = {}

    def jaccard(i: int, j: int) -> float:
        pair = (shingled(i), shingled(j))
        found = seen[pair] = last[pair] if pair in last else hash_jaccard(*pair)
        return found

    signatures = [s.minhash or pack(signature(s.text, k)) for s in items]
    for i, j in sorted(candidate_pairs(signatures, threshold, memo if k == SHINGLE_WORDS else None)):
        if jaccard(i, j) >= threshold:
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
            tuple(round(hash_jaccard(shingled(first), shingled(i)), 3) for i in later)))
    if scores is not None and k == SHINGLE_WORDS:
        scores.clear()
        scores.update(seen)
    return tuple(groups)


def copy_map(groups: Iterable[DuplicateGroup]) -> dict[str, str]:
    """Each later copy's slug mapped to its group's original."""
    return {c: g.original for g in groups for c in g.copies}
