"""Render the theme's site navigation once per folder for pages that are not in the nav.

Material renders the whole nav (sidebar and tabs) into every page, which is most of
the theme's cost per page. For a page outside the nav (every article) no nav item is
active, so that HTML depends only on the nav itself and on where the page sits (links
are relative): pages in the same folder get identical markup. We wrap the compiled
partials so that markup is rendered once per folder and reused; pages in the nav are
rendered as usual. No template is copied or changed, but the wrap replaces a compiled
template's `root_render_func`, which is Jinja's own attribute, not a public API.

So nothing is taken on trust: the second page of each folder (the first one the memo
would serve) is rendered by the theme as well and compared with the memo; only if they
are equal does the memo serve that folder's other pages, else the theme renders all of
them (a debug message says where they differed). `cache_nav: false` turns it all off.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Callable, Iterator
from typing import Any

import jinja2

__all__ = ["MEMOISED_PARTIALS", "NavMemo", "folder_key", "memoise_nav_partials"]

log = logging.getLogger("mkdocs.plugins.digest")

#: Partials whose output, for a page outside the nav, depends only on the nav and the folder.
MEMOISED_PARTIALS = ("partials/nav.html", "partials/tabs.html")

Render = Callable[[Any], Iterator[str]]


def folder_key(url: str) -> tuple[str, bool]:
    """What, besides the nav, the partials' output depends on for a page outside the nav:
    its folder and whether its URL is a folder (relative links)."""
    return posixpath.dirname(url.rstrip("/")), url.endswith("/")


class NavMemo:
    """A partial's render function that renders once per folder, checked on the folder's
    second page; stands in for the template's `root_render_func`."""

    def __init__(self, name: str, render: Render) -> None:
        self.name, self.render = name, render
        self.nav: Any = None
        self.in_nav: frozenset[int] = frozenset()
        self.html: dict[tuple[str, bool], str] = {}
        self.verified: set[tuple[str, bool]] = set()
        self.refused: set[tuple[str, bool]] = set()
        self.served = 0                  # renders answered from the memo

    def __call__(self, context: Any) -> Iterator[str]:
        nav, page = context.get("nav"), context.get("page")
        if nav is not self.nav:           # a new build (mkdocs serve): forget everything
            self.nav, self.html, self.verified, self.refused, self.served = nav, {}, set(), set(), 0
            self.in_nav = frozenset(id(p) for p in getattr(nav, "pages", ()))
        url = getattr(page, "url", None)
        if nav is None or url is None or id(page) in self.in_nav:
            yield from self.render(context)
            return
        key = folder_key(url)
        if key in self.refused:
            yield from self.render(context)
            return
        html = self.html.get(key)
        if html is None:
            html = self.html[key] = "".join(self.render(context))
        elif key not in self.verified:
            html = self._check(key, html, "".join(self.render(context)), url)
        else:
            self.served += 1
        yield html

    def _check(self, key: tuple[str, bool], memo: str, own: str, url: str) -> str:
        """The theme's own rendering of a folder's second page against the memo: the memo
        serves the folder only if they are equal. Returns the theme's own output."""
        if memo == own:
            self.verified.add(key)
            return own
        self.refused.add(key)
        at = next((i for i, (a, b) in enumerate(zip(memo, own)) if a != b), min(len(memo), len(own)))
        log.debug("digest: the theme renders %s for %s unlike the nav rendered once for its folder "
                  "(at %r), so it renders that folder's nav for every page", self.name, url,
                  own[max(0, at - 40):at + 40])
        return own


def memoise_nav_partials(env: jinja2.Environment) -> list[NavMemo]:
    """Wrap the nav partials of `env` (those the theme has) with a per-folder memo."""
    memos = []
    for name in MEMOISED_PARTIALS:
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:
            continue
        current = template.root_render_func
        if not isinstance(current, NavMemo):
            current = template.root_render_func = NavMemo(name, current)  # type: ignore[assignment]
        memos.append(current)
    return memos
