"""The Material adapter (digest/adapter/): the nav cache and its check, the header's search
box, coexistence with Material's social, offline and privacy plugins and its instant
navigation, and the analysis cache key's library versions."""

from __future__ import annotations

import functools
import http.server
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import article
from digest.adapter.materialplugins import SOCIAL_DEFAULT_TAGS
from digest.adapter.plugin import OVERRIDES


# --- the nav cache (digest/adapter/navcache.py) ---------------------------------------------

def _articles(project, n: int = 4) -> None:
    for i in range(n):
        project.add(f"2020-01-2{i}-story-{i}.md", article(
            title=f"Story number {i}", date=f"2020-01-2{i}", source=["Desk", "Wire"][i % 2],
            body=f"Protesters gathered in square {i} on Monday. Police watched from the side streets."))


def _set_option(project, line: str) -> None:
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - digest\n", f"  - digest:\n      {line}\n"),
                   encoding="utf-8")


def _html_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def _built(project, caplog: pytest.LogCaptureFixture) -> dict[str, bytes]:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.digest"):
        project.build()
    return _html_files(project.site)


def _with_features(project, features: str) -> None:
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        "  name: material\n", f"  name: material\n  features: {features}\n"), encoding="utf-8")


def test_the_nav_cache_on_and_off_give_the_same_site(project, caplog: pytest.LogCaptureFixture) -> None:
    _articles(project)
    _with_features(project, "[navigation.tabs]")
    on = _built(project, caplog)
    served = [r.getMessage() for r in caplog.records if "per-folder memo" in r.getMessage()]
    assert len(served) == 2 and all("0 folders refused" in m for m in served), served
    assert "served from its per-folder memo 0 times" not in served[0]      # it did serve pages
    shutil.rmtree(project.site)
    _set_option(project, "cache_nav: false")
    off = _built(project, caplog)
    assert not [r for r in caplog.records if "per-folder memo" in r.getMessage()]
    assert sorted(on) == sorted(off) and len(on) > 8
    assert [name for name in on if on[name] != off[name]] == []


def test_a_nav_that_differs_from_page_to_page_is_caught_and_the_site_stays_right(
        project, caplog: pytest.LogCaptureFixture) -> None:
    """A theme override whose nav prints the page's title breaks the memo's premise: the check
    on each folder's second page sees it, and the theme renders every page's nav."""
    _articles(project)
    (project.root / "custom" / "partials").mkdir(parents=True)
    (project.root / "custom" / "partials" / "nav.html").write_text(
        '<nav class="md-nav">Now reading: {{ page.title }}</nav>', encoding="utf-8")
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n"
                                                           "  custom_dir: custom\n"), encoding="utf-8")
    _set_option(project, "cache_nav: false")
    right = _built(project, caplog)
    shutil.rmtree(project.site)
    yml.write_text(yml.read_text(encoding="utf-8").replace("cache_nav: false", "cache_nav: true"), encoding="utf-8")
    checked = _built(project, caplog)
    messages = [r.getMessage() for r in caplog.records]
    assert any("renders partials/nav.html for articles/" in m and "unlike the nav rendered once" in m
               for m in messages), messages
    assert [name for name in right if right[name] != checked.get(name)] == []
    for i in range(4):
        assert f"Now reading: Story number {i}</nav>" in project.html(f"articles/2020-01-2{i}-story-{i}")


# --- the search box in Material's header ----------------------------------------------------

def test_the_header_override_is_materials_header_but_for_the_search_box() -> None:
    """partials/header.html is Material's own, line for line, but for our box in the place of
    Material's search (which needs its search plugin): a Material release that changes its
    header fails here, so the copy cannot drift unnoticed."""
    import material

    theirs = (Path(material.__file__).parent / "templates" / "partials" / "header.html").read_text(encoding="utf-8")
    ours = (OVERRIDES / "partials" / "header.html").read_text(encoding="utf-8")
    theirs, ours = theirs.split("-#}\n", 1)[1], ours.split("-#}\n", 1)[1]
    before, rest = ours.split("    {#- digest: search -#}\n")
    box, after = rest.split("    {#- digest: end -#}\n")
    assert box == '    {% include "partials/digest-search.html" %}\n'
    assert theirs.startswith(before) and theirs.endswith(after)
    replaced = theirs[len(before):len(theirs) - len(after)]
    assert replaced.startswith('    {% if "material/search" in config.plugins %}\n')
    assert replaced.rstrip().endswith("{% endif %}") and 'include "partials/search.html"' in replaced
    assert [line for line in replaced.splitlines() if "include" in line and "search" not in line
            and ".icons/" not in line] == []


def test_the_search_box_sits_in_the_header_bar_before_the_repository_link(project) -> None:
    _articles(project, 2)
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "repo_url: https://github.com/example/news\n", encoding="utf-8")
    project.build()
    for page in ("", "articles/2020-01-21-story-1/", "topics/iraq-protests/"):
        html = (project.site / page / "index.html").read_text(encoding="utf-8")
        header = html[html.index('<header class="md-header'):html.index("</header>")]
        inner = header[header.index('<nav class="md-header__inner'):header.index("</nav>")]
        assert inner.count('<div class="nd-search" role="search"') == 1, page
        assert inner.index("nd-search") < inner.index('<div class="md-header__source">'), page
        assert html.count("<pagefind-searchbox") == 1, page


# --- Material's social plugin: its tags win, ours add what it lacks ---------------------------

def _imaging() -> None:
    """Social cards need Pillow and CairoSVG (with Debian's libcairo2); .ci/setup installs them."""
    try:
        import cairosvg  # noqa: F401
        import PIL  # noqa: F401
    except (ImportError, OSError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Material's social plugin cannot run: {exc} (.ci/setup installs it)")
        pytest.skip(f"Material's social plugin needs Pillow and CairoSVG with libcairo2: {exc}")


def _mkdocs_build(project) -> str:
    """`mkdocs build` as a user runs it (the CLI also runs the plugins' on_startup, which
    Material's social and privacy plugins need); returns its log."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project.root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stderr


def _meta(html: str) -> list[tuple[str, str]]:
    """Every Open Graph and Twitter tag in a page's head, as (name, content)."""
    head = html[:html.index("</head>")]
    return [(m.group(2), m.group(3)) for m in re.finditer(
        r'<meta (property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"', head)]


def test_with_social_cards_each_tag_is_written_once_and_ours_add_only_what_social_lacks(project) -> None:
    _imaging()
    _articles(project, 3)
    # No network here: the cards' font comes from the plugin's font cache, filled from
    # Debian's DejaVu fonts (Material would fetch Roboto from Google Fonts).
    fonts = project.root / ".cache" / "plugin" / "social" / "fonts" / "DejaVu Sans"
    fonts.mkdir(parents=True)
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not (dejavu / "DejaVuSans.ttf").exists():
        pytest.skip("Debian's fonts-dejavu-core is not installed (the cards' offline font)")
    shutil.copy(dejavu / "DejaVuSans.ttf", fonts / "Regular.ttf")
    shutil.copy(dejavu / "DejaVuSans-Bold.ttf", fonts / "Bold.ttf")
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - digest\n", (
        "  - digest\n  - social:\n      cards_layout_options:\n        font_family: DejaVu Sans\n"
        "      cards_exclude: ['sources/*']\n")), encoding="utf-8")
    _mkdocs_build(project)
    article_page = project.html("articles/2020-01-21-story-1")
    tags = _meta(article_page)
    names = [name for name, _ in tags]
    assert sorted(names) == sorted(set(names)), names                   # no tag twice
    assert SOCIAL_DEFAULT_TAGS <= set(names) and "og:site_name" in names
    assert dict(tags)["twitter:card"] == "summary_large_image"           # social's, not ours
    assert dict(tags)["og:title"].startswith("Story number 1")
    assert dict(tags)["og:image"].startswith("https://example.org/assets/images/social/")
    assert list((project.site / "assets" / "images" / "social").rglob("*.png"))
    assert article_page.count('property="og:site_name"') == 1
    # A page social makes no card for keeps our whole set, each once.
    source = dict(_meta(project.html("sources/desk")))
    assert source["twitter:card"] == "summary" and source["og:title"] == "Desk"
    assert sorted(n for n, _ in _meta(project.html("sources/desk"))) == sorted(
        ["og:type", "og:site_name", "og:title", "og:description", "og:url", "twitter:card",
         "twitter:title", "twitter:description"])


# --- offline and privacy -------------------------------------------------------------------

def _add_plugin(project, text: str, theme: str = "") -> None:
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - digest\n", "  - digest\n" + text)
                   .replace("  name: material\n", "  name: material\n" + theme), encoding="utf-8")


def test_with_the_offline_plugin_the_build_warns_that_search_needs_http(project) -> None:
    _articles(project, 2)
    _add_plugin(project, "  - offline\n")
    log = _mkdocs_build(project)
    assert ("WARNING -  digest: the offline plugin is on, but Pagefind search needs the site served "
            "over HTTP") in log
    assert "Fix: serve the site folder (e.g. `python -m http.server -d site`)" in log
    page = (project.site / "articles" / "2020-01-21-story-1.html").read_text(encoding="utf-8")
    assert "<pagefind-searchbox" in page and 'href="../topics/iraq-protests.html"' in page
    assert (project.site / "pagefind" / "pagefind-entry.json").exists()
    yml = project.root / "mkdocs.yml"                 # without offline, no such warning
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - offline\n", ""), encoding="utf-8")
    assert "offline plugin" not in _mkdocs_build(project)


_EXTERNAL = re.compile(r'<(?:link|script|img|image|source|iframe)\b[^>]*?(?:src|href)="((?:https?:)?//[^"/]+)', re.I)


def test_with_the_privacy_plugin_our_pages_need_no_external_asset(project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Material's privacy plugin downloads every external asset a page loads; ours load none.
    It fetches only what Material's own script bundle names (mermaid, for diagrams); its
    Google font is turned off here (it would be Material's too)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from material.plugins.privacy import plugin as privacy

    _articles(project, 3)
    _add_plugin(project, "  - privacy\n", theme="  font: false\n")
    fetched: list[str] = []

    def no_network(url: str, *args: object, **kwargs: object) -> None:
        fetched.append(url)
        raise OSError(f"no network in tests: {url}")

    monkeypatch.setattr(privacy.requests, "get", no_network)
    config = load_config(str(project.root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    import material

    bundles = "".join(p.read_text(encoding="utf-8", errors="replace") for p in
                      (Path(material.__file__).parent / "templates" / "assets" / "javascripts").glob("*.js"))
    assert [url for url in fetched if url not in bundles] == []
    for page in ("", "articles/2020-01-21-story-1/", "topics/iraq-protests/", "archive/", "sources/desk/"):
        html = (project.site / page / "index.html").read_text(encoding="utf-8")
        assert [m for m in _EXTERNAL.findall(html) if m != "https://example.org"] == [], page
        assert "<pagefind-searchbox" in html and 'property="og:title"' in html, page
    topic = project.html("topics/iraq-protests")
    assert 'rel="alternate" type="application/atom+xml"' in topic


# --- navigation.instant: pages swapped in place keep working ----------------------------------

@pytest.mark.browser
def test_after_an_instant_navigation_our_pages_and_the_search_box_still_work(project) -> None:
    """With Material's navigation.instant a link swaps the page in place (no reload): the
    article it opens is whole, and the header's search box still searches and opens a result."""
    from playwright.sync_api import expect, sync_playwright
    from test_browser import CHROMIUM_ARGS, SHOTS, QuietHandler, chromium_path

    _articles(project, 4)
    _with_features(project, "[navigation.instant]")
    handler = functools.partial(QuietHandler, directory=str(project.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    # Material swaps in only pages of its sitemap, by the address they will be served at.
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("https://example.org/", url), encoding="utf-8")
    project.build()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    SHOTS.mkdir(exist_ok=True)
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url + "topics/iraq-protests/")
            page.evaluate("window.ndSamePage = true")       # survives only an in-place swap
            page.locator("article a[href*='articles/2020-01-22-story-2']").first.click()
            # The address changes before the new content is swapped in: wait for the content.
            expect(page.locator("article h1").first).to_contain_text("Story number 2", timeout=15_000)
            assert page.url == url + "articles/2020-01-22-story-2/"
            assert page.evaluate("window.ndSamePage === true"), "the link reloaded the page"
            expect(page.locator("article").first).to_contain_text("Protesters gathered in square 2")
            box = page.locator(".nd-search input")
            box.click()
            box.press_sequentially("square 3", delay=30)
            result = page.locator(".nd-search .pf-searchbox-result[href*='articles/2020-01-23-story-3']").first
            result.wait_for(timeout=15_000)
            page.screenshot(path=str(SHOTS / "instant-search.png"))
            result.click()
            expect(page.locator("article h1").first).to_contain_text("Story number 3", timeout=15_000)
            assert page.url.startswith(url + "articles/2020-01-23-story-3/"), page.url
            assert page.locator(".nd-search pagefind-searchbox").count() == 1
            browser.close()
    finally:
        server.shutdown()
    assert errors == []


# --- the adapter's boundary -----------------------------------------------------------------

def test_only_the_adapter_imports_mkdocs_or_material() -> None:
    """Loading, the analysis and the pages import nothing from MkDocs, Material or the adapter
    (statically and when imported), so only digest/adapter/ would change with the generator."""
    import ast

    package = Path(__file__).resolve().parent.parent / "digest"
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).parts[0] == "adapter":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [("." * node.level) + (node.module or "")] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(package)}: {n}" for n in names
                      if n.split(".")[0] in ("mkdocs", "material") or "adapter" in n.split(".")]
    assert found == []
    probe = ("import sys, pkgutil, importlib, digest\n"
             "for m in pkgutil.iter_modules(digest.__path__, 'digest.'):\n"
             "    if m.name != 'digest.adapter':\n"
             "        pkg = importlib.import_module(m.name)\n"
             "        for sub in pkgutil.walk_packages(getattr(pkg, '__path__', []), m.name + '.'):\n"
             "            importlib.import_module(sub.name)\n"
             "print(sorted(n for n in sys.modules if n.split('.')[0] in ('mkdocs', 'material')"
             " or n.startswith('digest.adapter')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
