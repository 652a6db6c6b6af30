"""The on-disk caches: analyses, near-duplicate candidates and converted bodies, keyed by
what decides them.

Analysis key = sha256(code version, summary length, Markdown settings, title, body). The
code version is a hash of the source of the modules that compute an analysis (the prose
extraction and the body conversion it reads included) and of the versions of the
libraries that shape one, so editing the sentence splitter or upgrading the stemmer
invalidates every entry without anyone remembering to bump a number. The Markdown
settings (`MarkdownSettings.fingerprint()`) decide the HTML the prose is read from. The candidate pairs of the last build are one entry under the code version
(see duplicates.PairMemo). Bodies are keyed by the body and the Markdown settings.

Each store is one SQLite file in the cache folder (see `_Store` for why and how writes
are grouped, and how a damaged file is handled). An entry that cannot be read, fails
its checksum or does not have the expected shape is a miss and is rewritten. Each store remembers the entries a build used; `prune()` after
a successful build deletes the rest, so edited and deleted articles do not pile up.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import sqlite3
import zlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..loading.convert import Converted
from ..model import ArticleAnalysis
from .duplicates import PairMemo

__all__ = ["ANALYSIS_LIBRARIES", "AnalysisCache", "PageCache", "PairStore", "code_version", "library_versions"]

log = logging.getLogger("mkdocs.plugins.digest")

#: Bump when the entry layout changes; source edits of ANALYSIS_MODULES are picked up anyway.
FORMAT = "3"
#: The modules whose code decides an ArticleAnalysis.
ANALYSIS_MODULES = ("analysis/text.py", "analysis/summarize.py", "analysis/analyse.py", "model.py",
                    "analysis/duplicates.py", "analysis/figures.py", "analysis/figure_context.py",
                    "analysis/attribution.py", "analysis/lede.py", "analysis/quotes.py", "loading/prose.py",
                    "loading/convert.py", "loading/plainblocks.py", "loading/sanitize.py")
#: The distributions whose versions shape an analysis: the MinHash signatures, the stems,
#: the scores' arithmetic, and the HTML the prose is read from.
ANALYSIS_LIBRARIES = ("datasketch", "snowballstemmer", "PyStemmer", "numpy", "scipy", "markdown",
                      "pymdown-extensions", "nh3")


def library_versions() -> str:
    """`name==version` of every ANALYSIS_LIBRARIES distribution ("-" if not installed)."""
    found = []
    for name in ANALYSIS_LIBRARIES:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}==-")
    return ";".join(found)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the analysis code's source and its libraries' versions: changes whenever
    either does."""
    digest = hashlib.sha256(FORMAT.encode() + b"\0" + library_versions().encode() + b"\0")
    here = Path(__file__).resolve().parent.parent
    for name in ANALYSIS_MODULES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def digest_key(*parts: str) -> str:
    """An entry's name: the parts, each ended by NUL, hashed (SHA-256, hex)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class _Store:
    """Entries (key -> text) in one SQLite file in `directory`, with the keys a build used.

    SQLite rather than a file per entry: a cold build of thousands of articles would
    otherwise create, rename and later delete three files per article, and on a real
    disk that file-system work cost more than the analysis. Writes are grouped into
    transactions (`BATCH` at a time, the rest at `flush`/`prune`/`close`): a build that
    crashes loses at most its uncommitted entries, and an entry is never half there.

    A cache is only a cache: any error opening, reading or writing it (not a database, a
    damaged page, a table of other columns, a file where the folder should be, a full
    disk) is one warning naming the file and the error; a damaged file is moved aside
    (`<name>.broken`) and the build goes on without the store. SQLite has no checksum
    of its own, so each value carries a CRC-32: a damaged value is a miss, never a wrong
    page.
    """

    file_name = "entries.sqlite"
    BATCH = 500

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.file = self.directory / self.file_name
        self.used: set[str] = set()
        self._db: sqlite3.Connection | None = None
        self._pending = 0
        self._off = False                   # given up on for this build (see _fail)
        self._bad_values = 0

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and not self._off:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self._fail(f"its folder {self.directory} cannot be made ({exc.strerror or exc})", damaged=False)
                return None
            try:
                self._db = _open(self.file)
            except (sqlite3.Error, OSError, ValueError) as exc:    # ValueError: SQLite's own text undecodable
                if not self._fail(_reason(exc), damaged=True, retry=True):
                    return None
                try:                        # set aside: start afresh
                    self._db = _open(self.file)
                except (sqlite3.Error, OSError, ValueError) as again:
                    self._fail(_reason(again), damaged=False)
                    return None
        return self._db

    def _fail(self, reason: str, damaged: bool, retry: bool = False) -> bool:
        """Warn once and stop using the store for this build; a damaged file (not one that
        is only busy or unwritable) is moved aside first. With `retry`, returns True if the
        file was moved aside and may be opened afresh (the store stays on)."""
        self._abandon()
        moved = damaged and not _transient(reason) and self._set_aside()
        if retry and moved:
            log.warning("digest: the cache file %s could not be used (%s); it was moved to %s.broken "
                        "and the cache starts afresh.", self.file, reason, self.file.name)
            return True
        self._off = True
        where = f"; it was moved to {self.file.name}.broken" if moved else ""
        log.warning("digest: the cache file %s could not be used (%s)%s. This build goes on without it.",
                    self.file, reason, where)
        return False

    def _abandon(self) -> None:
        db, self._db, self._pending = self._db, None, 0
        if db is not None:
            try:
                db.close()
            except (sqlite3.Error, ValueError):
                pass

    def _set_aside(self) -> bool:
        try:
            if not (self.file.exists() or self.file.is_symlink()):
                return False
            os.replace(self.file, self.file.with_name(self.file.name + ".broken"))
        except OSError:
            return False
        for extra in ("-wal", "-shm"):            # SQLite's journal of the damaged file
            try:
                os.unlink(self.file.with_name(self.file.name + extra))
            except OSError:
                pass
        return True

    def _read(self, key: str) -> str | None:
        self.used.add(key)
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        except (sqlite3.Error, ValueError) as exc:
            self._fail(_reason(exc), damaged=True)
            return None
        value, damaged = _unseal(row[0]) if row and isinstance(row[0], str) else (None, row is not None)
        if damaged:
            self._bad_values += 1
            if self._bad_values == 1:
                log.warning("digest: the cache file %s holds a damaged entry; such entries are "
                            "computed again.", self.file)
        return value

    def _write(self, key: str, data: str) -> None:
        self.used.add(key)
        db = self._connect()
        if db is None:
            return
        try:
            if not db.in_transaction:
                db.execute("BEGIN")
            db.execute("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", (key, _seal(data)))
        except UnicodeEncodeError:          # text UTF-8 cannot hold (a lone surrogate): not stored
            return
        except (sqlite3.Error, ValueError) as exc:
            self._fail(_reason(exc), damaged=True)
            return
        self._pending += 1
        if self._pending >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Commit the entries written so far."""
        try:
            if self._db is not None and self._db.in_transaction:
                self._db.execute("COMMIT")
        except (sqlite3.Error, ValueError) as exc:
            self._fail(_reason(exc), damaged=True)
        self._pending = 0

    def prune(self) -> int:
        """Delete the entries this build did not use (call after a complete build); how many."""
        if self._off or (self._db is None and not self.file.exists()):
            return 0
        db = self._connect()
        self.flush()
        if db is None or self._db is None:
            return 0
        try:
            db.execute("BEGIN")
            db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM used")
            db.executemany("INSERT OR IGNORE INTO used (key) VALUES (?)", ((k,) for k in self.used))
            removed = db.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM used)").rowcount
            db.execute("COMMIT")
        except (sqlite3.Error, ValueError) as exc:
            self._fail(_reason(exc), damaged=True)
            return 0
        return max(0, removed)

    def close(self) -> None:
        """Commit and release the file; the next build tries the store again."""
        if self._db is not None:
            self.flush()
            self._abandon()
        self._off = False


def _open(path: Path) -> sqlite3.Connection:
    # Autocommit mode (transactions are explicit); a build under `mkdocs serve` may run on
    # another thread than the one that opened the store; wait for a concurrent build's lock.
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        columns = [(row[1], row[2].upper(), row[5]) for row in db.execute("PRAGMA table_info(entries)")]
        if columns != [("key", "TEXT", 1), ("value", "TEXT", 0)]:
            raise sqlite3.DatabaseError("its table has other columns than key and value")
    except BaseException:
        db.close()
        raise
    return db


def _reason(exc: BaseException) -> str:
    """What went wrong, in one short line (SQLite may quote a damaged value at length)."""
    text = " ".join((getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).split())
    return (text if len(text) <= 100 else text[:97] + "...").rstrip(".")


def _transient(reason: str) -> bool:
    """An error that says nothing about the file's state: another build holds it, or the
    disk is full or read-only."""
    return any(word in reason for word in ("locked", "busy", "disk is full", "readonly", "read-only"))


def _seal(data: str) -> str:
    """The value as stored: its CRC-32 (8 hex digits), then the value."""
    return f"{zlib.crc32(data.encode('utf-8')):08x}{data}"


def _unseal(stored: str) -> tuple[str | None, bool]:
    """The value and False; or None and whether it is damaged (its checksum does not
    match) rather than of an older format (no checksum: a plain miss)."""
    head, data = stored[:8], stored[8:]
    if len(head) < 8 or not all(c in "0123456789abcdef" for c in head):
        return None, False
    try:
        ok = int(head, 16) == zlib.crc32(data.encode("utf-8"))
    except UnicodeEncodeError:
        ok = False
    return (data, False) if ok else (None, True)


class AnalysisCache(_Store):
    """Analyses stored on disk by content hash; safe to share between successive builds."""

    file_name = "analyses.sqlite"

    def __init__(self, directory: Path, version: str | None = None) -> None:
        super().__init__(directory)
        self.version = version or code_version()
        self.pairs = PairStore(self.directory, self.version)
        from .storycache import StoryStore     # it builds on _Store: imported once this module is
        self.stories = StoryStore(self.directory)

    def prune(self) -> int:
        return super().prune() + self.pairs.prune() + self.stories.prune()

    def close(self) -> None:
        super().close()
        self.pairs.close()
        self.stories.close()

    def key(self, title: str, body: str, summary_sentences: int, markdown: str) -> str:
        """The entry's name: everything the analysis depends on, hashed (`markdown`: the
        fingerprint of the settings the body is converted with)."""
        return digest_key(self.version, str(summary_sentences), markdown, title, body)

    def get(self, key: str) -> ArticleAnalysis | None:
        """The stored analysis, or None if absent, unreadable or malformed."""
        try:
            raw = self._read(key)
            return _decode(json.loads(raw)) if raw is not None else None
        except (ValueError, TypeError, KeyError):
            return None

    def put(self, key: str, analysis: ArticleAnalysis) -> None:
        """Store atomically: write a temporary file beside the entry, then rename it over."""
        data = json.dumps({"sentences": analysis.sentences, "summary": analysis.summary,
                           "scores": analysis.scores,
                           "minhash": base64.b64encode(analysis.minhash).decode("ascii"),
                           "terms": analysis.terms, "term_counts": analysis.term_counts,
                           "claims": analysis.claims,
                           "shingles": base64.b64encode(analysis.shingles).decode("ascii"),
                           "lede": analysis.lede, "names": analysis.names},
                          ensure_ascii=False, separators=(",", ":"))
        self._write(key, data)


class PairStore(_Store):
    """The duplicate candidate pairs of the last build (see `PairMemo`), one entry beside
    the analyses, so a warm build compares only new articles with the others."""

    file_name = "pairs.sqlite"

    def __init__(self, directory: Path, version: str) -> None:
        super().__init__(directory)
        self.version = version

    def load(self) -> PairMemo:
        """The duplicate candidates of the last build (see PairMemo); empty if there are none
        or they are not well formed."""
        try:
            raw = self._read(self._key())
            if raw is None:
                return PairMemo()
            data = json.loads(raw)
            threshold, digests, pairs = data["threshold"], data["digests"], data["pairs"]
        except (ValueError, TypeError, KeyError):
            return PairMemo()
        n = len(digests) if isinstance(digests, list) else -1
        if not (isinstance(threshold, float) and n >= 0 and _all(digests, str) and isinstance(pairs, list)
                and all(isinstance(p, list) and len(p) == 2 and _all(p, int) and 0 <= p[0] < p[1] < n
                        for p in pairs)):
            return PairMemo()
        return PairMemo(threshold, tuple(digests), tuple((a, b) for a, b in pairs))

    def keep(self, memo: PairMemo) -> None:
        data = {"threshold": memo.threshold, "digests": memo.digests, "pairs": memo.pairs}
        self._write(self._key(), json.dumps(data, separators=(",", ":")))

    def _key(self) -> str:
        return digest_key(self.version, "duplicate candidate pairs")


class PageCache(_Store):
    """Converted (and sanitised) article bodies with their tables of contents, by content hash.

    `context` must hash everything else the conversion depends on (`MarkdownSettings.
    fingerprint()`: extensions and their options, library versions, sanitising); the key
    adds the body. A warm build then skips Markdown and the sanitiser for every unchanged
    article.
    """

    file_name = "bodies.sqlite"

    def __init__(self, directory: Path, context: str) -> None:
        super().__init__(directory)
        self.context = context

    def key(self, body: str) -> str:
        return digest_key(FORMAT, self.context, body)

    def get(self, key: str) -> Converted | None:
        """The stored conversion, or None if absent, unreadable or malformed."""
        try:
            raw = self._read(key)
            entry = json.loads(raw) if raw is not None else None
            html, toc = (entry["html"], entry["toc"]) if entry is not None else (None, None)
        except (ValueError, TypeError, KeyError):
            return None
        if not (isinstance(html, str) and isinstance(toc, list) and all(isinstance(t, dict) for t in toc)):
            return None
        return Converted(html, tuple(toc))

    def put(self, key: str, body: Converted) -> None:
        self._write(key, json.dumps({"html": body.html, "toc": body.toc}, ensure_ascii=False))


def _all(values: list[Any], *kinds: type) -> bool:
    """Every value is exactly of one of these types (bool is not an int here); checked
    by type set, an order of magnitude faster than a loop over isinstance for long lists."""
    return set(map(type, values)) <= set(kinds)


def _decode(raw: object) -> ArticleAnalysis | None:
    """An ArticleAnalysis from an entry's JSON, or None if it is not well formed."""
    if not isinstance(raw, dict):
        return None
    sentences, summary, scores = raw["sentences"], raw["summary"], raw["scores"]
    if not (isinstance(sentences, list) and _all(sentences, str)):
        return None
    n = len(sentences)
    if not (isinstance(summary, list) and _all(summary, int) and (not summary or 0 <= min(summary) <= max(summary) < n)):
        return None
    if not (isinstance(scores, list) and len(scores) in (0, n) and _all(scores, int, float)):
        return None
    terms, counts, claims = raw["terms"], raw["term_counts"], raw["claims"]
    minhash = base64.b64decode(raw["minhash"], validate=True)
    shingles = base64.b64decode(raw["shingles"], validate=True)
    if len(shingles) % 4 or len(minhash) % 8:
        return None
    if not (isinstance(terms, str) and isinstance(counts, list) and _all(counts, int)
            and len(counts) == (terms.count(" ") + 1 if terms else 0)):
        return None
    if not (isinstance(claims, list) and all(isinstance(c, list) and len(c) == 9
                                             and type(c[0]) is int and 0 <= c[0] < n for c in claims)):
        return None
    lede, names = raw["lede"], raw["names"]
    if not (isinstance(lede, str) and isinstance(names, list)
            and all(isinstance(p, list) and len(p) == 2 and type(p[0]) is str and type(p[1]) is int for p in names)):
        return None
    return ArticleAnalysis(tuple(sentences), tuple(summary), tuple(map(float, scores)),
                           minhash, terms, tuple(counts), tuple(map(tuple, claims)), shingles,
                           lede, tuple((w, c) for w, c in names))
