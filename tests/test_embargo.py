"""Embargo: an article dated after the build time is held back until a build on or after its date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import Project, article

from digest.adapter.cli import main
from digest.errors import ValidationFailed
from digest.loading.loader import NOW_ENV, build_time, load_corpus

NOW = datetime(2020, 1, 27, 12, 0, tzinfo=UTC)


def _content(project: Project) -> None:
    project.add("out.md", article(title="Out now", date="2020-01-27T14:00:00+03:00",
                                  body="This one is out. It was published this morning."))
    project.add("later.md", article(title="Later today", date="2020-01-27T16:00:00+03:00",
                                    body="This one waits. It is embargoed until the afternoon."))
    project.add("tomorrow.md", article(title="Tomorrow's story", date="2020-01-28",
                                       body="Tomorrow's report is ready. It waits for its day."))


def test_loader_holds_back_articles_dated_after_now(project: Project) -> None:
    _content(project)
    corpus = load_corpus(project.content, now=NOW)
    assert [a.slug for a in corpus.articles] == ["out"]        # 11:00 UTC <= 12:00 UTC
    assert [a.slug for a in corpus.scheduled] == ["tomorrow", "later"]
    later = load_corpus(project.content, now=datetime(2020, 1, 28, tzinfo=UTC))
    assert {a.slug for a in later.articles} == {"out", "later", "tomorrow"}   # on its date: published
    assert later.scheduled == ()


def test_drafts_stay_drafts_whatever_their_date(project: Project) -> None:
    project.add("d.md", article(date="2030-01-01", extra="draft: true\n"))
    corpus = load_corpus(project.content, now=NOW)
    assert [a.slug for a in corpus.drafts] == ["d"] and corpus.scheduled == ()


def test_build_time_reads_the_environment() -> None:
    assert build_time({NOW_ENV: "2020-01-27T15:00:00+03:00"}) == datetime(2020, 1, 27, 12, tzinfo=UTC)
    assert build_time({NOW_ENV: "2020-01-27"}) == datetime(2020, 1, 27, tzinfo=UTC)
    assert abs((build_time({}) - datetime.now(UTC)).total_seconds()) < 5
    with pytest.raises(ValidationFailed) as err:
        build_time({NOW_ENV: "tomorrow"})
    assert str(err.value).splitlines()[1] == (
        "  - environment variable NEWSDIGEST_NOW: could not parse 'tomorrow' as a date. Fix: use an ISO date "
        "like 2020-01-27 or a datetime with offset like 2020-01-27T14:30:00+03:00.")


def test_build_publishes_only_what_is_due(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _content(project)
    monkeypatch.setenv(NOW_ENV, NOW.isoformat())
    project.build()
    assert (project.site / "articles" / "out" / "index.html").is_file()
    assert not (project.site / "articles" / "later").exists()
    for page in list(project.site.rglob("*.html")) + list(project.site.rglob("*.xml")) + \
            list(project.site.rglob("*.json")):
        text = page.read_text()
        assert "Later today" not in text and "Tomorrow" not in text, page
    monkeypatch.setenv(NOW_ENV, "2020-01-28T00:00:00Z")
    project.build()
    assert (project.site / "articles" / "tomorrow" / "index.html").is_file()
    assert "Tomorrow&#39;s story" in project.html("topics/iraq-protests")


def test_scheduled_option_previews_embargoed_articles(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _content(project)
    monkeypatch.setenv(NOW_ENV, NOW.isoformat())
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      scheduled: true\n"))
    project.build()
    assert (project.site / "articles" / "tomorrow" / "index.html").is_file()


def test_check_lists_what_is_scheduled(project: Project, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    _content(project)
    monkeypatch.setenv(NOW_ENV, NOW.isoformat())
    assert main(["--content", str(project.content), "check"]) == 0
    name = project.content.name
    assert capsys.readouterr().out.splitlines() == [
        f"scheduled: {name}/articles/later.md: 'Later today' is embargoed until 2020-01-27T16:00:00+03:00.",
        f"scheduled: {name}/articles/tomorrow.md: 'Tomorrow's story' is embargoed until 2020-01-28T00:00:00+00:00.",
        f"ok: checked {project.content}/ (from --content): 1 articles, 0 drafts, 2 scheduled, 2 topics, "
        "0 warning(s).",
    ]


def test_check_reports_a_bad_now(project: Project, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    project.add("a.md", article())
    monkeypatch.setenv(NOW_ENV, "27/01/2020")
    assert main(["--content", str(project.content), "check"]) == 1
    assert "environment variable NEWSDIGEST_NOW: could not parse '27/01/2020' as a date." in capsys.readouterr().err
