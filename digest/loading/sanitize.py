"""Allow-list sanitising of article HTML with nh3 (bindings to the Rust `ammonia` crate).

Article bodies come from many hands; their raw HTML must not run scripts in readers'
browsers, nor pass for the site's own interface. The whole rendered article (our own
markup included) goes through one allow-list: no <script>, <style>, <iframe>, event-handler
or style attributes, and only http(s)/mailto/relative links survive. `sanitize_html: false`
turns it off.

Classes and ids are filtered too: a `class="md-header"` (written in raw HTML or with
attr_list's `{: .md-header }`) would borrow the theme's header to spoof navigation or
cover the page. Only the classes the Markdown extensions themselves produce are kept
(admonitions, code highlighting, footnotes, table of contents, tabs and details, task
lists, a few of Material's content classes such as buttons and grids, and our own `nd-`
classes); ids in the theme's namespaces (`__drawer`, `md-...`) get a `user-content-` prefix,
so they cannot collide with the theme's.
"""

from __future__ import annotations

import nh3

from .xmlchars import xml_safe

__all__ = ["ATTRIBUTES", "CLASSES", "TAGS", "clean_html", "sanitize_version"]

TAGS: frozenset[str] = frozenset(nh3.ALLOWED_TAGS)

# nh3's defaults, plus the generic attributes our templates, Markdown's toc/attr_list
# and Material's styling rely on. `rel` is set by nh3 itself (noopener noreferrer).
ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "title", "lang", "dir"},
    "time": {"datetime"},
}


def _pygments_classes() -> frozenset[str]:
    """The short token classes Pygments writes in highlighted code (`k`, `s2`, `err`, ...)."""
    try:
        from pygments.token import STANDARD_TYPES
    except ImportError:                      # no Pygments: no highlighted code to keep
        return frozenset()
    return frozenset(c for c in STANDARD_TYPES.values() if c)


_ADMONITION_TYPES = {"note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
                     "success", "check", "done", "question", "help", "faq", "warning", "caution",
                     "attention", "failure", "fail", "missing", "danger", "error", "bug", "example",
                     "quote", "cite", "inline", "end"}
#: Classes the Markdown extensions produce (Python-Markdown, PyMdown, Material's content).
CLASSES: frozenset[str] = frozenset({
    "admonition", "admonition-title", *_ADMONITION_TYPES,
    "codehilite", "highlight", "highlighttable", "linenos", "linenodiv", "linenotable", "lineno",
    "hll", "normal", "special", "filename", "code", *_pygments_classes(),
    "footnote", "footnote-ref", "footnote-backref", "footnotes",
    "toc", "toclink", "headerlink", "permalink",
    "tabbed-set", "tabbed-alternate", "tabbed-labels", "tabbed-content", "tabbed-block", "tabbed-control",
    "task-list", "task-list-item", "task-list-control", "task-list-indicator",
    "arithmatex", "critic", "comment", "emoji", "twemoji", "keys", "caret", "mark", "smartsymbol",
    "md-button", "md-button--primary", "grid", "cards", "annotate",
})
#: Class prefixes that are safe: fenced code's language, our own markup.
_CLASS_PREFIXES = ("language-", "nd-")
#: Id namespaces of the theme (Material's `__drawer`, `__search`, `md-...`) and ours.
_THEME_IDS = ("__", "md-", "nd-")
ID_PREFIX = "user-content-"


def _filter(tag: str, name: str, value: str) -> str | None:
    """Keep allowed classes, move ids out of the theme's namespaces; other attributes pass."""
    if name == "class":
        kept = [c for c in value.split() if c in CLASSES or c.startswith(_CLASS_PREFIXES)]
        return " ".join(kept) if kept else None
    if name == "id" and value.lower().startswith(_THEME_IDS):
        return ID_PREFIX + value
    return value


def clean_html(fragment: str) -> str:
    """The fragment with everything outside the allow-list removed."""
    # Comments are kept: they cannot run anything, and they carry the renderer's slot
    # placeholders (whose random nonce article text cannot forge).
    return xml_safe(nh3.clean(fragment, tags=set(TAGS), attributes=ATTRIBUTES, attribute_filter=_filter,
                              url_schemes={"http", "https", "mailto"}, strip_comments=False))


def sanitize_version() -> str:
    """What decides the sanitiser's output: nh3's version and this allow-list (for cache keys)."""
    return (f"{nh3.__version__ if hasattr(nh3, '__version__') else ''}|{sorted(TAGS)}|"
            f"{sorted((k, sorted(v)) for k, v in ATTRIBUTES.items())}|{sorted(CLASSES)}|{_CLASS_PREFIXES}|"
            f"{_THEME_IDS}|{ID_PREFIX}")
