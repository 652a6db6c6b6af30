"""A story clustering's state as plain data, so that one `mkdocs build` can start from the last.

A warm build used to group every article again (4.9 s of 5,000 generated articles) although
`cluster` can take the last build's `StoryIndex` and place only the articles from the first
one that changed (stories.py). Kept between processes, the index is written as data, never
as pickled objects (a cache folder is not trusted to run code): each article's key, a
fingerprint of what the clustering reads of it, its vector, its names and its story, one
row per article (`rows`), after a `header` of what the whole index shares. Reading it back
rebuilds the rest (document frequencies, postings, the stories' sums) in article order,
exactly as the cold build summed them, so the result is a cold build's, bit for bit
(tests/test_story_state.py). The articles come back as `StoredItem`s, equal to an article
whose fingerprint matches: `cluster` keeps every article up to the first that differs.
Anything malformed gives None (a cold start). Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from sys import intern
from typing import Any

from .stories import StoryIndex, StoryItem, StoryOptions
from .storygroup import Group

__all__ = ["StoredItem", "fingerprint", "header", "restore", "rows"]


def fingerprint(item: StoryItem | StoredItem) -> str:
    """A hash of every field the clustering reads of an article."""
    if isinstance(item, StoredItem):
        return item.digest
    fields = [item.slug, item.published.isoformat(), item.title, item.lede, item.pin, item.names]
    return hashlib.blake2b(json.dumps(fields, ensure_ascii=False).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True, eq=False)
class StoredItem:
    """An article of a stored index: its slug and key, and the fingerprint of the article it was."""

    slug: str
    key: tuple[float, str]
    digest: str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (StoryItem, StoredItem)) and fingerprint(other) == self.digest

    __hash__ = None  # type: ignore[assignment]


def header(index: StoryIndex) -> dict[str, Any]:
    """What the index holds beside its articles: the options, the story ids, the pinned ones
    and the number of articles (a cold build's index, without a live preview's extras)."""
    ids: dict[str, int] = {}
    for group in index._group_of:
        ids.setdefault(group.id, len(ids))
    return {"options": asdict(index.options), "ids": list(ids), "articles": len(index.items),
            "pinned": sorted(g.id for g in index._groups.values() if g.pinned)}


def rows(index: StoryIndex) -> Iterator[list[Any]]:
    """One JSON-ready row per article, in the index's order: slug, time, fingerprint, terms,
    weights, names and the number of its story in the header's ids. One at a time, so that
    keeping 10,000 articles never holds them all as data at once."""
    ids: dict[str, int] = {}
    for item, vec, names, group in zip(index.items, index._vectors, index._names, index._group_of):
        yield [item.slug, item.key[0], fingerprint(item), list(vec), list(vec.values()), sorted(names),
               ids.setdefault(group.id, len(ids))]


def _strings(values: object) -> bool:
    return isinstance(values, list) and set(map(type, values)) <= {str}


def _valid_header(data: object, options: StoryOptions) -> bool:
    if not isinstance(data, dict) or data.get("options") != asdict(options):
        return False
    ids, pinned, articles = data.get("ids"), data.get("pinned"), data.get("articles")
    return (_strings(ids) and _strings(pinned) and type(articles) is int and articles >= 0
            and len(set(ids)) == len(ids) and set(pinned) <= set(ids))  # type: ignore[arg-type]


def _valid_row(row: object, stories: int) -> bool:
    if not (isinstance(row, list) and len(row) == 7):
        return False
    slug, when, digest, terms, weights, names, group = row
    return (type(slug) is str and type(when) is float and type(digest) is str and _strings(terms)
            and isinstance(weights, list) and len(terms) == len(weights) == len(set(terms))
            and set(map(type, weights)) <= {float} and _strings(names) and type(group) is int
            and 0 <= group < stories)


def restore(head: object, stored: Iterable[object], options: StoryOptions) -> StoryIndex | None:
    """The index `header` and `rows` gave, for these options; None if they are not such an
    index (a row malformed, missing or extra, or out of order)."""
    if not _valid_header(head, options):
        return None
    assert isinstance(head, dict)
    ids, pinned = head["ids"], set(head["pinned"])
    index = StoryIndex(options)
    made: dict[str, Group] = {}
    last: tuple[float, str] | None = None
    for position, row in enumerate(stored):
        if position >= head["articles"] or not _valid_row(row, len(ids)):
            return None
        assert isinstance(row, list)
        slug, when, digest, terms, weights, named, group_no = row
        if last is not None and last > (when, slug):
            return None
        last = (when, slug)
        sid = ids[group_no]
        group = made.get(sid)
        if group is None:
            group = made[sid] = index._groups[sid] = Group(sid, sid in pinned)
        vec = dict(zip(map(intern, terms), weights))     # as stories.py's vectors
        index.items.append(StoredItem(slug, (when, slug), digest))  # type: ignore[arg-type]
        index._when.append(when)
        index._margins.append(None)
        index._vectors.append(vec)
        index._df.update(vec.keys())
        index._top.append(top := index._top_terms(vec))
        index._names.append(frozenset(map(intern, named)))
        index._group_of.append(group)
        group.add(position, vec)
        for term in top:
            index._postings[term].append(position)
    if len(index.items) != head["articles"] or set(made) != set(ids):
        return None
    if last is not None:        # as the cold build that stored it held them (stories.py)
        index.retire(last[0] - options.window_days * 86400.0)
    return index
