"""Adopting the digest in an existing MkDocs site: ordinary pages, Material's blog and
tags, articles in their own folder, generated pages under a prefix, the site's own nav."""

from __future__ import annotations

import logging
import re
import textwrap
from urllib.parse import unquote
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from conftest import TOPICS, article

PAGES = {
    "index.md": "# Welcome\n\nThis is my site, made with mkdocs new.\n",
    "about.md": "# About\n\nWe are a small *newsroom* with [a guide](guide/setup.md).\n",
    "guide/setup.md": "# Setup\n\n!!! note\n    Install it with pip.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
}
BLOG = {
    "tags.md": "# Tags\n\n<!-- material/tags -->\n",
    "blog/index.md": "# Blog\n",
    "blog/posts/first.md": "---\ndate: 2024-01-10\n---\n\n# First post\n\nHello from the blog.\n\n<!-- more -->\n\nMore.\n",
    # A post with the digest's fields is still the blog's: only articles_dir holds articles.
    "blog/posts/second.md": ("---\ndate: 2024-02-03\ntags: [Release]\ntitle: Second post\nsource: Desk\n"
                             "topics: [iraq-protests]\n---\n\n# Second post\n\nThe second post's text.\n"),
}
STORY = ("Protesters gathered in Baghdad on Monday. Police fired tear gas at the crowd. "
         "Officials said talks would resume.")


def _article(title: str, date: str, body: str, extra: str = "") -> str:
    return article(title=title, date=date, source="Desk", body=body, extra=extra)


class Site:
    """A `mkdocs new`-style project in a temporary folder, with the digest added."""

    def __init__(self, root: Path, plugins: str, extra: str = "", pages: dict[str, str] | None = None) -> None:
        self.root, self.docs, self.site = root, root / "docs", root / "site"
        for name, text in {**PAGES, **(pages or {})}.items():
            self.write(name, text)
        (root / "mkdocs.yml").write_text(
            "site_name: My site\nsite_url: https://example.org/\n"
            "theme:\n  name: material\n  language: de\n"
            "markdown_extensions:\n  - admonition\n  - tables\n"
            f"plugins:\n{textwrap.indent(textwrap.dedent(plugins).strip(), '  ')}\n{extra}",
            encoding="utf-8")

    def write(self, name: str, text: str) -> Path:
        path = self.docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def news(self) -> None:
        self.write("news/topics.yml", TOPICS)
        self.write("news/baghdad.md", _article("Baghdad protest", "2020-01-27", STORY,
                                               "tags: [Iraq, R&D]\n"))
        self.write("news/talks.md", _article("Talks resume", "2020-01-28",
                                             "Talks resumed in Baghdad on Tuesday. Both sides met."))

    def build(self) -> None:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        build(load_config(str(self.root / "mkdocs.yml")))

    def html(self, page: str) -> str:
        return (self.site / page / "index.html").read_text(encoding="utf-8")


def _content(page_html: str) -> str:
    """The page's converted Markdown, as the theme prints it inside <article>."""
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page_html, re.S)
    assert match, "no <article> in the page"
    return match.group(1)


DIGEST = "- digest:\n    articles_dir: news\n    prefix: news\n"


def test_mkdocs_new_site_with_blog_tags_and_german_keeps_every_page(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = Site(tmp_path, "- blog\n- tags\n" + DIGEST, pages=BLOG)
    site.news()
    site.build()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    # The site's own pages, as MkDocs renders them.
    assert "This is my site, made with mkdocs new." in site.html("")
    assert '<html lang="de"' in site.html("")
    assert "We are a small <em>newsroom</em>" in site.html("about")
    assert 'class="admonition note"' in site.html("guide/setup") and "<td>1</td>" in site.html("guide/setup")
    # The blog: its index lists both posts, each post has its page.
    blog = site.html("blog")
    assert "First post" in blog and "Second post" in blog
    first = site.html("blog/2024/01/10/first-post")
    assert "Hello from the blog." in first
    second = site.html("blog/2024/02/03/second-post")
    assert "The second post&rsquo;s text." in second or "The second post's text." in second
    assert not (site.site / "news" / "articles" / "second").exists()      # the blog's, not an article
    # The digest under news/: home, topic and article pages.
    assert "Iraq protests" in site.html("news")
    topic = site.html("news/topics/iraq-protests")
    assert "Baghdad protest" in topic and "Talks resume" in topic
    page = site.html("news/articles/baghdad")
    assert "Protesters gathered in Baghdad on Monday." in page
    assert not (site.site / "news" / "baghdad").exists()       # the source is not a page of its own
    assert not (site.site / "news" / "topics.yml").exists()
    # Tags: the article carries them, and the tags index lists it under each.
    assert re.search(r'class="md-tag[^"]*">Iraq</a>', page)
    tags = _content(site.html("tags"))
    for tag in ("Iraq", "R&amp;D", "Release"):
        assert re.search(rf'<span class="md-tag[^"]*">{re.escape(tag)}</span>', tags), tag
    listed = [(href, text.strip()) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', tags)]
    assert listed.count(("../news/articles/baghdad/", "Baghdad protest")) == 2     # Iraq, R&D
    assert ("../blog/2024/02/03/second-post/", "Second post") in listed
    # The nav: MkDocs' own of the site's pages, and the digest's section after them.
    nav = site.html("about")
    for href in ("..", "../guide/setup/", "../blog/", "../news/", "../news/topics/", "../news/archive/"):
        assert f'href="{href}"' in nav, href
    assert nav.index('href="../guide/setup/"') < nav.index('href="../news/topics/"')


def test_feeds_and_search_follow_the_prefix(tmp_path: Path) -> None:
    site = Site(tmp_path, DIGEST)
    site.news()
    site.build()
    feed = (site.site / "news" / "feed.xml").read_text(encoding="utf-8")
    assert "https://example.org/news/articles/baghdad/" in feed
    assert not (site.site / "feed.xml").exists()
    head = site.html("news/topics/iraq-protests")
    assert 'href="https://example.org/news/feed.xml"' in head
    from conftest import pagefind_pages
    urls = set(pagefind_pages(site.site))
    assert {"/news/", "/news/articles/baghdad/", "/news/topics/iraq-protests/"} <= urls


def test_a_page_outside_articles_dir_is_mkdocs_own_rendering(tmp_path: Path) -> None:
    plain = Site(tmp_path / "plain", "- tags")
    plain.build()
    ours = Site(tmp_path / "ours", "- tags\n" + DIGEST)
    ours.news()
    ours.build()
    for page in ("", "about", "guide/setup"):
        assert _content(ours.html(page)) == _content(plain.html(page)), page


def _error(site: Site, caplog: pytest.LogCaptureFixture) -> str:
    """The message a build that must fail stops with (MkDocs logs it and aborts)."""
    with pytest.raises(Abort):
        site.build()
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def _nav(page_html: str) -> list[str]:
    """The targets of the nav's links, in order."""
    return re.findall(r'<a href="([^"]+)" class="md-nav__link[^"]*"', page_html)


def test_a_generated_page_never_replaces_a_site_page(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = Site(tmp_path, "- digest:\n    articles_dir: news\n")
    site.news()
    assert _error(site, caplog) == (
        "digest: the digest's page 'index.md' (site/index.html) would replace docs/index.md. "
        "Fix: set the plugin's prefix option (e.g. prefix: news-digest) so the generated pages "
        "get a folder of their own, or rename the site's page.")
    assert not (site.site / "index.html").exists()


def test_a_page_with_the_same_output_file_is_a_collision(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = Site(tmp_path, "- digest:\n    articles_dir: news\n    prefix: digest\n",
                pages={"digest/archive.md": "# My archive\n"})
    site.news()
    assert ("the digest's page 'digest/archive/index.md' (site/digest/archive/index.html) would replace "
            "docs/digest/archive.md") in _error(site, caplog)


def test_an_excluded_page_is_not_in_the_way(tmp_path: Path) -> None:
    site = Site(tmp_path, "- digest:\n    articles_dir: news\n    prefix: digest\n",
                pages={"digest/archive.md": "# My archive\n"}, extra="exclude_docs: |\n  digest/archive.md\n")
    site.news()
    site.build()
    assert 'href="../archive/2020-01/"' in site.html("digest/archive")
    assert "Talks resume" in site.html("digest/archive/2020-01")


def test_excluded_file_in_articles_dir_is_not_an_article(tmp_path: Path) -> None:
    site = Site(tmp_path, DIGEST, extra="exclude_docs: |\n  news/wip.md\n")
    site.news()
    site.write("news/wip.md", "Notes without front matter, not for publishing.\n")
    site.build()
    assert not (site.site / "news" / "articles" / "wip").exists()
    assert not (site.site / "news" / "wip").exists()
    assert "wip" not in site.html("news/archive")


def test_a_not_in_nav_article_is_still_an_article(tmp_path: Path) -> None:
    site = Site(tmp_path, DIGEST, extra="not_in_nav: |\n  news/talks.md\n")
    site.news()
    site.build()
    assert "Talks resumed in Baghdad on Tuesday." in site.html("news/articles/talks")
    assert not (site.site / "news" / "talks").exists()


def test_markdown_without_front_matter_in_articles_dir_is_an_error(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = Site(tmp_path, DIGEST)
    site.news()
    site.write("news/readme.md", "# About this folder\n")
    assert ("news/readme.md: has no front matter. Fix: start the file with '---', the fields, then '---'."
            in _error(site, caplog))


def test_the_site_nav_keeps_its_order_and_places_the_digest(tmp_path: Path) -> None:
    nav = "nav:\n  - Start: index.md\n  - Latest: news/\n  - About: about.md\n"
    site = Site(tmp_path, DIGEST, extra=nav)
    site.news()
    site.build()
    html = site.html("about")
    assert _nav(html) == ["..", "../news/", "../news/topics/", "../news/topics/iraq-protests/",
                          "../news/topics/us-troop-presence/", "../news/archive/", "../news/sources/", "./"]
    assert re.search(r'<span class="md-ellipsis">\s*Latest\s*</span>', html)


def test_a_bare_placeholder_puts_the_digest_entries_in_place(tmp_path: Path) -> None:
    site = Site(tmp_path, "- digest:\n    articles_dir: news\n    prefix: news\n",
                extra="nav:\n  - index.md\n  - newsdigest\n  - about.md\n")
    site.news()
    site.build()
    assert _nav(site.html("about")) == ["..", "../news/", "../news/topics/", "../news/topics/iraq-protests/",
                                        "../news/topics/us-troop-presence/", "../news/archive/",
                                        "../news/sources/", "./"]


def test_a_nav_without_a_place_for_the_digest_says_how(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = Site(tmp_path, DIGEST, extra="nav:\n  - index.md\n  - about.md\n")
    site.news()
    with caplog.at_level(logging.INFO):
        site.build()
    assert ("digest: the nav in mkdocs.yml has no place for the digest's pages. Fix: add an entry "
            "such as '- News: news/' where they belong.") in caplog.text
    assert (site.site / "news" / "index.html").is_file()
    assert _nav(site.html("about")) == ["..", "./"]


def test_bad_articles_dir_and_prefix_are_config_errors(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = Site(tmp_path, "- digest:\n    articles_dir: stories\n    prefix: news\n")
    assert _error(site, caplog) == ("digest: articles_dir 'stories' is not a folder in docs_dir (docs/). "
                                    "Fix: create it, or set articles_dir to the folder that holds the articles.")
    from mkdocs.config import load_config
    (tmp_path / "mkdocs.yml").write_text((tmp_path / "mkdocs.yml").read_text().replace("news", "../up"))
    with pytest.raises(Abort):
        load_config(str(tmp_path / "mkdocs.yml"))
    assert "must be a folder inside docs_dir such as 'news', not '../up'." in caplog.text


def test_every_link_of_the_generated_pages_resolves_under_the_prefix(tmp_path: Path) -> None:
    site = Site(tmp_path, "- digest:\n    articles_dir: news\n    prefix: world/news\n")
    site.news()
    site.build()
    pages = sorted((site.site / "world" / "news").rglob("index.html"))
    assert len(pages) >= 8
    for page in pages:
        content = _content(page.read_text(encoding="utf-8"))
        for href in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', content):
            target = (page.parent / unquote(href)).resolve()
            assert (target / "index.html").is_file() or target.is_file(), (page, href)
            assert target.is_relative_to(site.site / "world" / "news"), (page, href)


def test_default_articles_dir_leaves_a_blog_to_the_blog(tmp_path: Path) -> None:
    """The default (every page of docs_dir is an article) still lets Material's blog keep
    its folder: the blog's index and posts are never articles."""
    root = tmp_path
    docs = root / "docs"
    for name, text in {"topics.yml": TOPICS, "one.md": _article("One", "2020-01-27", STORY),
                       "blog/index.md": "# Blog\n", "blog/posts/first.md": BLOG["blog/posts/first.md"]}.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Digest\ntheme:\n  name: material\nplugins:\n  - digest\n"
                                     "  - blog\n", encoding="utf-8")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    build(load_config(str(root / "mkdocs.yml")))
    assert "Hello from the blog." in (root / "site" / "blog" / "2024" / "01" / "10" / "first-post" / "index.html").read_text()
    assert "First post" in (root / "site" / "blog" / "index.html").read_text()
    assert "Protesters gathered" in (root / "site" / "articles" / "one" / "index.html").read_text()
    assert "Iraq protests" in (root / "site" / "index.html").read_text()


def test_draft_docs_are_articles_only_where_mkdocs_builds_them(tmp_path: Path) -> None:
    site = Site(tmp_path, DIGEST, extra="draft_docs: |\n  news/talks.md\n")
    site.news()
    site.build()
    assert (site.site / "news" / "articles" / "baghdad" / "index.html").is_file()
    assert not (site.site / "news" / "articles" / "talks").exists()
    assert not (site.site / "news" / "talks").exists()


@pytest.mark.parametrize(("tags", "message"), [
    ("tags: {a: 1}", "field 'tags': must be a list of tags, not a dict."),
    ("tags: [ok, [nested]]", "field 'tags': a list is not a tag."),
])
def test_bad_tags_name_the_field(tags: str, message: str) -> None:
    from digest.loading.loader import parse_article
    from digest.loading.topics import TopicIndex
    from digest.model import Topic
    a, found = parse_article(article(extra=tags + "\n"), "news/x.md", "x", TopicIndex([Topic("iraq-protests", "Iraq")]))
    assert a is None
    assert [str(p) for p in found] == [
        f"news/x.md: {message} Fix: write tags: [tag one, tag two] (Material's tags plugin lists the article "
        "under each)."]


def test_tags_are_kept_in_order_without_repeats() -> None:
    from digest.loading.loader import parse_article
    from digest.loading.topics import TopicIndex
    from digest.model import Topic
    a, found = parse_article(article(extra="tags: [Iraq,  '  Protests ', Iraq, 2020]\n"), "news/x.md", "x",
                             TopicIndex([Topic("iraq-protests", "Iraq")]))
    assert a is not None and found == [] and a.tags == ("Iraq", "Protests", "2020")
