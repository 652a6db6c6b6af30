"""The story clustering of the last build, kept in the cache folder (see storystate.py).

One entry, keyed by the source of the code that decides the clustering, so that a changed
clustering never meets an index of the old one. A missing, damaged (each value carries a
CRC-32, see cache.py) or malformed entry is a cold start, never a wrong story.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .cache import _Store, digest_key
from .stories import StoryIndex, StoryOptions
from .storystate import StoredItem, restore, state

__all__ = ["CLUSTERING_MODULES", "StoryStore", "clustering_version"]

#: The modules whose code decides a story index: the features, the vectors and the decisions.
CLUSTERING_MODULES = ("stories.py", "storyitems.py", "storygroup.py", "storymargins.py", "storystate.py",
                      "lede.py", "text.py")


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

    def load(self, options: StoryOptions) -> StoryIndex | None:
        """The stored index for these options, or None (none stored, damaged, other options)."""
        raw = self._read(self._key())
        if raw is None:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            return None
        index = restore(data, options)
        self._restored = (index, len(index.items)) if index is not None else None
        return index

    def keep(self, index: StoryIndex) -> None:
        """Store the index, unless it is the one `load` gave and no article was placed since
        (every article still the stored one): then the entry is already what it would write."""
        restored = self._restored
        if (restored is not None and restored[0] is index and len(index.items) == restored[1]
                and all(isinstance(item, StoredItem) for item in index.items)):
            return
        self._write(self._key(), json.dumps(state(index), separators=(",", ":"), ensure_ascii=False))

    def _key(self) -> str:
        return digest_key(clustering_version(), "story index")
