"""The search index: one Pagefind record per article (syndicated copies merged into their
original), topic and home page, queried through Pagefind's own search (pagefind.js in
Chromium); full text of every article unless search_full_text_days limits it; metadata
searchable but kept out of the excerpt text; topic and source filters; a missing or failing
binary stops the build with a clear error."""

from __future__ import annotations

import functools
import http.server
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import REPO, Project, article, pagefind_pages
from test_browser import CHROMIUM_ARGS, QuietHandler, chromium_path
from test_duplicates import WIRE

from digest.pages.pagefindservice import Record, write_bundle
from digest.pages.searchshards import IndexJob

# Every result of a query (with filters, if any), with its data, as Pagefind's search API returns them.
SEARCH = """async ([query, filters]) => {
  const pagefind = await import("/pagefind/pagefind.js");
  for (const part of window.ndSearchBundles || []) {      // the article shards, as the search box merges them
    await pagefind.mergeIndex(new URL(part, new URL("/pagefind/", location.href)).pathname);
  }
  const found = await pagefind.search(query, {filters});
  return Promise.all(found.results.map(async (r) => {
    const d = await r.data();
    return {url: d.url, meta: d.meta, content: d.content};
  }));
}"""


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def search(browser):
    """Query a built site through Pagefind in Chromium: (site, query[, filters]) -> [{url, meta, content}]."""
    def query(site: Path, text: str, filters: dict | None = None) -> list[dict]:
        with served(site) as url:
            page = browser.new_page()
            try:
                page.goto(url)
                return page.evaluate(SEARCH, [text, filters or {}])
            finally:
                page.close()

    return query


def urls(results: list[dict]) -> list[str]:
    return [r["url"] for r in results]


def articles(results: list[dict]) -> list[str]:
    return sorted(u for u in urls(results) if u.startswith("/articles/"))


@pytest.mark.browser
def test_every_article_is_found_by_its_full_text_and_its_metadata(project: Project, search) -> None:
    body = "Rockets hit the embassy compound. A kitchen worker saw the smoke rise."
    project.add("old.md", article(title="Zeppelin story", date="2015-10-01", body=body,
                                  extra="summary: Rockets hit the embassy.\nauthor: Ann Lee"))
    fresh = "Talks resumed in the capital today. A kitchen strike ended."
    project.add("new.md", article(title="New <b>story</b>", date="2026-12-01", source="Wire", body=fresh))
    project.build()
    assert articles(search(project.site, "kitchen")) == ["/articles/new/", "/articles/old/"]   # old too
    assert urls(search(project.site, "zeppelin")) == ["/articles/old/"]          # by title
    assert urls(search(project.site, "Ann Lee")) == ["/articles/old/"]           # by author
    assert articles(search(project.site, "wire")) == ["/articles/new/"]          # by source
    old = search(project.site, "zeppelin")[0]
    assert old["meta"] == {"title": "Zeppelin story", "date": "1 October 2015", "source": "Desk",
                           "author": "Ann Lee", "topics": "Iraq protests"}
    # The text is the article's own prose only: an excerpt never shows a byline or "Topics:".
    assert old["content"] == ("Rockets hit the embassy. Rockets hit the embassy compound. "
                              "A kitchen worker saw the smoke rise.")
    new = next(r for r in search(project.site, "kitchen") if r["url"] == "/articles/new/")
    assert new["meta"]["title"] == "New <b>story</b>"       # plain text: the search box escapes it
    assert new["content"] == fresh


@pytest.mark.browser
def test_an_article_dated_today_leaves_the_old_demo_searchable_in_the_box(tmp_path: Path, browser) -> None:
    """Issue 15: one article dated today made the 2020 demo's body text unsearchable."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    (tmp_path / "content" / "articles" / f"{today}-new.md").write_text(
        article(title="Talks resume", date=today, body="Talks resumed in the capital. Both sides met."))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp_path, check=True, env=env)
    with served(tmp_path / "site") as url:
        page = browser.new_page()
        try:
            page.goto(url)
            box = page.locator(".nd-search input")
            box.click()
            box.press_sequentially("accusation", delay=30)   # in the 2020 embassy article's body only
            result = page.locator(".nd-search .pf-searchbox-result[href]").first
            result.wait_for(timeout=15_000)
            page.wait_for_timeout(800)
            assert page.locator(".nd-search .pf-searchbox-result[href]").count() == 1
            assert page.locator(".nd-search-count").inner_text() == "1 result"
            assert result.get_attribute("href") == (
                "/articles/2020-01-26-rockets-hit-us-embassy-baghdad/?pagefind-highlight=accusation")
            assert "<mark>accusation</mark>" in result.locator(".nd-search-excerpt").inner_html()
        finally:
            page.close()


@pytest.mark.browser
def test_a_limit_keeps_older_articles_to_title_metadata_and_summary(project: Project, search) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      search_full_text_days: 30\n"))
    project.add("old.md", article(title="Old", date="2015-01-01",
                                  body="Rockets hit the base. A kitchen worker saw it.",
                                  extra="summary: Rockets hit."))
    project.add("new.md", article(title="New", date="2020-01-27", body="Police watched. Crowds marched."))
    project.build()
    assert articles(search(project.site, "kitchen")) == []
    assert articles(search(project.site, "rockets")) == ["/articles/old/"]       # its summary
    assert articles(search(project.site, "crowds")) == ["/articles/new/"]


def test_a_negative_limit_is_refused_naming_the_option(project: Project) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      search_full_text_days: -3\n"))
    project.add("one.md", article())
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "search_full_text_days" in result.stderr
    assert "must be 0 (no limit) or a number of days, not -3." in result.stderr


@pytest.mark.browser
def test_topic_and_source_filters_narrow_the_results(project: Project, search) -> None:
    body = "Crowds marched on the square. Police watched them."
    project.add("one.md", article(title="One", source="Desk", body=body))
    project.add("two.md", article(title="Two", source="Wire", topics="[us-troop-presence]",
                                  body="Crowds gathered near the base. Soldiers stayed inside."))
    project.add("three.md", article(title="Three", source="Wire", topics="[iraq-protests, us-troop-presence]",
                                    body="Crowds cheered the vote. Members left the chamber."))
    project.build()
    assert pagefind_pages(project.site)["/articles/three/"]["filters"] == {
        "topic": ["Iraq protests", "US troop presence"], "source": ["Wire"]}
    assert not pagefind_pages(project.site)["/"].get("filters")      # pages that are no article: none
    assert articles(search(project.site, "crowds")) == ["/articles/one/", "/articles/three/", "/articles/two/"]
    assert articles(search(project.site, "crowds", {"topic": "Iraq protests"})) == [
        "/articles/one/", "/articles/three/"]
    assert articles(search(project.site, "crowds", {"source": "Wire"})) == ["/articles/three/", "/articles/two/"]
    assert articles(search(project.site, "crowds", {"topic": "US troop presence", "source": "Desk"})) == []


@pytest.mark.browser
def test_a_syndicated_copy_is_one_result_that_names_both_sources(project: Project, search) -> None:
    project.add("original.md", article(title="Timber yard fire", date="2020-01-26T09:00:00Z", source="Desk",
                                       body=WIRE))
    project.add("copy.md", article(title="Blaze at timber yard", date="2020-01-26T15:00:00Z", source="Wire",
                                   body=WIRE))
    project.build()
    assert (project.site / "articles" / "copy" / "index.html").is_file()      # the page stays
    assert "/articles/copy/" not in pagefind_pages(project.site)
    found = search(project.site, "firefighters")
    assert articles(found) == ["/articles/original/"]
    assert next(r for r in found if r["url"] == "/articles/original/")["meta"]["also"] == "Wire"
    assert articles(search(project.site, "firefighters", {"source": "Wire"})) == ["/articles/original/"]


@pytest.mark.browser
def test_topics_and_home_are_found_but_not_archive_or_sources(project: Project, search) -> None:
    project.add("one.md", article(title="One", body="Crowds marched on the square. Police watched them."))
    project.build()
    assert "/topics/iraq-protests/" in urls(search(project.site, "anti-government"))   # description
    assert "/topics/iraq-protests/" in urls(search(project.site, "square"))            # story quote
    assert "/" in urls(search(project.site, "American forces"))                        # home: topics
    everything = set(pagefind_pages(project.site))
    assert everything == {"/", "/topics/iraq-protests/", "/topics/us-troop-presence/", "/articles/one/"}


def test_record_text_is_escaped_and_cannot_steer_the_ranking(project: Project) -> None:
    project.add("one.md", article(title="One", body="Crowds marched on the square. Police watched them.",
                                  extra="summary: '<b>Bold</b> & ___PAGEFIND_WEIGHT___10 spam ___END_PAGEFIND_WEIGHT___'"))
    project.build()
    index = pagefind_pages(project.site)
    content = index["/articles/one/"]["content"]
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; PAGEFIND_WEIGHT___10 spam END_PAGEFIND_WEIGHT___" in content
    assert "Crowds marched on the square." in content                 # recent: full text too
    assert index["/topics/iraq-protests/"]["meta"]["articles"] == "1 article"


@pytest.mark.browser
def test_results_link_right_from_a_sub_path_without_directory_urls(project: Project, browser) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text() + "use_directory_urls: false\n")
    project.add("one.md", article(title="Zeppelin over the square", body="Crowds watched. Police too."))
    project.add("two.md", article(title="Another story", date="2020-01-26"))
    project.build()
    with served(project.root) as root:                        # the site is served at /site/
        page = browser.new_page()
        try:
            page.goto(root + "site/articles/two.html")
            page.locator(".nd-search input").click()
            page.keyboard.type("zeppelin")
            result = page.locator(".nd-search .pf-searchbox-result[href]").first
            result.wait_for(timeout=15_000)
            assert result.get_attribute("href") == "/site/articles/one.html?pagefind-highlight=zeppelin"
            result.click()
            page.wait_for_load_state("load")
            assert page.url == root + "site/articles/one.html?pagefind-highlight=zeppelin"
            page.locator("mark.pagefind-highlight").first.wait_for(timeout=5_000)   # the script found its bundle
            assert page.locator("h1 mark.pagefind-highlight").inner_text() == "Zeppelin"
            assert page.locator("h1").first.inner_text() == "Zeppelin over the square"
        finally:
            page.close()


def test_without_directory_urls_records_point_at_html_files(project: Project) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text() + "use_directory_urls: false\n")
    project.add("one.md", article(title="One"))
    project.build()
    for url in pagefind_pages(project.site):
        target = project.site / url.lstrip("/")
        assert target.is_file(), url
    assert "/articles/one.html" in pagefind_pages(project.site)


def test_theme_search_plugin_is_turned_off_with_a_warning(project: Project,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - search\n  - digest\n"))
    project.add("one.md", article())
    with caplog.at_level(logging.WARNING):
        project.build()
    assert "theme's search plugin is turned off" in caplog.text and "remove '- search'" in caplog.text
    assert not (project.site / "search").exists()
    assert "md-search" not in project.html("articles/one")          # one search box: ours
    assert 'class="nd-search"' in project.html("articles/one")


@pytest.mark.parametrize("binary, cause", [
    ("/nonexistent/pagefind", "not found (PAGEFIND_BINARY_PATH names '/nonexistent/pagefind', which is not a file)"),
    ("/bin/false", "the pagefind binary stopped unexpectedly")])
def test_a_broken_binary_stops_the_build_naming_cause_and_fix(project: Project, binary: str, cause: str) -> None:
    project.add("one.md", article())
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PAGEFIND_BINARY_PATH": binary}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "digest: the search index was not written: " in result.stderr and cause in result.stderr
    assert ("Fix: reinstall newsdigest with its dependencies (pip install 'pagefind[bin]>=1.5,<2'), "
            f"or unset PAGEFIND_BINARY_PATH (it is set to '{binary}').") in result.stderr


def test_a_large_batch_is_indexed_in_one_pass(tmp_path: Path) -> None:
    records = [Record(f"/articles/a{i}/", f"Story number {i} about rockets and markets.", {"title": f"A{i}"})
               for i in range(600)]
    start = time.perf_counter()
    write_bundle(tmp_path / "pagefind", records)
    assert time.perf_counter() - start < 20     # PagefindIndex's reader would take 60 s (0.1 s a record)
    assert len(pagefind_pages(tmp_path)) == 600


def test_a_cancelled_job_stops_quietly(tmp_path: Path) -> None:
    records = [Record(f"/a{i}/", "word " * 2000, {"title": "t"}) for i in range(2000)]
    job = IndexJob(tmp_path / "pagefind", records)
    job.cancel()
    job.wait()                                   # nothing raised
    assert not (tmp_path / "pagefind" / "pagefind-entry.json").exists()


def _records_digest(duplicates: tuple = ()):
    """A digest of three articles (b re-runs a; c is old), built by hand for search_records."""
    from digest.analysis.duplicates import DuplicateGroup
    from digest.model import Article, ArticleAnalysis, Digest, Topic, TopicDigest

    def art(slug: str, source: str, day: int, year: int = 2020, **kw) -> Article:
        return Article(path=f"{slug}.md", slug=slug, title=f"Title {slug}", published=datetime(year, 1, day, tzinfo=UTC),
                       source=source, topics=("t1",), body="", **kw)

    arts = (art("a", "Desk", 26, author="Ann Lee"), art("b", "Wire", 27), art("c", "Wire", 1, 2015, summary="Editor's."))
    analyses = {a.slug: ArticleAnalysis(sentences=(f"First of {a.slug} <b>.", f"Second of {a.slug}."), summary=(0,))
                for a in arts}
    topic = TopicDigest(Topic("t1", "Topic one", "About one."), arts, ())
    groups = tuple(DuplicateGroup(o, c) for o, c in duplicates)
    return Digest(arts, (topic,), analyses, duplicates=groups)


def test_records_hold_prose_as_text_and_the_rest_as_metadata_and_filters() -> None:
    from digest.pages.searchindex import search_records

    records = {r.url: r for r in search_records(_records_digest(), "Site", "About the site.")}
    assert list(records) == ["/", "/topics/t1/", "/articles/a/", "/articles/b/", "/articles/c/"]
    a = records["/articles/a/"]
    assert a.content == "First of a &lt;b&gt;. Second of a."          # full text, escaped, nothing else
    assert a.meta == {"title": "Title a", "date": "26 January 2020", "source": "Desk", "author": "Ann Lee",
                      "topics": "Topic one"}
    assert a.filters == {"topic": ["Topic one"], "source": ["Desk"]}
    assert records["/articles/c/"].content == "Editor's. First of c &lt;b&gt;. Second of c."   # old: in full too
    assert records["/topics/t1/"].meta == {"title": "Topic one", "articles": "3 articles"}
    assert records["/"].filters == {} and records["/topics/t1/"].filters == {}


def test_records_limited_to_recent_full_text_keep_older_ones_to_their_summary() -> None:
    from digest.pages.searchindex import search_records

    records = {r.url: r for r in search_records(_records_digest(), "Site", full_text_days=30)}
    assert records["/articles/a/"].content == "First of a &lt;b&gt;. Second of a."
    assert records["/articles/c/"].content == "Editor's."                  # 2015: its summary only


def test_a_copy_is_merged_into_its_original_record() -> None:
    from digest.pages.searchindex import search_records

    records = {r.url: r for r in search_records(_records_digest((("a", ("b",)),)), "Site",
                                                article_count=lambda n: f"{n} Artikel")}
    assert "/articles/b/" not in records
    assert records["/articles/a/"].meta["also"] == "Wire"
    assert records["/articles/a/"].filters["source"] == ["Desk", "Wire"]
    assert records["/topics/t1/"].meta["articles"] == "3 Artikel"           # the caller's words


def test_an_incomplete_bundle_is_refused_and_the_last_one_kept(tmp_path: Path) -> None:
    """A bundle the binary left half-written (an empty script, no entry file) is never
    swapped in: the build stops with a SearchIndexError and the old bundle stays."""
    from digest.pages.pagefindservice import SearchIndexError, check_bundle

    out = tmp_path / "pagefind"
    out.mkdir()
    (out / "pagefind-entry.json").write_text('{"languages": {"en": {}}}')
    fresh = tmp_path / ".pagefind.new"
    fresh.mkdir()
    (fresh / "pagefind-entry.json").write_text('{"version": "1", "languages": {"en": {"page_count": 1}}}')
    (fresh / "pagefind-ui.css").write_bytes(b"")
    with pytest.raises(SearchIndexError, match=r"incomplete index in .*pagefind \(empty: pagefind-ui.css\)"):
        check_bundle(fresh, out)
    assert not fresh.exists() and (out / "pagefind-entry.json").is_file()
    fresh.mkdir()
    with pytest.raises(SearchIndexError, match="left no complete index"):
        check_bundle(fresh, out)


def test_the_halves_a_killed_build_left_are_cleared_and_the_bundle_replaced(tmp_path: Path) -> None:
    """A killed build can leave `.pagefind.new-<pid>` (MkDocs keeps hidden entries of the site
    folder): the next bundle removes it, and replaces the old bundle whole."""
    (tmp_path / ".pagefind.new-999" / "fragment").mkdir(parents=True)
    (tmp_path / ".pagefind.old-998").mkdir()
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "stale.pf_fragment").write_bytes(b"old")
    write_bundle(tmp_path / "pagefind", [Record("/a/", "Rockets over the capital.", {"title": "A"})])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind"]
    assert not (tmp_path / "pagefind" / "stale.pf_fragment").exists()
    assert list(pagefind_pages(tmp_path)) == ["/a/"]


def test_a_story_result_reads_as_coverage_not_as_a_topic() -> None:
    """A story's record has its outlets as its byline and its quotes as its text: no topic
    count (`articles`) and no "also reported by" (`also`), which the result box words as such."""
    from digest.analysis.analyse import AnalysisOptions, build_digest
    from digest.loading.loader import load_corpus
    from digest.pages.searchindex import story_records

    corpus = load_corpus(REPO / "content", now=datetime(2030, 1, 1, tzinfo=UTC))
    digest = build_digest(corpus.topics, corpus.articles, AnalysisOptions())
    record = next(r for r in story_records(digest) if "rockets-hit-us-embassy-baghdad" in r.url)
    assert record.meta == {"title": "Rockets strike US embassy compound in Baghdad's Green Zone",
                           "date": "27 January 2020", "source": "Newsdigest Desk, Newsdigest Wire"}
    assert record.content.startswith("The American embassy in Baghdad was hit by rocket fire on Sunday night.")
