"""Loading and validating articles: every file is read, every problem collected.

python-frontmatter is wrapped because on its own it returns empty metadata for a
missing or list-shaped front matter and crashes on a key named `content`; here each
of those becomes a Problem naming the file and the field.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from ..errors import Problem, Severity, ValidationFailed
from ..model import Article, Topic
from .fields import (
    corrections_field,
    datetime_field,
    problem,
    shown,
    story_field,
    tags_field,
    text_field,
    topics_field,
)
from .files import FileTooBig, NotAFile, read_regular, script_problems, walk
from .safeyaml import constrain, too_deep_flow, unreadable_values
from .topics import TopicIndex, load_topics
from .xmlchars import xml_safe
from .yamlerror import yaml_mistake

__all__ = ["NOW_ENV", "Corpus", "ParseMemo", "build_time", "load_corpus", "parse_article", "read_front_matter", "slugify"]

REQUIRED = ("title", "date", "source", "topics")
OPTIONAL = ("url", "author", "summary", "updated", "draft", "corrections", "tags", "story")
NOW_ENV = "NEWSDIGEST_NOW"
_HANDLER = frontmatter.YAMLHandler()


class _TextDatesLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text (so a bad date is reported against its field)
    and refuses aliases, which front matter never needs and "billion laughs" abuses."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


_NO_TIMESTAMPS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_TextDatesLoader.yaml_implicit_resolvers = _NO_TIMESTAMPS
_SafeLoader: Any = constrain(_TextDatesLoader)
_FastLoader: Any = None
if hasattr(yaml, "CSafeLoader"):            # libyaml: the same safe rules, parsed in C
    class _CTextDatesLoader(yaml.CSafeLoader):
        """_TextDatesLoader's rules for front matter that cannot hold an anchor or alias."""

    _CTextDatesLoader.yaml_implicit_resolvers = _NO_TIMESTAMPS
    _FastLoader = constrain(_CTextDatesLoader, python_parser=False)


def _load_yaml(text: str) -> object:
    """Front matter as Python data: libyaml when no '&' or '*' can start an anchor or alias."""
    if _FastLoader is not None and "&" not in text and "*" not in text:
        try:
            return yaml.load(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass        # parse again below, for the pure-Python parser's clearer message
    return yaml.load(text, Loader=_SafeLoader)
MAX_ARTICLE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Corpus:
    """The validated content: topics, published articles, drafts and warnings.

    `scheduled` holds embargoed articles: dated after the build time, so not yet published.
    """

    topics: tuple[Topic, ...]
    articles: tuple[Article, ...]
    drafts: tuple[Article, ...]
    warnings: tuple[Problem, ...]
    scheduled: tuple[Article, ...] = ()
    #: Every file of the content folder that obeys files.py's rule: all MkDocs may copy.
    files: tuple[Path, ...] = ()


#: Longest slug, in UTF-8 bytes: a file name may have 255, and the page's is the slug plus
#: ".html" (or a folder of it), so this leaves room under any file system's limit.
MAX_SLUG_BYTES = 100
#: Slugs of our own listing pages (sources/index.md, topics/index.md): a source or topic
#: with one of these would replace the listing.
RESERVED_SLUGS = frozenset({"index"})


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """A URL-safe slug: lowercase words joined by hyphens, Unicode letters kept.

    At most MAX_SLUG_BYTES: a longer one (350 characters, or a short name that Unicode
    normalisation expands) is cut at a character and ends in a hash of the whole slug, so
    it stays stable and distinct. Kept for the last 65,536 texts: every build slugs each
    article's file name and outlet again (twice 10,000 calls at 10,000 articles)."""
    text = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_") or "untitled"
    if len(slug.encode("utf-8", "surrogatepass")) <= MAX_SLUG_BYTES:
        return slug
    tail = "-" + hashlib.sha256(slug.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    head = slug.encode("utf-8", "surrogatepass")[: MAX_SLUG_BYTES - len(tail)].decode("utf-8", "ignore")
    return head.rstrip("-_") + tail


def _split(text: str, path: str) -> tuple[dict | None, str, list[Problem]]:
    """Separate front matter from body, turning every failure into a Problem."""
    if not text.strip():
        return None, "", [problem(path, None, "the file is empty.",
                                   "start it with front matter between '---' lines.")]
    if not _HANDLER.detect(text):
        return None, "", [problem(path, None, "has no front matter.",
                                   "start the file with '---', the fields, then '---'.")]
    try:
        fm_text, body = _HANDLER.split(text)
    except ValueError:
        return None, "", [problem(path, None, "front matter has no closing '---' line.",
                                   "end the front matter with a line holding only '---'.")]
    deep = too_deep_flow(fm_text)
    if deep is not None:
        return None, "", [problem(path, deep[0] or None, deep[1],
                                   "write a short plain value there (text, a date or a list).")]
    try:
        meta = _load_yaml(fm_text)
    except yaml.YAMLError as exc:
        # fm_text begins with the rest of the opening '---' line, which also swallows blank lines.
        opening = _HANDLER.FM_BOUNDARY.match(text)
        mistake = yaml_mistake(exc, text.count("\n", 0, opening.end() if opening else 0) + 1)
        return None, "", [problem(path, None, f"front matter is not valid YAML{mistake.text}.", mistake.fix)]
    if meta is None:
        return None, "", [problem(path, None, "front matter is empty.",
                                   f"add the required fields: {', '.join(REQUIRED)}.")]
    if not isinstance(meta, Mapping):
        kind = type(meta).__name__
        return None, "", [problem(path, None, f"front matter is a YAML {kind}, not a mapping.",
                                   "write it as 'key: value' lines, e.g. 'title: My story'.")]
    unreadable = unreadable_values(meta)
    if unreadable:
        return None, "", [problem(path, field, reason, "write a short plain value there (text, a date or a list).")
                          for field, reason in unreadable]
    return {str(k): v for k, v in meta.items()}, body.strip("\n"), []


def parse_article(text: str, path: str, slug: str, index: TopicIndex) -> tuple[Article | None, list[Problem]]:
    """Validate one article's text; returns the Article or every problem found.

    Control characters (U+0001, ESC, ...) are dropped first: they mean nothing in news text
    and would make every feed and page holding the text ill-formed (see xmlchars.py)."""
    meta, body, problems = _split(xml_safe(text), path)
    if meta is None:
        return None, problems
    for key in REQUIRED:
        if meta.get(key) is None or meta.get(key) == "":
            problems.append(problem(path, key, "is required but missing.",
                                     f"add a '{key}:' line to the front matter."))
    for key in sorted(set(meta) - set(REQUIRED) - set(OPTIONAL)):
        problems.append(problem(path, key, "is not a known field and is ignored.",
                                 f"remove it or use one of: {', '.join(REQUIRED + OPTIONAL)}.",
                                 Severity.WARNING))
    title = text_field(meta, "title", path, problems)
    source = text_field(meta, "source", path, problems)
    if source is not None and slugify(source) in RESERVED_SLUGS:
        problems.append(problem(path, "source", f"{shown(source)} would publish to sources/{slugify(source)}/, "
                                 "the page listing every source.",
                                 "add a word to the source's name, e.g. 'Index News'."))
    author = text_field(meta, "author", path, problems)
    summary = text_field(meta, "summary", path, problems)
    url = text_field(meta, "url", path, problems)
    if url is not None and not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        problems.append(problem(path, "url", f"'{url}' is not an http or https address.",
                                 "give the original's full address, starting with https://."))
        url = None
    published = datetime_field(meta, "date", path, problems) if meta.get("date") is not None else None
    updated = datetime_field(meta, "updated", path, problems) if meta.get("updated") is not None else None
    topics = topics_field(meta, path, index, problems) if meta.get("topics") is not None else ()
    corrections = corrections_field(meta, path, published[0] if published else None, problems)
    tags = tags_field(meta, path, problems)
    story = story_field(meta, path, problems)
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        problems.append(problem(path, "draft", f"must be true or false, not {shown(draft)}.",
                                 "write draft: true or draft: false."))
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    assert title and source and published and topics
    return Article(path=path, slug=slug, title=title, published=published[0], source=source,
                   topics=topics, body=body, url=url, author=author, summary=summary,
                   updated=updated[0] if updated else None, draft=bool(draft),
                   date_only=published[1], corrections=corrections, tags=tags, story=story), problems


def _read(file: Path, display: str, max_bytes: int) -> tuple[str | None, list[Problem]]:
    try:
        raw = read_regular(file, max_bytes)
    except FileTooBig as exc:
        return None, [problem(display, None,
                               f"is {exc.size / 1048576:.1f} MB, over the {max_bytes / 1048576:g} MB limit for one article.",
                               "split it into several articles, or raise the plugin's max_article_kb option.")]
    except NotAFile as exc:
        return None, [problem(display, None, f"{exc.strerror}; it was not read.",
                               "remove it from the content folder: only regular files are read or published.")]
    except OSError as exc:
        return None, [problem(display, None, f"could not be read ({exc.strerror}).",
                               "check the file's permissions.")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [problem(display, None, f"is not UTF-8 text (line {line}).",
                               "save the file as UTF-8.")]
    if "\x00" in text:
        return None, [problem(display, None, "contains NUL bytes.",
                               "save it as a plain UTF-8 text file.")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def read_front_matter(file: Path, display: str, max_bytes: int = MAX_ARTICLE_BYTES) -> tuple[dict | None, str]:
    """A file's front matter and body as validation reads them; None for front matter it cannot read."""
    text, _ = _read(file, display, max_bytes)
    meta, body, _ = _split(text, display) if text is not None else (None, "", [])
    return meta, body


def article_files(content_dir: Path, candidates: Iterable[str | Path] | None = None,
                  accepted: Iterable[Path] | None = None) -> list[Path]:
    """The article files, in a stable order: the Markdown files under content_dir that obey
    files.py's rule (`accepted`: that walk's result, when the caller has it), and of those
    only the `candidates` when given (the pages MkDocs would build, after exclude_docs and
    other plugins). The one place articles are discovered."""
    # os.path.splitext of the cached str(p), not Path.suffix: the same answer, a fifth of the cost
    # (a live preview takes this walk at every save).
    ok = [p for p in (walk(content_dir)[0] if accepted is None else accepted)
          if os.path.splitext(str(p))[1] == ".md"]
    if candidates is None:
        return ok
    given = {str(c) for c in candidates}
    wanted = None          # the candidates made absolute and normal, made for a path not given as is
    found = []
    for p in ok:
        if str(p) not in given:
            wanted = wanted if wanted is not None else set(map(os.path.abspath, given))
            if os.path.abspath(p) not in wanted:
                continue
        found.append(p)
    return found


def build_time(environ: Mapping[str, str] | None = None) -> datetime:
    """The moment a build publishes as of: now, or NEWSDIGEST_NOW (an ISO date) for previews."""
    value = (os.environ if environ is None else environ).get(NOW_ENV, "").strip()
    if not value:
        return datetime.now(UTC)
    problems: list[Problem] = []
    parsed = datetime_field({NOW_ENV: value}, NOW_ENV, f"environment variable {NOW_ENV}", problems)
    if parsed is None:
        raise ValidationFailed(tuple(Problem(p.path, None, p.message, p.fix) for p in problems))
    return parsed[0]


Parsed = tuple[tuple[Problem, ...], bool, "Article | None", tuple[Problem, ...]]


def memo_stamp(st: os.stat_result) -> tuple[int, ...]:
    """What ParseMemo keeps of a file's stat: its times, size and inode (a file replaced by
    another of the same size and time is still seen)."""
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def _names(content_dir: Path, file: Path) -> tuple[str, str]:
    """How problems name an article file (the content folder's name, then its path in it) and its slug."""
    return f"{content_dir.name}/{file.relative_to(content_dir).as_posix()}", slugify(file.stem)


class ParseMemo:
    """What reading and validating each article file gave, by path, with the file's size and
    times then: a live preview re-reads only the files an editor touched. Topics (and the size
    limit) decide validation too, so a change to them forgets everything."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[tuple[int, ...], Parsed]] = {}
        self._names: dict[tuple[str, str], tuple[str, str]] = {}
        self.paths: dict[str, Path] = {}        # the last walk's paths (files.walk's `known`)
        # Stamps a live preview took at the start of this rebuild (filestamps.py), by path: the
        # files are not stat'ed twice. Set for one load only (see livepreview.py).
        self.known: dict[str, tuple[int, ...]] = {}
        self._context: tuple[object, ...] = ()

    @staticmethod
    def stamp(file: Path) -> tuple[int, ...] | None:
        try:
            st = os.stat(file)
        except OSError:
            return None
        return memo_stamp(st)

    def stamp_of(self, file: Path) -> tuple[int, ...] | None:
        """The file's stamp: from `known` (a stat this rebuild took already), else a stat now."""
        known = self.known.get(str(file)) if self.known else None
        return known if known is not None else self.stamp(file)

    def topics(self, topics: tuple[Topic, ...], max_bytes: int) -> None:
        if self._context != (topics, max_bytes):
            self._entries.clear()
            self._context = (topics, max_bytes)

    def names(self, content_dir: Path, file: Path) -> tuple[str, str]:
        """`_names` of the file, kept: path arithmetic cost more than the rest of a kept file."""
        key = (str(content_dir), str(file))
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = _names(content_dir, file)
        return found

    def get(self, file: Path, display: str) -> Parsed | None:
        entry = self._entries.get((str(file), display))
        return entry[1] if entry is not None and entry[0] == self.stamp_of(file) else None

    def put(self, file: Path, display: str, stamp: tuple[int, ...], parsed: Parsed) -> None:
        self._entries[(str(file), display)] = (stamp, parsed)


def load_corpus(content_dir: Path, topics_file: str = "topics.yml", now: datetime | None = None,
                max_bytes: int = MAX_ARTICLE_BYTES, candidates: Iterable[str | Path] | None = None,
                allow_raw_html: bool = False, memo: ParseMemo | None = None) -> Corpus:
    """Load and validate everything; raise ValidationFailed listing every error.

    content_dir is the articles folder (`topics_file` is relative to it); `candidates`,
    when given, are the only files that may be articles (see article_files).
    Articles dated after `now` (default: build_time()) are embargoed into `scheduled`.
    HTML, SVG and XML files with script are errors unless `allow_raw_html`.
    `memo` (a live preview's): files whose size and times did not change are not parsed again.
    """
    paths, problems = walk(content_dir, memo.paths if memo is not None else None)  # links out, loops, FIFOs...: files.py
    if not allow_raw_html:
        problems += script_problems(content_dir, paths)
    shown = f"{content_dir.name}/{topics_file}"
    if not any(p.path == shown for p in problems):
        topics, topic_problems = load_topics(content_dir / topics_file, shown)
        problems += topic_problems
    else:
        topics = []
    index = TopicIndex(topics)
    articles: list[Article] = []
    owners: dict[str, str] = {}
    if memo is not None:
        memo.topics(tuple(topics), max_bytes)
    for file in article_files(content_dir, candidates, paths):
        display, slug = memo.names(content_dir, file) if memo is not None else _names(content_dir, file)
        parsed = memo.get(file, display) if memo is not None else None
        if parsed is None:
            stamp = ParseMemo.stamp(file)
            text, reading = _read(file, display, max_bytes)
            article, found = parse_article(text, display, slug, index) if text is not None else (None, [])
            parsed = (tuple(reading), text is not None, article, tuple(found))
            if memo is not None and stamp is not None:
                memo.put(file, display, stamp, parsed)
        read_problems, readable, article, checked = parsed
        problems += read_problems
        if not readable:
            continue
        if slug in owners:
            problems.append(problem(display, None,
                                     f"would publish to the same address (articles/{slug}/) as {owners[slug]}.",
                                     "rename one of the two files."))
            continue
        owners[slug] = display
        problems += checked
        if article is not None:
            articles.append(article)
    if any(p.severity is Severity.ERROR for p in problems):
        raise ValidationFailed(tuple(problems))
    articles.sort(key=lambda a: (a.published, a.slug), reverse=True)
    moment = now or build_time()
    return Corpus(topics=tuple(topics),
                  articles=tuple(a for a in articles if not a.draft and a.published <= moment),
                  drafts=tuple(a for a in articles if a.draft),
                  warnings=tuple(problems),
                  scheduled=tuple(a for a in articles if not a.draft and a.published > moment),
                  files=tuple(paths))
