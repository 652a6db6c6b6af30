"""Writes the search index in shards, so that its memory stays bounded as the site grows.

One pagefind process holds every record it indexes until it hands the bundle back: about
200 MB per 1,000 full-text articles (benchmarks/search_index_cost.py), 2 GB at 10,000.
Here the records are split: a hub (home, topics, stories: every record without a
publication time) becomes the main bundle in `site/pagefind/`, and the articles, oldest
first, are cut into shards of at most `size` records, each indexed by its own short-lived
process in turn into a sub-bundle `site/pagefind/parts/<key>/`. So one process holds at
most `size` records. Where a shard ends is decided by the articles' addresses, not by a
count (content-defined cuts, as in rsync or restic: after an article whose address hashes
to one of 2 values in `size`, once the shard holds a quarter of `size`), so an article
added, removed or re-dated anywhere changes the shard it is in (and, where that shard was
full, the next) instead of moving every later cut. `digest-bundles.js` in the main bundle
lists the sub-bundles, and the search box merges them into its one instance with Pagefind's
`mergeIndex` (assets/digest-search.js): one result list, one set of filters.

A shard's key is a hash of its records (every field, in order), the language and the
pagefind binary itself. With a cache folder each indexed shard is kept there with a
manifest of its files' SHA-256; a later build whose shard has the same key copies it
from there instead of indexing it again (for the same records Pagefind writes the same
pages; only the order inside its other chunks varies, from its hash maps:
tests/test_searchshards.py compares a reused shard with a fresh one), after checking every
file against the manifest: a missing, changed or extra file discards the entry and the shard
is indexed afresh. Articles are sharded oldest first, so a new article changes only the last shard.
`size` 0 puts every record in the main bundle (one process, as before sharding); None (the
default) does so up to AUTO_ABOVE articles and cuts shards of AUTO_SIZE above that.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pagefindservice import (Record, SearchIndexError, _Service, check_bundle, clear_stale, find_binary,
                              index_files, staging, swap, write_files)

__all__ = ["AUTO_ABOVE", "AUTO_SIZE", "BUNDLES_SCRIPT", "IndexJob", "SearchIndexError", "ShardCache", "Written",
           "cuts_after", "shard", "shard_key", "shard_size", "write_shards"]

FORMAT = 1                        # of the cache entries; a change here discards all of them
BUNDLES_SCRIPT = "digest-bundles.js"
PARTS = "parts"
# What a merged bundle needs: its entry, metadata and index chunks. Pagefind's scripts,
# styles and WebAssembly are loaded from the main bundle only.
_SCRIPTS = (".js", ".css", ".pagefind")
#: With no size set, a site of more articles than this gets shards of AUTO_SIZE: one pagefind
#: process then holds about 230 MB instead of 2 GB at 10,000 articles, and the search box
#: merges one sub-bundle per 1,000 articles; a smaller site keeps one index and its ranking.
AUTO_ABOVE = 2000
AUTO_SIZE = 1000


@dataclass(frozen=True)
class Written:
    """What write_shards did: records indexed, shards indexed afresh and reused from the cache."""

    records: int
    indexed: int
    reused: int


def shard_size(size: int | None, records: Sequence[Record]) -> int:
    """The shard size to use: `size` when set, else AUTO_SIZE for more than AUTO_ABOVE
    articles (records with a publication time) and 0 (one bundle) for fewer."""
    if size is not None:
        return size
    return AUTO_SIZE if sum(r.published is not None for r in records) > AUTO_ABOVE else 0


def cuts_after(url: str, size: int) -> bool:
    """Whether a shard may end after the article at `url`: about 2 addresses in `size` do, the
    same ones in every build (a hash of the address, not Python's per-process one)."""
    value = int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big")
    return value % size < 2


def shard(records: Sequence[Record], size: int) -> list[list[Record]]:
    """The hub (records without `published`, in their order), then the articles oldest
    first (ties by address) in shards of at most `size`, each ending where `cuts_after`
    says (once it holds a quarter of `size`) or when full; `size` 0: everything in the hub."""
    if size <= 0:
        return [list(records)]
    hub = [r for r in records if r.published is None]
    articles = sorted((r for r in records if r.published is not None), key=lambda r: (r.published, r.url))
    least = max(1, size // 4)
    parts: list[list[Record]] = []
    current: list[Record] = []
    for record in articles:
        current.append(record)
        if len(current) >= size or (len(current) >= least and cuts_after(record.url, size)):
            parts.append(current)
            current = []
    return [hub, *parts, *([current] if current else [])]


def binary_digest(binary: Path) -> str:
    """SHA-256 of the pagefind binary: a shard indexed by another binary is never reused."""
    digest = hashlib.sha256()
    with binary.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shard_key(records: Sequence[Record], language: str, binary: str) -> str:
    """A hash of everything Pagefind is given for the shard (records in order, language)
    and of the binary that indexes it."""
    digest = hashlib.sha256(f"newsdigest-search-shard {FORMAT} {language} {binary}\n".encode())
    for r in records:
        line = json.dumps([r.url, r.content, dict(r.meta), {k: list(v) for k, v in r.filters.items()}],
                          ensure_ascii=False, sort_keys=True)
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


class ShardCache:
    """Indexed shards by key, under `folder`: each `<key>/` holds the sub-bundle and a
    `manifest.json` of its files' SHA-256, written last; an entry is used only whole."""

    MANIFEST = "manifest.json"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str, into: Path) -> bool:
        """Copy the shard into `into` (which must not exist) if its entry is whole; else
        discard the entry and return False."""
        entry = self.folder / key
        try:
            manifest = json.loads((entry / self.MANIFEST).read_bytes())
            files = _files(entry)
            files.pop(self.MANIFEST, None)
            listed = manifest["files"] if manifest.get("format") == FORMAT and manifest.get("key") == key else None
            if not isinstance(listed, dict) or set(listed) != set(files):
                raise ValueError("its files differ from its manifest")
            for name, path in files.items():
                data = path.read_bytes()
                if hashlib.sha256(data).hexdigest() != listed[name]:
                    raise ValueError(f"{name} changed")
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        except (OSError, ValueError, KeyError, AttributeError):
            shutil.rmtree(entry, ignore_errors=True)
            shutil.rmtree(into, ignore_errors=True)
            return False
        return True

    def put(self, key: str, bundle: Path) -> None:
        """Keep a copy of the freshly indexed shard in `bundle`; a cache that cannot be
        written only costs the next build the indexing."""
        entry = self.folder / key
        temp = self.folder / f".{key}.{os.getpid()}-{threading.get_ident()}"
        try:
            shutil.rmtree(temp, ignore_errors=True)
            shutil.copytree(bundle, temp)
            listed = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in _files(temp).items()}
            (temp / self.MANIFEST).write_text(json.dumps({"format": FORMAT, "key": key, "files": listed}))
            shutil.rmtree(entry, ignore_errors=True)
            os.replace(temp, entry)
        except OSError:
            shutil.rmtree(temp, ignore_errors=True)

    def keep(self, keys: set[str]) -> None:
        """Drop the entries this build did not use (the cache holds one site's shards)."""
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.name not in keys:
                    shutil.rmtree(entry, ignore_errors=True)


def write_shards(out_dir: Path, records: Sequence[Record] | Callable[[], Sequence[Record]], size: int | None,
                 language: str = "en", cache: ShardCache | None = None, binary: Path | None = None,
                 started: Callable[[_Service], None] | None = None) -> Written:
    """Write the hub bundle and the article sub-bundles (see the module doc) into out_dir,
    replacing what was there at once when all are written. `size` None: see `shard_size`.
    `records` may be a function giving them that keeps no reference: each bundle's records are
    then let go once it is written (a full-text record of every article, 460 MB at 100,000,
    was held until the last bundle, beside MkDocs' page loop)."""
    binary = binary or find_binary()
    version = binary_digest(binary)
    out_dir = out_dir.resolve()
    clear_stale(out_dir)
    given = records() if callable(records) else records
    del records
    count = len(given)
    hub, *parts = shard(given, shard_size(size, given))
    del given
    parts.reverse()         # taken from the end, oldest first, each let go when written
    fresh = staging(out_dir)
    names: list[str] = []
    keys: set[str] = set()
    indexed = reused = 0
    try:
        write_files(index_files(hub, language, binary, started), fresh)
        del hub
        check_bundle(fresh, out_dir)
        while parts:
            part = [r.resolved() for r in parts.pop()]     # each text made once, for the key and Pagefind
            key = shard_key(part, language, version)
            name = f"{PARTS}/{key[:20]}"
            target = fresh / name
            keys.add(key)
            if cache is not None and cache.get(key, target):
                reused += 1
            else:
                files = [f for f in index_files(part, language, binary, started) if _merged(f)]
                write_files(files, target)
                del files
                check_bundle(target, out_dir)
                indexed += 1
                if cache is not None:
                    cache.put(key, target)
            names.append(f"{name}/")
            del part
        (fresh / BUNDLES_SCRIPT).write_text(
            "// newsdigest: the article sub-bundles merged into the search (digest/pages/searchshards.py)\n"
            f"window.ndSearchBundles = {json.dumps(names)};\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    swap(fresh, out_dir)
    if cache is not None:
        cache.keep(keys)
    return Written(count, indexed + 1, reused)


def _merged(item: dict[str, Any]) -> bool:
    """Whether a merged sub-bundle needs this file (not the scripts, styles and WebAssembly)."""
    path = str(item["path"])
    return "/" in path or not path.endswith(_SCRIPTS)


class IndexJob:
    """`write_shards` in a background thread, started at once; `wait` for it (its error is
    raised there) or `cancel` it (the binary is killed, nothing is raised)."""

    def __init__(self, out_dir: Path, records: Sequence[Record] | Callable[[], Sequence[Record]],
                 language: str = "en", shard_size: int | None = 0, cache_dir: Path | None = None) -> None:
        """`records`, or a function giving them: then they are made in the background too.
        `shard_size` 0: one bundle, None: by the site's size (see `shard_size`); `cache_dir`:
        where indexed shards are kept (None: nowhere)."""
        self.records = 0 if callable(records) else len(records)
        self.written: Written | None = None
        self._error: BaseException | None = None
        self._service: _Service | None = None
        self._cancelled = False
        cache = ShardCache(cache_dir) if cache_dir is not None and shard_size != 0 else None
        # Held here, not by the thread's arguments, so that write_shards can let them go (_take).
        self._records: Sequence[Record] | Callable[[], Sequence[Record]] | None = records
        self._thread = threading.Thread(target=self._run, args=(out_dir, language, shard_size, cache),
                                        name="pagefind-index", daemon=True)
        self._thread.start()

    def _run(self, out_dir: Path, language: str, shard_size: int | None, cache: ShardCache | None) -> None:
        try:
            if callable(self._records):
                self._records = self._records()
                self.records = len(self._records)
            if self._cancelled:
                return
            self.written = write_shards(out_dir, self._take, shard_size, language, cache, started=self._started)
        except BaseException as exc:  # noqa: BLE001 - handed to the build thread by wait()
            self._error = exc

    def _take(self) -> Sequence[Record]:
        """The records, handed over: this job no longer holds them."""
        records, self._records = self._records, None
        assert records is not None and not callable(records)
        return records

    def _started(self, service: _Service) -> None:
        self._service = service
        if self._cancelled:
            service.kill()

    def wait(self) -> None:
        """Block until the bundle is written; raise what stopped it."""
        self._thread.join()
        if self._error is not None and not self._cancelled:
            raise self._error

    def cancel(self) -> None:
        """Stop the job (a failed build): kill the binary and wait for the thread to end."""
        self._cancelled = True
        if self._service is not None:
            self._service.kill()
        self._thread.join()

