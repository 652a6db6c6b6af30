"""Atom, RSS 2.0 and JSON Feed 1.1: parsed by feedparser and checked against each format's
required elements. feedparser 6.0 reads no JSON Feed, so that format is checked as JSON
against the JSON Feed 1.1 spec's required members."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from conftest import Project, article

from digest.pages.feeds import Feed, FeedEntry, atom, json_feed, rss

A = "{http://www.w3.org/2005/Atom}"
BODY = "Rockets were fired at the embassy on Sunday. Officials said three people were hurt."
CORRECTED = """\
author: Jane Reporter
url: https://news.example.com/story?id=1&x=2
updated: 2020-01-28T10:00:00+03:00
corrections:
  - date: 2020-01-29
    text: An earlier version misnamed the embassy's district.
"""


@pytest.fixture
def site(project: Project) -> Path:
    project.add("2020-01-26-rockets.md", article(title="Rockets & <sirens> hit the embassy", date="2020-01-26T23:00:00+03:00",
                                                 source="Wire One", body=BODY, extra=CORRECTED))
    project.add("2020-01-27-troops.md", article(title="Troops stay", date="2020-01-27", source="Wire Two",
                                                topics="[us-troop-presence]",
                                                body="The troops will stay for now. A vote is due next week."))
    project.build()
    return project.site


def _rfc3339(text: str | None) -> datetime:
    assert text, "missing date"
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value


def test_every_feed_file_is_written(site: Path) -> None:
    for folder in ("", "topics/iraq-protests/", "topics/us-troop-presence/"):
        for name in ("feed.xml", "rss.xml", "feed.json"):
            assert (site / folder / name).is_file(), folder + name


def test_atom_has_the_required_elements_and_parses(site: Path) -> None:
    text = (site / "feed.xml").read_text(encoding="utf-8")
    parsed = feedparser.parse(text)
    assert not parsed.bozo and parsed.version == "atom10"
    root = ET.fromstring(text.encode())
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{tag}")) == 1, tag
    _rfc3339(root.findtext(f"{A}updated"))
    assert root.find(f"{A}author/{A}name").text == "Test digest"          # covers entries with no author
    assert root.find(f"{A}link[@rel='self']").get("href") == "https://example.org/feed.xml"
    entries = root.findall(f"{A}entry")
    assert len(entries) == 2
    for entry in entries:
        for tag in ("id", "title", "updated", "published", "summary"):
            assert entry.findtext(f"{A}{tag}"), tag
        _rfc3339(entry.findtext(f"{A}updated"))
        assert entry.find(f"{A}link[@rel='alternate']").get("href").startswith("https://example.org/articles/")
    first = parsed.entries[0]       # newest first
    assert first.title == "Troops stay" and first.link == "https://example.org/articles/2020-01-27-troops/"
    assert first.source.title == "Wire Two"


def test_rss_has_the_required_elements_and_parses(site: Path) -> None:
    text = (site / "rss.xml").read_text(encoding="utf-8")
    parsed = feedparser.parse(text)
    assert not parsed.bozo and parsed.version == "rss20"
    channel = ET.fromstring(text.encode()).find("channel")
    for tag in ("title", "link", "description"):
        assert channel.findtext(tag), tag
    items = channel.findall("item")
    assert len(items) == 2
    for item in items:
        for tag in ("title", "link", "guid", "pubDate", "description"):
            assert item.findtext(tag), tag
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert item.find("guid").get("isPermaLink") == "true"
        assert item.find("source").get("url").startswith("https://example.org/sources/")


def test_json_feed_has_the_required_members(site: Path) -> None:
    doc = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] == "Test digest"
    assert doc["feed_url"] == "https://example.org/feed.json" and doc["home_page_url"] == "https://example.org/"
    assert len(doc["items"]) == 2
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        assert item["summary"] and item["url"].startswith("https://example.org/articles/")
        _rfc3339(item["date_published"])
        _rfc3339(item["date_modified"])


def test_entries_carry_author_source_summary_and_escaped_title(site: Path) -> None:
    atom_entry = feedparser.parse((site / "feed.xml").read_text()).entries[1]
    rss_item = feedparser.parse((site / "rss.xml").read_text()).entries[1]
    item = json.loads((site / "feed.json").read_text())["items"][1]
    for entry in (atom_entry, rss_item):
        assert entry.title == "Rockets & <sirens> hit the embassy"
        assert entry.author == "Jane Reporter"
        assert entry.source.title == "Wire One"
        assert "Rockets were fired at the embassy on Sunday." in entry.summary
    assert item["title"] == "Rockets & <sirens> hit the embassy"
    assert item["authors"] == [{"name": "Jane Reporter"}]
    assert item["_newsdigest"]["source"] == "Wire One"
    assert item["external_url"] == "https://news.example.com/story?id=1&x=2"
    assert "Rockets were fired at the embassy on Sunday." in item["summary"]


def test_corrections_show_as_updates(site: Path) -> None:
    correction = "An earlier version misnamed the embassy"
    atom_entry = feedparser.parse((site / "feed.xml").read_text()).entries[1]
    rss_item = feedparser.parse((site / "rss.xml").read_text()).entries[1]
    item = json.loads((site / "feed.json").read_text())["items"][1]
    assert atom_entry.updated == "2020-01-29T00:00:00+00:00"       # the correction, later than `updated`
    assert atom_entry.published == "2020-01-26T23:00:00+03:00"
    assert rss_item.updated == "2020-01-29T00:00:00+00:00"          # dcterms:modified
    assert item["date_modified"] == "2020-01-29T00:00:00+00:00"
    assert correction in atom_entry.content[0].value and correction in rss_item.description
    assert item["_newsdigest"]["corrections"] == [
        {"date": "2020-01-29T00:00:00+00:00", "text": "An earlier version misnamed the embassy's district."}]
    assert correction in item["content_html"]


def test_topic_feeds_hold_only_their_topic(site: Path) -> None:
    parsed = feedparser.parse((site / "topics" / "us-troop-presence" / "feed.xml").read_text())
    assert [e.title for e in parsed.entries] == ["Troops stay"]
    assert parsed.feed.title == "US troop presence · Test digest"
    assert parsed.feed.link == "https://example.org/topics/us-troop-presence/"
    rss_feed = feedparser.parse((site / "topics" / "us-troop-presence" / "rss.xml").read_text())
    assert rss_feed.feed.description == "American forces in Iraq."


def test_feed_entries_limits_every_feed(project: Project) -> None:
    for day in range(1, 6):
        project.add(f"a{day}.md", article(title=f"Story {day}", date=f"2020-01-0{day}",
                                          body=f"Report number {day} came in. It said {day * 7} things happened."))
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      feed_entries: 3\n"))
    project.build()
    titles = [e.title for e in feedparser.parse((project.site / "rss.xml").read_text()).entries]
    assert titles == ["Story 5", "Story 4", "Story 3"]
    assert len(json.loads((project.site / "topics/iraq-protests/feed.json").read_text())["items"]) == 3


def test_feeds_off_writes_no_feed(project: Project) -> None:
    project.add("a.md", article(body=BODY))
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      feeds: false\n"))
    project.build()
    assert not list(project.site.rglob("feed.xml")) and not list(project.site.rglob("feed.json"))
    assert "application/atom+xml" not in project.html("")


def test_without_site_url_links_are_relative_to_the_feed(project: Project) -> None:
    project.add("a.md", article(body=BODY))
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("site_url: https://example.org/\n", ""))
    project.build()
    root = feedparser.parse((project.site / "feed.xml").read_text())
    topic = feedparser.parse((project.site / "topics/iraq-protests/feed.xml").read_text())
    assert root.entries[0].id == "urn:newsdigest:article:a"
    assert root.entries[0].link == "articles/a/"
    assert topic.entries[0].link == "../../articles/a/"


def test_pure_feed_functions_escape_every_value() -> None:
    tricky = "</title><script>alert(1)</script> & ]]>"
    when = datetime.fromisoformat("2020-01-27T14:00:00+03:00")
    entry = FeedEntry(id="urn:x", title=tricky, link="https://x.example/?a=1&b=2", published=when,
                      updated=when, summary=tricky, source=tricky, source_link="https://x.example/s/")
    feed = Feed("urn:f", tricky, tricky, tricky, "en",
                {"html": "https://x.example/", "atom": "a", "rss": "r", "json": "j"}, (entry,))
    for text in (atom(feed), rss(feed)):
        parsed = feedparser.parse(text)
        assert not parsed.bozo
        assert parsed.feed.title == tricky and parsed.entries[0].title == tricky
        assert parsed.entries[0].link == "https://x.example/?a=1&b=2"
    assert json.loads(json_feed(feed))["items"][0]["title"] == tricky


def test_a_live_preview_writes_only_the_feeds_whose_entries_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a memo, a feed equal to the last build's is not serialised again, and the files
    are those of a build without one (digest/pages/feeds.py's `build_feeds`)."""
    from dataclasses import replace

    from test_stories import corpus, digest_of

    from digest.analysis.memo import Memo
    from digest.pages import feeds
    from digest.pages.feeds import SiteInfo, build_feeds

    site_info = SiteInfo("News", "", "https://example.org/")
    items = corpus()
    memo = Memo()
    first = build_feeds(digest_of(items), site_info, memo=memo)
    memo.done()
    written: list[str] = []
    real = feeds.atom
    monkeypatch.setattr(feeds, "atom", lambda feed: written.append(feed.id) or real(feed))
    assert build_feeds(digest_of(items), site_info, memo=memo) == first and written == []
    memo.done()
    items[0] = replace(items[0], title="Ferry strike ends after talks")
    again = build_feeds(digest_of(items), site_info, memo=memo)
    # Only the feeds listing the retitled article (the site's and its topic's) were written again.
    assert written == ["https://example.org/", "https://example.org/topics/iraq-protests/"]
    assert again == build_feeds(digest_of(items), site_info)
    assert "Ferry strike ends after talks" in again["feed.xml"] and again != first
