"""Article bodies from Markdown to sanitised HTML, outside MkDocs.

Converting every article body is the largest single cost of a cold build. Done here,
it runs beside the analysis in the worker pool (and its result is cached by content
hash), so MkDocs only sees a placeholder for the body and the build process never runs
Markdown on it. The conversion uses the site's own `markdown_extensions` and their
options, so the HTML is what MkDocs itself would produce for the body, with one
exception handled by falling back: a body with a relative link or image needs MkDocs
to resolve it against the site's files, so `needs_mkdocs` picks those out beforehand
(cautiously: anything that looks like one) and the plugin lets MkDocs convert them.

No MkDocs imports: the plugin builds the `MarkdownSettings` from its config.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import markdown

from .sanitize import clean_html, sanitize_version

__all__ = ["Converted", "MarkdownSettings", "convert_body", "needs_mkdocs"]


@dataclass(frozen=True)
class MarkdownSettings:
    """What decides a body's HTML: the Markdown extensions, their options, sanitising."""

    extensions: tuple[Any, ...]
    configs: dict[str, Any] = field(default_factory=dict)
    sanitize: bool = True

    @cached_property
    def _fingerprint(self) -> str:
        text = json.dumps([markdown.__version__, [str(e) for e in self.extensions], repr(self.configs),
                           self.sanitize, sanitize_version() if self.sanitize else ""], default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def fingerprint(self) -> str:
        """A stable hash of the settings and library versions (part of the cache key);
        computed once per settings object, as every converted body looks it up."""
        return self._fingerprint


@dataclass(frozen=True)
class Converted:
    """A converted body: its HTML and table of contents (Markdown's toc tokens)."""

    html: str
    toc: tuple[dict[str, Any], ...] = ()


# A link or image target that is neither absolute (scheme, `//host`, `/path`), an anchor
# nor empty, after an inline link, a reference definition or an HTML attribute. One
# pattern per form, each tried only if the text has its telltale characters: a scan for
# one of them is far faster than the alternation over the whole body.
_REL = r"""(?![a-zA-Z][a-zA-Z0-9+.\-]*:|/|#|[)>"'\s])"""
_INLINE = re.compile(r"\]\(\s*<?" + _REL)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?" + _REL, re.MULTILINE)
_ATTRIBUTE = re.compile(r"""\b(?:href|src|srcset|poster)\s*=\s*["']?""" + _REL, re.IGNORECASE)


def needs_mkdocs(body: str) -> bool:
    """Whether the body may link to a file of the site by a relative address, which only
    MkDocs can resolve (it knows every page's final URL)."""
    return bool(("](" in body and _INLINE.search(body))
                or ("]:" in body and _REFERENCE.search(body))
                or ("=" in body and _ATTRIBUTE.search(body)))

_converters: dict[str, markdown.Markdown] = {}


def _converter(settings: MarkdownSettings) -> markdown.Markdown:
    """One Markdown instance per settings and process, reset between bodies (building one
    with all its extensions costs more than converting a short article)."""
    key = settings.fingerprint()
    md = _converters.get(key)
    if md is None:
        md = _converters[key] = markdown.Markdown(extensions=list(settings.extensions),
                                                  extension_configs=settings.configs)
    return md


def convert_body(body: str, settings: MarkdownSettings) -> Converted:
    """The body's HTML (sanitised when `settings.sanitize`) and its table of contents."""
    md = _converter(settings)
    md.reset()
    html = md.convert(body)
    toc = tuple(getattr(md, "toc_tokens", ()))
    return Converted(clean_html(html) if settings.sanitize else html, _plain(toc))


def _plain(tokens: Any) -> tuple[dict[str, Any], ...]:
    """Toc tokens reduced to what MkDocs' `get_toc` reads, as JSON-ready dicts."""
    return tuple({"level": t["level"], "id": t["id"], "name": t["name"],
                  "children": list(_plain(t.get("children", ())))} for t in tokens)
