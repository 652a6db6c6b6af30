"""Social and meta tags: description, canonical URL, Open Graph, feed links, and the site_url warning."""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import Project, article

BODY = "Rockets were fired at the embassy on Sunday. Officials said three people were hurt."


def meta(page: str, attr: str, name: str) -> list[str]:
    return [html.unescape(v) for v in re.findall(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', page)]


def test_article_page_has_description_canonical_and_open_graph(demo_site: Path) -> None:
    page = (demo_site / "articles" / "2020-01-26-rockets-hit-us-embassy-baghdad" / "index.html").read_text()
    url = "https://example.org/newsdigest/articles/2020-01-26-rockets-hit-us-embassy-baghdad/"
    assert f'<link rel="canonical" href="{url}">' in page
    (description,) = meta(page, "name", "description")
    assert description.startswith("The American embassy in Baghdad was hit by rocket fire on Sunday night.")
    assert meta(page, "property", "og:description") == [description]
    assert meta(page, "property", "og:title") == ["Rockets strike US embassy compound in Baghdad's Green Zone"]
    assert meta(page, "property", "og:url") == [url]
    assert meta(page, "property", "og:type") == ["article"]
    assert meta(page, "property", "og:site_name") == ["newsdigest"]
    assert meta(page, "name", "twitter:card") == ["summary"]


def test_topic_page_links_its_feeds_first_then_the_site_feeds(demo_site: Path) -> None:
    page = (demo_site / "topics" / "iraq-protests" / "index.html").read_text()
    links = re.findall(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">', page)
    base = "https://example.org/newsdigest/"
    assert [(t, h) for t, _, h in links] == [
        ("application/atom+xml", base + "topics/iraq-protests/feed.xml"),
        ("application/rss+xml", base + "topics/iraq-protests/rss.xml"),
        ("application/feed+json", base + "topics/iraq-protests/feed.json"),
        ("application/atom+xml", base + "feed.xml"),
        ("application/rss+xml", base + "rss.xml"),
        ("application/feed+json", base + "feed.json"),
    ]
    assert links[0][1] == "Iraq protests · newsdigest (Atom)"
    assert meta(page, "property", "og:type") == ["website"]
    follow = re.search(r'<p class="nd-feeds">Follow this topic: (.*?)</p>', page).group(1)
    hrefs = [urljoin("/topics/iraq-protests/", h) for h in re.findall(r'href="([^"]+)"', follow)]
    assert hrefs == ["/topics/iraq-protests/feed.xml", "/topics/iraq-protests/rss.xml",
                     "/topics/iraq-protests/feed.json"]
    for name in ("feed.xml", "rss.xml", "feed.json"):
        assert (demo_site / "topics" / "iraq-protests" / name).is_file()


def test_every_page_links_the_site_feeds(demo_site: Path) -> None:
    for page in ("index.html", "archive/index.html", "sources/index.html",
                 "articles/2020-01-26-rockets-hit-us-embassy-baghdad/index.html"):
        text = (demo_site / page).read_text()
        assert 'type="application/atom+xml" title="newsdigest (Atom)" href="https://example.org/newsdigest/feed.xml"' in text
        assert '<meta property="og:url" content="https://example.org/newsdigest/' in text


def test_meta_values_are_escaped_once(project: Project) -> None:
    project.add("x.md", article(title="'<script>alert(1)</script> & \"co\"'", body=BODY))
    project.build()
    page = project.html("articles/x")
    head = page.split("</head>")[0]
    assert "<script>alert(1)" not in head
    assert "&amp;lt;" not in head and "&amp;amp;" not in head            # not double-escaped
    assert meta(page, "property", "og:title") == ['<script>alert(1)</script> & "co"']


def test_missing_site_url_with_feeds_warns(project: Project, caplog: pytest.LogCaptureFixture) -> None:
    project.add("a.md", article(body=BODY))
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("site_url: https://example.org/\n", ""))
    with caplog.at_level(logging.WARNING):
        project.build()
    assert ("digest: feeds are on but mkdocs.yml has no site_url, so feed and canonical links cannot be "
            "absolute. Fix: set site_url to the site's public address.") in caplog.text
    page = project.html("topics/iraq-protests")
    assert 'title="Iraq protests · Test digest (Atom)" href="feed.xml"' in page    # relative, still usable
    assert 'rel="canonical"' not in page and "og:url" not in page


def test_no_warning_when_feeds_are_off(project: Project, caplog: pytest.LogCaptureFixture) -> None:
    project.add("a.md", article(body=BODY))
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("site_url: https://example.org/\n", "")
                   .replace("  - digest\n", "  - digest:\n      feeds: false\n"))
    project.build()
    assert "site_url" not in caplog.text
