"""Corrections: validated in the front matter, shown on the article page (feeds: test_feeds.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from conftest import TOPICS, Project, article

from digest.errors import Severity
from digest.loading.loader import parse_article
from digest.loading.topics import TopicIndex, load_topics
from digest.model import Correction

BODY = "Rockets were fired at the embassy on Sunday. Officials said three people were hurt."


def _parse(extra: str, tmp_path: Path):
    (tmp_path / "topics.yml").write_text(TOPICS)
    topics, _ = load_topics(tmp_path / "topics.yml", "content/topics.yml")
    return parse_article(article(date="2020-01-27", extra=extra), "content/articles/a.md", "a", TopicIndex(topics))


def test_corrections_are_parsed_and_sorted(tmp_path: Path) -> None:
    extra = ("corrections:\n  - {date: 2020-01-29, text: Second fix.}\n"
             "  - date: 2020-01-28T10:00:00+03:00\n    text: First fix.\n")
    found, problems = _parse(extra, tmp_path)
    assert problems == []
    assert found.corrections == (
        Correction(datetime.fromisoformat("2020-01-28T10:00:00+03:00"), "First fix."),
        Correction(datetime(2020, 1, 29, tzinfo=UTC), "Second fix."))
    assert found.last_modified == datetime(2020, 1, 29, tzinfo=UTC)


def test_bad_corrections_are_reported_with_file_field_and_fix(tmp_path: Path) -> None:
    extra = ("corrections:\n  - just text\n  - {text: No date.}\n  - {date: 'soon', text: Bad date.}\n"
             "  - {date: 2020-01-28}\n  - {date: 2020-01-20, text: Before the article.}\n"
             "  - {date: 2020-01-28, text: Fine., by: me}\n")
    found, problems = _parse(extra, tmp_path)
    assert found is None
    assert [str(p) for p in problems if p.severity is Severity.ERROR] == [
        "content/articles/a.md: field 'corrections': entry 1 is a str, not a date and a text. "
        "Fix: write each entry as '- {date: 2020-01-28, text: What was corrected.}'.",
        "content/articles/a.md: field 'corrections': entry 2 has no date. "
        "Fix: write each entry as '- {date: 2020-01-28, text: What was corrected.}'.",
        "content/articles/a.md: field 'corrections': entry 3: 'date' could not parse 'soon' as a date. "
        "Fix: use an ISO date like 2020-01-27 or a datetime with offset like 2020-01-27T14:30:00+03:00.",
        "content/articles/a.md: field 'corrections': entry 4 has no text. "
        "Fix: write each entry as '- {date: 2020-01-28, text: What was corrected.}'.",
        "content/articles/a.md: field 'corrections': entry 5 is dated 2020-01-20, before the article itself. "
        "Fix: date the correction on or after the article's date.",
    ]
    assert [str(p) for p in problems if p.severity is Severity.WARNING] == [
        "content/articles/a.md: field 'corrections': entry 6 has an unknown key 'by', ignored. "
        "Fix: give each correction only a date and a text."]


def test_corrections_must_be_a_list(tmp_path: Path) -> None:
    _, problems = _parse("corrections: Fixed a typo.\n", tmp_path)
    assert [str(p) for p in problems] == [
        "content/articles/a.md: field 'corrections': must be a list of corrections, not a str. "
        "Fix: write each entry as '- {date: 2020-01-28, text: What was corrected.}'."]


def test_article_page_shows_updated_and_corrections(project: Project) -> None:
    project.add("a.md", article(body=BODY, extra="updated: 2020-01-28\ncorrections:\n"
                                             "  - {date: 2020-01-29, text: 'The <b>district</b> was misnamed.'}\n"))
    project.build()
    page = project.html("articles/a")
    assert 'updated <time datetime="2020-01-28T00:00:00+00:00">28 January 2020</time>' in page
    assert '<p class="admonition-title">Correction</p>' in page
    assert ('<li><time datetime="2020-01-29T00:00:00+00:00">29 January 2020</time>: '
            'The &lt;b&gt;district&lt;/b&gt; was misnamed.</li>') in page
