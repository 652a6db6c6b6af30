"""A story clustering's state as plain data, so that one `mkdocs build` can start from the last.

A warm build used to group every article again (4.9 s of 5,000 generated articles) although
`cluster` can take the last build's `StoryIndex` and place only the articles from the first
one that changed (stories.py). Kept between processes, the index is written as data, never
as pickled objects (a cache folder is not trusted to run code): each article's key, a
fingerprint of what the clustering reads of it, its vector, its names and its story. Reading
it back rebuilds the rest (document frequencies, postings, the stories' sums) in article
order, exactly as the cold build summed them, so the result is a cold build's, bit for bit
(tests/test_story_state.py). The articles come back as `StoredItem`s, equal to an article
whose fingerprint matches: `cluster` keeps every article up to the first that differs.
Anything malformed gives None (a cold start). Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from .stories import StoryIndex, StoryItem, StoryOptions
from .storygroup import Group

__all__ = ["StoredItem", "fingerprint", "restore", "state"]


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


def state(index: StoryIndex) -> dict[str, Any]:
    """The index as JSON-ready data (a cold build's index, without a live preview's extras)."""
    ids: dict[str, int] = {}
    groups = [ids.setdefault(g.id, len(ids)) for g in index._group_of]
    return {
        "options": asdict(index.options),
        "items": [[item.slug, item.key[0], fingerprint(item)] for item in index.items],
        "terms": [list(vec) for vec in index._vectors],
        "weights": [list(vec.values()) for vec in index._vectors],
        "names": [sorted(names) for names in index._names],
        "groups": groups,
        "ids": list(ids),
        "pinned": sorted(g.id for g in index._groups.values() if g.pinned),
    }


def _strings(values: object) -> bool:
    return isinstance(values, list) and set(map(type, values)) <= {str}


def _valid(data: object, options: StoryOptions) -> bool:
    if not isinstance(data, dict) or data.get("options") != asdict(options):
        return False
    items, terms, weights, names = data.get("items"), data.get("terms"), data.get("weights"), data.get("names")
    groups, ids, pinned = data.get("groups"), data.get("ids"), data.get("pinned")
    if not (isinstance(items, list) and isinstance(terms, list) and isinstance(weights, list)
            and isinstance(names, list) and isinstance(groups, list) and isinstance(ids, list)
            and isinstance(pinned, list) and _strings(ids) and _strings(pinned)):
        return False
    n = len(items)
    if not (len(terms) == len(weights) == len(names) == len(groups) == n and len(set(ids)) == len(ids)
            and set(pinned) <= set(ids) and set(map(type, groups)) <= {int}
            and all(0 <= g < len(ids) for g in groups)):
        return False
    if not all(isinstance(i, list) and len(i) == 3 and type(i[0]) is str and type(i[1]) is float
               and type(i[2]) is str for i in items):
        return False
    keys = [(i[1], i[0]) for i in items]
    if any(a > b for a, b in zip(keys, keys[1:])):
        return False
    return all(_strings(t) and isinstance(w, list) and len(t) == len(w) == len(set(t))
               and set(map(type, w)) <= {float} for t, w in zip(terms, weights)) and all(map(_strings, names))


def restore(data: object, options: StoryOptions) -> StoryIndex | None:
    """The index `state` gave, for these options; None if the data are not such a state."""
    if not _valid(data, options):
        return None
    assert isinstance(data, dict)
    index = StoryIndex(options)
    made: dict[str, Group] = {}
    pinned = set(data["pinned"])
    for position, ((slug, when, digest), terms, weights, named, group_no) in enumerate(
            zip(data["items"], data["terms"], data["weights"], data["names"], data["groups"])):
        sid = data["ids"][group_no]
        group = made.get(sid)
        if group is None:
            group = made[sid] = index._groups[sid] = Group(sid, sid in pinned)
        vec = dict(zip(terms, weights))
        index.items.append(StoredItem(slug, (when, slug), digest))  # type: ignore[arg-type]
        index._when.append(when)
        index._margins.append(None)
        index._vectors.append(vec)
        index._df.update(vec.keys())
        index._top.append(top := index._top_terms(vec))
        index._names.append(frozenset(named))
        index._group_of.append(group)
        group.add(position, vec)
        for term in top:
            index._postings[term].append(position)
    return index
