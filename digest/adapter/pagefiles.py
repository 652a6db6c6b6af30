"""What the plugin does to MkDocs' own files and pages: article pages that skip Markdown
(their body comes converted from the worker pool), content files the file rule refuses
taken out of the build, and the article pages' output folders made ahead of time."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..pages.render import PageSet

__all__ = ["SlotPage", "keep_safe_files", "make_folders"]

log = logging.getLogger("mkdocs.plugins.digest")


class SlotPage(Page):
    """An article page whose Markdown is nothing but our slot placeholders, because its
    body came converted from the worker pool: rendering it is the identity, so no Markdown
    instance is built for it. If another plugin added Markdown to it, it renders as usual."""

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, pageset: PageSet | None) -> None:
        super().__init__(title, file, config)
        self._pageset = pageset

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is not None and self._pageset is not None and self._pageset.only_slots(self.markdown):
            self.content = self.markdown
            return
        super().render(config, files)


def keep_safe_files(files: Files, docs_dir: str, safe: tuple[Path, ...]) -> None:
    """Drop every content file the loader's walk (loading/files.py) did not accept, so
    MkDocs never copies a link out of the content folder, a FIFO or a device; the loader
    reports each as an error, so this only acts if the folder changed in between."""
    allowed = {os.path.normpath(p) for p in safe}
    inside = os.path.join(os.path.normpath(docs_dir), "")
    for file in list(files):        # theme files come from elsewhere, and obey no content rule
        path = os.path.normpath(file.abs_src_path) if file.abs_src_path is not None else None
        if path is not None and path.startswith(inside) and path not in allowed:
            if os.path.basename(path).startswith("."):     # hidden: left out silently, as the walk does
                files.remove(file)
                continue
            log.warning("digest: %s was not published: it changed during the build, or breaks the rule "
                        "for links and special files (see Untrusted input in the README).", file.src_uri)
            files.remove(file)


def make_folders(site: Path, urls: list[str]) -> None:
    """Make the article pages' output folders in the background while the articles are
    analysed: one new folder per article costs the file system more than its page."""
    def make() -> None:
        for url in urls:
            try:
                os.makedirs(site / url, exist_ok=True)
            except OSError:     # MkDocs reports it when it writes the page
                return
    threading.Thread(target=make, name="digest-folders", daemon=True).start()
