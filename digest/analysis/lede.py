"""What the story clustering reads of one article: its lede and its names.

Per-article, so the pipeline computes it with the rest of an article's analysis (in the
pool, and cached) instead of the clustering doing it for every article on every build.

The lede is the first `LEDE_WORDS` words of the article's news sentences: page furniture
(quotes.quotable's: web-archive and widget notices, captions, credits, player prompts,
headings) is skipped and datelines dropped, so an article that is nothing but furniture
has no lede. Its names are the content words it capitalises inside those sentences at
least `NAME_REPEATS` times over its whole prose (a later paragraph names the people and
places a feature's lede only hints at).
Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .quotes import quotable
from .text import is_stopword, words

__all__ = ["CAPITALISED", "LEDE_WORDS", "NAME_REPEATS", "content_words", "lede", "lede_and_names", "names", "news"]

#: How much of an article's prose describes its event: the first words, after the headline.
LEDE_WORDS = 300
#: How often an article must capitalise a word inside its sentences for it to count as one of
#: its names (once is often a passing mention: "a Facebook post", "on Sunday").
NAME_REPEATS = 2
#: A capitalised word that does not open a sentence.
CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]+")


def news(sentences: Iterable[str]) -> list[str]:
    """The sentences that tell news: page furniture left out, datelines dropped."""
    return [q for q in map(quotable, sentences) if q is not None]


def content_words(text: str) -> list[str]:
    """The words of `text` that carry content: no stopwords, no single letters."""
    return [w for w in words(text) if len(w) > 1 and not is_stopword(w)]


def _first_words(sentences: Iterable[str], count: int) -> str:
    taken: list[str] = []
    for sentence in sentences:
        taken.extend(sentence.split())
        if len(taken) >= count:
            break
    return " ".join(taken[:count])


def _names(told: list[str], repeats: int) -> tuple[tuple[str, int], ...]:
    counts = Counter(content_words(" ".join(CAPITALISED.findall(" ".join(told)))))
    return tuple(sorted((w, c) for w, c in counts.items() if c >= repeats))


def lede(sentences: Iterable[str], count: int = LEDE_WORDS) -> str:
    """The first `count` words of an article's news sentences."""
    return _first_words(news(sentences), count)


def names(sentences: Iterable[str], repeats: int = NAME_REPEATS) -> tuple[tuple[str, int], ...]:
    """The article's names with their counts over its whole prose, sorted by word (a stable
    order, so that an unchanged article gives an equal cached analysis)."""
    return _names(news(sentences), repeats)


def lede_and_names(sentences: Iterable[str]) -> tuple[str, tuple[tuple[str, int], ...]]:
    """`lede` and `names` of one article, its sentences read once."""
    told = news(sentences)
    return _first_words(told, LEDE_WORDS), _names(told, NAME_REPEATS)
