"""Article pages filled into the theme's frame (digest/adapter/frame.py) are the theme's own pages."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from conftest import Project, article

ARTICLES = {
    "plain.md": article(title="Rockets hit the embassy",
                        body="Three rockets struck the embassy compound on Sunday. Officials said one person was hurt."),
    "marks.md": article(title='"Q&A: \\"Who pays?\\" <Baghdad> & the \'deal\'"', date="2020-01-26",
                        extra="author: Ann O'Neil & Co\nurl: https://example.org/a?x=1&y=2",
                        body="## What was agreed\n\nThe council said it would pay. Critics said it would not.\n\n"
                             "## What <comes> next\n\nA vote is due on Friday. It may be delayed again."),
    "h1.md": article(title="A heading of its own", date="2020-01-25",
                     body="# The body's own title\n\nProtesters marched in Baghdad. Police watched the march."),
    "long.md": article(title="A very long title " * 8, date="2020-01-24",
                       body="Long titles still fit. The march went on for hours in the capital."),
}


# Three of each kind: the first page of a shape checks its frame, the others are filled.
ARTICLES = {f"{n}{name}": text.replace(
    "date: 2020-01-2", f"date: 2020-0{n + 1}-2") for n in range(3) for name, text in ARTICLES.items()}


def _site(root: Path, extra: str = "", overrides: dict[str, str] | None = None,
          features: str = "", top: str = "") -> dict[str, str]:
    project = Project(root)
    for name, text in ARTICLES.items():
        project.add(name, text)
    cfg = root / "mkdocs.yml"
    text = cfg.read_text().replace("  - digest\n", "  - digest:\n      cache: false\n" + extra)
    if features:
        text = text.replace("  name: material\n", f"  name: material\n  features: [{features}]\n")
    if overrides:
        text = text.replace("  name: material\n", "  name: material\n  custom_dir: theme\n")
        for name, body in overrides.items():
            (root / "theme" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "theme" / name).write_text(body)
    cfg.write_text(text + top)
    project.build()
    return {p.relative_to(project.site).as_posix(): p.read_text() for p in project.site.rglob("*.html")}


def _filled(caplog: pytest.LogCaptureFixture) -> int:
    counts = [r.args[0] for r in caplog.records if "filled into the theme's frame" in r.getMessage()]
    assert len(counts) == 1
    return int(counts[0])


@pytest.mark.parametrize("features", ["", "toc.integrate, navigation.tabs, content.action.edit"])
def test_filled_pages_are_byte_for_byte_the_themes_own(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                       features: str) -> None:
    """Titles with markup characters, a body with its own h1, headings (table of contents)
    or none, a long title, the table of contents in the nav: every article page is the
    page the theme renders itself."""
    caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.digest")
    filled = _site(tmp_path / "filled", features=features)
    assert _filled(caplog) >= 8         # the first page of each shape is the theme's, to check the frame
    theirs = _site(tmp_path / "theme", "      fill_pages: false\n", features=features)
    assert filled.keys() == theirs.keys()
    for name in filled:
        assert filled[name] == theirs[name], name
    page = filled["articles/2marks/index.html"]
    assert "<title>Q&amp;A: &quot;Who pays?&quot; &lt;Baghdad&gt; &amp; the &#x27;deal&#x27; - Test digest</title>" in page
    assert "tocx" not in page
    assert ('href="#what-next"' in page) == (not features)     # toc.integrate: no toc off the nav


@pytest.mark.parametrize("partial", [
    "{{ page.title | upper }}",                                  # printed in a way the frame cannot know
    "{% if page.title | length > 60 %}long{% endif %}",          # decided by the field's length
    "{{ page.title | truncate(30) }}",
])
def test_a_theme_that_prints_fields_its_own_way_renders_every_page(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, partial: str) -> None:
    caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.digest")
    overrides = {"partials/copyright.html": f"<div class='md-copyright'>{partial}</div>"}
    filled = _site(tmp_path / "filled", overrides=overrides)
    assert _filled(caplog) == 0
    theirs = _site(tmp_path / "theme", "      fill_pages: false\n", overrides=overrides)
    assert filled == theirs
    assert "A VERY LONG TITLE" in filled["articles/0long/index.html"] or "upper" not in partial


def test_a_filled_page_keeps_its_body_not_the_whole_page_once_written(tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs keeps every page until the build ends: once written, a filled page's content
    is its body again (as with the theme's own rendering), not the whole page, and a plugin
    reading pages after the build sees what it would without the frame."""
    caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.digest")
    (tmp_path / "hook.py").write_text(
        "import json\n"
        "seen = {}\n"
        "def on_post_page(output, page, config):\n"
        "    seen[page.file.src_uri] = page\n"
        "def on_post_build(config):\n"
        "    out = {uri: [p.content, bool(p.meta.get('digest_filled'))] for uri, p in seen.items()}\n"
        "    open(config.site_dir + '/../contents.json', 'w').write(json.dumps(out))\n")
    filled = _site(tmp_path, top="hooks: [hook.py]\n")
    assert filled and _filled(caplog) >= 8
    contents = json.loads((tmp_path / "contents.json").read_text())
    article_pages = {uri: c for uri, c in contents.items() if uri.startswith("articles/")}
    assert len(article_pages) == len(ARTICLES)
    for uri, (content, flagged) in article_pages.items():
        assert not flagged, uri
        assert "<!doctype" not in content.lower() and "<html" not in content, uri
    assert "Three rockets struck the embassy compound on Sunday." in article_pages["articles/0plain.md"][0]
