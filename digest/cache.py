"""The on-disk analysis cache: an article's sentences and summary, keyed by what decides them.

key = sha256(code version, summary length, title, body). The code version is a hash of
the source of the modules that compute an analysis, so editing the sentence splitter or
the summariser invalidates every entry without anyone remembering to bump a number.

Each entry is one small JSON file, `<dir>/<key[:2]>/<key>.json`, written to a temporary
file in the same folder and moved into place with `os.replace`, so a crash mid-build
leaves either the old entry, the new one or none, never half of one. An entry that
cannot be read or does not have the expected shape is a miss and is rewritten.

The same store holds converted bodies (`PageCache`) and finished article pages
(`OutputCache`). Each remembers the entries a build used; `prune()` after a successful
build deletes the rest, so edited and deleted articles do not pile up.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from .convert import Converted
from .model import ArticleAnalysis

__all__ = ["AnalysisCache", "OutputCache", "PageCache", "code_version", "write_atomic"]

#: Bump when the entry layout changes; source edits of ANALYSIS_MODULES are picked up anyway.
FORMAT = "2"
#: The modules whose code decides an ArticleAnalysis.
ANALYSIS_MODULES = ("text.py", "summarize.py", "analyse.py", "model.py", "duplicates.py", "figures.py")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the analysis code's source: changes whenever that code changes."""
    digest = hashlib.sha256(FORMAT.encode())
    here = Path(__file__).resolve().parent
    for name in ANALYSIS_MODULES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class _Store:
    """Entries `<dir>/<key[:2]>/<key><suffix>`, written atomically, with the keys used."""

    suffix = ".json"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.used: set[str] = set()

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}{self.suffix}"

    def _read(self, key: str) -> bytes | None:
        self.used.add(key)
        try:
            return self.path(key).read_bytes()
        except OSError:
            return None

    def _write(self, key: str, data: str) -> None:
        self.used.add(key)
        write_atomic(self.path(key), data)

    def prune(self) -> int:
        """Delete the entries (and leftover temporary files) this build did not use; how many."""
        removed = 0
        try:
            folders = [d for d in os.scandir(self.directory) if d.is_dir() and len(d.name) == 2]
        except OSError:
            return 0
        for folder in folders:
            for entry in os.scandir(folder.path):
                stem = entry.name[: -len(self.suffix)] if entry.name.endswith(self.suffix) else ""
                if stem not in self.used and (stem or entry.name.startswith(".tmp-")):
                    try:
                        os.unlink(entry.path)
                        removed += 1
                    except OSError:
                        pass
        return removed


class AnalysisCache(_Store):
    """Analyses stored on disk by content hash; safe to share between successive builds."""

    def __init__(self, directory: Path, version: str | None = None) -> None:
        super().__init__(directory)
        self.version = version or code_version()
        self.hits = 0
        self.misses = 0

    def key(self, title: str, body: str, summary_sentences: int) -> str:
        """The entry's name: everything the analysis depends on, hashed."""
        h = hashlib.sha256()
        for part in (self.version, str(summary_sentences), title, body):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> ArticleAnalysis | None:
        """The stored analysis, or None if absent, unreadable or malformed."""
        try:
            raw = self._read(key)
            analysis = _decode(json.loads(raw)) if raw is not None else None
        except (ValueError, TypeError, KeyError):
            analysis = None
        if analysis is None:
            self.misses += 1
        else:
            self.hits += 1
        return analysis

    def put(self, key: str, analysis: ArticleAnalysis) -> None:
        """Store atomically: write a temporary file beside the entry, then rename it over."""
        data = json.dumps({"sentences": analysis.sentences, "summary": analysis.summary,
                           "scores": analysis.scores, "minhash": analysis.minhash,
                           "term_counts": analysis.term_counts, "claims": analysis.claims},
                          ensure_ascii=False, separators=(",", ":"))
        self._write(key, data)


def write_atomic(target: Path, data: str) -> None:
    """Write a temporary file beside `target`, then rename it over: never half an entry."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class PageCache(_Store):
    """Converted (and sanitised) article bodies with their tables of contents, by content hash.

    `context` must hash everything else the conversion depends on (`MarkdownSettings.
    fingerprint()`: extensions and their options, library versions, sanitising); the key
    adds the body. A warm build then skips Markdown and the sanitiser for every unchanged
    article.
    """

    def __init__(self, directory: Path, context: str) -> None:
        super().__init__(directory)
        self.context = context

    def key(self, body: str) -> str:
        h = hashlib.sha256()
        for part in (FORMAT, self.context, body):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()

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


class OutputCache(_Store):
    """Finished article pages (the theme's template output), by a hash of everything that
    shapes them: the page frame (theme, config, nav and the plugin's head links, as
    rendered for a sentinel page) and the page's own address, title, meta, content and
    table of contents. A warm build then skips the theme's template for unchanged pages.
    """

    suffix = ".html"

    @staticmethod
    def key(*parts: str) -> str:
        h = hashlib.sha256(FORMAT.encode())
        for part in parts:
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> str | None:
        raw = self._read(key)
        try:
            return raw.decode("utf-8") if raw is not None else None
        except UnicodeDecodeError:
            return None

    def put(self, key: str, html: str) -> None:
        try:
            self._write(key, html)
        except UnicodeError:      # text UTF-8 cannot hold (a lone surrogate): just not reused
            pass


def _decode(raw: object) -> ArticleAnalysis | None:
    """An ArticleAnalysis from an entry's JSON, or None if it is not well formed."""
    if not isinstance(raw, dict):
        return None
    sentences, summary, scores = raw["sentences"], raw["summary"], raw["scores"]
    if not (isinstance(sentences, list) and all(isinstance(s, str) for s in sentences)):
        return None
    n = len(sentences)
    if not (isinstance(summary, list) and all(isinstance(i, int) and 0 <= i < n for i in summary)):
        return None
    if not (isinstance(scores, list) and len(scores) in (0, n)
            and all(isinstance(s, (int, float)) for s in scores)):
        return None
    minhash, counts, claims = raw["minhash"], raw["term_counts"], raw["claims"]
    if not (isinstance(minhash, list) and all(isinstance(v, int) for v in minhash)):
        return None
    if not (isinstance(counts, list) and all(isinstance(p, list) and len(p) == 2 for p in counts)):
        return None
    if not (isinstance(claims, list) and all(isinstance(c, list) and len(c) == 9
                                             and isinstance(c[0], int) and 0 <= c[0] < n for c in claims)):
        return None
    return ArticleAnalysis(tuple(sentences), tuple(summary), tuple(float(s) for s in scores),
                           tuple(minhash), tuple((str(t), int(c)) for t, c in counts),
                           tuple(tuple(c) for c in claims))
