"""The built demo site in a real browser: Debian's Chromium driven by Playwright.

Screenshots go to tests/screenshots/ (ignored by git) so a person can look at them.
Under CI=true a missing browser fails the run instead of skipping it.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = pytest.mark.browser


def chromium_path() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: install Debian's 'chromium' package (the test setup does).")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(demo_site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(demo_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def page(site_url: str):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        yield pg
        browser.close()
        assert errors == []


SEARCH_INPUT = ".nd-search input"
RESULTS = ".nd-search .pf-searchbox-result[href]"
EMBASSY = "articles/2020-01-26-rockets-hit-us-embassy-baghdad/"
ROCKET = "?pagefind-highlight=rocket"          # result links carry the words searched
EMBASSY_STORY = "stories/2020-01-26-rockets-hit-us-embassy-baghdad/"   # its full coverage ranks second


def _settled_results(page) -> list[str]:
    """The result links once the list stops changing. The box searches as each letter is
    typed and results for "r", "ro", ... arrive first, so the first list seen may be for
    a shorter query."""
    results = page.locator(RESULTS)
    results.first.wait_for(timeout=15_000)
    seen: list[list[str]] = []
    for _ in range(75):                        # at most 15 s
        seen.append([results.nth(i).get_attribute("href") or "" for i in range(results.count())])
        if len(seen) >= 4 and seen[-1] == seen[-2] == seen[-3] == seen[-4]:
            break
        page.wait_for_timeout(200)
    return seen[-1]


def test_search_finds_the_embassy_article_and_goes_there(page, site_url: str) -> None:
    page.goto(site_url + "topics/iraq-protests/")            # from a page one folder deep
    box = page.locator(SEARCH_INPUT)
    assert box.get_attribute("aria-label") == "Search" and box.get_attribute("role") == "combobox"
    box.click()
    box.press_sequentially("rocket", delay=30)
    results = page.locator(RESULTS)
    hrefs = _settled_results(page)
    page.screenshot(path=str(SHOTS / "search-rocket.png"))
    assert hrefs[:2] == ["/" + EMBASSY + ROCKET, "/" + EMBASSY_STORY + ROCKET], hrefs
    first = results.first.inner_text()
    assert "Rockets strike US embassy compound in Baghdad's Green Zone" in first
    assert "Newsdigest Desk · 26 January 2020" in first
    assert page.locator(".nd-search-count").inner_text() == f"{len(hrefs)} results"
    results.first.click()
    page.wait_for_load_state("load")
    assert page.url == site_url + EMBASSY + ROCKET
    assert "Rockets strike US embassy" in page.locator("h1").first.inner_text()
    # The opened page marks the words searched (Pagefind's pagefind-highlight.js), in its
    # content only, not in the header's search box.
    marks = page.locator("mark.pagefind-highlight")
    marks.first.wait_for(timeout=5_000)
    assert {m.lower() for m in marks.all_inner_texts()} == {"rocket"} and marks.count() >= 5
    assert page.locator(".md-content mark.pagefind-highlight").count() == marks.count()
    assert page.evaluate("getComputedStyle(document.querySelector('mark.pagefind-highlight')).backgroundColor") \
        != "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(SHOTS / "search-opened-highlight.png"))


def test_search_works_from_the_keyboard(page, site_url: str) -> None:
    page.goto(site_url + "sources/")
    page.keyboard.press("/")                                  # the shortcut focuses the box
    assert page.evaluate("document.activeElement.closest('.nd-search') !== null")
    page.keyboard.type("rocket", delay=20)
    _settled_results(page)          # results for "r", "ro", ... come first: choose from the last list
    page.keyboard.press("ArrowDown")
    selected = page.locator(".nd-search [aria-selected='true']")
    assert selected.count() == 1
    target = selected.get_attribute("href") or ""
    assert target.startswith(("/articles/", "/stories/")) and "rocket" in target   # an article or its story
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site_url + target.lstrip("/")
    page.goto(site_url)
    page.keyboard.press("Tab")                                # skip link, then through the header
    for _ in range(12):
        if page.evaluate("document.activeElement.closest('.nd-search') !== null"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the search box")
    page.keyboard.type("rocket")
    page.locator(RESULTS).first.wait_for(timeout=15_000)
    page.keyboard.press("Escape")
    assert not page.locator(RESULTS).first.is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_on_a_phone(page, site_url: str, scheme: str) -> None:
    phone = page.context.browser.new_page(viewport={"width": 375, "height": 740}, color_scheme=scheme)
    try:
        phone.goto(site_url + EMBASSY)
        box = phone.locator(SEARCH_INPUT)
        assert box.is_visible()
        phone.screenshot(path=str(SHOTS / f"search-phone-closed-{scheme}.png"))
        box.click()
        box.press_sequentially("rocket", delay=30)
        results = phone.locator(RESULTS)
        assert _settled_results(phone)[:2] == ["/" + EMBASSY + ROCKET, "/" + EMBASSY_STORY + ROCKET]
        assert phone.locator(".nd-search-count").is_visible()
        assert phone.locator(".nd-search select[name=topic]").is_visible()
        phone.screenshot(path=str(SHOTS / f"search-phone-open-{scheme}.png"))
        width = phone.evaluate("document.querySelector('.nd-search .pf-searchbox-dropdown').getBoundingClientRect().width")
        assert width > 330                                     # the results use the screen's width
        results.first.click()
        phone.wait_for_load_state("load")
        assert phone.url == site_url + EMBASSY + ROCKET
    finally:
        phone.close()


def test_search_filters_by_topic_and_source_from_the_keyboard(page, site_url: str) -> None:
    page.goto(site_url)
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.press_sequentially("rocket", delay=30)
    everything = _settled_results(page)
    count = page.locator(".nd-search-count")
    assert count.inner_text() == f"{len(everything)} results" and len(everything) >= 8
    topic = page.locator(".nd-search select[name=topic]")
    assert topic.locator("option").all_inner_texts() == ["All", "Iraq protests", "US troop presence"]
    assert page.locator(".nd-search label:has(select[name=topic])").inner_text().startswith("Topic")
    page.keyboard.press("Tab")                                 # from the input to the first filter
    assert page.evaluate("document.activeElement.name") == "topic"
    assert page.locator(RESULTS).first.is_visible()           # the results stay open
    topic.select_option("US troop presence")
    page.wait_for_function("(n) => document.querySelectorAll('%s').length < n" % RESULTS, arg=len(everything))
    narrowed = _settled_results(page)
    assert narrowed and set(narrowed) < set(everything)
    assert count.inner_text() == f"{len(narrowed)} result{'' if len(narrowed) == 1 else 's'}"
    assert all("/topics/" not in h for h in narrowed)         # topic pages have no topic filter
    page.screenshot(path=str(SHOTS / "search-filtered.png"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "source"
    page.keyboard.press("Escape")                              # back to the input, results closed
    assert page.evaluate("document.activeElement.matches('.nd-search input')")
    assert not page.locator(RESULTS).first.is_visible()


def test_a_syndicated_copy_is_one_result(page, site_url: str) -> None:
    page.goto(site_url)
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.press_sequentially("outlawed", delay=30)              # in the statement both copies quote
    hrefs = _settled_results(page)
    assert [h.split("?")[0] for h in hrefs if h.startswith("/articles/")] == [
        "/articles/2020-01-27-iraqi-pm-condemns-embassy-attack/"]
    result = page.locator(RESULTS).filter(has_text="Iraqi prime minister condemns")
    assert "Also reported by Newsdigest Wire" in result.inner_text()
    n = len(hrefs)
    assert page.locator(".nd-search-count").inner_text() == f"{n} result{'' if n == 1 else 's'}"


def test_search_at_file_url_says_it_needs_http(page, demo_site: Path) -> None:
    for width in (1280, 375):
        opened = page.context.browser.new_page(viewport={"width": width, "height": 800})
        try:
            opened.goto((demo_site / "articles" / "2020-01-24-million-man-march-baghdad" / "index.html").as_uri())
            note = opened.locator(".nd-search .nd-search-offline")
            assert note.inner_text() == "Search needs the site served over HTTP"
            assert note.is_visible()
            assert opened.locator(".nd-search input").count() == 0
            header = opened.locator(".md-header").inner_text()
            assert "Pagefind" not in header and str(demo_site) not in header
            opened.screenshot(path=str(SHOTS / f"search-file-url-{width}.png"),
                              clip={"x": 0, "y": 0, "width": width, "height": 120})
        finally:
            opened.close()


def test_topic_page_summary_sentence_leads_to_its_article(page, site_url: str) -> None:
    page.goto(site_url + "topics/iraq-protests/")
    assert page.locator("h1").first.inner_text() == "Iraq protests"
    page.screenshot(path=str(SHOTS / "topic-iraq-protests.png"), full_page=True)
    first = page.locator("li.nd-quote").first
    quoted = first.locator("q").inner_text()
    first.locator("a.nd-quote-link").click()
    page.wait_for_load_state("load")
    assert "/articles/" in page.url
    assert quoted in page.locator("article").inner_text()
    page.screenshot(path=str(SHOTS / "article-from-topic.png"), full_page=True)


def test_home_page_shows_topic_cards(page, site_url: str) -> None:
    page.goto(site_url)
    cards = page.locator(".nd-cards li")
    assert cards.count() == 2
    assert "Iraq protests" in cards.nth(0).inner_text() and "articles" in cards.nth(0).inner_text()
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)


def test_topic_page_to_story_to_article_and_back_by_full_coverage(page, site_url: str) -> None:
    page.goto(site_url + "topics/iraq-protests/")
    story_link = page.locator(".nd-stories a.nd-item-title[href*='stories/2020-01-26-rockets-hit-us-embassy-baghdad']")
    assert story_link.inner_text() == "Rockets strike US embassy compound in Baghdad's Green Zone"
    story_link.click()
    page.wait_for_load_state("load")
    story_url = site_url + "stories/2020-01-26-rockets-hit-us-embassy-baghdad/"
    assert page.url == story_url
    assert "5 articles from 2 outlets" in page.locator(".nd-story-line").inner_text()
    page.screenshot(path=str(SHOTS / "story-embassy.png"), full_page=True)
    sentence = page.locator("li.nd-quote").nth(2)
    quoted = sentence.locator("q").inner_text()
    sentence.locator("a.nd-quote-link").click()
    page.wait_for_load_state("load")
    assert "/articles/" in page.url
    assert quoted in page.locator("article").inner_text()
    coverage = page.locator("a.nd-full-coverage")
    assert coverage.inner_text() == "Full coverage: 5 articles from 2 outlets"
    coverage.click()
    page.wait_for_load_state("load")
    assert page.url == story_url
