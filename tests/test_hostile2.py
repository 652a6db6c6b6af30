"""Hostile input and damaged state, second round (issue 16): each class of case ends in one
clear problem naming the file (and field), or in a correct site; never in a traceback."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import TOPICS, Project, article, pagefind_pages
from mkdocs.exceptions import Abort

from digest.analysis.analyse import AnalysisOptions, build_digest
from digest.errors import ValidationFailed
from digest.loading.files import NotAFile, read_regular, walk
from digest.loading.loader import parse_article, slugify
from digest.loading.topics import TopicIndex, parse_topics
from digest.pages.feeds import SiteInfo, build_feeds
from digest.pages.searchindex import search_records

INDEX = TopicIndex(parse_topics(yaml.safe_load(TOPICS), "topics.yml")[0])


def build_error(project: Project, caplog: pytest.LogCaptureFixture) -> str:
    """Build, expecting MkDocs to abort; returns the error it reported."""
    caplog.clear()
    with pytest.raises(Abort):
        project.build()
    return "\n".join(r.getMessage() for r in caplog.records if r.levelname == "ERROR")


# --- 1. values the loader cannot take -------------------------------------------------------

@pytest.mark.parametrize("extra, field, expected", [
    ("author: " + "7" * 5000, "author", "is an integer of 5000 characters, more than the 64 allowed."),
    ("summary: 0x" + "f" * 6000, "summary", "is an integer of 6002 characters"),
    ("author: " + "[" * 3000 + "]" * 3000, "author'", "nests lists or mappings more than 20 levels deep."),
    ("corrections: " + "[" * 30 + "]" * 30, "corrections[1]", "nests lists or mappings more than 20 levels deep."),
    ('author: "Ann \\ud83d Lee"', "author", "holds a lone UTF-16 surrogate (\\ud83d), which is not a character."),
    ('corrections: [{date: 2020-01-28, text: "fixed \\udfff"}]', "corrections[1].text", "lone UTF-16 surrogate"),
])
def test_front_matter_values_the_loader_cannot_take(project: Project, caplog: pytest.LogCaptureFixture,
                                                   extra: str, field: str, expected: str) -> None:
    project.add("good.md", article(title="Fine"))
    project.add("bad.md", article(extra=extra + "\n"))
    message = build_error(project, caplog)
    assert f"content/articles/bad.md: field '{field}" in message and expected in message, message
    assert "Traceback" not in message and "good.md" not in message and len(message) < 2000


@pytest.mark.parametrize("topics, field, expected", [
    (TOPICS + "  - id: big\n    title: " + "1" * 4500 + "\n", "topics[3].title", "is an integer of 4500"),
    ("topics: " + "[" * 2500 + "]" * 2500 + "\n", "topics'", "more than 20 levels deep."),
    (TOPICS + '  - id: odd\n    title: "Odd \\ud800"\n', "topics[3].title", "lone UTF-16 surrogate (\\ud800)"),
    (TOPICS + "  - id: deep\n    title: Deep\n    aliases: " + "[" * 40 + "]" * 40 + "\n",
     "topics[3].aliases", "more than 20 levels deep."),
])
def test_topics_file_values_the_loader_cannot_take(project: Project, caplog: pytest.LogCaptureFixture,
                                                  topics: str, field: str, expected: str) -> None:
    (project.content / "topics.yml").write_text(topics, encoding="utf-8")
    project.add("good.md", article(title="Fine"))
    message = build_error(project, caplog)
    assert f"content/topics.yml: field '{field}" in message and expected in message, message


def test_topics_file_aliases_repeating_a_list_are_walked_once(project: Project,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi"))
    (project.content / "topics.yml").write_text(laughs + "topics: [*i]\n", encoding="utf-8")
    project.add("good.md", article(title="Fine"))
    assert "content/topics.yml: field 'topics[1]': must be a mapping." in build_error(project, caplog)


def test_a_short_integer_title_still_publishes(project: Project) -> None:
    project.add("num.md", article(title="2020"))
    project.build()
    assert "2020" in project.html("articles/num")


# --- 2. characters XML 1.0 forbids -----------------------------------------------------------

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_control_characters_never_reach_feeds_search_or_pages(project: Project) -> None:
    project.add("ctl.md", article(
        title='"Rockets\\x01 hit \\ebase"', source='"Wire\\x0b Desk"', extra='author: "Ann\\x7f Lee"\n',
        body="Five rockets\x01 struck the base\x1b[31m on Sunday. Officials\x08 said three were hurt.\x0c\n\n"
             "A second\x1f paragraph [link](https://example.org/ \"t\x02itle\") follows here."))
    project.build()
    for name in ("feed.xml", "rss.xml", "topics/iraq-protests/feed.xml", "topics/iraq-protests/rss.xml"):
        text = (project.site / name).read_text(encoding="utf-8")
        assert not CONTROLS.search(text), name
        ET.fromstring(text.encode())                       # well-formed XML
        parsed = feedparser.parse(text)
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert parsed.entries[0].title == "Rockets hit base"
        assert "Five rockets struck the base[31m on Sunday." in parsed.entries[0].summary
    raw = (project.site / "feed.json").read_text(encoding="utf-8")
    assert "\\u00" not in raw and not CONTROLS.search(raw)
    assert json.loads(raw)["items"][0]["_newsdigest"]["source"] == "Wire Desk"
    page = project.html("articles/ctl")
    assert not CONTROLS.search(page) and 'title="title"' in page and "Ann Lee" in page
    records = pagefind_pages(project.site)
    text = records["/articles/ctl/"]["content"]
    assert "Five rockets struck" in text and not CONTROLS.search(json.dumps(records, ensure_ascii=False))


def test_a_title_of_control_characters_only_is_empty(project: Project, caplog: pytest.LogCaptureFixture) -> None:
    project.add("c.md", article(title='"\\x01\\x02\\e"'))
    assert "content/articles/c.md: field 'title': is empty." in build_error(project, caplog)


def test_feeds_and_search_records_strip_forbidden_characters_of_any_origin() -> None:
    """Values that did not come through the loader (the site's name, an article made by
    code) are stripped by the feeds and search records themselves."""
    parsed, _ = parse_article(article(title="Plain", body="Rockets hit the base. Three were hurt."),
                              "content/articles/p.md", "p", INDEX)
    assert parsed is not None
    odd = replace(parsed, title="Odd\x01 title\ufffe", source="Desk\x1b", author="A\x85B")
    digest = build_digest(INDEX.topics.values(), [odd], AnalysisOptions())
    feeds = build_feeds(digest, SiteInfo("News\x02 site", "About\x0b us", "https://example.org/"))
    for name, text in feeds.items():
        assert not CONTROLS.search(text) and "\ufffe" not in text and "\\u00" not in text, name
        if name.endswith(".xml"):
            assert not feedparser.parse(text).bozo, name
    assert json.loads(feeds["feed.json"])["title"] == "News site"
    assert ET.fromstring(feeds["feed.xml"].encode()).find("{http://www.w3.org/2005/Atom}entry/"
                                                         "{http://www.w3.org/2005/Atom}title").text == "Odd title"
    for record in search_records(digest, "News", "About"):
        assert not CONTROLS.search(record.content), record.url


# --- 3. slugs: bounded, and never one of our own pages ----------------------------------------

def test_long_names_publish_under_bounded_stable_slugs(project: Project) -> None:
    long_source = "The " + "Very " * 70 + "Long Gazette"                      # 364 characters
    project.add("a.md", article(title="From a long source", source=f"'{long_source}'"))
    stem = "\ufdfa" * 40 + "x" * 40      # 80 characters; NFKC makes each U+FDFA 18 characters
    project.add(stem + "1.md", article(title="Expanding one"))
    project.add(stem + "2.md", article(title="Expanding two"))
    project.build()
    sources = [p.name for p in (project.site / "sources").iterdir() if p.is_dir() and p.name != "desk"]
    assert len(sources) == 1 and len(sources[0].encode()) <= 100
    assert slugify(long_source) == sources[0] and sources[0].startswith("the-very-very")
    assert long_source in (project.site / "sources" / sources[0] / "index.html").read_text(encoding="utf-8")
    articles = sorted(p.name for p in (project.site / "articles").iterdir() if p.name.startswith("صلى"))
    assert len(articles) == 2 and articles[0] != articles[1]
    assert all(len(name.encode()) <= 100 for name in articles)
    assert articles == sorted(slugify(stem + n) for n in "12")


def test_slugify_bounds_are_stable_and_distinct() -> None:
    a, b = slugify("x" * 300 + "a"), slugify("x" * 300 + "b")
    assert a != b and len(a) == len(b) <= 100 and a == slugify("X" * 300 + "A")
    assert slugify("ü" * 120).encode()[:2] == "ü".encode() and len(slugify("ü" * 120).encode()) <= 100
    assert slugify("Short name") == "short-name"


def test_a_topic_id_too_long_for_a_file_name_is_refused(project: Project,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    long_id = "-".join(["word"] * 60)
    (project.content / "topics.yml").write_text(TOPICS + f"  - id: {long_id}\n    title: Long\n", encoding="utf-8")
    project.add("a.md", article())
    assert ("content/topics.yml: field 'topics[3].id': is 299 characters long, over the 100 a topic id "
            "(and its page's file name) may have.") in build_error(project, caplog)


def test_a_topic_or_source_named_like_a_listing_page_is_refused(project: Project,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    (project.content / "topics.yml").write_text(TOPICS + "  - id: index\n    title: Index\n", encoding="utf-8")
    project.add("a.md", article(source="INDEX"))
    project.add("b.md", article(source="Index News"))
    message = build_error(project, caplog)
    assert ("content/topics.yml: field 'topics[3].id': 'index' is the name of the page listing every topic "
            "(topics/index).") in message
    assert ("content/articles/a.md: field 'source': 'INDEX' would publish to sources/index/, the page listing "
            "every source.") in message
    assert "b.md" not in message


# --- 4. links and special files: one rule ------------------------------------------------------

def _site_files(project: Project) -> set[str]:
    return {p.relative_to(project.site).as_posix() for p in project.site.rglob("*")} if project.site.exists() else set()


def test_links_out_of_the_content_folder_are_errors_for_every_kind_of_file(
        project: Project, tmp_path_factory: pytest.TempPathFactory, caplog: pytest.LogCaptureFixture) -> None:
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "photo.png").write_bytes(b"\x89PNG private")
    (outside / "docs").mkdir()
    (outside / "docs" / "notes.txt").write_text("private notes")
    os.symlink(outside / "photo.png", project.content / "photo.png")
    os.symlink(outside / "docs", project.content / "media", target_is_directory=True)
    os.symlink(outside / "docs" / "notes.txt", project.content / "topics-notes.txt")
    project.add("good.md", article(title="Good"))
    message = build_error(project, caplog)
    assert ("content/photo.png: is a link to a file outside the content folder. Fix: copy the file into the "
            "content folder instead of linking it.") in message
    assert "content/media: is a link to a folder outside the content folder." in message
    assert "content/topics-notes.txt: is a link to a file outside the content folder." in message
    assert not {n for n in _site_files(project) if n.endswith(("photo.png", "notes.txt"))}


def test_links_inside_the_content_folder_are_followed(project: Project) -> None:
    (project.content / "images").mkdir()
    (project.content / "images" / "map.png").write_bytes(b"\x89PNG map")
    os.symlink(project.content / "images", project.content / "pictures", target_is_directory=True)
    os.symlink(project.content / "images" / "map.png", project.content / "map-link.png")
    project.add("good.md", article(title="Good"))
    project.build()
    assert {"images/map.png", "pictures/map.png", "map-link.png"} <= _site_files(project)


@pytest.mark.parametrize("make, expected", [
    (lambda c: os.symlink(c / "loop.png", c / "loop.png"), "content/loop.png: is a symbolic link loop"),
    (lambda c: os.symlink(c / "articles", c / "articles" / "again", target_is_directory=True),
     "content/articles/again: is a symbolic link loop"),
    (lambda c: os.symlink(c / "gone.md", c / "articles" / "dangling.md"),
     "content/articles/dangling.md: is a broken link"),
])
def test_link_loops_and_broken_links_are_named(project: Project, caplog: pytest.LogCaptureFixture,
                                               make: object, expected: str) -> None:
    project.add("good.md", article(title="Good"))
    make(project.content)  # type: ignore[operator]
    message = build_error(project, caplog)
    assert expected in message and "Traceback" not in message, message


def test_fifos_sockets_and_devices_are_never_read(project: Project, caplog: pytest.LogCaptureFixture) -> None:
    os.mkfifo(project.content / "articles" / "pipe.md")      # opening it to read would block for ever
    os.mkfifo(project.content / "feed.png")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(project.content / "control.sock"))
    if os.geteuid() == 0:
        os.mknod(project.content / "null.md", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    project.add("good.md", article(title="Good"))
    try:
        message = build_error(project, caplog)
    finally:
        server.close()
    assert ("content/articles/pipe.md: is a FIFO (named pipe), not a file; it was not read. Fix: remove it from "
            "the content folder: only regular files are read or published.") in message
    assert "content/feed.png: is a FIFO (named pipe), not a file" in message
    assert "content/control.sock: is a socket, not a file" in message
    if os.geteuid() == 0:
        assert "content/null.md: is a character device, not a file" in message


def test_hidden_broken_links_are_left_out_silently(project: Project) -> None:
    """Editors leave dangling links such as Emacs' `.#name.md` lock files while one edits."""
    os.symlink("root@host.1234:1700000000", project.content / "articles" / ".#good.md")
    os.mkfifo(project.content / ".hidden-pipe")
    project.add("good.md", article(title="Good"))
    project.build()
    assert "Good" in project.html("articles/good")


def test_a_fifo_swapped_in_after_the_walk_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "late.md"
    os.mkfifo(pipe)
    with pytest.raises(NotAFile, match="FIFO"):
        read_regular(pipe)            # returns at once: opened without blocking, refused on fstat
    problems = walk(tmp_path)[1]
    assert [str(p) for p in problems] == [f"{tmp_path.name}/late.md: is a FIFO (named pipe), not a file; it was "
                                          "not read. Fix: remove it from the content folder: only regular files "
                                          "are read or published."]


def test_on_files_drops_content_files_the_walk_did_not_accept(tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    """The safety net for a file that appears between the loader's walk and MkDocs' copy."""
    from mkdocs.structure.files import File, Files

    from digest.adapter.pagefiles import keep_safe_files
    docs = tmp_path / "content"
    docs.mkdir()
    for name in ("ok.png", "late.png"):
        (docs / name).write_bytes(b"x")
    theme = File("assets/x.js", str(tmp_path / "theme"), str(tmp_path / "site"), True)
    files = Files([File(n, str(docs), str(tmp_path / "site"), True) for n in ("ok.png", "late.png")] + [theme])
    keep_safe_files(files, str(docs), (docs / "ok.png",))
    assert [f.src_uri for f in files] == ["ok.png", "assets/x.js"]
    assert "late.png was not published" in caplog.text


# --- 5. a damaged cache is only a cache --------------------------------------------------------

def _site_snapshot(site: Path) -> dict[str, bytes]:
    """Every file of the site, byte for byte; the search bundle by its records. The
    Pagefind binary sometimes leaves a bundle file (its UI CSS, the entry JSON) short
    when the machine is loaded, whatever the cache held, so those bytes are not compared."""
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
             if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")}
    files["pagefind records"] = json.dumps(
        {url: {"content": page["content"], "meta": page["meta"]} for url, page in pagefind_pages(site).items()},
        sort_keys=True).encode()
    return files


def _wrong_columns(cache: Path) -> None:
    for name in ("analyses.sqlite", "pages/bodies.sqlite"):
        (cache / name).unlink()
        for extra in ("-wal", "-shm"):
            (cache / (name + extra)).unlink(missing_ok=True)
        with sqlite3.connect(cache / name) as db:
            db.execute("CREATE TABLE entries (key TEXT, payload BLOB, extra INTEGER NOT NULL)")


def _damaged_pages(cache: Path) -> None:
    for name in ("analyses.sqlite", "pages/bodies.sqlite", "pairs.sqlite", "stories.sqlite"):
        data = bytearray((cache / name).read_bytes())
        for start in range(1024, len(data), 4096):     # every page but the header, part overwritten
            data[start:start + 700] = bytes((i * 37 + 11) % 256 for i in range(700))
        (cache / name).write_bytes(bytes(data))


def _damaged_values(cache: Path) -> None:
    for name in ("analyses.sqlite", "pages/bodies.sqlite", "stories.sqlite"):
        with sqlite3.connect(cache / name) as db:          # a digit changed, the JSON still valid
            db.execute("UPDATE entries SET value = replace(replace(value, '1', '7'), '<p>', '<p>X')")


def _folder_is_a_file(cache: Path) -> None:
    shutil.rmtree(cache)
    cache.write_text("not a folder")


def _file_is_a_folder(cache: Path) -> None:
    for name in ("analyses.sqlite", "pages/bodies.sqlite"):
        (cache / name).unlink()
        (cache / name).mkdir()


def _not_a_database(cache: Path) -> None:
    for name in ("analyses.sqlite", "pages/bodies.sqlite", "pairs.sqlite"):
        (cache / name).write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)


DAMAGE = {"wrong columns": (_wrong_columns, "its table has other columns than key and value"),
          "damaged pages": (_damaged_pages, "could not be used"),
          "damaged values": (_damaged_values, "holds a damaged entry"),
          "folder is a file": (_folder_is_a_file, "cannot be made"),
          "file is a folder": (_file_is_a_folder, "could not be used"),
          "not a database": (_not_a_database, "could not be used")}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_a_damaged_cache_gives_the_site_of_a_clean_build(project: Project, caplog: pytest.LogCaptureFixture,
                                                         name: str) -> None:
    for n in range(12):
        project.add(f"a{n}.md", article(title=f"Story {n}", topics="[iraq-protests, us-troop-presence]",
                                        body=f"Rockets hit base {n} on Sunday, officials said. {n + 1} people "
                                             f"were hurt.\n\n## Part {n}\n\nThe *embassy* said {n * 3} were "
                                             "evacuated. Protesters gathered again."))
    project.build()
    clean = _site_snapshot(project.site)
    cache = project.root / ".cache" / "digest"
    assert (cache / "analyses.sqlite").is_file() and (cache / "pages" / "bodies.sqlite").is_file()
    damage, expected = DAMAGE[name]
    damage(cache)
    caplog.clear()
    project.build()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and "cache" in r.getMessage()]
    assert warnings and any(expected in w for w in warnings), warnings
    # at most one warning per cache file: analyses, pairs, stories and bodies
    assert all(".cache/digest" in w for w in warnings) and len(warnings) <= 4, warnings
    assert _site_snapshot(project.site) == clean
    caplog.clear()
    project.build()                        # and the build after that: recovered, silent when it can be
    assert _site_snapshot(project.site) == clean
    if name != "folder is a file":
        assert not [r for r in caplog.records if r.levelname == "WARNING" and "cache" in r.getMessage()]


# --- 6. raw HTML, SVG and XML files with script ---------------------------------------------------

ACTIVE = {
    "embed.html": (b"<p>Chart</p><script>fetch('/admin')</script>", "a <script> element"),
    "map.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><rect onmouseover="steal()"/></svg>',
                "an event-handler attribute (onmouseover)"),
    "link.htm": (b'<a href="jav&#x61;script:alert(1)">x</a>', "a javascript: link"),
    "data.xml": (b'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="run.xsl"?><d/>', "an XSLT stylesheet"),
    "frame.xhtml": ("<p>x</p><iframe src='https://evil.example/'></iframe>".encode("utf-16"), "a <iframe> element"),
}


def test_html_svg_and_xml_files_with_script_are_refused(project: Project, caplog: pytest.LogCaptureFixture) -> None:
    for name, (data, _) in ACTIVE.items():
        (project.content / "articles" / name).write_bytes(data)
    (project.content / "articles" / "logo.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>')
    (project.content / "page.html").write_bytes(b"<p>A plain page, nothing to run; bonus = 3.</p>")
    project.add("good.md", article(title="Good"))
    message = build_error(project, caplog)
    for name, (_, found) in ACTIVE.items():
        assert (f"content/articles/{name}: holds {found}, which would run on the site itself when the file is "
                "opened. Fix: remove the script (or the file); if every contributor is trusted, set "
                "allow_raw_html_files: true in the plugin options.") in message, name
    assert "logo.svg" not in message and "page.html" not in message


def test_a_trusted_site_may_publish_raw_files_with_script(project: Project) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      allow_raw_html_files: true\n"))
    (project.content / "articles" / "embed.html").write_bytes(ACTIVE["embed.html"][0])
    project.add("good.md", article(title="Good"))
    project.build()
    assert (project.site / "articles" / "embed.html").read_bytes() == ACTIVE["embed.html"][0]


# --- 7. classes and ids of the theme cannot be borrowed ---------------------------------------

SPOOF = """Rockets hit the base on Sunday, officials said.

<div class="md-header md-header--shadow" id="__drawer" style="position:fixed">Fake navigation</div>

<p class="md-dialog md-typeset admonition" id="md-overlay">Sign in again</p>

Plain paragraph with a class.
{: .md-sidebar .md-button }

## Timeline {: #__search }

!!! warning "Careful"
    An admonition stays.

Text with a note.[^1]

[^1]: The footnote.
"""


@pytest.mark.parametrize("workers", [0, 1])
def test_articles_cannot_borrow_the_themes_classes_or_ids(project: Project, workers: int) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", f"  - digest:\n      workers: {workers}\n")
                   + "  - footnotes\n  - toc:\n      permalink: true\n")
    project.add("spoof.md", article(title="Spoof", body=SPOOF))
    project.build()
    page = project.html("articles/spoof")
    body = page[page.index('<article'):page.index('</article>')]
    assert "Fake navigation" in body and "Sign in again" in body
    for borrowed in ("md-header", "md-header--shadow", "md-dialog", "md-sidebar", "md-typeset admonition"):
        assert f'class="{borrowed}' not in body and f" {borrowed}\"" not in body, borrowed
    assert 'id="__drawer"' not in body and 'id="user-content-__drawer"' in body
    assert 'id="user-content-md-overlay"' in body and 'id="user-content-__search"' in body
    assert page.count('id="__drawer"') == 1                        # the theme's own, once
    assert 'class="md-button"' in body                              # a Material content class
    assert 'class="admonition warning"' in body and 'class="admonition-title"' in body
    assert 'class="footnote-ref"' in body and 'id="fn:1"' in body and 'href="#fn:1"' in body
    assert 'class="headerlink"' in body
    assert "position:fixed" not in body


# --- 8. two builds at once on one folder ------------------------------------------------------

def _mkdocs(project: Project, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=project.root, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _many(project: Project, n: int) -> None:
    for i in range(n):
        project.add(f"s{i:03d}.md", article(title=f"Story {i}", date=f"2020-01-{1 + i % 28:02d}",
                                           body=f"Rockets hit base {i} on Sunday, officials said. "
                                                f"Protesters gathered in square {i}. {i} people were hurt."))


def test_two_builds_at_once_take_turns(project: Project, tmp_path: Path) -> None:
    _many(project, 120)
    project.build()                                          # the cache folder (and lock file) exist
    lock = project.root / ".cache" / "digest" / "build.lock"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with open(lock, "ab") as held:                           # both builds start while the lock is taken,
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)            # so they then contend with each other
        builds = [subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=project.root, text=True,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                                   stdout=log.open("w"), stderr=subprocess.STDOUT) for log in logs]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not all(
                "waiting for it to finish" in log.read_text() for log in logs):
            time.sleep(0.05)
    for build in builds:
        build.wait(timeout=300)
    outputs = [log.read_text() for log in logs]
    for build, out in zip(builds, outputs):
        assert build.returncode == 0, out
        assert "Traceback" not in out and "could not be used" not in out
        assert "another build of this site is running" in out and "waiting for it to finish" in out
    waits = sorted(float(re.search(r"the other build finished after ([0-9.]+) s", out)[1])  # type: ignore[index]
                   for out in outputs)
    assert waits[1] - waits[0] >= 0.3, waits                  # the later one waited for the other's build
    site = _site_snapshot(project.site)
    assert len([k for k in site if k.startswith("articles/")]) == 120
    third = _mkdocs(project)
    out_third = third.communicate(timeout=300)[0]
    assert third.returncode == 0 and "could not be used" not in out_third, out_third
    assert _site_snapshot(project.site) == site


def test_a_build_that_waits_too_long_stops_before_touching_the_site(project: Project) -> None:
    project.add("a.md", article(title="A"))
    project.build()
    before = _site_snapshot(project.site)
    lock = project.root / ".cache" / "digest" / "build.lock"
    with open(lock, "ab") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        waiting = _mkdocs(project, NEWSDIGEST_LOCK_WAIT="1")
        out = waiting.communicate(timeout=120)[0]
    assert waiting.returncode != 0
    assert ("another build of this site has held " + str(lock) + " for over 1 s, so this build stopped before "
            "touching the site. Fix: let the other build finish (or stop it), then build again") in out, out
    assert "Traceback" not in out
    assert _site_snapshot(project.site) == before


# --- 9. a build killed at any point, then run again, gives the clean build's site -----------------

KILL_POINTS = {
    "while starting": lambda p: True,
    "while analysing": lambda p: (p.root / ".cache" / "digest" / "analyses.sqlite").exists(),
    "while writing pages": lambda p: len(list((p.site / "articles").glob("*/index.html"))) > 20,
    "while indexing for search": lambda p: (p.site / "pagefind").exists(),
}


def test_a_build_killed_at_any_point_then_run_again_gives_the_clean_site(project: Project) -> None:
    _many(project, 300)
    project.build()
    clean = _site_snapshot(project.site)
    cache = project.root / ".cache" / "digest"
    killed = []
    for point, reached in [*KILL_POINTS.items(), ("warm, while writing pages", KILL_POINTS["while writing pages"])]:
        if not point.startswith("warm"):
            shutil.rmtree(cache)                       # a cold build: the cache is being written
        shutil.rmtree(project.site)
        build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=project.root,
                                 env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while not reached(project) and build.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            if build.poll() is None:
                os.kill(build.pid, signal.SIGKILL)     # the build process only: its workers linger
                killed.append(point)
            build.wait(timeout=60)
            again = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project.root,
                                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NEWSDIGEST_LOCK_WAIT": "60"},
                                         capture_output=True, text=True, timeout=300)
        finally:
            try:
                os.killpg(build.pid, signal.SIGKILL)   # the killed build's left-over workers
            except ProcessLookupError:
                pass
        assert again.returncode == 0, again.stderr
        assert "Traceback" not in again.stderr
        assert _site_snapshot(project.site) == clean, point
    assert len(killed) >= 4, killed                    # most points were reached before the build ended


def test_serve_survives_articles_deleted_and_broken_mid_build_and_recovers(project: Project,
                                                                         tmp_path: Path) -> None:
    from test_serve import _free_port, _get, _until
    _many(project, 150)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project.root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _until(lambda: _get(base + "articles/s149/")[0] == 200, 180), "mkdocs serve did not start"
        project.add("s000.md", article(title="Edited story", body="Rockets hit the base again. Officials said so."))
        time.sleep(0.4)                                   # the rebuild has begun: now the ground moves
        (project.content / "articles" / "s001.md").unlink()
        project.add("s002.md", "---\ntitle: 'unclosed\n---\nbody\n")
        assert _until(lambda: "s002.md: front matter is not valid YAML"
                      in (tmp_path / "serve.log").read_text(), 120), "the broken article was not reported"
        assert proc.poll() is None           # alive (MkDocs holds requests until the content is fixed)
        project.add("s002.md", article(title="Fixed story", body="The protest ended on Monday. Police left."))
        assert _until(lambda: "Fixed story" in _get(base + "articles/s002/")[1], 120)
        assert "Edited story" in _get(base + "articles/s000/")[1]
        assert _get(base + "articles/s001/")[0] == 404
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def test_an_article_deleted_between_walk_and_read_is_one_clear_problem(project: Project,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import digest.loading.loader as loader
    project.add("good.md", article(title="Good"))
    gone = project.add("gone.md", article(title="Gone"))
    real_walk = loader.walk

    def walk_then_delete(root: Path, known: dict[str, Path] | None = None) -> tuple[list[Path], list]:
        found = real_walk(root, known)
        gone.unlink()                                   # deleted while the build runs
        return found

    monkeypatch.setattr(loader, "walk", walk_then_delete)
    with pytest.raises(ValidationFailed) as failed:
        loader.load_corpus(project.content)
    assert [str(p) for p in failed.value.problems] == [
        "content/articles/gone.md: could not be read (No such file or directory). Fix: check the file's permissions."]
