"""Which files of the content folder a build may read or publish: one rule for all of them.

The rule: a path is used only if it is a regular file, or a folder, that stays inside the
content folder once every symbolic link on the way is followed. Everything else is a
problem naming the path:

- a link (to a file or to a folder) that resolves outside the content folder: following
  it would publish files from elsewhere on the machine;
- a link loop (a link to itself, or to a folder that holds it) and a broken link;
- a FIFO, device or socket: reading one can hang the build or read a device, so it is
  never opened (`os.lstat`/`stat.S_ISREG` before, and `fstat` after, a non-blocking open).

`walk` applies the rule to the whole content folder (articles, topics.yml and the other
files MkDocs would copy); `read_regular` opens a file that passed it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import Problem

__all__ = ["FileTooBig", "NotAFile", "check_path", "read_regular", "walk"]

_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}
_SPECIAL_FIX = "remove it from the content folder: only regular files are read or published."


class NotAFile(OSError):
    """The path is not a regular file (a FIFO, device or socket took its place)."""


class FileTooBig(OSError):
    """The file is larger than the caller's limit; `size` says how large."""

    def __init__(self, size: int) -> None:
        super().__init__(errno.EFBIG, "file too large")
        self.size = size


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _display(path: Path, root: Path, label: str) -> str:
    try:
        return f"{label}/{path.relative_to(root).as_posix()}"
    except ValueError:
        return str(path)


def check_path(path: Path, root: Path, display: str | None = None) -> Problem | None:
    """The problem with using `path` (a file or folder under `root`, the content folder
    as given), or None if it is a regular file or folder that stays inside `root`."""
    shown = display or _display(path, root, root.name)
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return Problem(shown, None, f"could not be read ({exc.strerror}).", "check the file's permissions.")
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except RuntimeError:                              # Python < 3.13 names a loop so
            return _loop(shown)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return _loop(shown)
            return Problem(shown, None, f"is a broken link (its target {os.readlink(path)!r} does not exist).",
                           "remove the link, or put the file it named in its place.")
        kind = "folder" if target.is_dir() else "file"
        if not target.is_relative_to(root.resolve()):
            what = "the article" if kind == "file" and path.suffix == ".md" else f"the {kind}"
            return Problem(shown, None, f"is a link to a {kind} outside the content folder.",
                           f"copy {what} into the content folder instead of linking it.")
        mode = os.stat(target).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return Problem(shown, None, f"is {_kind(mode)}, not a file; it was not read.", _SPECIAL_FIX)
    return None


def _loop(shown: str) -> Problem:
    return Problem(shown, None, "is a symbolic link loop (following it never reaches a file).",
                   "remove the link, or point it at a file or folder that is not one of its own parents.")


def walk(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every regular file under `root` that obeys the rule, in a stable order (paths as
    seen from `root`, links not resolved), and a problem for every path that does not.

    Linked folders inside the content folder are followed, except into one of their own
    parents (a loop); each folder is read once."""
    files: list[Path] = []
    problems: list[Problem] = []
    real_root = root.resolve()
    stack: list[tuple[Path, tuple[Path, ...]]] = [(root, (real_root,))]
    while stack:
        folder, parents = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(_display(folder, root, root.name), None,
                                    f"could not be read ({exc.strerror}).", "check the folder's permissions."))
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            if entry.is_file(follow_symlinks=False):         # the common case: no extra system call
                files.append(path)
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append((path, parents + (parents[-1] / entry.name,)))
                continue
            problem = check_path(path, root)
            if problem is None and entry.is_symlink() and entry.is_dir():
                real = Path(os.path.realpath(path))
                if real in parents:
                    problem = _loop(_display(path, root, root.name))
                else:
                    subfolders.append((path, parents + (real,)))
                    continue
            if problem is not None:
                problems.append(problem)
            else:
                files.append(path)
        stack.extend(reversed(subfolders))
    return sorted(files), problems


def read_regular(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file. It is opened without blocking and checked once open,
    so a FIFO or device put in its place is never read: NotAFile; FileTooBig over `max_bytes`."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(errno.EINVAL, f"is {_kind(info.st_mode)}, not a file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise FileTooBig(info.st_size)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return handle.read()
    finally:
        if fd >= 0:
            os.close(fd)
