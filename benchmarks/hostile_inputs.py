"""Fuzz the loader, analysis and renderer with mutated articles; count crashes.

    python benchmarks/hostile_inputs.py [--cases N] [--seed S]

Each case is a valid article mutated at random (bytes flipped, inserted or cut, YAML
scrambled, fields swapped for hostile values). A case ends in one of three ways:
published (validated, analysed and rendered), rejected (a clear problem naming the
file), or crashed (any other exception). Crashes must be 0.
"""

from __future__ import annotations

import argparse
import random
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from digest.analysis.analyse import AnalysisOptions, build_digest
from digest.loading.loader import parse_article
from digest.loading.topics import TopicIndex, parse_topics
from digest.pages.render import Renderer

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
           "../../etc/passwd", "x" * 5000, "%", "\\", "\u2028", "<!--", "]]>"]
FIELDS = ["title", "date", "source", "author", "topics", "url", "summary", "updated", "draft", "corrections", "content"]


def mutate(rng: random.Random) -> str:
    """One hostile variant of the base article."""
    kind = rng.randrange(5)
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
    elif kind == 3:                                 # truncated
        text = text[: rng.randrange(len(text))]
    else:                                           # lines shuffled
        lines = text.split("\n")
        rng.shuffle(lines)
        text = "\n".join(lines)
    return text


def run(cases: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    topics, _ = parse_topics(TOPICS, "topics.yml")
    index = TopicIndex(topics)
    counts = {"cases": 0, "published": 0, "rejected": 0, "crashes": 0}
    for n in range(cases):
        text = mutate(rng)
        counts["cases"] += 1
        try:
            article, problems = parse_article(text, "content/articles/x.md", "x", index)
            if article is None:
                assert problems and all(p.path == "content/articles/x.md" for p in problems)
                counts["rejected"] += 1
                continue
            digest = build_digest(topics, [article], AnalysisOptions())
            Renderer().render(digest)
            counts["published"] += 1
        except Exception:  # noqa: BLE001 - counting crashes is the point
            counts["crashes"] += 1
            print(f"--- crash on case {n}:\n{text[:500]!r}\n{traceback.format_exc()}", file=sys.stderr)
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
