"""The `digest` command: `new` writes an article skeleton, `check` validates, `build` runs MkDocs.

Each reads the site's mkdocs.yml (`-f/--config-file`, default ./mkdocs.yml) as MkDocs
does, so it sees the build's `docs_dir` and plugin options; without one it looks in
./content (or `--content`). Every message says where it looked.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime

import yaml

from ..analysis.suggest import topic_suggestions
from ..errors import Severity, ValidationFailed
from ..loading.loader import slugify
from ..loading.topics import TopicIndex, load_topics
from .site import Site, SiteError, open_site, shown

__all__ = ["main"]

#: The body of a new article: a hint that no page shows (HTML comments are not rendered).
BODY_HINT = "<!-- Write the article here, in Markdown. -->\n"


def _new(args: argparse.Namespace, site: Site) -> int:
    topics, problems = load_topics(site.topics_path, site.topics_shown)
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
            hint = f" Did you mean '{near}'?" if near else f" Declare it in {site.topics_shown}."
            print(f"error: unknown topic '{name}'.{hint}", file=sys.stderr)
            return 1
        resolved.append(tid)
    now = datetime.now().astimezone().replace(microsecond=0)
    folder = site.articles_dir or site.docs_dir / "articles"
    path = folder / f"{now:%Y-%m-%d}-{slugify(args.title)[:60].strip('-')}.md"
    meta: dict[str, object] = {"title": args.title, "date": now.isoformat(), "source": args.source,
                               "topics": resolved}
    if args.author:
        meta["author"] = args.author
    if args.url:
        meta["url"] = args.url
    if not args.publish:
        meta["draft"] = True
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + BODY_HINT
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:   # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        print(f"error: {shown(path)} already exists; it was not changed. Choose another title.",
              file=sys.stderr)
        return 1
    print(shown(path))
    if args.publish:
        print(f"wrote an article in {site.where}; it is published at the next build.", file=sys.stderr)
    else:
        print(f"wrote a draft in {site.where}; write the article below its front matter, "
              "then remove 'draft: true' to publish it.", file=sys.stderr)
    return 0


def _check(args: argparse.Namespace, site: Site) -> int:
    try:
        corpus = site.read()
    except ValidationFailed as exc:
        for p in exc.problems:
            print(f"{p.severity.value}: {p}", file=sys.stderr if p.severity is Severity.ERROR else sys.stdout)
        _print_suggestions(site)
        errors = sum(p.severity is Severity.ERROR for p in exc.problems)
        print(f"{errors} error(s) in {site.where}; the site cannot be built until they are fixed.",
              file=sys.stderr)
        return 1
    for p in corpus.warnings:
        print(f"warning: {p}")
    _print_suggestions(site)
    for a in sorted(corpus.scheduled, key=lambda a: (a.published, a.path)):
        print(f"scheduled: {a.path}: '{a.title}' is embargoed until {a.published.isoformat()}.")
    drafts = f", {len(corpus.drafts)} drafts{_published_anyway(site, 'drafts', corpus.drafts)}"
    scheduled = (f", {len(corpus.scheduled)} scheduled{_published_anyway(site, 'scheduled', corpus.scheduled)}"
                 if corpus.scheduled else "")
    print(f"ok: checked {site.where}: {len(corpus.articles)} articles{drafts}{scheduled}, "
          f"{len(corpus.topics)} topics, {len(corpus.warnings)} warning(s).")
    return 0


def _published_anyway(site: Site, option: str, items: tuple[object, ...]) -> str:
    """Say so when an option in mkdocs.yml publishes articles that are otherwise held back."""
    return f" (published: the {option} option is on)" if items and site.option(option) else ""


def _print_suggestions(site: Site) -> None:
    """Topics an article's text fits much better than its own (or, if it names none, the closest)."""
    topics, problems = load_topics(site.topics_path, site.topics_shown)
    if not problems:
        for line in topic_suggestions(site.articles_dir or site.docs_dir, TopicIndex(topics),
                                      shown_from=site.docs_dir, max_bytes=site.max_bytes,
                                      markdown=site.markdown):
            print(line)


def _build(args: argparse.Namespace) -> int:
    config = ["-f", args.config_file] if args.config_file else []
    return subprocess.call([sys.executable, "-m", "mkdocs", "build", *config, *args.mkdocs_args])


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="digest", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--content", help="a content folder to use without a mkdocs.yml (default: the "
                                     "mkdocs.yml's docs_dir, or ./content when there is none)")
    p.add_argument("--topics-file", help="topics file inside --content's folder (default: topics.yml)")
    site = argparse.ArgumentParser(add_help=False)
    site.add_argument("-f", "--config-file", metavar="FILE",
                      help="the site's MkDocs config (default: ./mkdocs.yml)")
    sub = p.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", parents=[site], help="write a new draft article with correct front matter")
    new.add_argument("title")
    new.add_argument("--topic", action="append", required=True, help="topic id (repeatable)")
    new.add_argument("--source", required=True, help="the outlet that published the article")
    new.add_argument("--author")
    new.add_argument("--url")
    new.add_argument("--publish", action="store_true",
                     help="write a published article (default: a draft, 'draft: true')")
    new.set_defaults(run=_new)
    check = sub.add_parser("check", parents=[site], help="validate all content and print every problem")
    check.set_defaults(run=_check)
    build = sub.add_parser("build", parents=[site],
                           help="build the site (runs `mkdocs build`; other options go to it)")
    build.set_defaults(run=None)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args, rest = p.parse_known_args(argv)
    if args.command != "build" and rest:
        p.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.run is None:
        args.mkdocs_args = rest
        return _build(args)
    try:
        site = open_site(args.config_file, args.content, args.topics_file)
    except SiteError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return exc.status
    for line in site.warnings:
        print(line, file=sys.stderr)
    return int(args.run(args, site))


if __name__ == "__main__":
    raise SystemExit(main())
