"""The `digest` command: `new` writes an article skeleton, `check` validates, `build` runs MkDocs."""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import yaml

from ..analysis.suggest import topic_suggestions
from ..errors import Severity, ValidationFailed
from ..loading.loader import load_corpus, slugify
from ..loading.topics import TopicIndex, load_topics

__all__ = ["main"]


def _new(args: argparse.Namespace) -> int:
    content = Path(args.content)
    topics, problems = load_topics(content / args.topics_file, f"{content.name}/{args.topics_file}")
    if problems:
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        return 1
    index = TopicIndex(topics)
    resolved = []
    for name in args.topic:
        tid = index.resolve(name)
        if tid is None:
            near = index.suggest(name)
            hint = f" Did you mean '{near}'?" if near else f" Declare it in {content.name}/{args.topics_file}."
            print(f"error: unknown topic '{name}'.{hint}", file=sys.stderr)
            return 1
        resolved.append(tid)
    now = datetime.now().astimezone().replace(microsecond=0)
    path = content / "articles" / f"{now:%Y-%m-%d}-{slugify(args.title)[:60].strip('-')}.md"
    meta: dict[str, object] = {"title": args.title, "date": now.isoformat(), "source": args.source,
                               "topics": resolved}
    if args.author:
        meta["author"] = args.author
    if args.url:
        meta["url"] = args.url
    text = ("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"
            "Write the article here, in Markdown.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:   # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        print(f"error: {path} already exists; it was not changed. Choose another title.",
              file=sys.stderr)
        return 1
    print(path)
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        corpus = load_corpus(Path(args.content), args.topics_file)
    except ValidationFailed as exc:
        for p in exc.problems:
            print(f"{p.severity.value}: {p}", file=sys.stderr if p.severity is Severity.ERROR else sys.stdout)
        _print_suggestions(args)
        errors = sum(p.severity is Severity.ERROR for p in exc.problems)
        print(f"{errors} error(s); the site cannot be built until they are fixed.", file=sys.stderr)
        return 1
    for p in corpus.warnings:
        print(f"warning: {p}")
    _print_suggestions(args)
    for a in sorted(corpus.scheduled, key=lambda a: (a.published, a.path)):
        print(f"scheduled: {a.path}: '{a.title}' is embargoed until {a.published.isoformat()}.")
    scheduled = f", {len(corpus.scheduled)} scheduled" if corpus.scheduled else ""
    print(f"ok: {len(corpus.articles)} articles, {len(corpus.drafts)} drafts{scheduled}, "
          f"{len(corpus.topics)} topics, {len(corpus.warnings)} warning(s).")
    return 0


def _print_suggestions(args: argparse.Namespace) -> None:
    """Topics an article's text fits much better than its own (or, if it names none, the closest)."""
    content = Path(args.content)
    topics, problems = load_topics(content / args.topics_file, f"{content.name}/{args.topics_file}")
    if not problems:
        for line in topic_suggestions(content, TopicIndex(topics)):
            print(line)


def _build(args: argparse.Namespace) -> int:
    return subprocess.call([sys.executable, "-m", "mkdocs", "build", *args.mkdocs_args])


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="digest", description=__doc__)
    p.add_argument("--content", default="content", help="the content folder (default: content)")
    p.add_argument("--topics-file", default="topics.yml", help="topics file inside the content folder")
    sub = p.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="write a new article file with correct front matter")
    new.add_argument("title")
    new.add_argument("--topic", action="append", required=True, help="topic id (repeatable)")
    new.add_argument("--source", required=True, help="the outlet that published the article")
    new.add_argument("--author")
    new.add_argument("--url")
    new.set_defaults(run=_new)
    check = sub.add_parser("check", help="validate all content and print every problem")
    check.set_defaults(run=_check)
    build = sub.add_parser("build", help="build the site (runs `mkdocs build`; other options go to it)")
    build.set_defaults(run=_build)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args, rest = p.parse_known_args(argv)
    if args.command != "build" and rest:
        p.error(f"unrecognized arguments: {' '.join(rest)}")
    args.mkdocs_args = rest
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
