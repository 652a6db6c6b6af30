"""Article pages are filled into the theme's page, rendered once, instead of each running
the theme's template.

Material's template costs about a millisecond per page, the largest cost per article
page after its Markdown. For pages outside the nav (every article) the theme prints the
same HTML around every page of one folder, except for a few page fields: the title and
meta values, the page's file name (in its URLs), its content, its table of contents and
the first entry of that (the "skip to content" link). So once per build, and per page
*shape* (see `shape`), the template is rendered around a sentinel page whose fields are
unique markers; the markers split that output into a `Frame` of fixed parts and slots.
A second render with awkward characters appended to every marker shows how the theme
prints each slot (as is, HTML-escaped, tags stripped, JSON-quoted); a slot printed any
other way, or a marker lost, means no frame for that shape. The table of contents is a
slot of its own: while the sentinel renders, the theme's `partials/toc.html` prints a
marker, and each page renders just that partial.

The first page of each shape is then rendered by the theme as usual and compared with
its fill: only if they are equal is the frame used for the other pages of that shape
(else the theme renders them all; a debug message says where they differed). A plugin
that changes article pages differently on every build through the template context
cannot be seen this way: set `fill_pages: false` with such a plugin.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
import markupsafe
from jinja2.utils import htmlsafe_json_dumps
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

__all__ = ["FLAG", "Frame", "FrameMaker", "install_toc_slot"]

log = logging.getLogger("mkdocs.plugins.digest")

#: The page meta flag that makes overrides/main.html print a filled page as it is.
FLAG = "digest_filled"
#: Appended to every marker in the probe render: shows how the theme prints each slot. Its
#: length makes a theme that prints a field by its length (truncates it, say) show too.
PROBE = "<i>&amp;\"'</i>  " + "x" * 400
TOC_PARTIAL = "partials/toc.html"
_SLUG = re.compile(r"[A-Za-z0-9._-]+")


def _strip(value: str) -> str:
    return markupsafe.Markup(value).striptags()


#: How a theme may print a page field; the probe render tells which one each slot uses.
TRANSFORMS: dict[str, Callable[[str], str]] = {
    "raw": str,
    "escape": lambda v: str(markupsafe.escape(v)),
    "striptags": _strip,
    "escape-striptags": lambda v: str(markupsafe.escape(_strip(v))),
    "json": lambda v: str(htmlsafe_json_dumps(v))[1:-1],
}


@dataclass(frozen=True)
class Frame:
    """The theme's page as fixed `parts` with a slot between each two: (field, transform)."""

    parts: tuple[str, ...]
    slots: tuple[tuple[str, str], ...]

    def fill(self, values: Mapping[str, str]) -> str:
        out = [self.parts[0]]
        for (field, how), part in zip(self.slots, self.parts[1:]):
            out.append(values[field] if how == "raw" else TRANSFORMS[how](values[field]))
            out.append(part)
        return "".join(out)


def page_fields(page: Any) -> dict[str, str] | None:
    """The fields of an article page that the frame's slots take, or None if the page has
    one the frame cannot hold (a meta value that is not text, an unusual file name)."""
    stem = posixpath.splitext(posixpath.basename(page.file.src_uri))[0]
    if not _SLUG.fullmatch(stem) or not isinstance(page.title, str) or not isinstance(page.content, str):
        return None
    fields = {"title": page.title, "slug": stem, "content": page.content}
    for key, value in page.meta.items():
        if not isinstance(value, str):
            return None
        fields[f"meta.{key}"] = value
    if page.edit_url is not None:
        fields["edit_url"] = page.edit_url
    first = next(iter(page.toc), None)
    if first is not None:
        fields["toc.id"] = first.id
    return fields


def shape(page: Any, context: Mapping[str, Any]) -> str:
    """What, besides the fields, could make the theme print a page differently: pages of
    one shape share a frame."""
    first = next(iter(page.toc), None)
    return json.dumps([
        posixpath.dirname(page.file.src_uri), page.url.endswith("/"), context.get("base_url"),
        sorted(page.meta), "\u003ch1" in (page.content or ""), first is not None and first.level,
        page.edit_url is None, page.canonical_url is None, page.previous_page is None,
        page.next_page is None, page.parent is None, page.is_homepage, sorted(context),
        context.get("digest_feeds"), context.get("digest_social_tags"),
    ], sort_keys=True, default=repr)


class _TocSlot:
    """The theme's toc partial, wrapped: prints a marker while a sentinel renders."""

    def __init__(self, template: jinja2.Template) -> None:
        self.template, self.render = template, template.root_render_func
        self.marker: str | None = None
        self.context: dict[str, Any] | None = None
        template.root_render_func = self

    def __call__(self, context: Any) -> Iterator[str]:
        if self.marker is None:
            yield from self.render(context)
            return
        self.context = dict(context.get_all())
        yield self.marker

    def html(self, page: Any) -> str:
        """The partial rendered for `page`, in the context captured from the sentinel."""
        assert self.context is not None
        return "".join(self.render(self.template.new_context({**self.context, "page": page}, shared=True)))


def install_toc_slot(env: jinja2.Environment) -> _TocSlot | None:
    """Wrap the theme's toc partial (once per environment), or None if it has none."""
    try:
        template = env.get_template(TOC_PARTIAL)
    except jinja2.TemplateNotFound:
        return None
    wrapped = template.root_render_func
    return wrapped if isinstance(wrapped, _TocSlot) else _TocSlot(template)


def _sentinel(page: Page, values: Mapping[str, str], config: MkDocsConfig) -> Page:
    """A stand-in for `page`: same folder and shape, with every field set from `values`."""
    folder = posixpath.dirname(page.file.src_uri)
    file = File.generated(config, posixpath.join(folder, values["slug"] + ".md"), content="")
    stand_in = Page(None, file, config)
    stand_in.title, stand_in.content, stand_in.markdown = values["title"], values["content"], ""
    stand_in.meta = {key[5:]: value for key, value in values.items() if key.startswith("meta.")}
    stand_in.edit_url = values.get("edit_url")
    first = next(iter(page.toc), None)
    if first is not None:
        stand_in.toc = get_toc([{"level": first.level, "id": values["toc.id"], "name": values["toc.id"],
                                 "children": []}])
    stand_in.active = True
    return stand_in


class FrameMaker:
    """One build's frames, by page shape: made on a shape's first page, checked against the
    theme's own rendering of that page, then used for the shape's other pages."""

    def __init__(self, env: jinja2.Environment, config: MkDocsConfig) -> None:
        self.env, self.config = env, config
        self.toc = install_toc_slot(env)
        self.frames: dict[str, Frame | None] = {}
        self.verified: set[str] = set()
        self.filled = 0
        self._expected: dict[str, tuple[str, str]] = {}     # page -> (shape, its fill), to check
        self._unfilled: dict[str, str] = {}                 # filled pages being written -> their body
        self.nonce = secrets.token_hex(6)
        self._toc_marker = f"nd{self.nonce}tocx"

    def fill(self, page: Any, context: Mapping[str, Any]) -> str | None:
        """The finished page if its shape's frame has passed its check; else None (the
        theme renders it, and on a shape's first page `check` then compares)."""
        fields = page_fields(page)
        if fields is None:
            return None
        key = shape(page, context)
        frame = self.frame(key, page, fields, context)
        if frame is None:
            return None
        filled = frame.fill(self.values(frame, page, fields))
        if key not in self.verified:
            self._expected[page.file.src_uri] = (key, filled)
            return None
        self.filled += 1
        return filled

    def fill_in(self, page: Any, context: Mapping[str, Any]) -> None:
        """Put the finished page in the page's content, flagged for overrides/main.html to
        print as it is, when its shape's frame has passed its check (see `fill`)."""
        filled = self.fill(page, context)
        if filled is not None:
            self._unfilled[page.file.src_uri] = page.content
            page.content, page.meta[FLAG] = filled, True

    def written(self, page: Any) -> None:
        """A filled page gets its body back once written: MkDocs keeps every page until the
        build ends (a whole page in each one's content was a quarter of a build's memory),
        and a plugin reading pages afterwards sees what the theme's own rendering leaves."""
        body = self._unfilled.pop(page.file.src_uri, None)
        if body is not None:
            page.content = body
            page.meta.pop(FLAG, None)

    def check(self, page: Any, output: str) -> None:
        """After the theme rendered a shape's first page: its frame is used for the other
        pages only if filling it gave the same page."""
        key, filled = self._expected.pop(page.file.src_uri, (None, ""))
        if key is None:
            return
        if filled == output:
            self.verified.add(key)
            return
        self.frames[key] = None
        at = next((i for i, (a, b) in enumerate(zip(filled, output)) if a != b), min(len(filled), len(output)))
        log.debug("digest: the theme renders %s unlike its frame (at %r), so it renders every "
                  "page of its shape", page.file.src_uri, output[max(0, at - 40):at + 40])

    def frame(self, key: str, page: Any, fields: Mapping[str, str], context: Mapping[str, Any]) -> Frame | None:
        """The frame for pages of this shape (made on first use), or None."""
        if key not in self.frames:
            self.frames[key] = self._make(page, fields, context)
        return self.frames[key]

    def values(self, frame: Frame, page: Any, fields: Mapping[str, str]) -> dict[str, str]:
        """The fields plus, if the frame has a slot for it (the theme may put the table of
        contents elsewhere, e.g. with `toc.integrate`), the page's own table of contents."""
        if self.toc is None or not any(name == "toc" for name, _ in frame.slots):
            return dict(fields)
        return {**fields, "toc": self.toc.html(page)}

    def _make(self, page: Any, fields: Mapping[str, str], context: Mapping[str, Any]) -> Frame | None:
        markers = {name: f"nd{self.nonce}s{i}x" for i, name in enumerate(sorted(fields))}
        # The content keeps its "<h1" (Material adds a heading to pages without one).
        suffix = {name: "\u003ch1" if name == "content" and "\u003ch1" in fields[name] else "" for name in fields}
        template = self.env.get_template(page.meta.get("template", "main.html"))
        plain = self._render(template, page, context, {n: markers[n] + suffix[n] for n in fields})
        probed = self._render(template, page, context, {n: markers[n] + suffix[n] + _probe(n) for n in fields})
        if plain is None or probed is None:
            return None
        if self.toc is not None:
            markers["toc"], suffix["toc"] = self._toc_marker, ""
        return _parse(plain, probed, markers, suffix)

    def _render(self, template: jinja2.Template, page: Any, context: Mapping[str, Any],
                values: Mapping[str, str]) -> str | None:
        if self.toc is not None:
            self.toc.marker = self._toc_marker
        try:
            return template.render({**context, "page": _sentinel(page, values, self.config)})
        except Exception:  # noqa: BLE001 - a theme that cannot render a stand-in gets no frame
            return None
        finally:
            if self.toc is not None:
                self.toc.marker = None


def _probe(name: str) -> str:
    """What the probe render appends to a field: nothing to the file name, which only
    takes the characters of `_SLUG` (see page_fields)."""
    return "" if name == "slug" else PROBE


def _parse(plain: str, probed: str, markers: Mapping[str, str], suffix: Mapping[str, str]) -> Frame | None:
    """Split the sentinel's output at its markers and read each slot's transform from the
    probe's output; None if any slot is printed in a way not in TRANSFORMS."""
    by_marker = {m: name for name, m in markers.items()}
    pieces = re.split("(" + "|".join(map(re.escape, by_marker)) + ")", plain)
    parts, slots, at = [pieces[0]], [], len(pieces[0])
    if not probed.startswith(pieces[0]):
        return None
    for marker, part in zip(pieces[1::2], pieces[2::2]):
        name = by_marker[marker]
        found = None
        if name == "toc":               # the partial's marker is printed as it is, in both renders
            if probed.startswith(marker + part, at):
                found, tail, at = "raw", part, at + len(marker) + len(part)
        else:
            for how, transform in TRANSFORMS.items():
                head = transform(suffix[name])
                text = transform(marker + suffix[name] + _probe(name))
                if part.startswith(head) and probed.startswith(text + part[len(head):], at):
                    found, tail, at = how, part[len(head):], at + len(text) + len(part) - len(head)
                    break
        if found is None:
            return None
        slots.append((name, found))
        parts.append(tail)
    if at != len(probed):
        return None
    return Frame(tuple(parts), tuple(slots))
