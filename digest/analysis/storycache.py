"""The story clustering of the last build, kept in the cache folder (see storystate.py).

A header entry, keyed by the source of the code that decides the clustering (so that a
changed clustering never meets an index of the old one), and one entry per article, keyed by
the header's write and the article's position. Entries, not one value: a value of 10,000
articles' vectors cost 100 MB of memory to write, at the build's peak. The header is
written last and names its write, so a build killed while writing leaves the last complete
index; a missing, damaged (each value carries a CRC-32, see cache.py) or malformed entry is
a cold start, never a wrong story.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from functools import lru_cache
from pathlib import Path

from .cache import _Store, digest_key
from .stories import StoryIndex, StoryOptions
from .storystate import StoredItem, header, restore, rows

__all__ = ["CLUSTERING_MODULES", "StoryStore", "clustering_version"]

#: The modules whose code decides a story index: the features, the vectors and the decisions.
CLUSTERING_MODULES = ("stories.py", "storyitems.py", "storygroup.py", "storymargins.py", "storyscores.py",
                      "storystate.py", "lede.py", "text.py")


@lru_cache(maxsize=1)
def clustering_version() -> str:
    """A hash of the clustering code's source."""
    digest = hashlib.sha256(b"story index 1\0")
    here = Path(__file__).resolve().parent
    for name in CLUSTERING_MODULES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class StoryStore(_Store):
    """The last one-off build's story index, so that the next places only what changed."""

    file_name = "stories.sqlite"

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self._restored: tuple[StoryIndex, int] | None = None     # what load gave, and its size
        self._loaded: tuple[str, int] | None = None               # the write it read, and its rows

    def load(self, options: StoryOptions) -> StoryIndex | None:
        """The stored index for these options, or None (none stored, damaged, other options)."""
        head = self._json(self._key())
        if not isinstance(head, dict) or type(head.get("write")) is not str or type(head.get("articles")) is not int:
            return None
        write = head["write"]
        self._loaded = (write, head["articles"])
        index = restore(head, (self._json(self._row_key(write, n)) for n in range(head["articles"])), options)
        self._restored = (index, len(index.items)) if index is not None else None
        return index

    def keep(self, index: StoryIndex) -> None:
        """Store the index, unless it is the one `load` gave and no article was placed since
        (every article still the stored one): then the entries are already what it would write."""
        restored = self._restored
        if (restored is not None and restored[0] is index and len(index.items) == restored[1]
                and all(isinstance(item, StoredItem) for item in index.items)):
            return
        write = uuid.uuid4().hex
        for n, row in enumerate(rows(index)):
            self._write(self._row_key(write, n), _text(row))
        self._write(self._key(), _text({**header(index), "write": write}))
        if self._loaded is not None:                # the rows read are not this build's: pruned
            self.used.difference_update(self._row_key(self._loaded[0], n) for n in range(self._loaded[1]))

    def _json(self, key: str) -> object:
        raw = self._read(key)
        try:
            return None if raw is None else json.loads(raw)
        except ValueError:
            return None

    def _key(self) -> str:
        return digest_key(clustering_version(), "story index")

    def _row_key(self, write: str, n: int) -> str:
        return digest_key(clustering_version(), "story index", write, str(n))


def _text(data: object) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
