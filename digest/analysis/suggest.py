"""Topic suggestions for `digest check`: articles whose text fits another topic better.

Works on the files one by one (read as validation reads them) so that it can also help
when validation failed, e.g. for an article that names no topic yet: there it prints the
closest topics. A file whose front matter cannot be read gets no suggestion: its error
already says what to fix. An article's text is its headline and the prose of its converted
body (digest/loading/prose.py), as in the analysis: converted with the site's Markdown
settings when the caller knows them, else with convert.DEFAULT_MARKDOWN (Python-Markdown's
`extra`, admonitions, collapsible blocks). The similarity itself is `digest.similarity`;
this module only gathers the texts and words the `suggestion:` lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..loading.convert import MarkdownSettings
from ..loading.loader import MAX_ARTICLE_BYTES, article_files, read_front_matter
from ..loading.prose import body_prose
from ..loading.topics import TopicIndex
from .similarity import suggest_topics, topic_scores, vectorise

__all__ = ["RawArticle", "read_articles", "topic_suggestions"]

#: Closest topics listed for an article that names none.
CANDIDATES = 3


@dataclass(frozen=True)
class RawArticle:
    """An article file as far as the suggestions need it: where, its text, its topics."""

    path: str
    text: str
    topics: tuple[str, ...]
    names_topics: bool


def read_articles(content: Path, index: TopicIndex, shown_from: Path | None = None,
                  max_bytes: int = MAX_ARTICLE_BYTES,
                  markdown: MarkdownSettings | None = None) -> Iterator[RawArticle]:
    """Every article under `content` whose front matter can be read; unknown topic names are
    left out. Paths are shown from the parent of `shown_from` (default: `content`); bodies
    are converted with `markdown` (default: convert.DEFAULT_MARKDOWN)."""
    base = (shown_from or content).parent
    for file in article_files(content):
        display = file.relative_to(base).as_posix()
        meta, body = read_front_matter(file, display, max_bytes)
        if meta is None:
            continue
        title = meta.get("title") if isinstance(meta.get("title"), str) else ""
        names = meta.get("topics")
        names = [names] if isinstance(names, str) else names if isinstance(names, list) else []
        resolved = tuple(dict.fromkeys(t for n in names if isinstance(n, str)
                                       for t in [index.resolve(n)] if t))
        yield RawArticle(display, f"{title}\n{title}\n{body_prose(body, markdown)}", resolved, bool(names))


def topic_suggestions(content: Path, index: TopicIndex, shown_from: Path | None = None,
                      max_bytes: int = MAX_ARTICLE_BYTES, markdown: MarkdownSettings | None = None) -> list[str]:
    """`suggestion: ...` lines, in file order; none when every article fits its topics
    (`markdown`: the site's settings, when known)."""
    items = list(read_articles(content, index, shown_from, max_bytes, markdown))
    if len(index.topics) < 2 or not items:
        return []
    corpus = vectorise({a.path: a.text for a in items})
    tagged = {a.path: a.topics for a in items if a.topics}
    lines: dict[str, str] = {}
    for s in suggest_topics(corpus, tagged):
        own = ", ".join(tagged[s.key])
        lines[s.key] = (f"suggestion: {s.key}: its text is much closer to topic '{s.topic}' "
                        f"(similarity {s.score:.2f}) than to its own ({own}: {s.own:.2f}). "
                        f"Fix: add '{s.topic}' to its topics if it belongs there.")
    members: dict[str, list[str]] = {}
    for path, topics in tagged.items():
        for t in topics:
            members.setdefault(t, []).append(path)
    for a in items:
        if a.names_topics:
            continue
        best = [s for s in topic_scores(corpus, members, corpus.vectors[a.path]) if s.score > 0]
        if best:
            listed = ", ".join(f"{s.topic} ({s.score:.2f})" for s in best[:CANDIDATES])
            lines[a.path] = f"suggestion: {a.path}: names no topic; the closest are {listed}."
    return [lines[a.path] for a in items if a.path in lines]
