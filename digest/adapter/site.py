"""Where the `digest` command looks: the site's mkdocs.yml, read as MkDocs reads it.

`digest check` and `digest new` must see what `mkdocs build` sees: the same `docs_dir`,
the same plugin options (`topics_file`, `drafts`, `max_article_kb`, `articles_dir`...),
validated by MkDocs' own config loading against the plugin's schema. Without a
mkdocs.yml (or with `--content`) a minimal one is made up in memory, so both paths load
the content in one way, through the plugin (`DigestPlugin.read`).
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import get_files

from ..loading.convert import MarkdownSettings
from ..loading.loader import Corpus
from ..loading.yamlerror import yaml_mistake
from .placement import article_sources, blog_dirs
from .plugin import DigestPlugin

__all__ = ["CONFIG_NAMES", "Site", "SiteError", "find_config", "open_site", "shown"]

#: The file names MkDocs looks for when it is given none.
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
FALLBACK_CONTENT = "content"


class SiteError(Exception):
    """The site cannot be read; `status` is the exit code (2: the command was wrong)."""

    def __init__(self, lines: list[str], status: int = 1) -> None:
        super().__init__("\n".join(lines))
        self.lines, self.status = lines, status


def shown(path: Path) -> str:
    """A path as the user can type it from here: relative below the current folder."""
    path = path.resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


@dataclass
class Site:
    """A loaded site: its MkDocs config, our plugin in it, and where that came from."""

    config: MkDocsConfig
    plugin: DigestPlugin
    origin: str                  # "from mkdocs.yml", "from --content", ...
    warnings: list[str] = field(default_factory=list)

    @property
    def docs_dir(self) -> Path:
        return Path(self.config.docs_dir)

    @property
    def articles_dir(self) -> Path | None:
        """The plugin's `articles_dir` (relative to docs_dir), when the plugin has and sets one."""
        value = self.plugin.config.get("articles_dir")
        if not isinstance(value, str) or not value.strip().strip("/.").strip():
            return None
        return self.docs_dir / value.strip()

    @property
    def topics_file(self) -> str:
        return str(self.plugin.config.topics_file)

    @property
    def topics_path(self) -> Path:
        return self.docs_dir / self.topics_file

    @property
    def topics_shown(self) -> str:
        """topics.yml as the loader names it in messages (from docs_dir's folder)."""
        return f"{self.docs_dir.name}/{Path(self.topics_file).as_posix()}"

    @property
    def max_bytes(self) -> int:
        return int(self.plugin.config.max_article_kb) * 1024

    @property
    def where(self) -> str:
        """Where we looked, for every message: 'content/ (from mkdocs.yml)'."""
        folder = self.articles_dir or self.docs_dir
        return f"{shown(folder)}/ ({self.origin})"

    @property
    def markdown(self) -> MarkdownSettings:
        """The site's Markdown settings, so suggestions read the same prose as the build."""
        return MarkdownSettings(tuple(self.config.markdown_extensions), dict(self.config.mdx_configs or {}))

    def option(self, name: str) -> object:
        """One of the plugin's options as mkdocs.yml sets it (or its default)."""
        return self.plugin.config.get(name)

    def read(self) -> Corpus:
        """Load and validate the content as `mkdocs build` will (the same articles: MkDocs'
        own file list, exclude_docs and blog folders applied); raises ValidationFailed."""
        sources = article_sources(get_files(self.config), self.config, self.plugin.config.articles_dir,
                                  blog_dirs(self.config))
        return self.plugin.read(self.config, sources)


def find_config(given: str | None) -> Path | None:
    """The mkdocs.yml to use: the one given (which must exist), else one here, else None."""
    if given is not None:
        path = Path(given)
        if not path.is_file():
            raise SiteError([f"error: {given}: no such file. Fix: give the path of the site's "
                             "mkdocs.yml with -f, or leave -f out in the site's folder."], status=2)
        return path
    return next((Path(n) for n in CONFIG_NAMES if Path(n).is_file()), None)


def open_site(config_file: str | None, content: str | None, topics_file: str | None) -> Site:
    """The site to check: -f's mkdocs.yml, `--content`'s folder, ./mkdocs.yml, or ./content."""
    if config_file is not None and (content is not None or topics_file is not None):
        raise SiteError(["error: -f/--config-file reads the folder and topics file from mkdocs.yml; "
                         "--content and --topics-file are for a folder without one. Fix: give one or the other."],
                        status=2)
    path = None if content is not None else find_config(config_file)
    if path is not None:
        shown_path = shown(path)
        origin = "from mkdocs.yml" if shown_path in CONFIG_NAMES else f"from {shown_path}"
        return _load(path, None, origin, shown_path)
    folder = Path(content if content is not None else FALLBACK_CONTENT)
    origin = "from --content" if content is not None else "no mkdocs.yml here"
    if not folder.is_dir():
        hint = ("Fix: give the content folder's path." if content is not None else
                "Fix: run this in the site's folder (beside mkdocs.yml), or give its path with -f.")
        raise SiteError([f"error: {shown(folder)}/ ({origin}) is not a folder. {hint}"], status=2)
    options = {} if topics_file is None else {"topics_file": topics_file}
    made_up = yaml.safe_dump({"site_name": "digest", "docs_dir": str(folder.resolve()),
                              "plugins": [{"digest": options}]})
    return _load(io.StringIO(made_up), str(Path.cwd() / CONFIG_NAMES[0]), origin, origin)


class _Collect(logging.Handler):
    """MkDocs reports config problems by logging them: keep them for our own messages."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _load(source: Path | io.StringIO, config_path: str | None, origin: str, display: str) -> Site:
    """MkDocs' own loading and validation (our plugin's schema included), without a traceback."""
    logger, collect = logging.getLogger("mkdocs"), _Collect()
    logger.addHandler(collect)
    try:
        if isinstance(source, Path):
            config = load_config(str(source))
        else:
            config = load_config(source, config_file_path=config_path)
    except MkDocsException as exc:
        lines = [_message(r, display) for r in collect.records]
        if not any(line.startswith("error:") for line in lines):
            lines.append(_failure(exc, source, display))
        raise SiteError(lines) from None
    except OSError as exc:
        raise SiteError([f"error: {display}: could not be read ({exc.strerror}). "
                         "Fix: check the file's permissions."]) from None
    except Exception as exc:  # noqa: BLE001 - e.g. another plugin that fails to import: say so, no traceback
        raise SiteError([f"error: {display}: MkDocs could not load it ({type(exc).__name__}: "
                         f"{' '.join(str(exc).split())})."]) from None
    finally:
        logger.removeHandler(collect)
    plugin = next((p for p in config.plugins.values() if isinstance(p, DigestPlugin)), None)
    if plugin is None:
        raise SiteError([f"error: {display}: does not use the digest plugin. "
                         "Fix: add '- digest' under 'plugins:' (or give another mkdocs.yml with -f)."])
    return Site(config, plugin, origin, [_message(r, display) for r in collect.records])


def _message(record: logging.LogRecord, display: str) -> str:
    level = "error" if record.levelno >= logging.ERROR else "warning"
    return f"{level}: {display}: {' '.join(record.getMessage().split())}"


def _failure(exc: MkDocsException, source: Path | io.StringIO, display: str) -> str:
    """A config that MkDocs refused without logging why (e.g. YAML it cannot parse)."""
    cause = exc.__cause__ or exc.__context__
    mark = getattr(cause, "problem_mark", None)
    if (isinstance(cause, yaml.YAMLError) and isinstance(source, Path) and mark is not None
            and os.path.abspath(str(getattr(mark, "name", ""))) == os.path.abspath(source)):
        mistake = yaml_mistake(cause)
        return f"error: {display}: is not valid YAML{mistake.text}. Fix: {mistake.fix}"
    return f"error: {display}: {' '.join(str(exc).split())}"
