"""What newsdigest does to the Material theme: adds its overrides and stylesheet, turns the
theme's own search off (Pagefind's box replaces it), and about Material's own plugins: `social` writes Open Graph and Twitter
tags of its own (ours yield to them); `offline` makes sites to open from file://, where
Pagefind search cannot work (a warning says so).

`social` is asked which tags it writes into a page through two of its methods that are not
public (`_is_excluded`, `_resolve_layout`, Material 9.5 to 9.8); were they gone, the tags of
its default layouts are assumed, so a page never carries two disagreeing sets.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

__all__ = ["SOCIAL_DEFAULT_TAGS", "prepare_theme", "social_tags", "theme_plugin_warnings", "turn_off_theme_search"]

log = logging.getLogger("mkdocs.plugins.digest")

#: The tags Material's default social card layouts write (material/plugins/social/templates).
SOCIAL_DEFAULT_TAGS = frozenset({
    "og:type", "og:title", "og:description", "og:image", "og:image:type", "og:image:width",
    "og:image:height", "og:url", "twitter:card", "twitter:title", "twitter:description", "twitter:image"})


def prepare_theme(config: MkDocsConfig, overrides: Path, stylesheet: str) -> None:
    """Our template overrides first among the theme's folders, our stylesheet among the
    extra CSS (each once), the theme's search off, and warnings about plugins that hinder us."""
    if str(overrides) not in config.theme.dirs:
        config.theme.dirs.insert(0, str(overrides))
    if stylesheet not in [str(x) for x in config.extra_css]:
        config.extra_css.append(stylesheet)
    turn_off_theme_search(config)
    theme_plugin_warnings(config)


def _enabled(config: MkDocsConfig, *names: str) -> Iterator[Any]:
    """Every enabled instance of the named plugins (`social`, `material/social`, `material/social #2`)."""
    for key, plugin in config.plugins.items():
        options = getattr(plugin, "config", None)
        if key.split(" #")[0] in names and options is not None and options.get("enabled", True):
            yield plugin


def social_tags(config: MkDocsConfig, page: Any) -> list[str]:
    """The meta tags (`og:title`, ...) Material's social plugin writes into `page`, sorted:
    none without site_url or for a page it makes no card for."""
    if not config.site_url:
        return []
    found: set[str] = set()
    for plugin in _enabled(config, "material/social", "social"):
        excluded = getattr(plugin, "_is_excluded", None)
        try:
            if excluded is not None and excluded(page):
                continue
            layout, _ = plugin._resolve_layout(plugin._config("cards_layout", page), config)
            found.update(layout.tags)
        except Exception:  # noqa: BLE001 - Material changed its internals: assume its defaults
            found.update(SOCIAL_DEFAULT_TAGS)
    return sorted(found)


def theme_plugin_warnings(config: MkDocsConfig) -> None:
    """Warn about Material plugins that keep part of the digest from working."""
    if any(_enabled(config, "material/offline", "offline")):
        log.warning("digest: the offline plugin is on, but Pagefind search needs the site served "
                    "over HTTP: opened from a file:// address the search box says so and finds "
                    "nothing. Fix: serve the site folder (e.g. `python -m http.server -d site`), "
                    "or remove '- offline' from plugins in mkdocs.yml.")


def turn_off_theme_search(config: MkDocsConfig) -> None:
    """The theme's own search plugin would parse every page again for an index nothing
    uses, and draw a second search box: it is turned off, with a warning."""
    for name in ("material/search", "search"):
        options = getattr(config.plugins.get(name), "config", None)
        if options is not None and options.get("enabled", True):
            options["enabled"] = False
            log.warning("digest: the theme's search plugin is turned off: newsdigest searches with "
                        "Pagefind (site/pagefind/). Fix: remove '- search' from plugins in mkdocs.yml.")
