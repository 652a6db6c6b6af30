"""Render the theme's site navigation once per folder for pages that are not in the nav.

Material renders the whole nav (sidebar and tabs) into every page, which is most of
the theme's cost per page. For a page outside the nav (every article) no nav item is
active, so that HTML depends only on the nav itself and on where the page sits (links
are relative): pages in the same folder get identical markup. We wrap the compiled
partials so that markup is rendered once per folder and reused; pages in the nav are
rendered as usual. No template is copied or changed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from typing import Any

import jinja2

__all__ = ["MEMOISED_PARTIALS", "memoise_nav_partials"]

#: Partials whose output, for a page outside the nav, depends only on the nav and the folder.
MEMOISED_PARTIALS = ("partials/nav.html", "partials/tabs.html")


def memoise_nav_partials(env: jinja2.Environment) -> None:
    """Wrap the nav partials of `env` (if the theme has them) with a per-folder memo."""
    for name in MEMOISED_PARTIALS:
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:
            continue
        if not getattr(template.root_render_func, "digest_memoised", False):
            template.root_render_func = _memoised(template.root_render_func)


def _memoised(render: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
    state: dict[str, Any] = {"nav": None, "in_nav": frozenset(), "html": {}}

    def root_render_func(context: Any) -> Iterator[str]:
        nav, page = context.get("nav"), context.get("page")
        if nav is not state["nav"]:           # a new build (mkdocs serve): forget everything
            state.update(nav=nav, html={},
                         in_nav=frozenset(id(p) for p in getattr(nav, "pages", ())))
        url = getattr(page, "url", None)
        if nav is None or url is None or id(page) in state["in_nav"]:
            yield from render(context)
            return
        key = (posixpath.dirname(url.rstrip("/")), url.endswith("/"))
        html = state["html"].get(key)
        if html is None:
            html = state["html"][key] = "".join(render(context))
        yield html

    root_render_func.digest_memoised = True  # type: ignore[attr-defined]
    return root_render_func
