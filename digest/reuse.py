"""Unchanged article pages are printed from the output cache instead of the theme's template.

A warm build still hands every article page to MkDocs, and the theme's template is the
largest cost left per page. The finished HTML of an article page depends on two things:
the frame around it (theme and its version, our overrides, the config, the nav, the feed
links in the head), the same for every article page; and the page itself (address,
title, meta, content, table of contents). The frame is hashed once per build by
rendering the template around an empty sentinel article; the page parts are hashed per
page. When the `OutputCache` holds that key, the page's content becomes the stored
output and `page.meta.digest_reused` makes overrides/main.html print it as it is.

Only pages outside the nav are reused (their frame has no active item or neighbours).
A plugin that changes article pages differently on every build through the template
context cannot be seen here: turn caching off (`cache: false`) with such a plugin.
"""

from __future__ import annotations

import json

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .cache import OutputCache

__all__ = ["PageReuse"]

#: The page meta flag overrides/main.html reads.
FLAG = "digest_reused"


class PageReuse:
    """One build's reuse of finished article pages."""

    def __init__(self, outputs: OutputCache) -> None:
        self.outputs = outputs
        self._frame: str | None = None
        self._pending: dict[str, str] = {}       # page source path -> key to store its output under

    def before_template(self, context: TemplateContext, page: Page, config: MkDocsConfig,
                        env: jinja2.Environment) -> bool:
        """Swap in the stored output if there is one (True); else remember to store it."""
        if self._frame is None:
            self._frame = _frame_hash(context, config, env)
        key = self.outputs.key(self._frame, page.url, page.canonical_url or "", page.edit_url or "",
                               str(page.title), json.dumps(page.meta, sort_keys=True, default=str),
                               page.content or "", str(page.toc),
                               json.dumps(context.get("digest_feeds"), sort_keys=True))
        stored = self.outputs.get(key)
        if stored is None:
            self._pending[page.file.src_uri] = key
            return False
        page.meta[FLAG], page.content = True, stored
        return True

    def after_template(self, page: Page, output: str) -> None:
        """Store a freshly rendered page's output (before other plugins post-process it)."""
        key = self._pending.pop(page.file.src_uri, None)
        if key is not None:
            self.outputs.put(key, output)


def _frame_hash(context: TemplateContext, config: MkDocsConfig, env: jinja2.Environment) -> str:
    """The theme's page around an empty sentinel article (in the articles' folder), hashed."""
    sentinel = Page("digest frame", File.generated(config, "articles/digest-frame.md", content=""), config)
    sentinel.content, sentinel.meta = "", {}
    html = env.get_template("main.html").render({**context, "page": sentinel})
    return OutputCache.key(html)
