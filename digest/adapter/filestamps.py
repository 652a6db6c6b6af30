"""Which files changed between two builds: every file under some folders, with its modification
time and size. The live preview compares these to tell an article edit (the fast rebuild) from
any other change (MkDocs' full one), and keeps its page templates while theirs stay the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..loading.loader import memo_stamp

__all__ = ["Stamp", "file_stamps"]

#: A file's modification time (ns) and size; (-1, -1) for one that could not be read.
Stamp = tuple[int, int]


def file_stamps(roots: Iterable[Path], full: dict[str, tuple[int, ...]] | None = None) -> dict[str, Stamp]:
    """Every file under `roots` (or the root itself, if a file), with its mtime and size. Linked
    folders are followed as the loader's walk (digest/loading/files.py) follows them, so an edit
    inside one is an edit, except into one of their own parents (a loop). `full`, when given,
    gets each file's stamp as the loader's ParseMemo takes it, from the same stat."""
    found: dict[str, Stamp] = {}
    stack: list[tuple[str, tuple[str, ...]]] = [(str(r), ()) for r in roots]
    while stack:
        path, parents = stack.pop()
        try:
            if os.path.isfile(path):
                st = os.stat(path)
                found[path] = (st.st_mtime_ns, st.st_size)
                if full is not None:
                    full[path] = memo_stamp(st)
                continue
            real = os.path.realpath(path)
            if real in parents:
                continue
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.is_dir():          # a folder, or a link to one
                        stack.append((entry.path, (*parents, real)))
                    else:
                        try:
                            st = entry.stat()
                        except OSError:     # gone, or a broken link: the full build says so
                            found[entry.path] = (-1, -1)
                            continue
                        found[entry.path] = (st.st_mtime_ns, st.st_size)
                        if full is not None:
                            full[entry.path] = memo_stamp(st)
        except OSError:
            continue
    return found
