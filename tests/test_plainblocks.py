"""Plain paragraphs stand aside while Markdown converts the rest: the HTML is exactly
Markdown's own, on our bodies, generated ones, real BBC text and every Markdown form
that could take a paragraph in."""

from __future__ import annotations

import csv
import sys

import markdown
import pytest
from conftest import REPO

from digest.loading.convert import DEFAULT_MARKDOWN, MarkdownSettings, convert_body
from digest.loading.plainblocks import put_back, safe_settings, stand_in
from digest.loading.sanitize import clean_html

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

SITE = MarkdownSettings(("admonition", "attr_list", "md_in_html", "toc", "tables", "fenced_code"),
                        {"toc": {"permalink": True}})
PLAIN = "Officials said 12 people were hurt on Sunday. \u201cIt was chaos,\u201d one said.\nA second line."
#: Markdown forms next to plain paragraphs, some of which take the paragraph in.
FORMS = [
    "Apple\n\n: A fruit", "Term\n: definition", "- a\n\n- b", "1. one\n\n2. two", "Title\n===", "What\n---",
    "## Head {: #h .x }", "    code", "!!! note\n    body", "> quote\n> more", "text  \nbreak", "***",
    "Footnote[^1].\n\n[^1]: The note.", "*[HTML]: Hyper Text", "HTML and [x][r].\n\n[r]: https://example.org",
    "<div markdown=\"1\">\n\nInside.\n\n</div>", "<div>\n\nRaw.\n\n</div>", "```\n\nfenced\n\n```",
    "| a | b |\n| - | - |\n| 1 | 2 |", "2019. A year", "(Aside) text", "\"Quoted\" start", "*em* and **strong**",
    "\n", "", "a\n\n\nb",
]


def _markdown(body: str, settings: MarkdownSettings) -> str:
    html = markdown.Markdown(extensions=list(settings.extensions), extension_configs=settings.configs).convert(body)
    return clean_html(html)


def _bodies() -> list[str]:
    bodies = [a.body for a in corpus.generate(150)]
    for i, form in enumerate(FORMS):
        for j in range(len(FORMS)):
            bodies.append("\n\n".join([PLAIN, form, PLAIN, FORMS[(i + j) % len(FORMS)], PLAIN]))
    bodies += [p.read_text(encoding="utf-8").split("---", 2)[-1] for p in (REPO / "content").rglob("*.md")]
    data = next((p / "shared" / "data" / "bbc-news-summary" / "dev.csv" for p in REPO.parents
                 if (p / "shared" / "data" / "bbc-news-summary" / "dev.csv").is_file()), None)
    if data is not None:
        with open(data, newline="", encoding="utf-8") as handle:
            bodies += [row["document"].replace("\n", "\n\n") for _, row in zip(range(300), csv.DictReader(handle))]
    return bodies


@pytest.mark.parametrize("settings", [SITE, DEFAULT_MARKDOWN], ids=["site", "default"])
def test_the_html_is_markdowns_own(settings: MarkdownSettings) -> None:
    bodies = _bodies()
    split = [b for b in bodies if stand_in(b) is not None]
    assert len(split) > len(bodies) // 2          # the fast path is taken on most bodies
    for body in bodies:
        assert convert_body(body, settings).html == _markdown(body, settings), body


def test_runs_of_plain_paragraphs_become_one_placeholder_each() -> None:
    found = stand_in(f"{PLAIN}\n\n{PLAIN}\n\n## Head\n\n{PLAIN}")
    assert found is not None
    text, kept = found
    assert text == "ndplainpara0\n\n## Head\n\nndplainpara1"
    assert kept == [f"{PLAIN}</p>\n<p>{PLAIN}", PLAIN]


def test_a_placeholder_taken_in_by_other_markup_is_refused() -> None:
    """A definition list takes the paragraph before it as its term: the body is converted whole."""
    found = stand_in(f"Apple\n\n: A fruit\n\n{PLAIN}")
    assert found is not None
    html = markdown.Markdown(extensions=["def_list"]).convert(found[0])
    assert "<dt>ndplainpara0</dt>" in html and put_back(html, found[1]) is None
    assert put_back("<p>ndplainpara0</p>\n<p>ndplainpara0</p>", ["x"]) is None


@pytest.mark.parametrize("body", ["```\ncode\n```\n\nPlain.", "<b>x</b>\n\nPlain.", "*[A]: b\n\nPlain.",
                                  "Plain\twith a tab.", "Plain.\r\n\r\nMore.", "Plain ndplainpara0 text."])
def test_bodies_that_may_not_be_split(body: str) -> None:
    assert stand_in(body) is None


def test_only_extensions_that_leave_plain_text_alone() -> None:
    assert safe_settings(["toc", "markdown.extensions.tables", "pymdownx.superfences"], {"toc": {"permalink": True}})
    assert not safe_settings(["smarty"], {})
    assert not safe_settings(["pymdownx.magiclink"], {})
    assert not safe_settings(["toc"], {"toc": {"marker": "TOC"}})
    assert not safe_settings(["footnotes"], {"footnotes": {"PLACE_MARKER": "NOTES"}})
    assert not safe_settings([markdown.extensions.Extension()], {})
    assert not MarkdownSettings(("smarty",)).plain_paragraphs
