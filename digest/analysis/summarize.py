"""Extractive summaries: sentences are ranked and quoted, never rewritten.

Single article: sentences are scored by graph centrality (LexRank-style power
iteration over TF-IDF cosine similarities), closeness to the document centroid
and to the title, a lead prior that falls off quickly after the first sentence (news
puts the essentials in its lede) and the log of the sentence's content-word count
(cosine scores are length-blind; longer sentences carry more of the story). The top
sentences are chosen by maximal marginal relevance so near-repeats are skipped, and
returned in document order. The weights are global, set on half of the BBC News
Summary development split and checked on the other half (benchmarks/summary_quality.py).

A topic's story ("the story so far") is story.py's: coverage of the concepts several
reports share, under a word budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from .text import terms

__all__ = ["SummaryParams", "rank_sentences", "rank_terms", "select", "summarize"]


@dataclass(frozen=True)
class SummaryParams:
    """Weights of the sentence score and the redundancy control."""

    centrality: float = 0.35       # LexRank score over the sentence similarity graph
    centroid: float = 0.25         # closeness to the article's TF-IDF centroid
    title: float = 0.15            # closeness to the headline
    lead: float = 0.15             # position prior: the lede carries the story
    lead_decay: float = 2.0        # ... falling as (1 + position) ** -lead_decay
    length: float = 0.1            # log count of content words: longer sentences say more
    redundancy: float = 0.5        # cosine above which a sentence repeats a chosen one
    min_terms: int = 4             # shorter sentences are chosen only if nothing else is left


DEFAULT = SummaryParams()


def _matrix(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Row-normalised TF-IDF matrix, IDF computed over the sentences themselves."""
    flat = list(chain.from_iterable(token_lists))
    vocab = {t: i for i, t in enumerate(dict.fromkeys(flat))}     # columns in order of first use
    cells = list(map(vocab.__getitem__, flat))
    rows = np.repeat(np.arange(len(token_lists)), [len(t) for t in token_lists])
    width = max(len(vocab), 1)
    counts = np.bincount(rows * width + np.asarray(cells, dtype=np.int64),
                         minlength=len(token_lists) * width).astype(np.float64)
    m = counts.reshape(len(token_lists), width)
    present = m > 0
    m[present] = 1.0 + np.log(m[present])                     # sublinear term frequency
    df = present.sum(axis=0)
    m *= np.log((1 + len(token_lists)) / (1 + df)) + 1.0
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


def _lexrank(sim: np.ndarray, damping: float = 0.85, iterations: int = 50) -> np.ndarray:
    """Stationary distribution of a random walk over the similarity graph."""
    n = sim.shape[0]
    weights = sim.copy()
    np.fill_diagonal(weights, 0.0)
    rows = weights.sum(axis=1, keepdims=True)
    transition = np.where(rows > 0, weights / np.where(rows > 0, rows, 1.0), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    step = damping * transition.T      # the same product every iteration: taken once
    for _ in range(iterations):
        new = (1 - damping) / n + step @ scores
        if np.abs(new - scores).sum() < 1e-6:
            return new
        scores = new
    return scores


def _unit(x: np.ndarray) -> np.ndarray:
    top = x.max() if x.size else 0.0
    return x / top if top > 0 else x


def rank_sentences(sentences: Sequence[str], title: str | None = None,
                   params: SummaryParams = DEFAULT) -> tuple[np.ndarray, np.ndarray]:
    """Score each sentence; returns (scores, similarity matrix)."""
    return rank_terms([terms(s) for s in sentences], terms(title) if title else [], params)


def rank_terms(token_lists: Sequence[list[str]], title_tokens: list[str],
               params: SummaryParams = DEFAULT) -> tuple[np.ndarray, np.ndarray]:
    """`rank_sentences` from the terms of the sentences and the title, when already taken."""
    n = len(token_lists)
    if n == 0:
        return np.zeros(0), np.zeros((0, 0))
    m = _matrix([*token_lists, title_tokens])
    vectors, title_vec = m[:n], m[n]
    sim = vectors @ vectors.T
    centroid = vectors.sum(axis=0)
    norm = np.linalg.norm(centroid)
    centroid_sim = vectors @ (centroid / norm) if norm > 0 else np.zeros(n)
    lead = (1.0 + np.arange(n)) ** -params.lead_decay
    length = np.log1p(np.array([len(t) for t in token_lists], dtype=np.float64))
    scores = (params.centrality * _unit(_lexrank(sim))
              + params.centroid * _unit(centroid_sim)
              + params.title * (vectors @ title_vec)
              + params.lead * lead
              + params.length * _unit(length))
    short = np.array([len(t) < params.min_terms for t in token_lists])
    scores = np.where(short, scores * 0.25, scores)
    return scores, sim


def _mmr(scores: np.ndarray, sim: np.ndarray, k: int, threshold: float,
         allowed: np.ndarray | None = None) -> list[int]:
    """Greedy selection of high scores, skipping anything too close to a chosen item."""
    order = np.argsort(-scores, kind="stable")
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= k:
            break
        if allowed is not None and not allowed[i]:
            continue
        if chosen and sim[i, chosen].max() > threshold:
            continue
        chosen.append(int(i))
    return chosen


def summarize(sentences: Sequence[str], n: int = 3, title: str | None = None,
              params: SummaryParams = DEFAULT) -> tuple[int, ...]:
    """Indices of the `n` most central, mutually distinct sentences, in document order."""
    if n <= 0 or not sentences:
        return ()
    scores, sim = rank_sentences(sentences, title, params)
    return select(scores, sim, n, params)


def select(scores: np.ndarray, sim: np.ndarray, n: int, params: SummaryParams = DEFAULT) -> tuple[int, ...]:
    """The summary from already-ranked sentences: MMR picks, topped up if redundancy left gaps."""
    total = len(scores)
    chosen = _mmr(scores, sim, n, params.redundancy)
    if len(chosen) < min(n, total):
        rest = [int(i) for i in np.argsort(-scores, kind="stable") if int(i) not in chosen]
        chosen += rest[: min(n, total) - len(chosen)]
    return tuple(sorted(chosen))
