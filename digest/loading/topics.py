"""Topics: reading content/topics.yml, resolving ids and aliases, grouping articles."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from ..errors import Problem
from ..model import Article, Topic
from .files import read_regular
from .safeyaml import constrain, too_deep_flow, unreadable_values
from .xmlchars import xml_safe
from .yamlerror import yaml_mistake

__all__ = ["TOPIC_ID", "TopicIndex", "load_topics", "parse_topics"]

TOPIC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOPIC_KEYS = {"id", "title", "description", "aliases"}
#: A topic id is a file name (topics/<id>.md, topics/<id>/feed.xml): kept well under 255 bytes.
MAX_TOPIC_ID = 100
#: Names of our own pages in topics/.
RESERVED_IDS = frozenset({"index"})


class _TopicsLoader(yaml.SafeLoader):
    """Safe YAML, with the value limits of front matter (digest/loading/safeyaml.py)."""


_Loader = constrain(_TopicsLoader)


class TopicIndex:
    """Known topics by id, with aliases resolving to their canonical id."""

    def __init__(self, topics: Iterable[Topic]) -> None:
        self.topics: dict[str, Topic] = {t.id: t for t in topics}
        self._alias: dict[str, str] = {}
        for t in self.topics.values():
            self._alias[t.id] = t.id
            for a in t.aliases:
                self._alias.setdefault(a, t.id)

    def resolve(self, name: str) -> str | None:
        """The canonical id for an id or alias, or None if unknown."""
        return self._alias.get(name)

    def suggest(self, name: str) -> str | None:
        """The known id or alias closest to a misspelt name, if any is close."""
        close = difflib.get_close_matches(name, list(self._alias), n=1, cutoff=0.6)
        return self._alias[close[0]] if close else None

    def group(self, articles: Iterable[Article]) -> dict[str, list[Article]]:
        """Articles per topic id, newest first, in topics.yml order."""
        groups: dict[str, list[Article]] = {tid: [] for tid in self.topics}
        for article in articles:
            for tid in article.topics:
                groups[tid].append(article)
        for items in groups.values():
            items.sort(key=lambda a: (a.published, a.slug), reverse=True)
        return groups


def load_topics(path: Path, display: str) -> tuple[list[Topic], list[Problem]]:
    """Read a topics.yml file; a missing or broken file is a problem, not a crash."""
    if not path.is_file():
        return [], [Problem(display, None, "the topics file is missing.",
                            "create it with a 'topics:' list of {id, title, description}.")]
    try:
        text = read_regular(path).decode("utf-8-sig")
        deep = too_deep_flow(text)
        if deep is not None:
            return [], [Problem(display, deep[0] or None, deep[1], "write a short plain value there.")]
        raw = yaml.load(text, Loader=_Loader)
    except UnicodeDecodeError as exc:
        return [], [Problem(display, None, f"is not UTF-8 text ({exc.reason}).", "save the file as UTF-8.")]
    except yaml.YAMLError as exc:
        mistake = yaml_mistake(exc)
        return [], [Problem(display, None, f"is not valid YAML{mistake.text}.", mistake.fix)]
    except OSError as exc:
        return [], [Problem(display, None, f"could not be read ({exc.strerror}).",
                            "check the file's permissions.")]
    unreadable = unreadable_values(raw)
    if unreadable:
        return [], [Problem(display, field or None, reason, "write a short plain value there.")
                    for field, reason in unreadable[:10]]
    return parse_topics(raw, display)


def parse_topics(raw: object, display: str) -> tuple[list[Topic], list[Problem]]:
    """Validate the parsed YAML of a topics file."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("topics"), list):
        return [], [Problem(display, "topics", "must be a list of topics.",
                            "write 'topics:' followed by items like '- id: my-topic'.")]
    topics: list[Topic] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for n, item in enumerate(raw["topics"], start=1):
        where = f"topics[{n}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(display, where, "must be a mapping.",
                                    "give it 'id', 'title' and 'description' keys."))
            continue
        tid, title = item.get("id"), item.get("title")
        if not isinstance(tid, str) or not TOPIC_ID.match(tid):
            shown = repr(tid) if len(repr(tid)) <= 60 else repr(tid)[:57] + "..."
            problems.append(Problem(display, f"{where}.id",
                                    f"{shown} is not a valid topic id.",
                                    "use lowercase letters, digits and hyphens, e.g. 'iraq-protests'."))
            continue
        if len(tid) > MAX_TOPIC_ID:
            problems.append(Problem(display, f"{where}.id", f"is {len(tid)} characters long, over the "
                                    f"{MAX_TOPIC_ID} a topic id (and its page's file name) may have.",
                                    "give the topic a shorter id and keep the long one as its title."))
            continue
        if tid in RESERVED_IDS:
            problems.append(Problem(display, f"{where}.id", f"'{tid}' is the name of the page listing "
                                    "every topic (topics/index).", "give the topic another id."))
            continue
        if tid in seen:
            problems.append(Problem(display, f"{where}.id", f"topic '{tid}' is declared twice.",
                                    "remove or rename one of them."))
            continue
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(display, f"{where}.title", "is missing or empty.",
                                    f"give topic '{tid}' a human-readable title."))
            continue
        description = item.get("description") or ""
        aliases = item.get("aliases") or []
        if not isinstance(description, str):
            problems.append(Problem(display, f"{where}.description", "must be text.",
                                    "write the description as a single string."))
            continue
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(Problem(display, f"{where}.aliases", "must be a list of ids.",
                                    "write aliases: [old-id, other-id]."))
            continue
        unknown = set(item) - _TOPIC_KEYS
        if unknown:
            problems.append(Problem(display, f"{where}.{sorted(unknown)[0]}", "is not a known key.",
                                    "use only id, title, description and aliases."))
            continue
        seen.add(tid)
        topics.append(Topic(tid, xml_safe(title).strip(), xml_safe(description).strip(), tuple(aliases)))
    return topics, problems
