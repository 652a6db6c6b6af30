"""Text held compressed in memory while a build waits to use it: zlib level 1 of its UTF-8
(surrogates passed through, so any str comes back exactly), about a third of the text's size
for news prose. Converted bodies (analysis/pipeline.py's Packed), a one-off build's
sentences (model.py's Sentences) and its pages' HTML slots (pages/render.py's PageSet) are held so."""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence

__all__ = ["pack", "pack_all", "unpack", "unpack_all"]


def pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8", "surrogatepass")


def pack_all(texts: Sequence[str]) -> bytes:
    """Several texts as one packed blob: their count and lengths, then their packed concatenation."""
    lengths = array("I", map(len, texts))
    return len(lengths).to_bytes(4, "little") + lengths.tobytes() + pack("".join(texts))


def unpack_all(packed: bytes) -> tuple[str, ...]:
    """The texts `pack_all` packed, exactly."""
    count = int.from_bytes(packed[:4], "little")
    lengths = array("I")
    lengths.frombytes(packed[4:4 + count * lengths.itemsize])
    text = unpack(packed[4 + count * lengths.itemsize:])
    found, at = [], 0
    for n in lengths:
        found.append(text[at:at + n])
        at += n
    return tuple(found)
