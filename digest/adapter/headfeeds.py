"""The feed links in a page's head (`digest_feeds`, printed by overrides/main.html): the
site's feeds, and on a topic page that topic's first."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import get_relative_url

from ..pages.feeds import MEDIA_TYPES, feed_paths
from ..pages.render import mount

__all__ = ["head_feeds"]

_NAMES = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}


def head_feeds(config: MkDocsConfig, page_url: str, topic: tuple[str, str] | None, prefix: str) -> list[dict[str, str]]:
    """Each feed as type, title and address (absolute with site_url, else relative to the
    page); `topic`: (id, title) of the topic the page is about."""
    groups: list[tuple[str | None, str]] = [(None, config.site_name)]
    if topic is not None:
        groups.insert(0, (topic[0], f"{topic[1]} · {config.site_name}"))
    base = (config.site_url or "").rstrip("/") + "/" if config.site_url else ""
    return [{"type": MEDIA_TYPES[kind], "title": f"{title} ({_NAMES[kind]})",
             "href": base + path if base else get_relative_url(path, page_url)}
            for tid, title in groups
            for kind, path in ((kind, mount(path, prefix)) for kind, path in feed_paths(tid).items())]
