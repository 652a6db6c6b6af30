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
EMBASSY_STORY = "stories/2020-01-26-rockets-hit-us-embassy-baghdad/"   # its full coverage ranks first


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
    assert hrefs[:2] == ["/" + EMBASSY_STORY, "/" + EMBASSY], hrefs
    first = results.nth(1).inner_text()
    assert "Rockets strike US embassy compound in Baghdad's Green Zone" in first
    assert "Newsdigest Desk · 26 January 2020" in first
    results.nth(1).click()
    page.wait_for_load_state("load")
    assert page.url == site_url + EMBASSY
    assert "Rockets strike US embassy" in page.locator("h1").first.inner_text()


def test_search_works_from_the_keyboard(page, site_url: str) -> None:
    page.goto(site_url + "sources/")
    page.keyboard.press("/")                                  # the shortcut focuses the box
    assert page.evaluate("document.activeElement.closest('.nd-search') !== null")
    page.keyboard.type("rocket", delay=20)
    page.locator(RESULTS).first.wait_for(timeout=15_000)
    page.keyboard.press("ArrowDown")
    selected = page.locator(".nd-search [aria-selected='true']")
    assert selected.count() == 1
    target = selected.get_attribute("href") or ""
    assert target.startswith("/articles/") and "rocket" in target
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
        assert _settled_results(phone)[:2] == ["/" + EMBASSY_STORY, "/" + EMBASSY]
        phone.screenshot(path=str(SHOTS / f"search-phone-open-{scheme}.png"))
        width = phone.evaluate("document.querySelector('.nd-search .pf-searchbox-dropdown').getBoundingClientRect().width")
        assert width > 330                                     # the results use the screen's width
        results.nth(1).click()
        phone.wait_for_load_state("load")
        assert phone.url == site_url + EMBASSY
    finally:
        phone.close()


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
