"""Related coverage kept from one build to the next: after an edit, only the lists it can change
are scored again, and every list equals a cold `similarity.related` of the new corpus exactly.

An article's TF-IDF vector depends on its own term counts, the number of articles and each of its
terms' document frequency. An edit keeps the number; it changes the frequency of the terms the
article gained or lost (the "moved" terms), so the vectors that change are the edited articles'
and those of every article with a moved term. A score changes only if one of its two vectors
does. Any other article's list changes only if it named a changed article, or if a changed
article now scores at least its last entry (or the minimum, while the list is short), or if one of
its terms crossed the frequency cap (left out of the products, or taken back in): those rows, and
the changed ones, are scored again against the whole archive (`similarity.scored_lists`: a row's
scores depend on that row's entries only, so they come out bit for bit as in a cold run); the
other lists are kept. Whether a changed article reaches a list is read from the changed rows'
products, within rounding of the list's own sums: a margin of `MARGIN` covers it. A changed
number of articles (one added or removed) or other options change every vector: then the index
is built cold.

Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
from scipy import sparse

from ..model import term_count_map
from .similarity import (Parsed, TermCounts, best_scores, count_matrix, df_cap, scored_lists, smoothed_idf, term_matrix,
                         weigh)

__all__ = ["MARGIN", "RelatedIndex", "TermCounts"]

#: How far below a list's last score a changed article's score (as the changed rows' products
#: sum it) still has that list scored again: far above any rounding of a sum of unit products.
MARGIN = 1e-6


class RelatedIndex:
    """The last corpus' vectors (as an articles x terms matrix), frequencies and lists."""

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._items: dict[str, TermCounts] = {}
        self._options: tuple[int, float] | None = None
        self._df: Counter[str] = Counter()
        self._idf: dict[str, float] = {}
        self._columns: dict[str, int] = {}      # kept for good: a term keeps its column (see count_matrix)
        self._parsed: Parsed = {}                 # each article's column ids, by its term counts
        self._matrix = sparse.csr_matrix((0, 1))
        self._transposed = sparse.csr_matrix((1, 0))
        self._result: dict[str, tuple[str, ...]] = {}
        self._cutoff = np.zeros(0)    # each row's last listed score, or the minimum while its list is short
        self.rescored = 0           # rows scored by the last call (for the log and the tests)

    def related(self, items: Mapping[str, TermCounts], limit: int, min_score: float) -> dict[str, tuple[str, ...]]:
        """`similarity.related(vectorise_counts(...))` of `items` (key -> term counts)."""
        keys = list(items)
        if keys != self._keys or (limit, min_score) != self._options:
            return self._cold(items, keys, limit, min_score)
        old = self._items
        changed = [i for i, key in enumerate(keys) if items[key] is not old[key] and items[key] != old[key]]
        if changed:
            self._update(items, keys, changed, limit, min_score)
        self._items = dict(items)
        return dict(self._result)

    def _cold(self, items: Mapping[str, TermCounts], keys: list[str], limit: int,
              min_score: float) -> dict[str, tuple[str, ...]]:
        # Every vector changes (another number of articles, say), but the articles' terms are read
        # again only where they changed.
        built = count_matrix(items, self._columns, self._parsed)
        if len(self._parsed) > len(items):
            self._parsed = {key: self._parsed[key] for key in keys if key in self._parsed}
        n = len(keys)
        self._df, self._idf, self._columns, self._matrix = built.df, built.idf, built.columns, built.matrix
        self._transposed = self._matrix.T.tocsr()
        self._keys, self._items, self._options = keys, dict(items), (limit, min_score)
        self._result, self._cutoff = {}, np.full(n, min_score)
        self._keep(scored_lists(self._matrix, self._transposed, np.arange(n), keys, limit, min_score), keys, limit,
                   min_score)
        self.rescored = n
        return dict(self._result)

    def _update(self, items: Mapping[str, TermCounts], keys: list[str], changed: list[int], limit: int,
                min_score: float) -> None:
        n, old_matrix, old_t = len(keys), self._matrix, self._transposed
        old_df = np.diff(old_t.indptr)
        before = {i: term_count_map(*self._items[keys[i]]) for i in changed}
        after = {i: term_count_map(*items[keys[i]]) for i in changed}
        moved: set[str] = set()
        for i in changed:
            gone, came = before[i].keys() - after[i].keys(), after[i].keys() - before[i].keys()
            self._df.subtract(gone)
            self._df.update(came)
            moved.update(gone, came)
        moved = {t for t in moved if self._df[t] != (old_df[self._columns[t]] if t in self._columns else 0)}
        for t in moved:
            if self._df[t] > 0:
                self._idf[t] = smoothed_idf(n, self._df[t])
            else:
                del self._df[t], self._idf[t]
        # The vectors that change: the edited articles' and those holding a moved term.
        known = np.array([self._columns[t] for t in moved if t in self._columns], dtype=np.int64)
        holders = old_t[known].indices if len(known) else np.empty(0, dtype=np.int64)
        vary = np.union1d(np.asarray(changed, dtype=np.int64), holders).astype(np.int64)
        fresh = term_matrix((weigh(after[i] if i in after else term_count_map(*items[keys[i]]), self._idf)
                             for i in vary.tolist()), self._columns)
        self._matrix = matrix = _replace_rows(old_matrix, vary, fresh)
        self._transposed = transposed = matrix.T.tocsr()
        # The lists that can change: the varied rows', those that named a varied article, those a
        # varied article now reaches, and those holding a term that crossed the frequency cap.
        new_df = np.diff(transposed.indptr)
        cap = df_cap(n)
        padded = np.zeros(len(new_df), dtype=old_df.dtype)
        padded[:len(old_df)] = old_df
        crossed = np.flatnonzero((padded > cap) != (new_df > cap))
        named = {keys[i] for i in vary.tolist()}
        listing = [i for i, key in enumerate(keys) if not named.isdisjoint(self._result[key])]
        reached = np.flatnonzero(best_scores(matrix, transposed, vary, n) >= self._cutoff - MARGIN)
        holders = (np.union1d(old_t[crossed[crossed < old_t.shape[0]]].indices, transposed[crossed].indices)
                   if len(crossed) else np.empty(0, dtype=np.int64))
        rows = np.union1d(np.union1d(vary, np.asarray(listing, dtype=np.int64)),
                          np.union1d(reached, holders)).astype(np.int64)
        self._keep(scored_lists(matrix, transposed, rows, keys, limit, min_score), keys, limit, min_score)
        self.rescored = len(rows)

    def _keep(self, lists: Iterable[tuple[int, list[tuple[float, str]]]], keys: list[str], limit: int,
              min_score: float) -> None:
        """Take scored lists as the rows' results, with their cutoffs."""
        for i, best in lists:
            self._result[keys[i]] = tuple(k for _, k in best)
            self._cutoff[i] = -best[-1][0] if limit > 0 and len(best) >= limit else min_score


def _replace_rows(matrix: sparse.csr_matrix, rows: np.ndarray, fresh: sparse.csr_matrix) -> sparse.csr_matrix:
    """`matrix` with its rows `rows` (ascending) replaced by those of `fresh`, in that order, and
    as wide as `fresh` (the other rows' entries kept in their order)."""
    ptr, ids, ws = matrix.indptr, matrix.indices, matrix.data
    pieces_i: list[np.ndarray] = []
    pieces_w: list[np.ndarray] = []
    lengths = np.diff(ptr).astype(np.int64)
    at = 0
    for k, row in enumerate(rows.tolist()):
        lo, hi = fresh.indptr[k], fresh.indptr[k + 1]
        pieces_i += [ids[ptr[at]:ptr[row]], fresh.indices[lo:hi]]
        pieces_w += [ws[ptr[at]:ptr[row]], fresh.data[lo:hi]]
        lengths[row] = hi - lo
        at = row + 1
    pieces_i.append(ids[ptr[at]:])
    pieces_w.append(ws[ptr[at]:])
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(lengths)
    return sparse.csr_matrix((np.concatenate(pieces_w), np.concatenate(pieces_i).astype(np.int64), indptr),
                             shape=(matrix.shape[0], fresh.shape[1]))
