"""Injection payloads in every field, built into a site and opened in Chromium:
no script runs, and the payload text shows as text where it belongs."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Project, pagefind_pages
from test_browser import CHROMIUM_ARGS, SHOTS, chromium_path

pytestmark = pytest.mark.browser

P = {  # field -> payload; each tries to run code in a different way
    "title": '<script>console.log("PWNED title")</script><img src=x onerror=alert("title")>',
    "source": '"><svg onload=alert("source")>',
    "author": "<iframe src=javascript:alert('author')></iframe>",
    # "PWNED" makes the search box show this summary in a result's excerpt, which is HTML
    "summary": "</p><script>alert('summary')</script><img src=x onerror=alert('summary')> PWNED summary",
    "topic": '<img src=x onerror=alert("topic")> & Co',
    "description": "<a href=javascript:alert('desc')>click</a>",
}
BODY = """\
Rockets were fired at the compound on Sunday. Officials described the damage.

<script>alert("body script")</script>

<img src="x" onerror="alert('body img')">

<iframe src="javascript:alert('body iframe')"></iframe>

<p style="background:url(javascript:alert('style'))" onclick="alert('click')">Styled paragraph.</p>

[a javascript link](javascript:alert('link')) and <a href="data:text/html,<script>alert(1)</script>">data</a>.

<svg><script>alert('svg')</script></svg>

<details open ontoggle="alert('toggle')"><summary>More</summary>Hidden text.</details>
"""
PAYLOADS = list(P.values()) + ["body script", "body img", "body iframe", "style", "click", "link", "svg", "toggle"]


def _yaml(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("hostile"))
    (project.content / "topics.yml").write_text(
        f"topics:\n  - id: evil\n    title: {_yaml(P['topic'])}\n    description: {_yaml(P['description'])}\n")
    project.add("evil.md", "---\n" + "\n".join([
        f"title: {_yaml(P['title'])}", "date: 2020-01-27", f"source: {_yaml(P['source'])}",
        f"author: {_yaml(P['author'])}", "topics: [evil]"]) + "\n---\n\n" + BODY)
    project.add("plain.md", "---\n" + "\n".join([
        "title: Plain story", "date: 2020-01-26", f"source: {_yaml(P['source'])}", "topics: [evil]",
        f"summary: {_yaml(P['summary'])}"]) + "\n---\n\nRockets again. Nothing else happened here.\n")
    project.build()
    return project.site


@pytest.fixture(scope="module")
def served(hostile_site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile_site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_no_payload_runs_on_any_page(served: str, hostile_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    pages = sorted(str(p.parent.relative_to(hostile_site)) for p in hostile_site.rglob("index.html"))
    events: list[str] = []
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("console", lambda m: events.append(f"console: {m.text}") if "PWNED" in m.text else None)
        for path in pages:
            page.goto(served + ("" if path == "." else path + "/"))
            page.wait_for_timeout(150)
        page.goto(served + "articles/evil/")
        page.screenshot(path=str(SHOTS / "injection-article.png"), full_page=True)
        h1 = page.locator("h1").first.inner_text()
        meta = page.locator(".nd-meta").inner_text()
        body = page.locator("article").text_content() or ""
        page.goto(served + "topics/evil/")
        topic_h1 = page.locator("h1").first.inner_text()
        page.goto(served + "articles/plain/")
        summary = page.locator(".nd-summary").inner_text()
        page.goto(served)
        page.locator(".nd-search input").click()
        page.locator(".nd-search input").press_sequentially("PWNED", delay=30)
        found = page.locator(".nd-search .pf-searchbox-result[href]")
        found.first.wait_for(timeout=15_000)
        page.wait_for_timeout(1000)         # every shown result has loaded and rendered
        page.screenshot(path=str(SHOTS / "injection-search.png"))
        result_titles = page.locator(".nd-search .nd-search-title").all_inner_texts()
        result_texts = found.all_inner_texts()
        result_html = page.locator(".nd-search").inner_html()
        browser.close()
    assert events == []
    assert len(pages) >= 8
    assert h1 == P["title"]                                  # shown as text, exactly
    assert P["source"] in meta and P["author"] in meta
    assert topic_h1 == P["topic"]
    assert P["summary"] in summary
    assert "Styled paragraph." in body and "Hidden text." in body
    assert P["title"] in result_titles                      # the search result shows the title as text
    assert any("<img src=x onerror=alert('summary')> PWNED" in t for t in result_texts)   # and the excerpt
    assert any(P["source"] in t for t in result_texts)
    assert "<img src=x" not in result_html and "<script>console" not in result_html


class _Tags(HTMLParser):
    """Every start tag with its attributes, as the browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def test_dangerous_markup_is_gone_from_the_html(hostile_site: Path) -> None:
    html = (hostile_site / "articles" / "evil" / "index.html").read_text()
    parser = _Tags()
    parser.feed(html[html.index('<article class="md-content__inner'):html.index("</article>")])
    assert parser.tags
    for tag, attrs in parser.tags:
        assert tag not in {"script", "iframe", "style", "svg", "object", "embed"}, tag
        assert not [a for a in attrs if a.startswith("on") or a == "style"], (tag, attrs)
        for a in ("href", "src"):
            assert not attrs.get(a, "").lower().startswith(("javascript:", "data:")), (tag, attrs)


def test_payloads_stay_text_in_feeds_and_search_index(hostile_site: Path) -> None:
    import json
    import xml.etree.ElementTree as ET

    atom = ET.parse(hostile_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in atom.findall("a:entry", ns)]
    assert P["title"] in titles                                   # the exact text, as text
    rss = ET.parse(hostile_site / "rss.xml").getroot()
    assert P["title"] in [i.findtext("title") for i in rss.iter("item")]
    feed = json.loads((hostile_site / "feed.json").read_text())
    assert P["title"] in [i["title"] for i in feed["items"]]
    for name in ("feed.xml", "rss.xml"):
        raw = (hostile_site / name).read_text()
        assert "<script>" not in raw and "<img src=x" not in raw and "<svg onload" not in raw
    index = pagefind_pages(hostile_site)
    assert index["/articles/evil/"]["meta"]["title"] == P["title"]   # plain text; the search box escapes it
    for page in index.values():                 # the text is shown as HTML in excerpts: escaped
        assert "<script" not in page["content"] and "<img" not in page["content"], page
        assert "<" not in page["content"] and ">" not in page["content"], page
    assert "&lt;script&gt;alert(" in index["/articles/plain/"]["content"]     # the summary, escaped
