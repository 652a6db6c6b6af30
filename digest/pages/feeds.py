"""Atom 1.0, RSS 2.0 and JSON Feed 1.1 from a Digest: pure functions returning strings.

XML is built with the standard library's ElementTree, which escapes every value
(characters XML 1.0 forbids, such as U+0001, are removed: see loading/xmlchars.py);
HTML carried in a feed (Atom `content`, RSS `description`) is itself built as a tree
and then escaped as text, so no markup is ever concatenated by hand.

Each feed has the newest `limit` articles. An entry's `updated` is the latest of
its date, its `updated` field and its corrections, which appear in its content.
Links are absolute when the site's `site_url` is known, relative to the feed file
otherwise. Our own words in them are in the site's language (digest/pages/messages.py).
"""

from __future__ import annotations

import heapq
import json
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from io import BytesIO
from operator import attrgetter

from ..analysis.memo import Memo
from ..loading.loader import slugify
from ..loading.xmlchars import xml_safe
from ..model import Article, Correction, Digest
from .messages import Messages
from .messages import load as load_messages
from .render import page_uri, page_url

__all__ = ["FEED_FILES", "Feed", "FeedEntry", "SiteInfo", "atom", "build_feeds", "feed_paths",
           "json_feed", "rss"]

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
FEED_FILES = {"atom": "feed.xml", "rss": "rss.xml", "json": "feed.json"}
MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml", "json": "application/feed+json"}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SiteInfo:
    """What the feeds need to know about the site: names and where pages are published."""

    name: str
    description: str = ""
    url: str = ""                 # site_url, e.g. https://example.org/news/ ("" when unknown)
    directory_urls: bool = True
    language: str = "en"


@dataclass(frozen=True)
class FeedEntry:
    """One article as a feed entry; links already resolved for the feed it sits in."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    summary: str
    source: str
    source_link: str
    author: str | None = None
    original: str | None = None
    topics: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True)
class Feed:
    """A feed's metadata and entries; `links` maps "html", "atom", "rss", "json" to URLs."""

    id: str
    title: str
    description: str
    author: str
    language: str
    links: dict[str, str]
    entries: tuple[FeedEntry, ...]

    @property
    def messages(self) -> Messages:
        """Our words in the feed's language."""
        return load_messages(self.language)

    @property
    def updated(self) -> datetime:
        return max((e.updated for e in self.entries), default=_EPOCH)


def feed_paths(topic: str | None = None) -> dict[str, str]:
    """Site paths of the three feeds: at the root, or beside a topic's page."""
    folder = f"topics/{topic}/" if topic else ""
    return {kind: folder + name for kind, name in FEED_FILES.items()}


def _iso(value: datetime) -> str:
    return value.isoformat()


def _content_html(entry: FeedEntry, msgs: Messages) -> str:
    """The entry's HTML body: the summary, the attribution, then any corrections."""
    root = ET.Element("div")
    ET.SubElement(root, "p").text = entry.summary
    credit = ET.SubElement(root, "p")
    before, _, after = msgs.template("feed_source").partition("{source}")   # "Source: {source}"
    credit.text = before
    outlet = ET.SubElement(credit, "a", href=entry.source_link)
    outlet.text = entry.source
    outlet.tail = after
    if entry.original:
        outlet.tail = after + " · "
        ET.SubElement(credit, "a", href=entry.original).text = msgs.t("original_article")
    if entry.corrections:
        ET.SubElement(root, "p").text = msgs.t("feed_corrections")
        items = ET.SubElement(root, "ul")
        for c in entry.corrections:
            ET.SubElement(items, "li").text = msgs.t("label_value", label=c.date.date().isoformat(), value=c.text)
    return "".join(ET.tostring(child, encoding="unicode", method="html") for child in root)


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    out = BytesIO()
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    # ElementTree writes control characters as they are, and one makes the feed ill-formed.
    return xml_safe(out.getvalue().decode("utf-8")) + "\n"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def atom(feed: Feed) -> str:
    """An Atom 1.0 (RFC 4287) document."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": feed.language})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.description)
    _text(root, "updated", _iso(feed.updated))
    ET.SubElement(root, "link", rel="alternate", type="text/html", href=feed.links["html"])
    ET.SubElement(root, "link", rel="self", type=MEDIA_TYPES["atom"], href=feed.links["atom"])
    _text(ET.SubElement(root, "author"), "name", feed.author)
    _text(root, "generator", "newsdigest")
    for e in feed.entries:
        entry = ET.SubElement(root, "entry")
        _text(entry, "id", e.id)
        _text(entry, "title", e.title)
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=e.link)
        if e.original:
            ET.SubElement(entry, "link", rel="related", type="text/html", href=e.original)
        _text(entry, "published", _iso(e.published))
        _text(entry, "updated", _iso(e.updated))
        if e.author:
            _text(ET.SubElement(entry, "author"), "name", e.author)
        for topic in e.topics:
            ET.SubElement(entry, "category", term=slugify(topic), label=topic)
        _text(entry, "summary", e.summary, type="text")
        _text(entry, "content", _content_html(e, feed.messages), type="html")
        source = ET.SubElement(entry, "source")
        _text(source, "title", e.source)
        ET.SubElement(source, "link", rel="alternate", type="text/html", href=e.source_link)
    return _xml(root)


def rss(feed: Feed) -> str:
    """An RSS 2.0 document, with atom:link rel=self, dc:creator and dcterms:modified."""
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS,
                              "xmlns:dc": "http://purl.org/dc/elements/1.1/",
                              "xmlns:dcterms": "http://purl.org/dc/terms/"})
    channel = ET.SubElement(root, "channel")
    _text(channel, "title", feed.title)
    _text(channel, "link", feed.links["html"])
    _text(channel, "description", feed.description)
    _text(channel, "language", feed.language)
    _text(channel, "lastBuildDate", format_datetime(feed.updated))
    _text(channel, "generator", "newsdigest")
    ET.SubElement(channel, "atom:link", rel="self", type=MEDIA_TYPES["rss"], href=feed.links["rss"])
    for e in feed.entries:
        item = ET.SubElement(channel, "item")
        _text(item, "title", e.title)
        _text(item, "link", e.link)
        _text(item, "guid", e.id, isPermaLink="true" if e.id == e.link else "false")
        _text(item, "pubDate", format_datetime(e.published))
        if e.updated != e.published:
            _text(item, "dcterms:modified", _iso(e.updated))
        if e.author:
            _text(item, "dc:creator", e.author)
        for topic in e.topics:
            _text(item, "category", topic)
        _text(item, "description", _content_html(e, feed.messages))
        _text(item, "source", e.source, url=e.source_link)
    return _xml(root)


def json_feed(feed: Feed) -> str:
    """A JSON Feed 1.1 document; source and corrections sit in the `_newsdigest` extension."""
    items = []
    for e in feed.entries:
        item: dict[str, object] = {
            "id": e.id, "url": e.link, "title": e.title, "summary": e.summary,
            "content_html": _content_html(e, feed.messages),
            "date_published": _iso(e.published), "date_modified": _iso(e.updated),
            "tags": list(e.topics),
            "_newsdigest": {"source": e.source, "source_url": e.source_link,
                            "corrections": [{"date": _iso(c.date), "text": c.text} for c in e.corrections]},
        }
        if e.original:
            item["external_url"] = e.original
        if e.author:
            item["authors"] = [{"name": e.author}]
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION, "title": feed.title, "home_page_url": feed.links["html"],
        "feed_url": feed.links["json"], "description": feed.description, "language": feed.language,
        "authors": [{"name": feed.author}], "items": items,
    }
    return json.dumps(_json_safe(document), ensure_ascii=False, indent=2) + "\n"


def _json_safe(value: object) -> object:
    """The JSON document with XML's forbidden characters removed from every string, as in
    the XML feeds (JSON would escape them, but `content_html` and readers choke on them)."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


class _Links:
    """Addresses as seen from one feed file: absolute with site_url, else relative to the feed."""

    def __init__(self, site: SiteInfo, feed_path: str) -> None:
        self.site = site
        self.base = site.url.rstrip("/") + "/" if site.url else ""
        self.folder = posixpath.dirname(feed_path) or "."

    def to(self, path: str) -> str:
        if self.base:
            return self.base + path
        rel = posixpath.relpath(path or ".", self.folder)
        return rel + "/" if path.endswith("/") and not rel.endswith("/") else rel

    def page(self, kind: str, key: str = "") -> str:
        return self.to(page_url(page_uri(kind, key), self.site.directory_urls))

    def id(self, kind: str, key: str = "") -> str:
        """A stable id: the page's absolute URL, or a URN when site_url is unknown."""
        return self.page(kind, key) if self.base else f"urn:newsdigest:{kind}:{key or 'site'}"


def _feed(digest: Digest, site: SiteInfo, articles: Iterable[Article], limit: int,
          topic: str | None, title: str, description: str) -> Feed:
    paths = feed_paths(topic)
    links = _Links(site, paths["atom"])
    names = {t.topic.id: t.topic.title for t in digest.topics}
    entries = tuple(
        FeedEntry(id=links.id("article", a.slug), title=a.title, link=links.page("article", a.slug),
                  published=a.published, updated=a.last_modified, summary=" ".join(digest.summary_of(a)),
                  source=a.source, source_link=links.page("source", slugify(a.source)), author=a.author,
                  original=a.url, topics=tuple(names.get(t, t) for t in a.topics), corrections=a.corrections)
        for a in heapq.nlargest(limit, articles, key=attrgetter("published", "slug")))
    kind, key = ("topic", topic) if topic else ("home", "")
    urls = {"html": links.page(kind, key), **{k: links.to(p) for k, p in paths.items()}}
    return Feed(id=links.id(kind, key), title=title, description=description, author=site.name,
                language=site.language, links=urls, entries=entries)


def build_feeds(digest: Digest, site: SiteInfo, limit: int = 20, memo: Memo | None = None) -> dict[str, str]:
    """Every feed file by site path: the whole site's three feeds, then each topic's. `memo` (a
    live preview's): a feed whose entries and links are the last build's is not written again."""
    msgs = load_messages(site.language)
    feeds: list[tuple[str | None, Feed]] = [(None, _feed(digest, site, digest.articles, limit, None, site.name,
                          site.description or msgs.t("feed_site", site=site.name)))]
    for td in digest.topics:
        feeds.append((td.topic.id, _feed(digest, site, td.articles, limit, td.topic.id,
                                         f"{td.topic.title} · {site.name}",
                                         td.topic.description or msgs.t("feed_topic", topic=td.topic.title))))
    files: dict[str, str] = {}
    for topic, feed in feeds:
        paths = feed_paths(topic)

        def write(feed: Feed = feed) -> tuple[str, str, str]:
            return atom(feed), rss(feed), json_feed(feed)

        texts = write() if memo is None else memo.at(("feed", paths["atom"]), feed, write)
        files[paths["atom"]], files[paths["rss"]], files[paths["json"]] = texts
    return files
