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


@pytest.fixture(scope="module")
def site_url(demo_site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(demo_site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def page(site_url: str):  # noqa: ANN201 - a Playwright Page
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


def test_search_finds_the_embassy_article(page, site_url: str) -> None:  # noqa: ANN001
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("rocket", delay=30)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    page.screenshot(path=str(SHOTS / "search-rocket.png"))
    assert any("articles/2020-01-26-rockets-hit-us-embassy-baghdad/" in h for h in hrefs), hrefs


def test_topic_page_summary_sentence_leads_to_its_article(page, site_url: str) -> None:  # noqa: ANN001
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


def test_home_page_shows_topic_cards(page, site_url: str) -> None:  # noqa: ANN001
    page.goto(site_url)
    cards = page.locator(".nd-cards li")
    assert cards.count() == 2
    assert "Iraq protests" in cards.nth(0).inner_text() and "articles" in cards.nth(0).inner_text()
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
