"""Writes a Pagefind search bundle from ready-made records, in one batch.

The `pagefind` binary comes from the `pagefind[bin]` wheel that pip installed
(`pagefind.service.get_executable`, which also honours PAGEFIND_BINARY_PATH); nothing
is downloaded. We drive the binary's service mode (`pagefind --service`) ourselves,
with the messages `pagefind.index.PagefindIndex` sends: base64-encoded JSON, each
followed by a comma, on stdin, and replies in the same form on stdout. That wrapper
waits 0.1 s before reading each reply, so every record costs 0.1 s (over 16 minutes
for 10,000 articles; Pagefind issue #976), and it waits forever if the binary dies.
Here all records are written at once while the replies are read as they arrive, and a
binary that exits or refuses a record ends the build with a SearchIndexError.

digest/pages/searchshards.py splits the records into shards, each indexed by one such
process in turn, and runs them in a background thread (`IndexJob`): the plugin starts it
as soon as the records are known, so the binary indexes while MkDocs renders the pages.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, cast

__all__ = ["Record", "SearchIndexError", "check_bundle", "clear_stale", "find_binary", "index_files", "staging",
           "swap", "write_bundle", "write_files"]

OVERRIDE = "PAGEFIND_BINARY_PATH"     # honoured by pagefind.service.get_executable


def _fix() -> str:
    """How to get a working binary back."""
    unset = f", or unset {OVERRIDE} (it is set to {os.environ[OVERRIDE]!r})" if os.environ.get(OVERRIDE) else ""
    return f"Fix: reinstall newsdigest with its dependencies (pip install 'pagefind[bin]>=1.5,<2'){unset}."


class SearchIndexError(Exception):
    """The search index could not be written; the message names the cause and the fix."""


@dataclass(frozen=True)
class Record:
    """One search result: its address from the site root, the text it is found by, the
    metadata a result shows (Pagefind searches it too) and the filter values it can be
    narrowed by. `content` is HTML-escaped, because the search UI shows excerpts of it as
    HTML; `meta` and `filters` are plain text (the UI escapes them). `published`: an
    article's publication time, by which articles are split into shards (searchshards.py);
    records without it (home, topics, stories) form the hub. `text` is the content or a
    function making it when the record is written (`resolved`): an article's full text,
    made from the compressed sentences the analysis holds, is then not a second copy of
    every article's text beside MkDocs' page loop (460 MB at 100,000)."""

    url: str
    text: str | Callable[[], str]
    meta: Mapping[str, str] = field(default_factory=dict)
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    published: float | None = None

    @property
    def content(self) -> str:
        return self.text if isinstance(self.text, str) else self.text()

    def resolved(self) -> Record:
        """The record with its text made (itself if it was)."""
        return self if isinstance(self.text, str) else replace(self, text=self.text())


def find_binary() -> Path:
    """The pagefind executable that the `pagefind[bin]` wheel installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError(f"the 'pagefind' package is not installed. {_fix()}") from None
    try:
        path = get_executable()
    except FileNotFoundError:   # pagefind_bin is installed but has no binary for this platform
        path = None
    if path is None or not path.is_file():
        where = (f"{OVERRIDE} names {str(path)!r}, which is not a file" if os.environ.get(OVERRIDE)
                 else "the 'pagefind_bin' wheel is missing or has no binary for this platform")
        raise SearchIndexError(f"the pagefind binary was not found ({where}). {_fix()}")
    return path


class _Service:
    """One `pagefind --service` process: requests out, replies in, by message id."""

    def __init__(self, binary: Path, stderr: IO[bytes]) -> None:
        try:
            self.proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=stderr)
        except OSError as exc:
            raise SearchIndexError(f"the pagefind binary {binary} could not be started ({exc}). "
                                   f"{_fix()}") from None
        self.stderr = stderr
        self.next_id = 0
        self.buffer = bytearray()

    def encode(self, payload: Mapping[str, Any]) -> tuple[int, bytes]:
        self.next_id += 1
        message = json.dumps({"message_id": self.next_id, "payload": payload}, ensure_ascii=False)
        return self.next_id, base64.b64encode(message.encode("utf-8")) + b","

    def write_all(self, messages: Iterable[bytes]) -> None:
        """Write every message, then flush; a binary that died shows up as EOF in read()."""
        assert self.proc.stdin is not None
        try:
            for message in messages:
                self.proc.stdin.write(message)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def read(self) -> dict[str, Any]:
        """The next reply, as {message_id, payload}."""
        stdout = cast(io.BufferedReader, self.proc.stdout)
        while (cut := self.buffer.find(b",")) < 0:
            chunk = stdout.read1(1 << 16)
            if not chunk:
                raise SearchIndexError(f"the pagefind binary stopped unexpectedly{self.stderr_tail()}. "
                                       f"{_fix()}")
            self.buffer += chunk
        raw = bytes(self.buffer[:cut])
        del self.buffer[:cut + 1]
        try:
            reply = json.loads(base64.b64decode(raw))
        except ValueError:
            raise SearchIndexError(f"the pagefind binary answered in an unknown format ({raw[:80]!r}). "
                                   f"{_fix()}") from None
        return reply if isinstance(reply, dict) else {}

    def call(self, payload: Mapping[str, Any], what: str) -> dict[str, Any]:
        """Send one request and wait for its reply."""
        sent, message = self.encode(payload)
        self.write_all([message])
        return _payload(self.read(), {sent: what})

    def stderr_tail(self) -> str:
        self.stderr.seek(0)
        text = self.stderr.read()[-2000:].decode("utf-8", "replace").strip()
        return f": {text}" if text else ""

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()

    def close(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()       # the service exits at the end of its input
            except BrokenPipeError:
                pass
        try:
            self.proc.wait(timeout=120)     # it may still be writing files on a loaded machine
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _payload(reply: Mapping[str, Any], names: Mapping[int, str]) -> dict[str, Any]:
    """The payload of a reply, or a SearchIndexError naming the request it answers."""
    payload = reply.get("payload") or {}
    if payload.get("type") == "Error":
        what = names.get(reply.get("message_id") or -1, "a request")
        raise SearchIndexError(f"pagefind refused {what}: {payload.get('message', 'no reason given')}. "
                               "Fix: report this with the article it names.")
    return dict(payload)


def index_files(records: Sequence[Record], language: str = "en", binary: Path | None = None,
                started: Callable[[_Service], None] | None = None) -> list[dict[str, Any]]:
    """Index the records in one pagefind process (one pass) and return the bundle's files,
    as Pagefind hands them back: {path, content (base64)}."""
    binary = binary or find_binary()
    with tempfile.TemporaryFile() as stderr:
        service = _Service(binary, stderr)
        if started is not None:
            started(service)
        try:
            index_id = service.call({"type": "NewIndex", "config": None}, "a new index")["index_id"]
            names: dict[int, str] = {}      # message id -> what it carries, for error messages

            def messages() -> Iterator[bytes]:    # encoded as they are written: no copy of them all
                for record in records:
                    sent, message = service.encode({
                        "type": "AddRecord", "index_id": index_id, "url": record.url, "content": record.content,
                        "language": language, "meta": dict(record.meta),
                        "filters": {k: list(v) for k, v in record.filters.items()} or None, "sort": None})
                    names[sent] = f"the search record for {record.url}"
                    yield message

            writer = threading.Thread(target=service.write_all, args=(messages(),), daemon=True)
            writer.start()
            for _ in records:
                _payload(service.read(), names)
            writer.join()
            # The bundle comes back in the reply and we write it: the binary's own WriteFiles
            # answers before its writes are done, and a binary told to exit then can leave
            # files empty (seen under load).
            return list(service.call({"type": "GetFiles", "index_id": index_id}, "the index files")["files"])
        finally:
            service.close()


def write_files(files: Iterable[Mapping[str, Any]], folder: Path) -> None:
    """Decode Pagefind's files into folder, refusing any path that leaves it."""
    root = folder.resolve()
    for item in files:
        target = (root / str(item["path"])).resolve()
        if not target.is_relative_to(root):
            raise SearchIndexError(f"the pagefind binary named a file outside the index ({item['path']!r}). {_fix()}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(item["content"]))


def clear_stale(out_dir: Path) -> None:
    """Remove the halves a killed build left beside out_dir (MkDocs keeps hidden files)."""
    for kind in ("new", "old"):
        for stale in out_dir.parent.glob(f".{out_dir.name}.{kind}-*"):
            shutil.rmtree(stale, ignore_errors=True)


def staging(out_dir: Path) -> Path:
    """An empty folder beside out_dir, where the next bundle is written before swap() puts it in place."""
    fresh = out_dir.with_name(f".{out_dir.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    return fresh


def swap(fresh: Path, out_dir: Path) -> None:
    """Put the complete bundle in fresh in place of out_dir, in one rename: a killed or failed
    build leaves the last complete bundle, never half."""
    stale = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        os.replace(out_dir, stale)
    os.replace(fresh, out_dir)
    shutil.rmtree(stale, ignore_errors=True)


def write_bundle(out_dir: Path, records: Sequence[Record], language: str = "en",
                 binary: Path | None = None, started: Callable[[_Service], None] | None = None) -> None:
    """Index the records and write the search bundle (index, UI scripts) into out_dir,
    replacing what was there. One pagefind process, one pass over the records."""
    out_dir = out_dir.resolve()
    clear_stale(out_dir)
    files = index_files(records, language, binary, started)
    fresh = staging(out_dir)
    write_files(files, fresh)
    del files
    check_bundle(fresh, out_dir)
    swap(fresh, out_dir)


def check_bundle(fresh: Path, out_dir: Path) -> None:
    """The bundle the binary wrote is whole: its entry file and scripts are there and not
    empty (a binary stopped mid-write would leave them so); else a SearchIndexError."""
    try:
        entry = json.loads((fresh / "pagefind-entry.json").read_bytes())
        empty = [p.name for p in fresh.iterdir() if p.is_file() and p.stat().st_size == 0]
    except (OSError, ValueError) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"the pagefind binary left no complete index in {out_dir} ({exc}). {_fix()}") from None
    if not isinstance(entry, dict) or not entry.get("languages") or empty:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"the pagefind binary left an incomplete index in {out_dir}"
                               f"{' (empty: ' + ', '.join(sorted(empty)) + ')' if empty else ''}. {_fix()}")
