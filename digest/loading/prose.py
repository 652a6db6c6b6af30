"""An article's prose, taken from its converted body (HTML), not from its Markdown.

Summaries, meta descriptions, feeds, search text and the analysis's terms are drawn from
the prose of the page a reader sees. The body is first converted with the site's own
Markdown extensions (digest/loading/convert.py); this module reads that HTML with the
standard library's parser and keeps the text of:

- paragraphs (`p`), list items (`li`) and definition descriptions (`dd`, which news
  writers use for glossaries and fact boxes), wherever they stand: block quotes,
  admonition and `details` bodies, `md_in_html` blocks and raw HTML blocks count by
  these inner elements.

It leaves out, with everything inside them: headings, code blocks (`pre`), tables,
definition terms (`dt`), admonition titles (`p.admonition-title`) and `details`
summaries, footnotes (the `div.footnote` list at the end: notes, not the story) and
footnote markers, scripts, styles, forms and embedded objects. HTML comments are never
text; attributes (an abbreviation's expansion, an image's alt text, a link's address)
are never inserted. Inline markup inside a paragraph (emphasis, links, inline code,
abbreviations) keeps its text. Text that stands in no paragraph, list item or
definition (a bare `<div>` line) is not prose.

Each paragraph comes back as plain text: entities decoded, runs of whitespace (no-break
spaces included) made one space. A list item's own text and each of its paragraphs or
nested items are separate paragraphs.
"""

from __future__ import annotations

from html.parser import HTMLParser

from .convert import DEFAULT_MARKDOWN, MarkdownSettings, convert_body

__all__ = ["body_prose", "paragraphs", "prose_text"]

#: Elements whose text is prose.
PROSE = frozenset({"p", "li", "dd"})
#: Blocks left out with everything inside them.
SKIP_BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "dt", "summary", "head", "title"})
#: Inline elements left out with everything inside them (the text around them stays one paragraph).
SKIP_INLINE = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
                         "textarea", "select", "button", "canvas", "audio", "video"})
SKIP = SKIP_BLOCKS | SKIP_INLINE
#: Elements left out when they carry one of these classes (Markdown extensions' markup).
SKIP_CLASSES = frozenset({"admonition-title", "footnote", "footnote-ref", "footnote-backref", "headerlink"})
#: Elements that start a new block: text before and after them is never one paragraph.
BLOCKS = PROSE | SKIP_BLOCKS | frozenset({
    "address", "article", "aside", "blockquote", "body", "details", "dialog", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html", "main", "menu", "nav", "ol",
    "section", "ul"})
#: Elements without an end tag.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr"})
#: Blocks a new block closes implicitly, as HTML parsers do (`<p>one<p>two`, `<li>a<li>b`).
_CLOSED_BY = {"p": BLOCKS, "li": frozenset({"li"}), "dd": frozenset({"dd", "dt"}), "dt": frozenset({"dd", "dt"})}


class _Prose(HTMLParser):
    """Collects prose paragraphs; see the module doc for what counts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._stack: list[tuple[str, bool]] = []     # open elements: (tag, skipped with its content)
        self._skipping = 0                           # how many open elements are skipped
        self._block: list[str] = []                  # open block elements, innermost last
        self._text: list[str] = []

    def _flush(self) -> None:
        if self._text:
            text = " ".join("".join(self._text).split())
            if text:
                self.found.append(text)
            self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        skip = tag in SKIP or bool(classes & SKIP_CLASSES)
        if tag == "br":
            self._text.append(" ")
        if tag in VOID:
            if tag in BLOCKS:
                self._flush()
            return
        if tag in BLOCKS:
            self._flush()
            while self._stack and tag in _CLOSED_BY.get(self._stack[-1][0], ()):
                self._pop()
            self._block.append(tag)
        self._stack.append((tag, skip))
        self._skipping += skip

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def _pop(self) -> None:
        tag, skip = self._stack.pop()
        self._skipping -= skip
        if tag in BLOCKS:
            self._flush()
            self._block.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or all(open_tag != tag for open_tag, _ in self._stack):
            return                                   # a stray end tag
        while self._stack:
            open_tag = self._stack[-1][0]
            self._pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping and self._block and self._block[-1] in PROSE:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        while self._stack:
            self._pop()
        self._flush()


def paragraphs(html: str) -> list[str]:
    """The prose paragraphs of an HTML body as plain text, in document order."""
    parser = _Prose()
    parser.feed(html)
    parser.close()
    return parser.found


def prose_text(html: str) -> str:
    """The body's prose as plain text, one paragraph per line (what `split_sentences` reads)."""
    return "\n".join(paragraphs(html))


def body_prose(body: str, settings: MarkdownSettings | None = None) -> str:
    """The prose of a Markdown body converted with `settings` (default: DEFAULT_MARKDOWN),
    one paragraph per line: for callers that have no converted body at hand."""
    return prose_text(convert_body(body, settings or DEFAULT_MARKDOWN).html)
