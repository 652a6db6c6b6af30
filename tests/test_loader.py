"""Loading and validation: every error case asserts the exact message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from conftest import TOPICS, article

from digest.errors import Severity, ValidationFailed
from digest.loading.loader import load_corpus, parse_article, slugify
from digest.loading.topics import TopicIndex, parse_topics

INDEX = TopicIndex(parse_topics(yaml.safe_load(TOPICS), "topics.yml")[0])
P = "content/articles/x.md"


def problems(text: str) -> list[str]:
    _, found = parse_article(text, P, "x", INDEX)
    return [str(p) for p in found]


def test_valid_article_is_parsed_with_all_fields() -> None:
    text = article(title='"Rockets hit the embassy"', date="2020-01-26T23:00:00+03:00",
                   topics="[iraq-demonstrations, us-troop-presence]",
                   extra="url: https://example.org/a\nauthor: Staff\nupdated: 2020-01-27\n")
    a, found = parse_article(text, P, "x", INDEX)
    assert found == []
    assert a is not None
    assert a.title == "Rockets hit the embassy"
    assert a.published == datetime(2020, 1, 26, 23, tzinfo=timezone(timedelta(hours=3)))
    assert a.topics == ("iraq-protests", "us-troop-presence")   # alias resolved
    assert a.url == "https://example.org/a" and a.author == "Staff"
    assert a.updated == datetime(2020, 1, 27, tzinfo=UTC)
    assert a.body == "Some text here. More text follows."


@pytest.mark.parametrize("text, expected", [
    ("", f"{P}: the file is empty. Fix: start it with front matter between '---' lines."),
    ("Just a body.\n", f"{P}: has no front matter. Fix: start the file with '---', the fields, then '---'."),
    ("---\n---\nbody\n", f"{P}: front matter is empty. Fix: add the required fields: title, date, source, topics."),
    ("---\ntitle: [unclosed\n---\nbody\n",
     f"{P}: front matter is not valid YAML at line 3: expected ',' or ']', but got '<stream end>' "
     "(while parsing a flow sequence that starts at line 2). Fix: check the quoting and indentation of line 2."),
    ("---\ntitle: A\ndate: 2020-01-27\nsource: Desk: Wire\ntopics: [a]\n---\nbody\n",
     f"{P}: front matter is not valid YAML at line 4: mapping values are not allowed here. "
     "Fix: check the quoting and indentation of line 4."),
    ("---\n\n\ntitle: A\n  date: 2020-01-27\n---\nbody\n",      # blank lines after the opening '---'
     f"{P}: front matter is not valid YAML at line 5: mapping values are not allowed here. "
     "Fix: check the quoting and indentation of line 5."),
    ("---\n- a\n- b\n---\nbody\n",
     f"{P}: front matter is a YAML list, not a mapping. Fix: write it as 'key: value' lines, e.g. 'title: My story'."),
    ("---\njust a string\n---\nbody\n",
     f"{P}: front matter is a YAML str, not a mapping. Fix: write it as 'key: value' lines, e.g. 'title: My story'."),
])
def test_broken_front_matter(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_missing_closing_fence() -> None:
    assert problems("---\ntitle: x\n\nbody without a closing fence\n") == [
        f"{P}: front matter has no closing '---' line. Fix: end the front matter with a line holding only '---'."]


def test_missing_required_field() -> None:
    text = "---\ntitle: T\ndate: 2020-01-27\ntopics: [iraq-protests]\n---\nbody\n"
    assert problems(text) == [f"{P}: field 'source': is required but missing. Fix: add a 'source:' line to the front matter."]


def test_wrong_types() -> None:
    text = article(title="[a, b]", extra="draft: maybe\nauthor: {x: 1}\n")
    assert problems(text) == [
        f"{P}: field 'title': must be text, not a list. Fix: write title: followed by plain text in quotes.",
        f"{P}: field 'author': must be text, not a dict. Fix: write author: followed by plain text in quotes.",
        f"{P}: field 'draft': must be true or false, not 'maybe'. Fix: write draft: true or draft: false.",
    ]


@pytest.mark.parametrize("date, expected", [
    ("'27/01/2020'", "field 'date': could not parse '27/01/2020' as a date. Fix: use an ISO date like "
     "2020-01-27 or a datetime with offset like 2020-01-27T14:30:00+03:00."),
    ("2020-01-27T14:30:00", "field 'date': '2020-01-27T14:30:00' has a time but no UTC offset. "
     "Fix: add the offset, e.g. 2020-01-27T14:30:00+03:00 or ...Z for UTC."),
    ("2020-13-01", "field 'date': could not parse '2020-13-01' as a date. Fix: use an ISO date like "
     "2020-01-27 or a datetime with offset like 2020-01-27T14:30:00+03:00."),
    ("42", "field 'date': must be a date, not a int. Fix: use an ISO date like 2020-01-27 or a "
     "datetime with offset like 2020-01-27T14:30:00+03:00."),
])
def test_unparseable_dates(date: str, expected: str) -> None:
    assert problems(article(date=date)) == [f"{P}: {expected}"]


def test_zulu_time_is_accepted() -> None:
    a, _ = parse_article(article(date="'2020-01-27T10:00:00Z'"), P, "x", INDEX)
    assert a is not None and a.published == datetime(2020, 1, 27, 10, tzinfo=UTC)


def test_unknown_topic_suggests_nearest() -> None:
    assert problems(article(topics="[iraq-protest]")) == [
        f"{P}: field 'topics': unknown topic 'iraq-protest'. Fix: did you mean 'iraq-protests'?"]
    assert problems(article(topics="[weather]")) == [
        f"{P}: field 'topics': unknown topic 'weather'. Fix: declare it in content/topics.yml."]


def test_unknown_field_is_a_warning_not_an_error() -> None:
    a, found = parse_article(article(extra="content: oops\n"), P, "x", INDEX)
    assert a is not None       # python-frontmatter alone crashes on a 'content' key
    assert [(p.severity, str(p)) for p in found] == [(Severity.WARNING,
        f"{P}: field 'content': is not a known field and is ignored. Fix: remove it or use one of: "
        "title, date, source, topics, url, author, summary, updated, draft, corrections, tags, story.")]


def test_url_must_be_http() -> None:
    assert problems(article(extra="url: javascript:alert(1)\n")) == [
        f"{P}: field 'url': 'javascript:alert(1)' is not an http or https address. "
        "Fix: give the original's full address, starting with https://."]


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "topics.yml").write_text(TOPICS)
    (content / "articles" / "good.md").write_text(article())
    (content / "articles" / "bad-date.md").write_text(article(date="'soon'"))
    (content / "articles" / "no-fm.md").write_text("hello\n")
    with pytest.raises(ValidationFailed) as info:
        load_corpus(content)
    assert str(info.value) == (
        "2 problem(s) in content; nothing was built:\n"
        "  - content/articles/bad-date.md: field 'date': could not parse 'soon' as a date. Fix: use an "
        "ISO date like 2020-01-27 or a datetime with offset like 2020-01-27T14:30:00+03:00.\n"
        "  - content/articles/no-fm.md: has no front matter. Fix: start the file with '---', the "
        "fields, then '---'.")


def test_drafts_are_kept_apart_and_encodings_normalised(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "topics.yml").write_text(TOPICS)
    (content / "articles" / "a.md").write_bytes(b"\xef\xbb\xbf" + article(title="BOM").encode().replace(b"\n", b"\r\n"))
    (content / "articles" / "b.md").write_text(article(title="Draft", extra="draft: true\n"))
    corpus = load_corpus(content)
    assert [a.title for a in corpus.articles] == ["BOM"]
    assert [a.title for a in corpus.drafts] == ["Draft"]
    assert "\r" not in corpus.articles[0].body


def test_duplicate_slugs_name_both_files(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "articles" / "a").mkdir(parents=True)
    (content / "articles" / "b").mkdir(parents=True)
    (content / "topics.yml").write_text(TOPICS)
    (content / "articles" / "a" / "Same Story.md").write_text(article())
    (content / "articles" / "b" / "same-story.md").write_text(article())
    with pytest.raises(ValidationFailed) as info:
        load_corpus(content)
    assert [str(p) for p in info.value.problems] == [
        "content/articles/b/same-story.md: would publish to the same address (articles/same-story/) "
        "as content/articles/a/Same Story.md. Fix: rename one of the two files."]


def test_non_utf8_and_nul_bytes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "topics.yml").write_text(TOPICS)
    (content / "articles" / "latin.md").write_bytes(article().encode() + b"caf\xe9\n")
    (content / "articles" / "nul.md").write_bytes(article().encode() + b"\x00")
    with pytest.raises(ValidationFailed) as info:
        load_corpus(content)
    assert [str(p) for p in info.value.problems] == [
        "content/articles/latin.md: is not UTF-8 text (line 9). Fix: save the file as UTF-8.",
        "content/articles/nul.md: contains NUL bytes. Fix: save it as a plain UTF-8 text file.",
    ]


@pytest.mark.parametrize("stem, slug", [
    ("2020-01-27 Rockets Hit", "2020-01-27-rockets-hit"),
    ("../../etc/passwd", "etc-passwd"),
    ("Café  Ümlaut", "café-ümlaut"),
    ("***", "untitled"),
])
def test_slugify(stem: str, slug: str) -> None:
    assert slugify(stem) == slug


def test_a_parse_memo_takes_the_stamps_a_live_preview_took_already(tmp_path: Path, monkeypatch) -> None:
    """A live preview stats every file to see what changed (filestamps.py) and hands those
    stamps to the loader: a kept file is not stat'ed again, and a stamp that differs from the
    memo's makes the file read again even when the disk shows no change."""
    from digest.adapter.filestamps import file_stamps
    from digest.loading.loader import ParseMemo

    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "topics.yml").write_text(TOPICS)
    (content / "articles" / "a.md").write_text(article(title="First"))
    memo = ParseMemo()
    first = load_corpus(content, memo=memo)
    full: dict[str, tuple[int, ...]] = {}
    file_stamps([content], full)
    assert set(full) == {str(content / "topics.yml"), str(content / "articles" / "a.md")}
    memo.known = full
    stats = []
    real = ParseMemo.stamp
    monkeypatch.setattr(ParseMemo, "stamp", staticmethod(lambda f: stats.append(f) or real(f)))
    again = load_corpus(content, memo=memo)
    assert stats == [] and again.articles[0] is first.articles[0]
    path = str(content / "articles" / "a.md")
    memo.known = {path: (0, 0, 0, 0)}
    assert load_corpus(content, memo=memo).articles[0] is not first.articles[0]
    assert len(stats) == 1          # the read takes its own stamp, as without `known`
