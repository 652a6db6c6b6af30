"""The `digest` command: new, check, build; reading the site's mkdocs.yml as MkDocs does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TOPICS, Project, article

from digest.adapter.cli import main
from digest.loading.loader import load_corpus

NEW = ["new", "Rockets hit: the embassy", "--topic", "iraq-demonstrations", "--topic", "us-troop-presence",
       "--source", "Desk", "--author", "A. Writer"]
PROTEST = ("Protesters filled the square in Baghdad again on Monday, and police fired tear gas at the crowd. "
           "Demonstrators demanded that the government resign, and the protest movement vowed to stay.")
TROOPS = ("The coalition said its troops would remain at the air base, and the military mission against ISIS "
          "was paused. Commanders said protecting soldiers at the base is the priority for the deployment.")


@pytest.fixture
def here(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The project, with the command run in its folder (beside its mkdocs.yml)."""
    monkeypatch.chdir(project.root)
    return project


def elsewhere(project: Project, monkeypatch: pytest.MonkeyPatch, docs_dir: str, options: str) -> Path:
    """A site whose mkdocs.yml sets `docs_dir` and plugin `options`; the command runs in another folder."""
    site = project.root / "site-src"
    (site / docs_dir / "meta").mkdir(parents=True)
    (site / docs_dir / "meta" / "topics.yml").write_text(TOPICS, encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        f"site_name: Elsewhere\ndocs_dir: {docs_dir}\ntheme:\n  name: material\nplugins:\n"
        f"  - digest:\n      topics_file: meta/topics.yml\n{options}", encoding="utf-8")
    away = project.root / "somewhere" / "else"
    away.mkdir(parents=True)
    monkeypatch.chdir(away)
    return site


def test_new_writes_a_draft_without_placeholder_text_and_never_overwrites(
        here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(NEW) == 0
    out = capsys.readouterr()
    path = Path(out.out.strip())
    assert re.fullmatch(r"content/articles/\d{4}-\d\d-\d\d-rockets-hit-the-embassy\.md", path.as_posix())
    assert out.err == ("wrote a draft in content/ (from mkdocs.yml); write the article below its front matter, "
                       "then remove 'draft: true' to publish it.\n")
    text = path.read_text()
    assert re.fullmatch(r"---\ntitle: 'Rockets hit: the embassy'\ndate: '[-\d:T+]+'\nsource: Desk\n"
                        r"topics:\n- iraq-protests\n- us-troop-presence\nauthor: A\. Writer\ndraft: true\n---\n\n"
                        r"<!-- Write the article here, in Markdown\. -->\n", text), text
    corpus = load_corpus(here.content)
    assert corpus.articles == ()
    (a,) = corpus.drafts
    assert (a.title, a.source, a.author, a.topics) == (
        "Rockets hit: the embassy", "Desk", "A. Writer", ("iraq-protests", "us-troop-presence"))
    path.write_text(path.read_text() + "\nEdited by hand.\n")
    assert main(NEW) == 1
    assert capsys.readouterr().err == f"error: {path} already exists; it was not changed. Choose another title.\n"
    assert path.read_text().endswith("Edited by hand.\n")


def test_new_publish_writes_a_published_article_that_builds_without_the_hint(
        here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*NEW, "--publish"]) == 0
    out = capsys.readouterr()
    assert out.err == "wrote an article in content/ (from mkdocs.yml); it is published at the next build.\n"
    assert "draft" not in Path(out.out.strip()).read_text()
    (a,) = load_corpus(here.content).articles
    here.build()
    html = here.html(f"articles/{a.slug}")
    assert "Rockets hit: the embassy" in html
    assert "Write the article here" not in re.sub(r"<!--.*?-->", "", html)      # only a comment in the source


def test_new_rejects_unknown_topic_with_suggestion(here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "T", "--topic", "us-troops", "--source", "D"]) == 1
    assert capsys.readouterr().err == "error: unknown topic 'us-troops'. Did you mean 'us-troop-presence'?\n"
    assert main(["new", "T", "--topic", "weather", "--source", "D"]) == 1
    assert capsys.readouterr().err == "error: unknown topic 'weather'. Declare it in content/topics.yml.\n"
    assert not list((here.content / "articles").iterdir())


def test_check_prints_every_problem_and_exits_1(here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    here.add("a.md", article(source="[1, 2]"))
    here.add("b.md", article(topics="[weather]", extra="colour: red\n"))
    assert main(["check"]) == 1
    out = capsys.readouterr()
    assert out.err.splitlines() == [
        "error: content/articles/a.md: field 'source': must be text, not a list. "
        "Fix: write source: followed by plain text in quotes.",
        "error: content/articles/b.md: field 'topics': unknown topic 'weather'. "
        "Fix: declare it in content/topics.yml.",
        "2 error(s) in content/ (from mkdocs.yml); the site cannot be built until they are fixed.",
    ]
    assert out.out.splitlines() == [
        "warning: content/articles/b.md: field 'colour': is not a known field and is ignored. "
        "Fix: remove it or use one of: title, date, source, topics, url, author, summary, updated, draft, corrections, tags, story."]


def test_check_passes_on_good_content(here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    here.add("a.md", article())
    here.add("b.md", article(extra="draft: true\n"))
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "ok: checked content/ (from mkdocs.yml): 1 articles, 1 drafts, 2 topics, 0 warning(s).\n"


def test_check_f_from_another_folder_reads_docs_dir_topics_file_drafts_and_size_limit(
        project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    site = elsewhere(project, monkeypatch, "newsroom", "      drafts: true\n      max_article_kb: 1\n")
    news = site / "newsroom" / "stories"
    news.mkdir()
    (news / "a.md").write_text(article(), encoding="utf-8")
    (news / "b.md").write_text(article(extra="draft: true\n"), encoding="utf-8")
    assert project.content.is_dir()           # ./content elsewhere is not looked at
    config = str(site / "mkdocs.yml")
    assert main(["check", "-f", config]) == 0
    folder = (site / "newsroom").resolve().as_posix()
    assert capsys.readouterr().out == (
        f"ok: checked {folder}/ (from {Path(config).resolve().as_posix()}): 1 articles, "
        "1 drafts (published: the drafts option is on), 2 topics, 0 warning(s).\n")
    (news / "big.md").write_text(article(body="word " * 300), encoding="utf-8")
    assert main(["check", "--config-file", config]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: newsroom/stories/big.md: is 0.0 MB, over the 0.000976562 MB limit for one article. "
        "Fix: split it into several articles, or raise the plugin's max_article_kb option.",
        f"1 error(s) in {folder}/ (from {Path(config).resolve().as_posix()}); "
        "the site cannot be built until they are fixed."]


def test_new_f_writes_into_the_configured_docs_dir(
        project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    site = elsewhere(project, monkeypatch, "newsroom", "")
    assert main(["new", "-f", str(site / "mkdocs.yml"), "Quiet day", "--topic", "iraq-protests",
                 "--source", "Desk"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.parent == (site / "newsroom" / "articles").resolve()
    assert [a.title for a in load_corpus(site / "newsroom", "meta/topics.yml").drafts] == ["Quiet day"]
    assert not list((project.content / "articles").iterdir())


def test_without_mkdocs_yml_it_looks_in_content_and_says_so(
        project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (project.root / "mkdocs.yml").unlink()
    project.add("a.md", article())
    monkeypatch.chdir(project.root)
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "ok: checked content/ (no mkdocs.yml here): 1 articles, 0 drafts, 2 topics, 0 warning(s).\n"
    monkeypatch.chdir(project.content / "articles")
    assert main(["check"]) == 2
    assert capsys.readouterr().err == ("error: content/ (no mkdocs.yml here) is not a folder. Fix: run this in the "
                                       "site's folder (beside mkdocs.yml), or give its path with -f.\n")


@pytest.mark.parametrize("config, expected", [
    ("site_name: X\ndocs_dir: content\nplugins:\n  - digest:\n      drafts: maybe\n",
     ["error: mkdocs.yml: Config value 'plugins': Plugin 'digest' option 'drafts': "
      "Expected type: <class 'bool'> but received: <class 'str'>"]),
    ("site_name: X\ndocs_dir: content\nplugins:\n  - digest:\n      drafts: true\n     feeds: [\n",
     ["error: mkdocs.yml: is not valid YAML at line 6: expected <block end>, but found '<block mapping start>'. "
      "Fix: check the quoting and indentation of line 6."]),
    ("site_name: X\ndocs_dir: content\nplugins:\n  - search\n",
     ["error: mkdocs.yml: does not use the digest plugin. "
      "Fix: add '- digest' under 'plugins:' (or give another mkdocs.yml with -f)."]),
    ("site_name: X\ndocs_dir: no-such-folder\nplugins:\n  - digest\n",
     ["error: mkdocs.yml: Config value 'docs_dir': The path '{root}/no-such-folder' isn't an existing directory."]),
])
def test_a_config_that_fails_to_load_is_one_clear_error(
        here: Project, capsys: pytest.CaptureFixture[str], config: str, expected: list[str]) -> None:
    (here.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert main(["check"]) == 1
    out = capsys.readouterr()
    assert out.err.splitlines() == [line.replace("{root}", str(here.root)) for line in expected]
    assert out.out == ""


def test_usage_mistakes_exit_2(here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-f", "nowhere/mkdocs.yml"]) == 2
    assert capsys.readouterr().err == ("error: nowhere/mkdocs.yml: no such file. Fix: give the path of the "
                                       "site's mkdocs.yml with -f, or leave -f out in the site's folder.\n")
    assert main(["--content", "content", "check", "-f", "mkdocs.yml"]) == 2
    assert capsys.readouterr().err == (
        "error: -f/--config-file reads the folder and topics file from mkdocs.yml; --content and --topics-file "
        "are for a folder without one. Fix: give one or the other.\n")


def test_yaml_errors_name_the_bad_line(here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    here.add("a.md", "---\ntitle: Rockets\ndate: 2020-01-27\nsource: Desk: Wire\ntopics: [iraq-protests]\n---\n\nText.\n")
    here.add("b.md", '---\ntitle: "Rockets\ndate: 2020-01-27\n---\n\nText.\n')
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: content/articles/a.md: front matter is not valid YAML at line 4: mapping values are not allowed "
        "here. Fix: check the quoting and indentation of line 4.",
        "error: content/articles/b.md: front matter is not valid YAML at line 4: found unexpected end of stream "
        "(while scanning a quoted scalar that starts at line 2). Fix: check the quoting and indentation of line 2.",
        "2 error(s) in content/ (from mkdocs.yml); the site cannot be built until they are fixed."]
    (here.content / "topics.yml").write_text(TOPICS.replace("title: Iraq protests", "title: Iraq: protests"))
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: content/topics.yml: is not valid YAML at line 3: mapping values are not allowed here. "
        "Fix: check the quoting and indentation of line 3.")


def test_no_topic_suggestion_for_a_file_whose_front_matter_cannot_be_read(
        here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    for n in range(3):
        here.add(f"p{n}.md", article(title=f"Protest {n}", body=PROTEST))
        here.add(f"t{n}.md", article(title=f"Troops {n}", topics="[us-troop-presence]", body=TROOPS))
    here.add("bare.md", f"{PROTEST}\n")                                  # no front matter
    here.add("broken.md", f"---\ntitle: Protest: again\n---\n\n{PROTEST}\n")  # bad YAML
    here.add("untagged.md", f"---\ntitle: Soldiers stay\ndate: 2020-01-27\nsource: Desk\n---\n\n{TROOPS}\n")
    assert main(["check"]) == 1
    out = capsys.readouterr()
    assert [line.split(":")[1] for line in out.err.splitlines()[:-1]] == [
        " content/articles/bare.md", " content/articles/broken.md", " content/articles/untagged.md"]
    (line,) = out.out.splitlines()       # only the readable file that names no topic
    assert line.startswith("suggestion: content/articles/untagged.md: names no topic; the closest are "
                           "us-troop-presence (")


def test_build_runs_mkdocs(here: Project) -> None:
    here.add("a.md", article(title="Built by the CLI"))
    assert main(["build", "-q"]) == 0
    assert "Built by the CLI" in (here.site / "articles" / "a" / "index.html").read_text()


def test_build_f_from_another_folder(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.add("a.md", article(title="Built from elsewhere"))
    away = project.root / "away"
    away.mkdir()
    monkeypatch.chdir(away)
    assert main(["build", "-f", str(project.root / "mkdocs.yml"), "-q"]) == 0
    assert "Built from elsewhere" in (project.site / "articles" / "a" / "index.html").read_text()
    assert not list(away.iterdir())


def test_new_writes_into_articles_dir_when_the_plugin_sets_one(
        here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    config = here.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - digest\n", "  - digest:\n      articles_dir: news/\n"))
    assert main(["new", "Quiet day", "--topic", "iraq-protests", "--source", "Desk"]) == 0
    out = capsys.readouterr()
    path = Path(out.out.strip())
    assert path.parent.as_posix() == "content/news"
    assert out.err.splitlines()[-1] == ("wrote a draft in content/news/ (from mkdocs.yml); write the article below "
                                        "its front matter, then remove 'draft: true' to publish it.")
    assert not list((here.content / "articles").iterdir())


def test_a_hook_that_fails_to_import_is_one_line_not_a_traceback(
        here: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (here.root / "hooks.py").write_text("raise RuntimeError('boom')\n")
    config = here.root / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hooks.py\n")
    assert main(["check"]) == 1
    assert capsys.readouterr().err == "error: mkdocs.yml: MkDocs could not load it (RuntimeError: boom).\n"
