"""Giving freed memory back to the operating system between a build's steps.

A build frees most of what a step made before the next starts (the analysis' pickled results,
the duplicate check's signatures, the story grouping's vectors), but the C allocator keeps
freed blocks in its heap, and only the heap's top is returned by itself: at the end of the
article pages' layout, a 10,000-article build held 144 MB of free heap beside 138 MB in use.
The steps after it take much of their memory in large arrays and in the `pagefind` process,
which cannot reuse those blocks, so the whole tree's peak counts them twice. glibc's
`malloc_trim` returns every free page of the heap; elsewhere (macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import lru_cache

__all__ = ["give_back"]


@lru_cache(maxsize=1)
def _trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def give_back() -> bool:
    """Return the heap's free pages to the system; whether the C library could."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
