"""Text held compressed in memory while a build waits to use it: zlib level 1 of its UTF-8
(surrogates passed through, so any str comes back exactly), about a third of the text's size
for news prose. Converted bodies (analysis/pipeline.py's Packed) and a one-off build's
sentences (model.py's Sentences) are held so."""

from __future__ import annotations

import zlib

__all__ = ["pack", "unpack"]


def pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8", "surrogatepass")
