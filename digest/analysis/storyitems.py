"""What the story clustering reads of an article (digest/analysis/stories.py): its key, date,
headline, lede, pin and names, and the word counts and names made from them.

The features are word counts of the headline (twice), the lede, the capitalised words inside
the lede's sentences (again) and the article's names (their counts over the whole prose, again):
see `features`. Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from sys import intern
from datetime import datetime
from functools import cached_property

from .lede import CAPITALISED, content_words, lede_and_names

__all__ = ["StoryItem", "features", "lede_names", "proper_names", "story_item"]


@dataclass(frozen=True)
class StoryItem:
    """What the clustering needs of an article: its key, date, headline, lede, pin and names
    (word, count) pairs: see `story_item`, which makes one from the article's sentences."""

    slug: str
    published: datetime
    title: str
    lede: str
    pin: str | None = None
    names: tuple[tuple[str, int], ...] = ()

    @cached_property
    def key(self) -> tuple[float, str]:
        """Date order, then slug (kept: every build sorts the whole archive by it)."""
        return (self.published.timestamp(), self.slug)

    def features_and_names(self) -> tuple[Counter[str], frozenset[str]]:
        """Its `features` and `proper_names` (StoryIndex keeps them in a live preview, where a
        replay after an edit reads every later article again)."""
        capitalised = lede_names(self.lede)     # the features and the names both need them
        return features(self.title, self.lede, self.names, capitalised), proper_names(self, capitalised)


def story_item(slug: str, published: datetime, title: str, sentences: Iterable[str],
               pin: str | None = None) -> StoryItem:
    """An article as the clustering reads it: its lede and its names, from its sentences
    (the pipeline has them in the article's analysis already, see lede.py)."""
    told_lede, named = lede_and_names(sentences)
    return StoryItem(slug, published, title, told_lede, pin, named)


def lede_names(lede_text: str) -> list[str]:
    """The content words an article capitalises inside the sentences of its lede."""
    return content_words(" ".join(CAPITALISED.findall(lede_text)))


def features(title: str, text: str, named: Iterable[tuple[str, int]] = (),
             capitalised: list[str] | None = None) -> Counter[str]:
    """Word counts of headline (twice), lede, capitalised words inside the lede's sentences
    (again; `capitalised` when the caller has them already) and the article's names (their
    counts over the whole prose, again).
    Words, not stems: stemming every lede again would cost more than all the clustering."""
    title_words = content_words(title)
    counts = Counter(title_words + title_words + content_words(text))
    counts.update(w for w in (lede_names(text) if capitalised is None else capitalised) if w in counts)
    for word, count in named:
        counts[word] += count
    return counts


def proper_names(item: StoryItem, capitalised: list[str] | None = None) -> frozenset[str]:
    """The names an article gives: content words it capitalises inside a sentence of its lede
    (`capitalised` when the caller has them already), or at least `NAME_REPEATS` times over its
    prose (`StoryItem.names`)."""
    # Interned: the story index keeps every article's names, most of them words many articles give.
    return frozenset(map(intern, lede_names(item.lede) if capitalised is None else capitalised)).union(
        intern(w) for w, _ in item.names)
