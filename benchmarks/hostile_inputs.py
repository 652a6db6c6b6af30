"""Fuzz the loader, analysis, renderer, feeds and caches with hostile input; count crashes.

    python benchmarks/hostile_inputs.py [--cases N] [--seed S]

Each case is one of four kinds, chosen at random:
- an article mutated at random (bytes flipped, inserted or cut, YAML scrambled, fields
  swapped for hostile values, control characters, huge integers, deep nesting, lone
  surrogate escapes);
- a mutated topics.yml (the same hostile values, in topic fields), read from a file;
- an article under a hostile file name (long, expanding under Unicode normalisation,
  reserved, dots, spaces, right-to-left), loaded from a content folder and written out;
- a cache file damaged at random (bytes, truncation, wrong table, a folder in its place).
A case ends in one of three ways: published (validated, analysed, rendered, its feeds
well-formed, its pages written under their slugs; for a cache, a hit equal to a fresh
analysis or a miss), rejected (problems, each naming the file), or crashed (any other
exception or broken promise). Crashes must be 0.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from digest.loading.convert import DEFAULT_MARKDOWN
from digest.analysis.analyse import AnalysisOptions, analyse_article, build_digest
from digest.analysis.cache import AnalysisCache
from digest.errors import ValidationFailed
from digest.loading.loader import load_corpus, parse_article
from digest.loading.topics import TopicIndex, load_topics, parse_topics
from digest.pages.feeds import SiteInfo, build_feeds
from digest.pages.render import Renderer, page_url

TOPICS = {"topics": [{"id": "iraq-protests", "title": "Iraq protests"},
                     {"id": "us-troop-presence", "title": "US troop presence", "aliases": ["troops"]}]}
BASE = """---
title: "Rockets strike the embassy compound"
date: 2020-01-26T23:00:00+03:00
source: Newsdigest Desk
author: Staff
topics: [iraq-protests, us-troop-presence]
url: https://example.org/a
---

Five rockets were fired into the Green Zone on Sunday, officials said. Three hit the compound.

Col. Smith said the U.S. would respond. "We are paused," he said. Reports put the wounded at 3.5 on average.
"""
HOSTILE = ["<script>alert(1)</script>", "javascript:alert(1)", "\u202e\u0645\u0631\u062d\u0628\u0627", "\U0001f680" * 50,
           "e\u0301" * 30, "'", '"', "---", "\x00", "\ufeff", "&a [*a, *a]", "{a: [1, {b: 2}]}", "!!python/object:os.system",
           "0001-01-01", "9999-12-31", "2020-02-30", "27/01/2020", "-1", "1e309", "null", "~", "[]", "{}", "\r\n", "\t",
           "../../etc/passwd", "x" * 5000, "%", "\\", "\u2028", "<!--", "]]>", "\x01", "\x1b[31m", "\x7f\x85",
           "\ufffe", "9" * 5000, "index", "md-header"]
# Raw YAML values: what safe_dump cannot write (it would quote or refuse them).
RAW_YAML = ["9" * 5000, "0x" + "f" * 3000, "[" * 3000 + "]" * 3000, "[" * 25 + "]" * 25, '"\\ud800"',
            '"a\\x01b\\e"', '"\\udfff x"', "{a: " * 50 + "1" + "}" * 50, "&a [*a]", "!!binary AAAA",
            "1" * 4301, "-" + "1" * 5000, "1:" * 2000 + "1"]
FIELDS = ["title", "date", "source", "author", "topics", "url", "summary", "updated", "draft", "corrections", "content"]


def mutate(rng: random.Random) -> str:
    """One hostile variant of the base article."""
    kind = rng.randrange(6)
    text = BASE
    if kind == 0:                                   # byte-level noise
        data = bytearray(text.encode())
        for _ in range(rng.randint(1, 20)):
            i = rng.randrange(len(data))
            choice = rng.randrange(3)
            if choice == 0:
                data[i] = rng.randrange(256)
            elif choice == 1:
                data.insert(i, rng.randrange(256))
            else:
                del data[i]
        text = data.decode("utf-8", errors="replace")
    elif kind == 1:                                 # a field set to a hostile value
        meta = yaml.safe_load(text.split("---")[1])
        for _ in range(rng.randint(1, 4)):
            value: object = rng.choice(HOSTILE)
            if rng.random() < 0.3:
                value = [value] * rng.randint(0, 3)
            meta[rng.choice(FIELDS)] = value
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + text.split("---", 2)[2]
    elif kind == 2:                                 # raw hostile text spliced anywhere
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(HOSTILE) + text[i:]
    elif kind == 5:                                 # a raw YAML value no dumper would write
        field = rng.choice(FIELDS)
        text = text.replace("---\n", f"---\n{field}: {rng.choice(RAW_YAML)}\n", 1)
    elif kind == 3:                                 # truncated
        text = text[: rng.randrange(len(text))]
    else:                                           # lines shuffled
        lines = text.split("\n")
        rng.shuffle(lines)
        text = "\n".join(lines)
    return text


TOPICS_TEXT = yaml.safe_dump(TOPICS)
TOPIC_FIELDS = ["id", "title", "description", "aliases", "extra"]


def mutate_topics(rng: random.Random) -> str:
    """One hostile variant of topics.yml."""
    kind = rng.randrange(4)
    if kind == 0:                                   # a topic field set to a hostile or raw value
        line = f"    {rng.choice(TOPIC_FIELDS)}: {rng.choice(RAW_YAML + [repr(h) for h in HOSTILE])}\n"
        return TOPICS_TEXT + "- id: extra-topic\n  title: Extra\n" + line.replace("    ", "  ", 1)
    if kind == 1:                                   # byte noise
        data = bytearray(TOPICS_TEXT.encode())
        for _ in range(rng.randint(1, 10)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return data.decode("utf-8", errors="replace")
    if kind == 2:                                   # hostile ids
        tid = rng.choice(["index", "a" * 300, "-".join(["word"] * 40), "Upper", "a--b", "ü", "x" * 100, "ok-id"])
        return TOPICS_TEXT + f"- id: {tid}\n  title: T\n"
    return "topics: " + rng.choice(RAW_YAML) + "\n"


def hostile_name(rng: random.Random) -> str:
    """A file stem that can be created, but may be long, expand, collide or mislead."""
    pieces = ["\ufdfa" * rng.randint(1, 60), "x" * rng.randint(1, 240), "index", "..", " ", ".", "-", "_",
              "\u202e", "e\u0301", "\U0001f680", "\u3000", "Ａ", "ﬁ", "%2e", "CON", "README", "\t"]
    stem = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
    while len((stem + ".md").encode()) > 250:
        stem = stem[:-1]
    return stem or "x"


def _write_site(site: Path, pages: dict[str, str]) -> None:
    """Write every page under its published address, as MkDocs would: a bad slug fails here."""
    for uri, text in pages.items():
        path = site / (page_url(uri, True) + "index.html" if uri.endswith(".md") else uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _publish(topics: list, articles: list, site: Path | None = None) -> None:
    """Analyse, render and write feeds; every feed must parse as XML."""
    digest = build_digest(topics, articles, AnalysisOptions())
    pages = Renderer().render(digest).pages
    feeds = build_feeds(digest, SiteInfo("Fuzz", "", "https://example.org/"))
    for name, text in feeds.items():
        if name.endswith(".xml"):
            ET.fromstring(text.encode("utf-8"))
    if site is not None:
        _write_site(site, {**pages, **feeds})


def article_case(rng: random.Random, topics: list, index: TopicIndex, work: Path) -> bool:
    text = mutate(rng)
    article, problems = parse_article(text, "content/articles/x.md", "x", index)
    if article is None:
        assert problems and all(p.path == "content/articles/x.md" for p in problems)
        return False
    _publish(topics, [article])
    return True


def topics_case(rng: random.Random, topics: list, index: TopicIndex, work: Path) -> bool:
    path = work / "topics.yml"
    path.write_text(mutate_topics(rng), encoding="utf-8", errors="surrogatepass")
    found, problems = load_topics(path, "content/topics.yml")
    if problems:
        assert all(p.path == "content/topics.yml" for p in problems)
        return False
    mine = TopicIndex(found)
    ids = list(mine.topics) or ["none"]
    article, problems = parse_article(BASE.replace("[iraq-protests, us-troop-presence]", f"[{ids[0]}]"),
                                      "content/articles/x.md", "x", mine)
    if article is None:
        return False
    _publish(found, [article])
    return True


def name_case(rng: random.Random, topics: list, index: TopicIndex, work: Path) -> bool:
    content = work / "content"
    (content / "articles").mkdir(parents=True)
    (content / "topics.yml").write_text(TOPICS_TEXT, encoding="utf-8")
    names = [hostile_name(rng) for _ in range(rng.randint(1, 3))]
    for n, stem in enumerate(names):
        (content / "articles" / f"{stem}.md").write_text(BASE.replace("embassy compound", f"compound {n}"),
                                                          encoding="utf-8")
    try:
        corpus = load_corpus(content)
    except ValidationFailed as exc:
        assert all(p.path.startswith("content/") for p in exc.problems)
        return False
    _publish(list(corpus.topics), list(corpus.articles), work / "site")
    return True


def _damage(rng: random.Random, file: Path) -> None:
    kind = rng.randrange(6)
    if kind == 0:                                   # bytes overwritten anywhere, the header too
        data = bytearray(file.read_bytes())
        for _ in range(rng.randint(1, 200)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        file.write_bytes(bytes(data))
    elif kind == 1:                                 # truncated
        data = file.read_bytes()
        file.write_bytes(data[: rng.randrange(len(data))])
    elif kind == 2:                                 # a table of other columns
        file.unlink()
        with sqlite3.connect(file) as db:
            db.execute("CREATE TABLE entries (key TEXT, other BLOB)")
    elif kind == 3:                                 # a folder where the file should be
        file.unlink()
        file.mkdir()
    elif kind == 4:                                 # values changed, still valid SQLite
        with sqlite3.connect(file) as db:
            db.execute("UPDATE entries SET value = substr(value, 1, ?) || ? || substr(value, ?)",
                       (rng.randrange(200), rng.choice(["1", "x", "]", "\"", "\u00e9"]), rng.randrange(200)))
    else:                                           # the cache folder is a file
        shutil.rmtree(file.parent)
        file.parent.write_text("not a folder")


def cache_case(rng: random.Random, topics: list, index: TopicIndex, work: Path) -> bool:
    title, body = "Rockets strike", BASE.split("---", 2)[2]
    fresh = analyse_article(title, body, 3)
    folder = work / "cache"
    cache = AnalysisCache(folder)
    key = cache.key(title, body, 3, DEFAULT_MARKDOWN.fingerprint())
    cache.put(key, fresh)
    cache.close()
    for extra in ("-wal", "-shm"):
        Path(str(cache.file) + extra).unlink(missing_ok=True)
    _damage(rng, cache.file)
    again = AnalysisCache(folder)
    got = again.get(key)
    assert got is None or got == fresh, "a damaged cache gave a wrong analysis"
    again.put(key, fresh)
    again.prune()
    again.close()
    return got is not None


KINDS = [article_case, article_case, topics_case, name_case, cache_case]


def run(cases: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    topics, _ = parse_topics(TOPICS, "topics.yml")
    index = TopicIndex(topics)
    counts = {"cases": 0, "published": 0, "rejected": 0, "crashes": 0}
    logger = logging.getLogger("mkdocs.plugins.digest")
    level = logger.level
    logger.setLevel(logging.ERROR)                  # cache warnings are expected; restored below
    root = Path(tempfile.mkdtemp(prefix="newsdigest-fuzz-"))
    try:
        for n in range(cases):
            case = rng.choice(KINDS)
            work = root / str(n)
            work.mkdir()
            counts["cases"] += 1
            try:
                counts["published" if case(rng, topics, index, work) else "rejected"] += 1
            except Exception:  # noqa: BLE001 - counting crashes is the point
                counts["crashes"] += 1
                print(f"--- crash on case {n} ({case.__name__}):\n{traceback.format_exc()}", file=sys.stderr)
            finally:
                shutil.rmtree(work, ignore_errors=True)
                if work.exists():
                    os.unlink(work)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        logger.setLevel(level)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = run(args.cases, args.seed)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 1 if counts["crashes"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
