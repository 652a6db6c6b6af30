"""Loading the BBC News Summary CSV into articles ready to summarise.

Each row's `document` is a title line, a blank line and the body, all lower-cased;
`summary` is the reference: sentences of the article run together, sometimes with
no space after the full stop. Sentences come from our own splitter, so every method
sees exactly the same sentences, and the length budget `k` is the number of those
sentences that the reference quotes (the reference's sentence count in our units).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from digest.analysis.text import split_sentences


@dataclass(frozen=True)
class Article:
    """One evaluation article: its title, sentences, reference and length budget."""

    key: str
    title: str
    category: str
    body: str
    sentences: tuple[str, ...]
    reference: str
    k: int


def reference_sentence_count(sentences: Sequence[str], reference: str) -> int:
    """How many of the article's sentences the reference quotes (at least one)."""
    squeezed = "".join(reference.split())
    return max(1, sum(1 for s in sentences if "".join(s.split()) in squeezed))


def split_document(document: str) -> tuple[str, str]:
    """(title, body) of a `document` cell: the title is its first line."""
    title, _, body = document.strip().partition("\n")
    return title.strip(), body.strip()


def load(path: str | Path, limit: int | None = None, skip: int = 0) -> list[Article]:
    """The CSV's articles in file order: `limit` of them if given, after the first `skip`."""
    articles: list[Article] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if number < skip:
                continue
            if limit is not None and len(articles) >= limit:
                break
            title, body = split_document(row["document"])
            sentences = tuple(split_sentences(body))
            if not sentences:
                continue
            reference = row["summary"].strip()
            articles.append(Article(
                key=str(row.get("") or row.get("index") or number), title=title,
                category=row.get("categories", "") or "", body=body, sentences=sentences,
                reference=reference, k=min(len(sentences),
                                           reference_sentence_count(sentences, reference))))
    return articles
