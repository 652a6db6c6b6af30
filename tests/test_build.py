"""Real MkDocs builds: the generated HTML, its links, drafts, and what a build may touch."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from conftest import REPO, Project, article, page_prose, pagefind_pages, summary_box

from digest.analysis.analyse import analyse_article
from digest.analysis.text import split_sentences
from digest.loading.convert import MarkdownSettings
from digest.loading.prose import body_prose
from digest.loading.loader import load_corpus

QUOTE = re.compile(r'<li class="nd-quote"><q>(.*?)</q> <a class="nd-quote-link" href="([^"#]*)#[^"]*"')


def quotes(page_html: str) -> list[tuple[str, str]]:
    return [(html.unescape(q), href) for q, href in QUOTE.findall(page_html)]


def test_demo_site_has_every_page(demo_site: Path) -> None:
    corpus = load_corpus(REPO / "content")
    for topic in ("iraq-protests", "us-troop-presence"):
        assert (demo_site / "topics" / topic / "index.html").is_file()
    for a in corpus.articles:
        assert (demo_site / "articles" / a.slug / "index.html").is_file()
    for page in ("index.html", "topics/index.html", "archive/index.html", "archive/2020-01/index.html",
                 "sources/index.html", "sources/newsdigest-desk/index.html"):
        assert (demo_site / page).is_file(), page


def test_topic_story_quotes_link_to_the_article_they_come_from(demo_site: Path) -> None:
    corpus = load_corpus(REPO / "content")
    by_slug = {a.slug: a for a in corpus.articles}
    for topic in ("iraq-protests", "us-troop-presence"):
        page = (demo_site / "topics" / topic / "index.html").read_text()
        found = quotes(page)
        assert len(found) >= 3
        sources = set()
        for text, href in found:
            target = urljoin(f"/topics/{topic}/", href)
            slug = target.strip("/").split("/")[-1]
            assert target == f"/articles/{slug}/"
            page_html = (demo_site / "articles" / slug / "index.html").read_text(encoding="utf-8")
            # verbatim: a sentence of the article page's prose, or its end (a dateline left off)
            assert any(s.endswith(text) for s in split_sentences("\n".join(page_prose(page_html)))), (slug, text)
            assert topic in by_slug[slug].topics
            sources.add(slug)
        assert len(sources) >= 3                # one voice per story of the topic at least


def test_every_article_summary_is_verbatim_and_in_document_order(demo_site: Path) -> None:
    """The summary box of every article page holds sentences of that page's prose, in order;
    drafts (not built) are checked against their body as the demo's settings convert it."""
    corpus = load_corpus(REPO / "content")
    for a in corpus.articles:
        if a.summary:
            continue
        page = (demo_site / "articles" / a.slug / "index.html").read_text(encoding="utf-8")
        sentences = split_sentences("\n".join(page_prose(page)))
        shown = summary_box(page)
        assert len(shown) == min(3, len(sentences)), a.slug
        assert all(s in sentences for s in shown), a.slug
        assert [sentences.index(s) for s in shown] == sorted({sentences.index(s) for s in shown}), a.slug
    settings = MarkdownSettings(("admonition", "attr_list", "md_in_html", "toc"), {"toc": {"permalink": True}})
    for a in corpus.drafts:
        analysis = analyse_article(a.title, a.body, 3, settings)
        sentences = split_sentences(body_prose(a.body, settings))
        assert list(analysis.summary) == sorted(set(analysis.summary))
        assert all(s in sentences for s in analysis.summary_sentences())


def test_article_page_shows_summary_metadata_topics_and_related(demo_site: Path) -> None:
    page = (demo_site / "articles" / "2020-01-26-rockets-hit-us-embassy-baghdad" / "index.html").read_text()
    assert "<h1>Rockets strike US embassy compound in Baghdad&#x27;s Green Zone</h1>" in page
    assert '<p class="admonition-title">Summary</p>' in page
    assert "26 January 2020, 23:00 UTC+03:00" in page and "by Newsdigest staff" in page
    assert re.search(r'href="../../topics/iraq-protests/"[^>]*>Iraq protests</a>', page)
    assert re.search(r'href="../../topics/us-troop-presence/"[^>]*>US troop presence</a>', page)
    assert re.search(r'<h2 id="related-articles"[^>]*>Related articles</h2>', page)
    assert "One reportedly struck the cafeteria while people were eating dinner." in page


def test_editor_summary_replaces_the_generated_one(demo_site: Path) -> None:
    page = (demo_site / "articles" / "2020-01-27-parliament-vote-foreign-troops-questions" / "index.html").read_text()
    assert "<p class=\"admonition-title\">Editor's summary</p>" in html.unescape(page)


def test_drafts_are_not_published(demo_site: Path) -> None:
    corpus = load_corpus(REPO / "content")
    assert corpus.drafts
    index = pagefind_pages(demo_site)
    for d in corpus.drafts:
        assert not (demo_site / "articles" / d.slug).exists()
        assert f"/articles/{d.slug}/" not in index
        assert not [p for p in index.values() if d.title in json.dumps(p, ensure_ascii=False)]
        for page in demo_site.rglob("*.html"):
            assert d.slug not in page.read_text()


def test_search_index_holds_articles_topics_stories_and_home(demo_site: Path) -> None:
    corpus = load_corpus(REPO / "content")
    index = pagefind_pages(demo_site)
    articles = {f"/articles/{a.slug}/" for a in corpus.articles}
    copy = "/articles/2020-01-27-wire-iraqi-pm-denounces-embassy-attack/"   # the demo's syndicated copy
    topics = {f"/topics/{t.id}/" for t in corpus.topics}
    assert copy in articles and (demo_site / copy.strip("/") / "index.html").is_file()
    stories = {f"/stories/{p.name}/" for p in (demo_site / "stories").iterdir()}
    assert "/stories/2020-01-26-rockets-hit-us-embassy-baghdad/" in stories
    assert set(index) == {"/"} | topics | stories | (articles - {copy})   # no archive, source or list pages; no copy
    embassy = index["/articles/2020-01-26-rockets-hit-us-embassy-baghdad/"]
    assert embassy["meta"]["title"] == "Rockets strike US embassy compound in Baghdad's Green Zone"
    assert embassy["meta"]["source"] == "Newsdigest Desk" and embassy["meta"]["date"] == "26 January 2020"
    assert "rocket fire" in embassy["content"]
    assert index["/topics/iraq-protests/"]["meta"]["title"] == "Iraq protests"
    entries = [json.loads(p.read_text()) for p in (demo_site / "pagefind").glob("**/pagefind-entry.json")]
    assert sum(e["languages"]["en"]["page_count"] for e in entries) == len(index)   # the hub and the shards
    for ui in ("pagefind.js", "pagefind-component-ui.js", "pagefind-component-ui.css"):
        assert (demo_site / "pagefind" / ui).is_file()


def test_nav_lists_sections_never_articles(demo_site: Path) -> None:
    page = (demo_site / "index.html").read_text()
    nav_links = re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*class="md-nav__link', page)
    hrefs = {a or b for a, b in nav_links}
    assert any("topics/iraq-protests" in h for h in hrefs)
    assert any("archive" in h for h in hrefs) and any("sources" in h for h in hrefs)
    assert not any("articles/" in h for h in hrefs)


def _snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_touches_only_the_site_folder(project: Project) -> None:
    project.add("one.md", article(title="One", body="The first sentence is here. And a second one."))
    before = _snapshot(project.root)
    project.build()
    after = {k: v for k, v in _snapshot(project.root).items()
             if not k.startswith(("site/", ".cache/"))}
    assert after == before


def test_links_work_without_directory_urls(project: Project) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text() + "use_directory_urls: false\n")
    project.add("one.md", article(title="One", body="Rockets were fired at the base. Officials said so."))
    project.build()
    topic = (project.site / "topics" / "iraq-protests.html").read_text()
    for _, href in quotes(topic):
        assert (project.site / "topics" / unquote(href)).resolve().is_file()


def test_bad_content_stops_mkdocs_with_one_message_and_no_traceback(project: Project) -> None:
    project.add("good.md", article())
    project.add("bad.md", article(date="'yesterday'", topics="[iraq-protest]"))
    project.add("worse.md", "---\n- a list\n---\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "3 problem(s) in content; nothing was built:" in result.stderr
    assert ("content/articles/bad.md: field 'date': could not parse 'yesterday' as a date." in result.stderr)
    assert ("content/articles/bad.md: field 'topics': unknown topic 'iraq-protest'. "
            "Fix: did you mean 'iraq-protests'?") in result.stderr
    assert "content/articles/worse.md: front matter is a YAML list, not a mapping." in result.stderr
    assert not (project.site / "index.html").exists()


def test_unknown_field_warns_but_builds(project: Project, caplog: pytest.LogCaptureFixture) -> None:
    project.add("one.md", article(extra="mood: grim\n"))
    project.build()
    assert (project.site / "articles" / "one" / "index.html").is_file()
    assert "content/articles/one.md: field 'mood': is not a known field and is ignored." in caplog.text


def test_front_matter_values_reach_html_escaped(project: Project) -> None:
    project.add("x.md", article(title="'<script>alert(1)</script> & co'", source="'<b>Bold</b> Wire'",
                                extra="author: '<img src=x onerror=alert(2)>'\n",
                                body="Rockets were fired at the base. Officials said so."))
    project.build()
    for page in project.site.rglob("*.html"):
        text = page.read_text()
        assert "<script>alert(1)" not in text and "<b>Bold</b>" not in text, page
        assert "<img src=x" not in text, page
    article_page = project.html("articles/x")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in article_page
    assert "&lt;b&gt;Bold&lt;/b&gt; Wire" in article_page


def test_topic_story_tells_the_march_then_the_embassy_attack_in_order(demo_site: Path) -> None:
    """The story starts with the first story (the march) and goes on to the later stories in
    date order, each told by its own lead; what the cards above it show is not said again."""
    page = (demo_site / "topics" / "iraq-protests" / "index.html").read_text()
    found = [text for text, _ in quotes(page)]
    assert found[0] == "The demonstration was organised to demand that American troops withdraw from the country."
    cleric = "Members of the cleric's militia had been positioned between the demonstrators and government forces."
    # The embassy story goes on with a sentence that stands alone ("One reportedly struck the
    # cafeteria ..." leans on the one before it, so it is not quoted).
    embassy = next(t for t in found if t.startswith("No one has claimed the strike"))
    assert found.index(cleric) < found.index(embassy)
    assert not any(t.startswith("One reportedly") for t in found)
    # The cards' sentences: on the page once, on their cards.
    for card in ("A rally billed as Iraq's \"Million Man March\"",
                 "An influential Shia cleric pulled his support for Iraq's anti-government protests on Sunday.",
                 "The American embassy in Baghdad was hit by rocket fire on Sunday night."):
        assert not any(t.startswith(card) for t in found)
        assert html.unescape(page).count(card) == 1
    assert not any(t.startswith("The news agency's account") for t in found)


def test_a_build_leaves_no_objects_frozen(project: Project, caplog: pytest.LogCaptureFixture) -> None:
    """The build keeps its long-lived objects out of the garbage collector's passes while it
    runs (gc.freeze) and hands them back at the end, also when the build fails, so that
    `mkdocs serve` does not hold every earlier build in memory."""
    import gc

    project.add("a.md", article(title="One"))
    project.build()
    assert gc.get_freeze_count() == 0
    # A theme partial that fails while the pages are written: after the freeze.
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  name: material\n", "  name: material\n  custom_dir: theme\n"))
    (project.root / "theme" / "partials").mkdir(parents=True)
    (project.root / "theme" / "partials" / "copyright.html").write_text("{{ nd_no_such_function() }}")
    with pytest.raises(Exception):
        project.build()
    assert gc.get_freeze_count() == 0
