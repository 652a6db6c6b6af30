"""Related coverage and topic suggestions from TF-IDF similarity of whole articles.

Each article (headline counted twice, then its prose) becomes a sparse TF-IDF
vector over `digest.text.terms` stems: sublinear term frequency, smoothed inverse
document frequency, unit length. Related articles come from sparse matrix products
(scipy), a block of articles at a time, so the work grows with the pairs of
articles that share terms rather than with every pair, and memory stays bounded.
Only neighbours scoring at least `min_score` are kept, so an unrelated article
never appears however few related ones there are.

Topic suggestions compare an article with each topic's centroid (the mean of its
articles' vectors, leaving the article itself out): an article much closer to
another topic than to its own is worth a second look by an editor.
Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from .text import terms

__all__ = ["DEFAULT_MIN_SCORE", "CountMatrix", "Corpus", "Suggestion", "TermCounts", "TopicScore", "Vector",
           "Parsed", "best_scores", "cosine", "count_matrix", "df_cap", "related", "related_counts", "scored_lists",
           "scored_rows", "smoothed_idf", "suggest_topics", "term_matrix", "topic_scores", "vectorise", "vectorise_counts", "weigh"]

#: Cosine similarity below which two articles are not related.
DEFAULT_MIN_SCORE = 0.12
#: ...and never more than this many postings, so finding candidates stays linear in N.
_DF_CAP_MAX = 200

Vector = dict[str, float]
#: An article's terms (space-separated, in order) and their counts: ArticleAnalysis' own fields.
TermCounts = tuple[str, tuple[int, ...]]


@dataclass(frozen=True)
class Corpus:
    """Unit-length TF-IDF vectors by key, with the idf they were weighed with."""

    vectors: dict[str, Vector]
    idf: dict[str, float]


@dataclass(frozen=True)
class TopicScore:
    topic: str
    score: float


@dataclass(frozen=True)
class Suggestion:
    """A topic an article may belong to, with its similarity and the article's best own score."""

    key: str
    topic: str
    score: float
    own: float
    candidates: tuple[TopicScore, ...] = ()


def smoothed_idf(n: int, df: int) -> float:
    """The smoothed inverse document frequency of a term in `df` of `n` articles."""
    return math.log((1 + n) / (1 + df)) + 1.0


def weigh(counts: Mapping[str, int], idf: Mapping[str, float]) -> Vector:
    """An article's unit TF-IDF vector from its term counts (terms without an idf left out)."""
    vec = {t: (1.0 + math.log(n)) * idf[t] for t, n in counts.items() if t in idf}
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {t: w / norm for t, w in vec.items()} if norm else {}


@lru_cache(maxsize=65536)
def _counts(text: str) -> Counter[str]:
    """Term counts of a text, remembered between builds of one process; never mutated."""
    return Counter(terms(text))


def vectorise(texts: Mapping[str, str]) -> Corpus:
    """TF-IDF vectors of texts by key."""
    return vectorise_counts({key: _counts(text) for key, text in texts.items()})


def vectorise_counts(counts: Mapping[str, Mapping[str, int]]) -> Corpus:
    """TF-IDF vectors from term counts already taken (e.g. cached with each article)."""
    df: Counter[str] = Counter()
    for c in counts.values():
        df.update(c.keys())
    n = len(counts)
    idf = {t: smoothed_idf(n, d) for t, d in df.items()}
    return Corpus({key: weigh(c, idf) for key, c in counts.items()}, idf)


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def term_matrix(vectors: Iterable[Vector], columns: dict[str, int]) -> sparse.csr_matrix:
    """Vectors as a sparse (articles x terms) matrix, a row each in the order given and each row's
    entries in its vector's order (`scored_rows` sums in that order); a term new to `columns`
    gets the next column there (`columns` is updated), and the matrix is as wide as `columns`."""
    indptr, indices, data = [0], [], []
    for vector in vectors:
        for t, w in vector.items():
            indices.append(columns.setdefault(t, len(columns)))
            data.append(w)
        indptr.append(len(indices))
    return sparse.csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64),
                              np.array(indptr, dtype=np.int64)), shape=(len(indptr) - 1, max(1, len(columns))))


@dataclass(frozen=True)
class CountMatrix:
    """`term_matrix` of `vectorise_counts(...)` of term counts, with the frequencies, idf and column
    ids it was made with (relatedindex.py keeps them to update it)."""

    matrix: sparse.csr_matrix
    df: Counter[str]
    idf: dict[str, float]
    columns: dict[str, int]


#: An article's column ids and counts as arrays, kept with the term counts they were read from
#: (RelatedIndex keeps them).
Parsed = dict[str, tuple[TermCounts, np.ndarray, np.ndarray]]


def count_matrix(items: Mapping[str, TermCounts], columns: dict[str, int] | None = None,
                 parsed: Parsed | None = None, leave_out_over: int | None = None) -> CountMatrix:
    """The unit TF-IDF rows of `items` (key -> terms and counts), in their order, equal entry for
    entry (bit for bit) to `term_matrix` of `vectorise_counts(...)`, computed on flat arrays: each
    weight is the same product (`tf * idf`, both from `math.log`), each row's norm the same
    sequential sum of squares (`np.bincount` adds in entry order, as `sum` does), so no article's
    counts or vector are ever held as dicts (every one of them at once was a fifth of a
    10,000-article build's peak memory), and a live preview re-scoring all rows after an article
    came or went reads only the new ones' terms (`columns` and `parsed`: kept from the last call,
    updated here; a term new to `columns` gets the next column). `leave_out_over`: the entries
    of terms in more articles than this are dropped once the rows are made unit (the products of
    `scored_rows` never read them, see `df_cap`): a one-off build's related coverage then holds
    neither them nor their transpose."""
    columns = {} if columns is None else columns
    id_rows: list[np.ndarray] = []
    count_rows: list[np.ndarray] = []
    for key, item in items.items():
        known = parsed.get(key) if parsed is not None else None
        # Each build makes new (terms, counts) pairs of the same analyses' strings and tuples.
        if known is not None and known[0][0] is item[0] and known[0][1] is item[1]:
            _, ids, row_counts = known
        else:
            terms, tally = item
            ids = (np.fromiter((columns.setdefault(t, len(columns)) for t in terms.split(" ")), dtype=np.int32)
                   if terms else np.empty(0, dtype=np.int32))
            row_counts = np.array(tally, dtype=np.int32)
            if parsed is not None:
                parsed[key] = (item, ids, row_counts)
        id_rows.append(ids)
        count_rows.append(row_counts)
    n, width = len(items), max(1, len(columns))
    # Made a block of rows at a time: the arrays of one entry per (article, term) (15 million at
    # 100,000 generated articles) are only ever one block's, never the whole matrix's weights
    # beside its ids, counts and row numbers (about 20 bytes an entry at once: the peak of such
    # a build). Every weight and norm is the same number either way (a row's entries are summed
    # in their order, within its block).
    df_col = np.zeros(len(columns), dtype=np.int64)
    for start in range(0, n, MATRIX_ROWS):
        block = id_rows[start:start + MATRIX_ROWS]
        if block:
            df_col += np.bincount(np.concatenate(block), minlength=len(columns))
    names = list(columns)
    df = Counter({names[c]: int(d) for c, d in enumerate(df_col.tolist()) if d})
    idf = {t: smoothed_idf(n, d) for t, d in df.items()}
    idf_col = np.zeros(len(columns), dtype=np.float64)
    for t, value in idf.items():
        idf_col[columns[t]] = value
    common = df_col > leave_out_over if leave_out_over is not None else None
    kept_weights: list[np.ndarray] = []
    kept_ids: list[np.ndarray] = []
    lengths = np.zeros(n, dtype=np.int64)
    for start in range(0, n, MATRIX_ROWS):
        stop = min(n, start + MATRIX_ROWS)
        weights, ids, row_lengths = _unit_rows(id_rows[start:stop], count_rows[start:stop], idf_col, common)
        id_rows[start:stop] = count_rows[start:stop] = [_GONE] * (stop - start)   # the block's inputs go
        kept_weights.append(weights)
        kept_ids.append(ids)
        lengths[start:stop] = row_lengths
    del id_rows, count_rows
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    weights = np.concatenate(kept_weights) if kept_weights else np.empty(0, dtype=np.float64)
    del kept_weights
    ids = np.concatenate(kept_ids) if kept_ids else np.empty(0, dtype=np.int32)
    del kept_ids
    matrix = sparse.csr_matrix((weights, ids, indptr), shape=(n, width))
    return CountMatrix(matrix, df, idf, columns)


#: Rows of the count matrix made at once (see count_matrix).
MATRIX_ROWS = 4096
_GONE = np.empty(0, dtype=np.int32)     # what a made block's inputs are replaced with


def _unit_rows(id_rows: list[np.ndarray], count_rows: list[np.ndarray], idf_col: np.ndarray,
               common: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One block of count_matrix's rows: their unit TF-IDF weights and column ids, without the
    entries of `common` columns if given (left out once the rows are unit), and each row's length."""
    n = len(id_rows)
    lengths = np.fromiter(map(len, id_rows), dtype=np.int64, count=n)
    ids = np.concatenate(id_rows) if n else np.empty(0, dtype=np.int32)
    counts = np.concatenate(count_rows) if n else np.empty(0, dtype=np.int32)
    # 1 + log(count), from math.log as `weigh` has it: a table of the counts up to the largest,
    # or of the distinct counts when one is very large (a word repeated all through a long text).
    if counts.max(initial=0) <= 4096:
        weights = np.array([0.0] + [1.0 + math.log(c) for c in range(1, int(counts.max(initial=0)) + 1)])[counts]
    else:
        distinct, where = np.unique(counts, return_inverse=True)
        weights = np.array([1.0 + math.log(c) if c > 0 else 0.0 for c in distinct.tolist()])[where.ravel()]
        del where
    del counts
    weights *= idf_col[ids]             # tf * idf, the same product as `weigh`'s
    row_of = np.repeat(np.arange(n, dtype=np.int32), lengths)
    norms = np.sqrt(np.bincount(row_of, weights=weights * weights, minlength=n))
    weights /= norms[row_of]
    if common is not None and common.any():
        kept = ~common[ids]
        weights, ids = weights[kept], ids[kept]
        lengths = np.bincount(row_of[kept], minlength=n).astype(np.int64)
    return weights, ids, lengths


def related_counts(items: Mapping[str, TermCounts], limit: int, min_score: float = DEFAULT_MIN_SCORE,
                   block: int = 256) -> dict[str, tuple[str, ...]]:
    """`related(vectorise_counts(...), ...)` of term counts (key -> terms and counts), list
    for list, without every article's vector held at once (see `count_matrix`)."""
    keys = list(items)
    if not keys:
        return {}
    # The common terms' entries are left out as the matrix is made, not masked in each block.
    matrix = count_matrix(items, leave_out_over=df_cap(len(keys))).matrix
    return dict(scored_rows(matrix, matrix.T.tocsr(), np.arange(len(keys)), keys, limit, min_score, block))


def related(corpus: Corpus, limit: int, min_score: float = DEFAULT_MIN_SCORE,
            block: int = 256) -> dict[str, tuple[str, ...]]:
    """For each article, up to `limit` others scoring at least `min_score`, best first.

    Cosines come from sparse matrix products, a block of rows at a time, so memory
    stays bounded and only articles that share a term are ever scored. Terms found in
    more than `_DF_CAP_MAX` articles (and 5% of them) carry little topical signal and
    would make every pair of articles "share a term": they are left out of the product,
    which keeps the work near linear in the number of articles on large archives.
    """
    keys = list(corpus.vectors)
    if not keys:
        return {}
    matrix = term_matrix((corpus.vectors[key] for key in keys), {})
    return dict(scored_rows(matrix, matrix.T.tocsr(), np.arange(len(keys)), keys, limit, min_score, block))


def df_cap(n: int) -> int:
    """Terms in more articles than this are left out of the products (see `related`)."""
    return max(_DF_CAP_MAX, n // 20)


def scored_rows(matrix: sparse.csr_matrix, transposed: sparse.csr_matrix, rows: np.ndarray, keys: Sequence[str],
                limit: int, min_score: float, block: int = 256) -> Iterator[tuple[str, tuple[str, ...]]]:
    """`related`'s list of each article of `rows` (positions in `keys`): `matrix` holds the
    unit rows of all articles in `keys` order, `transposed` is its transpose (csr).

    A score is summed in the order of its row's entries, which only that row decides, so
    the list of a row is the same whichever other rows are scored with it (relatedindex.py
    relies on this to score only the rows an edit can change)."""
    for i, best in scored_lists(matrix, transposed, rows, keys, limit, min_score, block):
        yield keys[i], tuple(k for _, k in best)


def scored_lists(matrix: sparse.csr_matrix, transposed: sparse.csr_matrix, rows: np.ndarray, keys: Sequence[str],
                 limit: int, min_score: float, block: int = 256) -> Iterator[tuple[int, list[tuple[float, str]]]]:
    """`scored_rows` with each list's scores: (row, [(-score, key), ...] best first)."""
    masked = _masked(transposed, len(keys))
    names = np.array(keys, dtype=object)
    block = block_rows(len(keys), block)
    for start in range(0, len(rows), block):
        these = rows[start:start + block]
        scores = (_unmasked(matrix[these], masked) @ transposed).tocsr()
        for row in range(scores.shape[0]):
            i = int(these[row])
            lo, hi = scores.indptr[row], scores.indptr[row + 1]
            idx, val = scores.indices[lo:hi], np.round(scores.data[lo:hi], 9)
            keep = (val >= min_score) & (idx != i)
            idx, val = idx[keep], val[keep]
            if len(val) > limit:        # keep the best, ties at the edge included, then sort exactly
                edge = np.partition(val, len(val) - limit)[len(val) - limit]
                idx, val = idx[val >= edge], val[val >= edge]
            yield i, sorted(zip((-val).tolist(), names[idx].tolist()))[:limit]


#: A block of score rows holds up to one score (12 bytes) per article for each of its rows:
#: blocks are cut to about this many scores (256 rows of 10,000 articles, 30 MB) at any size.
BLOCK_SCORES = 2_560_000


def block_rows(n: int, block: int) -> int:
    """How many rows to score at once among `n` articles: at most `block`, fewer on a large
    archive, where one row's scores reach more articles (a list does not depend on its block)."""
    return max(8, min(block, BLOCK_SCORES // max(n, 1)))


def _masked(transposed: sparse.csr_matrix, n: int) -> np.ndarray:
    """Which terms (columns) are left out of the products: those over `df_cap(n)`."""
    return np.diff(transposed.indptr) > df_cap(n)


def _unmasked(part: sparse.csr_matrix, masked: np.ndarray) -> sparse.csr_matrix:
    """Rows `part` without their entries of `masked` terms."""
    if not masked.any():
        return part
    part = (part @ sparse.diags((~masked).astype(np.float64))).tocsr()
    part.eliminate_zeros()
    return part


def best_scores(matrix: sparse.csr_matrix, transposed: sparse.csr_matrix, rows: np.ndarray, n: int) -> np.ndarray:
    """For every article, its highest score against any of `rows`, as those rows' products give
    it (summed in their entries' order: within rounding of the articles' own, see scored_rows)."""
    if not len(rows):
        return np.zeros(n)
    scores = (_unmasked(matrix[rows], _masked(transposed, n)) @ transposed).tocsc()
    top = np.zeros(n)
    filled = np.diff(scores.indptr) > 0
    top[filled] = np.maximum.reduceat(scores.data, scores.indptr[:-1][filled])
    return top


@dataclass(frozen=True)
class _Centroid:
    total: Vector      # the sum of the topic's unit vectors (cosine ignores scale)
    norm2: float
    count: int


def _centroids(corpus: Corpus, members: Mapping[str, Collection[str]]) -> dict[str, _Centroid]:
    out: dict[str, _Centroid] = {}
    for topic, keys in members.items():
        total: dict[str, float] = defaultdict(float)
        for k in keys:
            for t, w in corpus.vectors.get(k, {}).items():
                total[t] += w
        out[topic] = _Centroid(dict(total), sum(w * w for w in total.values()), len(keys))
    return out


def _score(vec: Vector, c: _Centroid, leave_out: bool) -> float:
    """Cosine of `vec` with a topic centroid; with `leave_out`, as if `vec` were not in it.

    cos(v, T - v) = (v.T - v.v) / |T - v|, and |T - v|^2 = |T|^2 - 2 v.T + v.v: linear in |v|.
    """
    dot = sum(w * c.total.get(t, 0.0) for t, w in vec.items())
    norm2 = c.norm2
    if leave_out:
        vv = sum(w * w for w in vec.values())
        dot, norm2 = dot - vv, norm2 - 2 * dot + vv
    return dot / math.sqrt(norm2) if norm2 > 1e-12 else 0.0


def topic_scores(corpus: Corpus, members: Mapping[str, Collection[str]], vec: Vector,
                 own_key: str | None = None, min_articles: int = 1,
                 centroids: Mapping[str, _Centroid] | None = None) -> list[TopicScore]:
    """Similarity of a vector to every topic with at least `min_articles` (other) articles."""
    scores = []
    for topic, c in (centroids if centroids is not None else _centroids(corpus, members)).items():
        inside = own_key is not None and own_key in members[topic]
        if c.count - inside < max(1, min_articles):
            continue
        scores.append(TopicScore(topic, round(_score(vec, c, inside), 4)))
    return sorted(scores, key=lambda s: (-s.score, s.topic))


def suggest_topics(corpus: Corpus, assigned: Mapping[str, Sequence[str]], *,
                   ratio: float = 1.5, min_score: float = 0.2,
                   min_articles: int = 2) -> list[Suggestion]:
    """Articles much closer to another topic than to any of their own.

    `assigned` maps each article key to its topics. A topic is suggested when the
    article's similarity to it is at least `min_score` and `ratio` times its best
    similarity to an own topic. Only topics with `min_articles` other articles are
    judged, on either side: a topic of one article says nothing about fit.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for key, topics in assigned.items():
        for t in topics:
            members[t].append(key)
    centroids = _centroids(corpus, members)
    sets = {t: frozenset(keys) for t, keys in members.items()}
    suggestions = []
    for key, topics in assigned.items():
        scores = topic_scores(corpus, sets, corpus.vectors[key], key, min_articles, centroids)
        own = [s.score for s in scores if s.topic in topics]
        if not own:
            continue
        best_own = max(own)
        for s in scores:
            if s.topic not in topics and s.score >= min_score and s.score >= ratio * best_own:
                suggestions.append(Suggestion(key, s.topic, s.score, best_own, tuple(scores)))
                break
    return suggestions
