"""Allow-list sanitising of article HTML with nh3 (bindings to the Rust `ammonia` crate).

Article bodies come from many hands; their raw HTML must not run scripts in readers'
browsers. The whole rendered article (our own markup included) goes through one
allow-list: no <script>, <style>, <iframe>, event-handler or style attributes, and
only http(s)/mailto/relative links survive. `sanitize_html: false` turns it off.
"""

from __future__ import annotations

import nh3

from .xmlchars import xml_safe

__all__ = ["ATTRIBUTES", "TAGS", "clean_html", "sanitize_version"]

TAGS: frozenset[str] = frozenset(nh3.ALLOWED_TAGS)

# nh3's defaults, plus the generic attributes our templates, Markdown's toc/attr_list
# and Material's styling rely on. `rel` is set by nh3 itself (noopener noreferrer).
ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "title", "lang", "dir"},
    "time": {"datetime"},
}


def clean_html(fragment: str) -> str:
    """The fragment with everything outside the allow-list removed."""
    # Comments are kept: they cannot run anything, and they carry the renderer's slot
    # placeholders (whose random nonce article text cannot forge).
    return xml_safe(nh3.clean(fragment, tags=set(TAGS), attributes=ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, strip_comments=False))


def sanitize_version() -> str:
    """What decides the sanitiser's output: nh3's version and this allow-list (for cache keys)."""
    return f"{nh3.__version__ if hasattr(nh3, '__version__') else ''}|{sorted(TAGS)}|{sorted((k, sorted(v)) for k, v in ATTRIBUTES.items())}"
