"""Plain paragraphs of an article body, kept out of Markdown's inline processing.

Most of a news body is paragraphs of plain prose: no character any Markdown syntax
needs, so Markdown turns each into `<p>` + its text + `</p>`, after running every
inline pattern over it (most of the conversion's time). `stand_in` replaces each such
paragraph by a short placeholder word before conversion (one for each run of them), so the document keeps its
block structure (a list, a definition or a header next to a paragraph is parsed as
before) and Markdown only handles the rest; `put_back` puts the paragraphs in again and
returns None unless every placeholder came out as a paragraph of its own, once (a
definition list takes the paragraph before it as its term, a raw HTML block keeps
text as it is): then the caller converts the whole body as usual.

A paragraph is plain when none of its lines is empty, starts with anything but a
letter, digit, quote or bracket (or with "1." or "1)"), or ends with a space, and it
has none of Markdown's inline characters (`` ` * _ [ ] < > & \\ { } | ~ ``) nor a
control character. Whole bodies with a fence (a code block across blank lines), raw
HTML (an HTML block across blank lines), an abbreviation (applied to every paragraph),
a tab or a carriage return are never split. Only for the extensions in PLAIN_SAFE,
whose syntax all needs one of those characters or line starts (others, such as
smarty, magiclink or emoji, change plain text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["PLAIN_SAFE", "put_back", "safe_settings", "stand_in"]

#: Extensions (Python-Markdown's and PyMdown's) that leave a plain paragraph as it is.
PLAIN_SAFE = frozenset({
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
    "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.superfences", "pymdownx.tabbed",
})
#: Options of those that cannot make a plain paragraph anything else (toc's `marker`,
#: footnotes' place marker or abbr's glossary could).
_SAFE_OPTIONS = {"toc": frozenset({"permalink", "permalink_title", "permalink_class", "permalink_leftside",
                                   "anchorlink", "anchorlink_class", "baselevel", "slugify", "separator",
                                   "title", "title_class", "toc_class", "toc_depth"})}
_CODE_ONLY = frozenset({"codehilite", "pymdownx.highlight", "pymdownx.superfences", "pymdownx.inlinehilite"})
_BODY_STOPS = ("```", "~~~", "<", "*[", "\t", "\r", "\x02", "\x03")
_INLINE = re.compile(r"[`*_\[\]<>&\\{}|~\x00-\x08\x0b-\x1f\x7f]")
_LIST_START = re.compile(r"\d+[.)]")
_OPENERS = frozenset("\"'“‘(")
#: The placeholder's letters: no Markdown syntax, and never split by a pattern.
_MARK = "ndplainpara"


def _name(extension: str) -> str:
    return extension.removeprefix("markdown.extensions.")


def safe_settings(extensions: Iterable[Any], configs: Mapping[str, Any]) -> bool:
    """Whether these Markdown settings leave every plain paragraph as it is (see the module doc)."""
    names = set()
    for extension in extensions:
        if not isinstance(extension, str) or _name(extension) not in PLAIN_SAFE:
            return False
        names.add(_name(extension))
    for key, options in configs.items():
        name = _name(key)
        if name not in names or not options or name in _CODE_ONLY:
            continue
        if not isinstance(options, Mapping) or not set(options) <= _SAFE_OPTIONS.get(name, frozenset()):
            return False
    return True


def _plain(block: str) -> bool:
    if _INLINE.search(block):
        return False
    for line in block.split("\n"):
        if not line or line[-1].isspace() or not (line[0].isalnum() or line[0] in _OPENERS) \
                or _LIST_START.match(line):
            return False
    return True


def stand_in(body: str) -> tuple[str, list[str]] | None:
    """The body with each run of plain paragraphs replaced by one placeholder, and the
    HTML inside the `<p>` that each stands for; None if there is none to replace or the
    body may not be split."""
    if _MARK in body or any(stop in body for stop in _BODY_STOPS):
        return None
    out: list[str] = []
    kept: list[str] = []
    run: list[str] = []          # plain paragraphs in a row: one placeholder
    for block in body.split("\n\n"):
        if block and _plain(block):
            if not run:
                out.append(f"{_MARK}{len(kept)}")
            run.append(block)
            continue
        if run:
            kept.append("</p>\n<p>".join(run))
            run = []
        out.append(block)
    if run:
        kept.append("</p>\n<p>".join(run))
    return ("\n\n".join(out), kept) if kept else None


def put_back(html: str, kept: list[str]) -> str | None:
    """The converted placeholder body with its paragraphs in again; None unless each
    placeholder is a paragraph of its own, exactly once."""
    if html.count(_MARK) != len(kept):
        return None
    parts = html.split(_MARK)
    out = [parts[0]]
    for i, (text, part) in enumerate(zip(kept, parts[1:])):
        number = str(i)
        if not (out[-1].endswith("<p>") and part.startswith(number + "</p>")):
            return None
        out.append(text + part[len(number):])
    return "".join(out)
