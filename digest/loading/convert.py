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
import importlib.util
import json
import pickle
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import markdown
import markdown.extensions
from markdown import inlinepatterns

from .plainblocks import put_back, safe_settings, stand_in
from .sanitize import clean_html, sanitize_version

__all__ = ["DEFAULT_MARKDOWN", "Converted", "MarkdownSettings", "convert_body", "needs_mkdocs", "picklable"]

# An object's repr often holds its address ("<function f at 0x7f...>"), which differs
# from one run to the next: left out of fingerprints, so the caches still hit.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _stable(value: Any, depth: int = 0) -> str:
    """A text for a setting that is the same in every run and differs with what the setting
    holds: callables and classes by name, an extension instance by its class and options,
    another object by its class and attributes (a few levels deep)."""
    if depth > 4:
        return "..."
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_stable(k, depth + 1)}: {_stable(v, depth + 1)}"
                               for k, v in sorted(value.items(), key=str)) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(_stable(v, depth + 1) for v in items) + "]"
    if isinstance(value, markdown.extensions.Extension):
        return f"{type(value).__module__}.{type(value).__qualname__}({_stable(value.getConfigs(), depth + 1)})"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    text = value if isinstance(value, str) else repr(value)
    if _ADDRESS.search(text) and hasattr(value, "__dict__"):
        return f"{type(value).__module__}.{type(value).__qualname__}({_stable(vars(value), depth + 1)})"
    return _ADDRESS.sub("", text)


@dataclass(frozen=True)
class MarkdownSettings:
    """What decides a body's HTML: the Markdown extensions, their options, sanitising."""

    extensions: tuple[Any, ...]
    configs: dict[str, Any] = field(default_factory=dict)
    sanitize: bool = True

    @cached_property
    def _fingerprint(self) -> str:
        text = json.dumps([markdown.__version__, _versions(), _stable(list(self.extensions)), _stable(self.configs),
                           self.sanitize, sanitize_version() if self.sanitize else ""], default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    @cached_property
    def plain_paragraphs(self) -> bool:
        """Whether plain paragraphs may skip Markdown (digest/loading/plainblocks.py)."""
        return safe_settings(self.extensions, self.configs)

    def fingerprint(self) -> str:
        """A stable hash of the settings and library versions (part of the cache key);
        computed once per settings object, as every converted body looks it up."""
        return self._fingerprint


def _versions() -> str:
    """The version of pymdown-extensions, the extensions a Material site most often uses."""
    from importlib import metadata

    try:
        return metadata.version("pymdown-extensions")
    except metadata.PackageNotFoundError:
        return ""


def picklable(settings: MarkdownSettings) -> bool:
    """Whether the settings can be sent to a worker process (an extension instance or an
    option holding a lambda cannot); if not, bodies are converted in this process."""
    try:
        pickle.dumps(settings)
    except Exception:  # noqa: BLE001 - any unpicklable extension option means "not in a worker"
        return False
    return True


def _default_extensions() -> tuple[str, ...]:
    """Python-Markdown's `extra` (tables, footnotes, definition lists, abbreviations,
    md_in_html, fenced code, attribute lists) and admonitions, with collapsible blocks
    (pymdownx.details) when pymdown-extensions is installed, as it is with Material."""
    found = importlib.util.find_spec("pymdownx") is not None
    return ("extra", "admonition", "toc", *(("pymdownx.details",) if found else ()))


#: What a body is converted with when the site's settings are not known (the CLI's
#: suggestions without a mkdocs.yml, analyses outside a build).
DEFAULT_MARKDOWN = MarkdownSettings(_default_extensions())


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

#: Python-Markdown's inline patterns, by name and regex, with the text any match needs.
#: Each pattern costs a pass of Python over every text node, and most bodies lack most
#: of these characters: a pattern whose text is not in the body cannot match, so it is
#: left out of the converter for that body (a third of Markdown's time). A pattern of
#: another name or regex (a new version, an extension) is always kept.
_NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("backtick", inlinepatterns.BACKTICK_RE): ("`",),
    ("escape", inlinepatterns.ESCAPE_RE): ("\\",),
    ("reference", inlinepatterns.REFERENCE_RE): ("[",),
    ("link", inlinepatterns.LINK_RE): ("[",),
    ("image_link", inlinepatterns.IMAGE_LINK_RE): ("![",),
    ("image_reference", inlinepatterns.IMAGE_REFERENCE_RE): ("![",),
    ("short_reference", inlinepatterns.REFERENCE_RE): ("[",),
    ("short_image_ref", inlinepatterns.IMAGE_REFERENCE_RE): ("![",),
    ("autolink", inlinepatterns.AUTOLINK_RE): ("<",),
    ("automail", inlinepatterns.AUTOMAIL_RE): ("<",),
    ("linebreak", inlinepatterns.LINE_BREAK_RE): ("  \n",),
    ("html", inlinepatterns.HTML_RE): ("<",),
    ("entity", inlinepatterns.ENTITY_RE): ("&",),
    ("em_strong", r"\*|_"): ("*", "_"),
}
#: Stages that only move the body's own text around. With any other stage before the
#: inline patterns (an extension that inserts text), every pattern is kept.
_PLAIN_STAGES = {
    "pre": {"normalize_whitespace", "fenced_code_block", "html_block"},
    "block": {"empty", "indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote",
              "reference", "paragraph", "admonition", "markdown_block", "table", "defindent", "deflist"},
}
_converters: dict[tuple[str, frozenset[str]], markdown.Markdown] = {}
_leave_out_ok: dict[str, bool] = {}     # settings fingerprint -> _can_leave_out
_MAX_CONVERTERS = 64


def _can_leave_out(md: markdown.Markdown) -> bool:
    """Whether inline patterns may be left out by the body's text: nothing but the body's
    own text can reach them (see _PLAIN_STAGES)."""
    try:        # Markdown's registries keep their names and priorities in private fields
        stages = md.treeprocessors._priority
        inline = next(item.priority for item in stages if item.name == "inline")
        return (set(md.preprocessors._data) <= _PLAIN_STAGES["pre"]
                and set(md.parser.blockprocessors._data) <= _PLAIN_STAGES["block"]
                and all(item.priority <= inline for item in stages))
    except (AttributeError, StopIteration):
        return False


def _unneeded(md: markdown.Markdown, body: str) -> frozenset[str]:
    """The inline patterns that cannot match in this body. None is left out of a body with
    a tab, a carriage return or Markdown's own placeholder characters, which Markdown
    rewrites before the patterns run."""
    if any(c in body for c in "\t\r\x02\x03"):
        return frozenset()
    unneeded = set()
    for name in md.inlinePatterns._data:
        needs = _NEEDS.get((name, md.inlinePatterns[name].pattern))
        if needs is not None and not any(text in body for text in needs):
            unneeded.add(name)
    return frozenset(unneeded)


def _new(settings: MarkdownSettings) -> markdown.Markdown:
    return markdown.Markdown(extensions=list(settings.extensions), extension_configs=settings.configs)


def _converter(settings: MarkdownSettings, body: str) -> markdown.Markdown:
    """A Markdown instance per settings, process and set of unneeded inline patterns,
    reset between bodies (building one with all its extensions costs more than
    converting a short article)."""
    key = settings.fingerprint()
    md = _converters.get((key, frozenset()))
    if md is None:
        md = _converters[(key, frozenset())] = _new(settings)
        _leave_out_ok[key] = _can_leave_out(md)
    unneeded = _unneeded(md, body) if _leave_out_ok[key] else frozenset()
    if not unneeded:
        return md
    variant = _converters.get((key, unneeded))
    if variant is None:
        if len(_converters) >= _MAX_CONVERTERS:
            return md
        variant = _converters[(key, unneeded)] = _new(settings)
        for name in unneeded:
            variant.inlinePatterns.deregister(name)
    return variant


def _markdown(body: str, settings: MarkdownSettings) -> tuple[str, tuple[dict[str, Any], ...]]:
    md = _converter(settings, body)
    md.reset()
    html = md.convert(body)
    return html, _plain(tuple(getattr(md, "toc_tokens", ())))


def convert_body(body: str, settings: MarkdownSettings) -> Converted:
    """The body's HTML (sanitised when `settings.sanitize`) and its table of contents.

    Plain paragraphs stand aside while Markdown converts the rest, when the settings
    allow and the paragraphs come out as such (else the whole body is converted)."""
    split = stand_in(body) if settings.plain_paragraphs else None
    found = None
    if split is not None:
        html, toc = _markdown(split[0], settings)
        found = put_back(html, split[1])
    if found is None:
        found, toc = _markdown(body, settings)
    return Converted(clean_html(found) if settings.sanitize else found, toc)


def _plain(tokens: Any) -> tuple[dict[str, Any], ...]:
    """Toc tokens reduced to what MkDocs' `get_toc` reads, as JSON-ready dicts."""
    return tuple({"level": t["level"], "id": t["id"], "name": t["name"],
                  "children": list(_plain(t.get("children", ())))} for t in tokens)
