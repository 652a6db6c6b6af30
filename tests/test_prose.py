"""Prose from the parsed document: what counts as an article's prose, and that summaries,
meta descriptions, feeds and search text of a real build are made of it alone."""

from __future__ import annotations

import html
import re
from pathlib import Path

import feedparser
import pytest
from conftest import Project, article, page_prose, pagefind_pages, summary_box
from markdown.extensions.admonition import AdmonitionExtension

from digest.analysis.executor import PoolExecutor
from digest.analysis.pipeline import Pipeline
from digest.analysis.text import split_sentences
from digest.loading.convert import DEFAULT_MARKDOWN, MarkdownSettings, convert_body, picklable
from digest.loading.loader import load_corpus
from digest.loading.prose import paragraphs, prose_text

EXTENSIONS = """\
markdown_extensions:
  - admonition
  - pymdownx.details
  - attr_list
  - md_in_html
  - def_list
  - footnotes
  - abbr
  - tables
  - toc:
      permalink: true
"""

NOTES = """\
!!! note "Editor's note"
    Figures were corrected on Monday.

Rockets hit the embassy
=======================

Three rockets struck the embassy compound late on Sunday.

Officials said nobody was hurt
------------------------------

??? warning "Unverified reports"
    Witnesses described a fire near the gate.
"""
NOTES_SUMMARY = ["Figures were corrected on Monday.", "Three rockets struck the embassy compound late on Sunday.",
                 "Witnesses described a fire near the gate."]

TERMS = """\
The UN[^1] called for [calm](blocks.md) in Baghdad on Monday.

Green Zone
:   The fortified district holds most embassies.

*[UN]: United Nations

[^1]: Statement issued in New York.
"""
TERMS_SUMMARY = ["The UN called for calm in Baghdad on Monday.", "The fortified district holds most embassies."]

BLOCKS = """\
<!-- Editors: check the casualty figures. -->

<div class="box" markdown>
Protesters gathered in Tahrir Square on Tuesday.
</div>

| City | Crowd |
|------|-------|
| Baghdad | Thousands of people |

    curl https://example.org/figures

- Police closed the bridges at dusk.
"""
BLOCKS_SUMMARY = ["Protesters gathered in Tahrir Square on Tuesday.", "Police closed the bridges at dusk."]

CASES = {"notes": NOTES_SUMMARY, "terms": TERMS_SUMMARY, "blocks": BLOCKS_SUMMARY}
BODIES = {"notes": NOTES, "terms": TERMS, "blocks": BLOCKS}
# Text of the pages that is not prose, and must not reach a summary, a feed or a search record.
NOT_PROSE = ["Editor's note", "Unverified reports", "Rockets hit the embassy", "nobody was hurt", "=====",
             "-----", "Green Zone", "United Nations", "Statement issued", "New York", "Editors: check",
             "casualty", "Crowd", "Thousands", "curl", "!!!", "???", "[^1]", "*[UN]", "markdown"]


def test_what_counts_as_prose() -> None:
    """Paragraphs, list items and definitions, in order; admonition and details titles,
    headings, code, tables, terms, footnotes and comments are not; nothing of attributes."""
    settings = MarkdownSettings(("admonition", "pymdownx.details", "def_list", "footnotes", "abbr", "md_in_html",
                                 "tables", "toc"), {"toc": {"permalink": True}})
    body = NOTES + "\n" + TERMS + "\n" + BLOCKS + "\n![A map of Baghdad](https://example.org/map.png)\n"
    assert paragraphs(convert_body(body, settings).html) == NOTES_SUMMARY + TERMS_SUMMARY + BLOCKS_SUMMARY


@pytest.mark.parametrize(("fragment", "expected"), [
    ("<p>Tom &amp; Jerry&nbsp;ran\n  off.</p>", ["Tom & Jerry ran off."]),
    ("<ul><li>Own text<ul><li>Nested item</li></ul>tail</li></ul>", ["Own text", "Nested item", "tail"]),
    ("<ol><li><p>Loose one.</p></li><li><p>Loose two.</p></li></ol>", ["Loose one.", "Loose two."]),
    ("<blockquote><p>Quoted words.</p></blockquote>", ["Quoted words."]),
    ("<div>Bare text.</div><p>One<p>Two", ["One", "Two"]),
    ("<p>Line<br>break and <code>inline code</code>.</p>", ["Line break and inline code."]),
    ("<p>Before <!-- hidden --> after<script>x()</script>.</p>", ["Before after."]),
    ("<p>Stray</b> end tag.</p><pre><code>code</code></pre>", ["Stray end tag."]),
    ("<h2>Head<a class=\"headerlink\">¶</a></h2><dl><dt>Term</dt><dd>Meaning.</dd></dl>", ["Meaning."]),
])
def test_fragments(fragment: str, expected: list[str]) -> None:
    assert paragraphs(fragment) == expected


def _site(project: Project) -> Project:
    cfg = project.root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text[:text.index("markdown_extensions:")] + EXTENSIONS, encoding="utf-8")
    for slug, body in BODIES.items():
        project.add(f"{slug}.md", article(title=f"Story {slug}", body=body, date="2020-01-2" + str(len(slug) % 10)))
    project.build()
    return project


def test_summaries_meta_feeds_and_search_are_prose_only(project: Project) -> None:
    """Admonitions (also collapsible), setext headings, definition lists, footnotes,
    abbreviations, md_in_html, tables, code and comments: the exact summary everywhere it
    shows, each sentence verbatim a sentence of the page's prose."""
    site = _site(project).site
    feed = feedparser.parse((site / "feed.xml").read_text(encoding="utf-8"))
    feed_summaries = {e.title: e.summary for e in feed.entries}
    records = pagefind_pages(site)
    for slug, summary in CASES.items():
        page = project.html(f"articles/{slug}")
        assert summary_box(page) == summary, slug
        meta = re.search(r'<meta name="description" content="([^"]*)"', page)
        assert meta and html.unescape(meta.group(1)) == " ".join(summary), slug
        assert feed_summaries[f"Story {slug}"] == " ".join(summary), slug
        record = next(r for url, r in records.items() if url.rstrip("/").endswith(f"articles/{slug}"))
        # the record's text is the prose alone (title, source and topics are metadata)
        assert record["content"] == " ".join(summary), (slug, record["content"])
        sentences = split_sentences("\n".join(page_prose(page)))
        assert all(s in sentences for s in summary), (slug, sentences)
        shown = " ".join([*summary_box(page), meta.group(1), feed_summaries[f"Story {slug}"], record["content"]])
        assert not [x for x in NOT_PROSE if x in html.unescape(shown)], slug
    topic = project.html("topics/iraq-protests")
    story = [html.unescape(q) for q in re.findall(r'<li class="nd-quote"><q>(.*?)</q>', topic)]
    assert story and set(story) <= {s for summary in CASES.values() for s in summary}


def test_prose_of_a_body_mkdocs_converts_is_read_from_html(project: Project) -> None:
    """'terms' links to another article by a relative address, so MkDocs converts its body;
    its prose still comes from the parsed body (no footnote, no term, no expansion)."""
    _site(project)
    page = project.html("articles/terms")
    assert 'href="../blocks/"' in page and "<dt>Green Zone</dt>" in page
    assert page_prose(page) == TERMS_SUMMARY


def test_settings_that_cannot_be_pickled_are_used_in_this_process(tmp_path: Path) -> None:
    extension = AdmonitionExtension()
    extension.hook = lambda: None       # type: ignore[attr-defined]
    settings = MarkdownSettings((extension, "footnotes"))
    assert not picklable(settings) and picklable(DEFAULT_MARKDOWN)
    project = Project(tmp_path)
    project.add("notes.md", article(title="Notes", body=NOTES))
    articles = load_corpus(project.content).articles
    with PoolExecutor(workers=2) as pool:
        pipeline = Pipeline(3, executor=pool, markdown=settings)
        analyses = pipeline(articles)
    # Without pymdownx.details the `???` block is a paragraph of the page: prose, verbatim.
    assert analyses["notes"].summary_sentences() == (
        "Figures were corrected on Monday.", "Three rockets struck the embassy compound late on Sunday.",
        '??? warning "Unverified reports" Witnesses described a fire near the gate.')
    converted = pipeline.body("notes")
    assert converted is not None and '<p class="admonition-title">Editor\'s note</p>' in converted.html
    assert prose_text(converted.html).splitlines()[0] == "Figures were corrected on Monday."


def test_warm_build_analyses_the_cached_body_without_converting_it(project: Project,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A new summary length misses the analysis cache but not the body cache: the prose is
    read from the cached HTML; only the body MkDocs converts (a relative link) is
    converted again, for its prose."""
    _site(project)
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  - digest\n", "  - digest:\n      summary_sentences: 2\n"),
                   encoding="utf-8")
    import digest.analysis.pipeline as pipeline

    converted: list[str] = []
    real = pipeline.convert_body

    def counting(body: str, settings: MarkdownSettings) -> object:
        converted.append(body)
        return real(body, settings)

    monkeypatch.setattr(pipeline, "convert_body", counting)
    project.build()
    assert [body.strip() for body in converted] == [TERMS.strip()]
    assert summary_box(project.html("articles/terms")) == TERMS_SUMMARY
    for slug, summary in CASES.items():
        shown = summary_box(project.html(f"articles/{slug}"))
        assert len(shown) == 2 and all(s in summary for s in shown), slug


def test_fingerprint_is_stable_across_runs_and_follows_options() -> None:
    """The analysis and body caches are keyed by the settings' fingerprint: it must not
    hold addresses (a function or extension object differs in every run) but must tell
    options apart."""
    from markdown.extensions.toc import TocExtension
    from pymdownx.superfences import fence_code_format

    fences = {"pymdownx.superfences": {"custom_fences": [{"name": "mermaid", "class": "mermaid",
                                                          "format": fence_code_format}]}}
    text = repr(fences)
    assert " at 0x" in text
    one = MarkdownSettings(("pymdownx.superfences",), fences).fingerprint()
    assert one == MarkdownSettings(("pymdownx.superfences",), _copy(fences)).fingerprint()
    assert (MarkdownSettings((TocExtension(permalink=True),)).fingerprint()
            == MarkdownSettings((TocExtension(permalink=True),)).fingerprint()
            != MarkdownSettings((TocExtension(permalink=False),)).fingerprint())


def _copy(value: object) -> object:
    """A deep copy made of new containers (functions kept): equal settings, other objects."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
