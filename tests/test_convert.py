"""Article bodies converted in the worker pool: the same HTML as MkDocs' own conversion,
sanitised, with the table of contents, and MkDocs as the fallback for relative links."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import markdown
import pytest
from conftest import REPO, Project, article

from digest.loading.convert import (
    MarkdownSettings,
    _converter,
    convert_body,
    needs_mkdocs,
)

RICH = """\
Rockets were fired at the base. Officials said so.

## What happened next {: #next .lead }

| Day | Rockets |
| --- | ---: |
| Sunday | 3 |

!!! note "Context"
    The embassy sits in the Green Zone.

<div markdown="1">
*Emphasis* inside HTML, and a [link](https://example.org/a?b=1&c=2).
</div>

<script>alert("PWNED")</script><img src="https://example.org/x.png" onerror="alert(1)">
"""


def _pages(project: Project) -> dict[str, str]:
    """Article pages by path, whitespace between tags collapsed (it renders the same)."""
    return {str(p.relative_to(project.site)): re.sub(r">\s+<", "><", p.read_text(encoding="utf-8"))
            for p in sorted((project.site / "articles").rglob("*.html"))}


def test_pool_conversion_matches_mkdocs_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every article page is the same (up to whitespace between tags) whether its body came from digest/loading/convert.py or
    from MkDocs' Markdown (forced by taking every body for one that needs MkDocs)."""
    pooled, own = Project(tmp_path / "pooled"), Project(tmp_path / "own")
    for p in (pooled, own):
        p.add("rich.md", article(title="Rich", body=RICH))
        p.add("plain.md", article(title="Plain", body="Police watched. Protesters marched on."))
        cfg = p.root / "mkdocs.yml"
        cfg.write_text(cfg.read_text().replace("  - md_in_html\n", "  - md_in_html\n  - tables\n"
                                               "  - toc:\n      permalink: true\n"))
    pooled.build()
    monkeypatch.setattr("digest.analysis.pipeline.needs_mkdocs", lambda body: True)
    own.build()
    assert _pages(pooled) == _pages(own)
    page = pooled.html("articles/rich")
    assert 'id="next"' in page and 'href="#next"' in page              # attr_list id, toc entry
    assert "<table>" in page and 'class="admonition note"' in page
    assert "<em>Emphasis</em>" in page and "PWNED" not in page.split("</article>")[0].split("<article")[1]
    assert "onerror" not in page


def test_relative_link_falls_back_to_mkdocs(project: Project) -> None:
    project.add("one.md", article(title="One", body="See [the other story](two.md). Police said so.\n\n"
                                                   "<script>alert('PWNED')</script>"))
    project.add("two.md", article(title="Two", body="Protesters marched. Police watched."))
    project.build()
    page = project.html("articles/one")
    assert "the other story</a>" in page and "alert('PWNED')" not in page


@pytest.mark.parametrize(("body", "relative"), [
    ("See [x](two.md).", True), ("![map](img/map.png)", True), ("[x]: ../two.md", True),
    ('<a href="two.md">x</a>', True), ("[x]( <two.md> )", True), ("<img src='a.png'>", True),
    ("See [x](https://example.org/two.md).", False), ("[x](#anchor)", False), ("[x](/abs/)", False),
    ('<a href="mailto:desk@example.org">x</a>', False), ("[x]: //cdn.example.org/a", False),
    ("Plain text ] ( and [brackets].", False), ("[e]()", False),
])
def test_relative_targets_are_left_to_mkdocs(body: str, relative: bool) -> None:
    assert needs_mkdocs(body) is relative


def test_conversion_is_sanitised_unless_turned_off() -> None:
    body = "Text <b onclick=\"x()\">bold</b>.\n\n<iframe src=\"https://evil.example\"></iframe>"
    safe = convert_body(body, MarkdownSettings(("toc",)))
    raw = convert_body(body, MarkdownSettings(("toc",), sanitize=False))
    assert safe.html == "<p>Text <b>bold</b>.</p>\n"
    assert "onclick" in raw.html and "<iframe" in raw.html


def test_toc_tokens_round_trip_to_mkdocs() -> None:
    converted = convert_body("## One\n\nText.\n\n### Two\n\nMore.", MarkdownSettings(("toc",)))
    assert converted.toc == ({"level": 2, "id": "one", "name": "One",
                              "children": [{"level": 3, "id": "two", "name": "Two", "children": []}]},)


def test_settings_fingerprint_changes_with_options() -> None:
    a = MarkdownSettings(("toc",), {"toc": {"permalink": True}})
    assert a.fingerprint() == MarkdownSettings(("toc",), {"toc": {"permalink": True}}).fingerprint()
    assert a.fingerprint() != MarkdownSettings(("toc",), {"toc": {"permalink": False}}).fingerprint()
    assert a.fingerprint() != MarkdownSettings(("toc", "tables")).fingerprint()
    assert a.fingerprint() != MarkdownSettings(("toc",), {"toc": {"permalink": True}}, False).fingerprint()


# Bodies where each inline pattern has its characters, alone and together, in and out of context.
INLINE = [
    "Only _underscores_ and __strong__ here.",
    "Only *stars* and **strong** here.",
    "Only `code` here.",
    "Only an escaped \\. dot here.",
    "Only a [link](https://example.org/x) here.",
    "Only an ![image](https://example.org/i.png) here.",
    "Only an autolink <https://example.org/x> here.",
    "Only a mail <news@example.org> here.",
    "Only an entity &copy; here.",
    "Only a break  \nhere.",
    "Fenced code:\n\n```python\nx = a * b_c  # [not] <a link> &amp;\n```\n\nand prose after.",
    "Plain prose only. Nothing else here.",
    "Stars *em* and **strong** and ***both***; under_scores_ and __strong__ and _em_.",
    "A lone * star and a lone _ underscore, 3 * 4 = 12.",
    "Code `x * y` and ``a ` b`` and \\`not code\\`.",
    "Escapes: \\*not em\\*, \\[not a link\\], \\\\ and \\_.",
    "A [link](https://example.org/a?b=1&c=2 \"Title\") and [ref][r] and [r].\n\n[r]: https://example.org/r",
    "An image ![alt](https://example.org/i.png) and ![ref image][i].\n\n[i]: https://example.org/i.png",
    "Autolinks <https://example.org/x> and <news@example.org>, a <b>tag</b>, a < b > c.",
    "Entities &amp; &copy; &#169; &#xA9; and a bare & ampersand.",
    "A line break here  \nand a second line.",
    "Tabs\tbefore\tthe end\t\nand *em*.",
    "Windows lines  \r\nwith *em*\r\n",
    RICH,
]


def _reference(body: str, settings: MarkdownSettings) -> str:
    """The body as one Markdown instance with every pattern converts it."""
    from digest.loading.sanitize import clean_html
    md = markdown.Markdown(extensions=list(settings.extensions), extension_configs=settings.configs)
    html = md.convert(body)
    return clean_html(html) if settings.sanitize else html


def test_leaving_out_inline_patterns_a_body_cannot_match_changes_nothing() -> None:
    """Bodies are converted without the inline patterns whose characters they lack; the HTML
    is the same as with every pattern, on hand-made bodies, the demo articles and the
    benchmark's generated ones."""
    import frontmatter
    sys.path.insert(0, str(REPO / "benchmarks"))
    import corpus

    # MkDocs' own three extensions first, as the plugin passes them.
    settings = MarkdownSettings(("toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html"),
                                {"toc": {"permalink": True}}, sanitize=False)
    bodies = INLINE + [frontmatter.load(p).content for p in sorted((REPO / "content").rglob("*.md"))]
    bodies += [a.body for a in corpus.generate(60)]
    left_out = 0
    for body in bodies:
        assert convert_body(body, settings).html == _reference(body, settings), body[:60]
        left_out += len(_converter(settings, body).inlinePatterns) < 14
    assert left_out >= len(bodies) // 2


def test_nothing_is_left_out_when_an_extension_adds_text_before_the_inline_patterns() -> None:
    settings = MarkdownSettings(("footnotes", "toc"), {}, sanitize=False)
    body = "Plain prose with a note.[^1]\n\n[^1]: The note."
    assert len(_converter(settings, body).inlinePatterns) == len(markdown.Markdown(extensions=["footnotes"]).inlinePatterns)
    assert convert_body(body, settings).html == _reference(body, settings)
