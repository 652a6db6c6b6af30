"""Hostile input and damaged state, second round (issue 16): each class of case ends in one
clear problem naming the file (and field), or in a correct site; never in a traceback."""

from __future__ import annotations


import pytest
from conftest import TOPICS, Project, article
from mkdocs.exceptions import Abort


def build_error(project: Project, caplog: pytest.LogCaptureFixture) -> str:
    """Build, expecting MkDocs to abort; returns the error it reported."""
    caplog.clear()
    with pytest.raises(Abort):
        project.build()
    return "\n".join(r.getMessage() for r in caplog.records if r.levelname == "ERROR")


# --- 1. values the loader cannot take -------------------------------------------------------

@pytest.mark.parametrize("extra, field, expected", [
    ("author: " + "7" * 5000, "author", "is an integer of 5000 characters, more than the 64 allowed."),
    ("summary: 0x" + "f" * 6000, "summary", "is an integer of 6002 characters"),
    ("author: " + "[" * 3000 + "]" * 3000, "author[1][1]", "nests lists or mappings more than 20 levels deep."),
    ("corrections: " + "[" * 30 + "]" * 30, "corrections[1]", "nests lists or mappings more than 20 levels deep."),
    ('author: "Ann \\ud83d Lee"', "author", "holds a lone UTF-16 surrogate (\\ud83d), which is not a character."),
    ('corrections: [{date: 2020-01-28, text: "fixed \\udfff"}]', "corrections[1].text", "lone UTF-16 surrogate"),
])
def test_front_matter_values_the_loader_cannot_take(project: Project, caplog: pytest.LogCaptureFixture,
                                                   extra: str, field: str, expected: str) -> None:
    project.add("good.md", article(title="Fine"))
    project.add("bad.md", article(extra=extra + "\n"))
    message = build_error(project, caplog)
    assert f"content/articles/bad.md: field '{field}" in message and expected in message, message
    assert "Traceback" not in message and "good.md" not in message and len(message) < 2000


@pytest.mark.parametrize("topics, field, expected", [
    (TOPICS + "  - id: big\n    title: " + "1" * 4500 + "\n", "topics[3].title", "is an integer of 4500"),
    ("topics: " + "[" * 2500 + "]" * 2500 + "\n", "topics[1]", "more than 20 levels deep."),
    (TOPICS + '  - id: odd\n    title: "Odd \\ud800"\n', "topics[3].title", "lone UTF-16 surrogate (\\ud800)"),
    (TOPICS + "  - id: deep\n    title: Deep\n    aliases: " + "[" * 40 + "]" * 40 + "\n",
     "topics[3].aliases", "more than 20 levels deep."),
])
def test_topics_file_values_the_loader_cannot_take(project: Project, caplog: pytest.LogCaptureFixture,
                                                  topics: str, field: str, expected: str) -> None:
    (project.content / "topics.yml").write_text(topics, encoding="utf-8")
    project.add("good.md", article(title="Fine"))
    message = build_error(project, caplog)
    assert f"content/topics.yml: field '{field}" in message and expected in message, message


def test_topics_file_aliases_repeating_a_list_are_walked_once(project: Project,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi"))
    (project.content / "topics.yml").write_text(laughs + "topics: [*i]\n", encoding="utf-8")
    project.add("good.md", article(title="Fine"))
    assert "content/topics.yml: field 'topics[1]': must be a mapping." in build_error(project, caplog)


def test_a_short_integer_title_still_publishes(project: Project) -> None:
    project.add("num.md", article(title="2020"))
    project.build()
    assert "2020" in project.html("articles/num")
