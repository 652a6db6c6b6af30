"""The `digest` command: new, check, build."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Project, article

from digest.adapter.cli import main
from digest.loading.loader import load_corpus


def test_new_writes_a_valid_article_and_never_overwrites(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--content", str(project.content), "new", "Rockets hit: the embassy", "--topic", "iraq-demonstrations",
            "--topic", "us-troop-presence", "--source", "Desk", "--author", "A. Writer"]
    assert main(args) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.name.endswith("-rockets-hit-the-embassy.md")
    corpus = load_corpus(project.content)
    (a,) = corpus.articles
    assert (a.title, a.source, a.author, a.topics) == (
        "Rockets hit: the embassy", "Desk", "A. Writer", ("iraq-protests", "us-troop-presence"))
    path.write_text(path.read_text() + "\nEdited by hand.\n")
    assert main(args) == 1
    assert capsys.readouterr().err == f"error: {path} already exists; it was not changed. Choose another title.\n"
    assert path.read_text().endswith("Edited by hand.\n")


def test_new_rejects_unknown_topic_with_suggestion(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--content", str(project.content), "new", "T", "--topic", "us-troops", "--source", "D"]) == 1
    assert capsys.readouterr().err == "error: unknown topic 'us-troops'. Did you mean 'us-troop-presence'?\n"
    assert not list((project.content / "articles").iterdir())


def test_check_prints_every_problem_and_exits_1(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add("a.md", article(source="[1, 2]"))
    project.add("b.md", article(topics="[weather]", extra="colour: red\n"))
    assert main(["--content", str(project.content), "check"]) == 1
    out = capsys.readouterr()
    assert out.err.splitlines() == [
        f"error: {project.content.name}/articles/a.md: field 'source': must be text, not a list. "
        "Fix: write source: followed by plain text in quotes.",
        f"error: {project.content.name}/articles/b.md: field 'topics': unknown topic 'weather'. "
        "Fix: declare it in content/topics.yml.",
        "1 error(s); the site cannot be built until they are fixed.".replace("1 error", "2 error"),
    ]
    assert out.out.splitlines() == [
        f"warning: {project.content.name}/articles/b.md: field 'colour': is not a known field and is ignored. "
        "Fix: remove it or use one of: title, date, source, topics, url, author, summary, updated, draft, corrections, tags."]


def test_check_passes_on_good_content(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add("a.md", article())
    project.add("b.md", article(extra="draft: true\n"))
    assert main(["--content", str(project.content), "check"]) == 0
    assert capsys.readouterr().out == "ok: 1 articles, 1 drafts, 2 topics, 0 warning(s).\n"


def test_build_runs_mkdocs(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.add("a.md", article(title="Built by the CLI"))
    monkeypatch.chdir(project.root)
    assert main(["build", "-q"]) == 0
    assert "Built by the CLI" in (project.site / "articles" / "a" / "index.html").read_text()
