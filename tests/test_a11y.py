"""Accessibility: axe-core (npm, tests/a11y/) run in Chromium on the home, topic and article
pages, in the light and the dark scheme, with the header's search results closed and open.
No serious or critical violation is allowed.

`bash .ci/setup --browser` installs axe-core with `npm ci --prefix tests/a11y`. Under
CI=true a missing axe-core fails the run instead of skipping it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_browser import CHROMIUM_ARGS, SHOTS, chromium_path, site_url  # noqa: F401 - fixture

AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {"home": "", "topic": "topics/iraq-protests/",
         "article": "articles/2020-01-26-rockets-hit-us-embassy-baghdad/"}

pytestmark = pytest.mark.browser


def axe_path() -> Path:
    if not AXE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("axe-core is missing: run `npm ci --prefix tests/a11y` (bash .ci/setup --browser does).")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/a11y)")
    return AXE


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    axe_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("search", ["closed", "open"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_axe_violations(browser, site_url: str, name: str,  # noqa: F811
                                               scheme: str, search: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page.goto(site_url + PAGES[name])
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        if search == "open":
            page.locator(".nd-search input").click()
            page.keyboard.type("rocket")
            page.locator(".nd-search .pf-searchbox-result[href]").first.wait_for(timeout=15_000)
            page.keyboard.press("ArrowDown")                # one result selected, as when browsing them
            page.wait_for_timeout(300)                      # the other shown results load
        page.add_script_tag(path=str(axe_path()))
        result = page.evaluate("async () => await axe.run(document)")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"a11y-{name}-{scheme}-search-{search}.png"), full_page=search == "closed")
    finally:
        page.close()
    assert result["testEngine"]["name"] == "axe-core" and result["passes"]
    bad = [f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], "\n".join(bad)
