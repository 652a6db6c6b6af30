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

MkDocs copies HTML, SVG and XML files of the content folder to the site as they are, so
script in one runs on the site's own origin. `script_in` finds it (script and handler
elements, event-handler attributes, javascript: and HTML data: links, XSLT stylesheets);
the loader refuses such files unless the site allows them (`allow_raw_html_files`).
"""

from __future__ import annotations

import errno
import gzip
import html
import os
import re
import stat
import zlib
from pathlib import Path

from ..errors import Problem

__all__ = ["ACTIVE_SUFFIXES", "FileTooBig", "NotAFile", "check_path", "read_regular", "script_in",
           "script_problems", "walk"]

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


def walk(root: Path, known: dict[str, Path] | None = None) -> tuple[list[Path], list[Problem]]:
    """Every regular file under `root` that obeys the rule, in a stable order (paths as
    seen from `root`, links not resolved), and a problem for every path that does not.

    Linked folders inside the content folder are followed, except into one of their own
    parents (a loop). A hidden entry (`.name`) that breaks the rule is left out silently.
    `known` (a live preview's): the last walk's path objects by their text, reused (making
    10,000 of them took a quarter of a rebuild's reading) and left holding this walk's."""
    seen: dict[str, Path] = {}
    last = known if known is not None else {}
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
            path = last.get(entry.path) or Path(entry.path)
            if known is not None:
                seen[entry.path] = path
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
            if problem is None:
                files.append(path)
            elif not entry.name.startswith("."):
                problems.append(problem)
            # A hidden entry that breaks the rule is skipped without a word: MkDocs never
            # publishes dotfiles, and editors leave broken links there (Emacs' `.#name.md`).
        stack.extend(reversed(subfolders))
    if known is not None:
        known.clear()
        known.update(seen)
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


#: Files a browser runs script from when opened from the site.
ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt"})
_TAG = re.compile(rb"<[^<>]*>?")
_ACTIVE_ELEMENT = re.compile(rb"^<\s*(?:[\w.-]+:)?(script|iframe|frame|object|embed|applet|foreignobject|"
                             rb"handler|listener|base|meta\s[^>]*http-equiv)\b", re.IGNORECASE)
_ACTIVE_ATTRIBUTE = re.compile(rb"[\s\"'/](on[a-z]+)\s*=|(javascript|vbscript)\s*(?::|&#)|"
                               rb"data\s*:\s*(text/html|application/|image/svg)|^<\?(xml-stylesheet)", re.IGNORECASE)
_SPACE = re.compile(rb"[\x00-\x20]+")
_GUNZIP_LIMIT = 32 * 1024 * 1024


def script_in(path: Path) -> str | None:
    """What in an HTML, SVG or XML file could run script (e.g. "a <script> element"), or
    None. Every tag is looked at once, so the scan is linear in the file's size."""
    data = read_regular(path)
    if path.suffix.lower() == ".svgz" or data[:2] == b"\x1f\x8b":
        try:
            data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, _GUNZIP_LIMIT)
        except (zlib.error, gzip.BadGzipFile):
            return "a compressed body that cannot be read"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):         # UTF-16: look at the text, not the bytes
        data = data.decode("utf-16", "replace").encode("utf-8", "replace")
    for tag in _TAG.finditer(data):
        element = _ACTIVE_ELEMENT.match(tag[0])
        if element:
            return f"a <{element[1].decode('ascii', 'replace').lower().split()[0]}> element"
        attribute = _ACTIVE_ATTRIBUTE.search(tag[0])
        if attribute is None and b"&" in tag[0]:    # java&#x09;script: is javascript: to a browser
            text = html.unescape(tag[0].decode("utf-8", "replace")).encode("utf-8", "replace")
            attribute = _ACTIVE_ATTRIBUTE.search(_SPACE.sub(b"", text))
        if attribute:
            found = next(g for g in attribute.groups() if g).decode("ascii", "replace").lower()
            if found == "xml-stylesheet":
                return "an XSLT stylesheet"
            return f"an event-handler attribute ({found})" if found.startswith("on") else f"a {found}: link"
    return None


def script_problems(root: Path, paths: list[Path]) -> list[Problem]:
    """A problem for each HTML, SVG or XML file among `paths` that holds script (MkDocs
    would copy it to the site as it is)."""
    problems = []
    for path in (p for p in paths if os.path.splitext(str(p))[1].lower() in ACTIVE_SUFFIXES):
        try:
            found = script_in(path)
        except OSError as exc:
            found = f"content that could not be read ({exc.strerror})"
        if found is not None:
            problems.append(Problem(_display(path, root, root.name), None,
                                    f"holds {found}, which would run on the site itself when the file is opened.",
                                    "remove the script (or the file); if every contributor is trusted, "
                                    "set allow_raw_html_files: true in the plugin options."))
    return problems
