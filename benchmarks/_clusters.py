"""Loading multi-document clusters (Multi-News format) and the multi-document baselines.

A cluster is the articles of one event from several outlets and one or more human
summaries. Columns: `documents` (a Python or JSON list of article texts), `summary`
(one reference) or `summaries` (a JSON list of references), and optionally `titles`
and `dates` (JSON lists, one per document). Every method sees the same sentences: our
splitter's, of each article's prose as the site reads it (`analyse_article`).
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from digest.analysis.analyse import analyse_article
from digest.analysis.summarize import _matrix
from digest.analysis.text import split_sentences, terms

Picker = Callable[["Cluster", int], list[str]]

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)   # the date of undated documents


@dataclass(frozen=True)
class Cluster:
    """One event's coverage: per article its text, title, date and sentences; the references."""

    key: str
    texts: tuple[str, ...]
    titles: tuple[str, ...]
    dates: tuple[datetime, ...]
    sentences: tuple[tuple[str, ...], ...]
    references: tuple[str, ...]


def _list(cell: str) -> list:
    cell = cell.strip()
    try:
        value = json.loads(cell)
    except ValueError:
        value = ast.literal_eval(cell)
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    return value


def _date(value: object) -> datetime:
    if not value:
        return EPOCH
    parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def load(path: str, limit: int | None = None, skip: int = 0) -> list[Cluster]:
    """The CSV's clusters in file order (`limit` of them after the first `skip`); clusters
    without any sentence or reference are left out."""
    csv.field_size_limit(1 << 30)
    clusters: list[Cluster] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if number < skip:
                continue
            if limit is not None and len(clusters) >= limit:
                break
            texts = tuple(str(t) for t in _list(row["documents"]) if str(t).strip())
            refs = _list(row["summaries"]) if row.get("summaries") else [row.get("summary", "")]
            references = tuple(str(r).strip() for r in refs if str(r).strip())
            titles = tuple(str(t) for t in _list(row["titles"])) if row.get("titles") else ("",) * len(texts)
            dates = tuple(map(_date, _list(row["dates"]))) if row.get("dates") else (EPOCH,) * len(texts)
            if not texts or not references or len(titles) != len(texts) or len(dates) != len(texts):
                continue
            sentences = tuple(analyse_article(title, text, 0).sentences for title, text in zip(titles, texts))
            if any(sentences):
                clusters.append(Cluster(str(number), texts, titles, dates, sentences, references))
    return clusters


def lines(sentences: Sequence[str]) -> str:
    """A summary for ROUGE-Lsum: one sentence per line."""
    return "\n".join(" ".join(s.split()) for s in sentences)


def reference_lines(reference: str) -> str:
    """A reference split by our splitter, one sentence per line ("– " lead-ins dropped)."""
    return lines(split_sentences(re.sub(r"^\s*[–-]\s+", "", reference)))


def cut(sentences: Sequence[str], budget: int) -> list[str]:
    """The sentences in order up to `budget` words, the last one truncated at the budget."""
    out: list[str] = []
    left = budget
    for sentence in sentences:
        found = sentence.split()
        if left <= 0 or not found:
            if left <= 0:
                break
            continue
        out.append(" ".join(found[:left]))
        left -= len(found[:left])
    return out


def _flat(cluster: Cluster) -> list[str]:
    return [s for doc in cluster.sentences for s in doc]


def _fill(ranked: Sequence[str], budget: int, similar: Callable[[int, list[int]], bool] | None = None
          ) -> list[str]:
    """Sentences in rank order, skipping near-repeats, until `budget` words are used."""
    chosen: list[int] = []
    used = 0
    for i, sentence in enumerate(ranked):
        if used >= budget:
            break
        if similar is not None and chosen and similar(i, chosen):
            continue
        chosen.append(i)
        used += len(sentence.split())
    return cut([ranked[i] for i in chosen], budget)


def centroid(cluster: Cluster, budget: int, redundancy: float = 0.5) -> list[str]:
    """TF-IDF centroid ranking (Radev et al.) with MMR-style redundancy control."""
    flat = _flat(cluster)
    m = _matrix([terms(s) for s in flat])
    c = m.sum(axis=0)
    norm = np.linalg.norm(c)
    closeness = m @ (c / norm) if norm > 0 else np.zeros(len(flat))
    order = [int(i) for i in np.argsort(-closeness, kind="stable")]
    ranked = [flat[i] for i in order]
    vectors = m[order]
    return _fill(ranked, budget, lambda i, chosen: float((vectors[chosen] @ vectors[i]).max()) > redundancy)


def lead(cluster: Cluster, budget: int) -> list[str]:
    """Lead round-robin: each article's first sentence in turn, then the second ..."""
    depth = max(len(d) for d in cluster.sentences)
    ranked = [d[k] for k in range(depth) for d in cluster.sentences if k < len(d)]
    return _fill(ranked, budget)


def sumy_picker(summarizer_class: type) -> Picker:
    """A sumy extractor ranking every sentence of the cluster (one paragraph per article)."""
    from _baselines import WordTokenizer
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    summarizer = summarizer_class(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = WordTokenizer()

    def run(cluster: Cluster, budget: int) -> list[str]:
        document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in doc])
                                        for doc in cluster.sentences if doc])
        order: list[int] = []

        def capture(infos: list) -> list:       # sumy hands the count its ranking, best first
            order.extend(i.order for i in infos)
            return []

        summarizer(document, capture)
        flat = _flat(cluster)
        return _fill([flat[i] for i in order], budget)

    return run


def baselines() -> dict[str, Picker]:
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    return {"centroid": centroid, "lexrank": sumy_picker(LexRankSummarizer),
            "textrank": sumy_picker(TextRankSummarizer), "lead": lead}
