"""Topics: declaration errors, aliases, suggestions, grouping."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.loading.topics import TopicIndex, load_topics, parse_topics
from digest.model import Article


def test_topics_file_is_parsed_with_aliases() -> None:
    topics, problems = parse_topics({"topics": [
        {"id": "iraq-protests", "title": "Iraq protests", "description": "D", "aliases": ["protests"]},
    ]}, "topics.yml")
    assert problems == []
    index = TopicIndex(topics)
    assert index.resolve("protests") == "iraq-protests"
    assert index.resolve("iraq-protests") == "iraq-protests"
    assert index.resolve("nope") is None
    assert index.suggest("iraq-protest") == "iraq-protests"
    assert index.suggest("zzzz") is None


@pytest.mark.parametrize("raw, expected", [
    ([], "topics.yml: field 'topics': must be a list of topics. Fix: write 'topics:' followed by items like '- id: my-topic'."),
    ({"topics": ["x"]}, "topics.yml: field 'topics[1]': must be a mapping. Fix: give it 'id', 'title' and 'description' keys."),
    ({"topics": [{"id": "Bad Id", "title": "T"}]},
     "topics.yml: field 'topics[1].id': 'Bad Id' is not a valid topic id. Fix: use lowercase letters, digits and hyphens, e.g. 'iraq-protests'."),
    ({"topics": [{"id": "a", "title": "A"}, {"id": "a", "title": "B"}]},
     "topics.yml: field 'topics[2].id': topic 'a' is declared twice. Fix: remove or rename one of them."),
    ({"topics": [{"id": "a"}]},
     "topics.yml: field 'topics[1].title': is missing or empty. Fix: give topic 'a' a human-readable title."),
    ({"topics": [{"id": "a", "title": "A", "colour": "red"}]},
     "topics.yml: field 'topics[1].colour': is not a known key. Fix: use only id, title, description and aliases."),
])
def test_topic_declaration_errors(raw: object, expected: str) -> None:
    _, problems = parse_topics(raw, "topics.yml")
    assert [str(p) for p in problems] == [expected]


def test_missing_and_broken_topics_file(tmp_path: Path) -> None:
    _, problems = load_topics(tmp_path / "topics.yml", "content/topics.yml")
    assert [str(p) for p in problems] == [
        "content/topics.yml: the topics file is missing. Fix: create it with a 'topics:' list of {id, title, description}."]
    (tmp_path / "topics.yml").write_text("topics:\n  - id: a\n    title: A: the first\n  - id: b\n")
    _, problems = load_topics(tmp_path / "topics.yml", "content/topics.yml")
    assert [str(p) for p in problems] == [
        "content/topics.yml: is not valid YAML at line 3: mapping values are not allowed here. "
        "Fix: check the quoting and indentation of line 3."]


def _article(slug: str, day: int, topics: tuple[str, ...]) -> Article:
    return Article(path=f"{slug}.md", slug=slug, title=slug, published=datetime(2020, 1, day, tzinfo=UTC),
                   source="S", topics=topics, body="")


def test_grouping_is_newest_first_and_an_article_can_carry_two_topics() -> None:
    topics, _ = parse_topics({"topics": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]}, "t")
    groups = TopicIndex(topics).group([_article("old", 1, ("a",)), _article("new", 5, ("a", "b"))])
    assert [a.slug for a in groups["a"]] == ["new", "old"]
    assert [a.slug for a in groups["b"]] == ["new"]
