"""Rendering: the Digest becomes Markdown pages (with escaped HTML blocks) for MkDocs.

Every page is a string keyed by its source path (e.g. `topics/iraq-protests.md`);
the plugin hands them to MkDocs as generated files. Templates live in
`site_templates/pages/` and are rendered with autoescaping, so front-matter values
always reach the HTML escaped.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import secrets
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import jinja2
import markupsafe
import yaml

from ..analysis.conflicts import Conflict
from ..analysis.memo import Memo, PerArticle
from ..loading.loader import slugify
from ..model import Article, Digest
from ..packedtext import pack_all, unpack_all
from .charts import activity_chart, source_chart, topics_chart
from .messages import DEFAULT, Messages
from .messages import load as load_messages
from .monthpages import by_day, by_month
from .articlepages import KeptPages, article_pages, summaries_of
from .pagekeys import listed, topic_key
from .storypages import story_pages
from .topicpages import topic_context

__all__ = ["PageSet", "Renderer", "mount", "page_uri", "page_url", "templates_dir"]

T = TypeVar("T")


def templates_dir() -> Path:
    """site_templates/: packaged inside `digest` when installed, beside it in a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "site_templates"
    return packaged if packaged.is_dir() else package.parent / "site_templates"


#: The pages there is one of, and the folder of each kind of page there are many of (by key).
_SINGLE_PAGES = {"home": "index.md", "topics": "topics/index.md", "archive": "archive/index.md",
                 "sources": "sources/index.md"}
_PAGE_FOLDERS = {"topic": "topics", "article": "articles", "month": "archive", "source": "sources",
                 "story": "stories",
                 "topic_month": "topics",       # key: "<topic id>/YYYY-MM"
                 "source_month": "sources"}     # key: "<source key>/YYYY-MM"


def page_uri(kind: str, key: str = "") -> str:
    """Source path of a generated page: the one place page addresses are decided."""
    single = _SINGLE_PAGES.get(kind)
    return single if single is not None else f"{_PAGE_FOLDERS[kind]}/{key}.md"


def mount(path: str, prefix: str) -> str:
    """Where a generated page or feed (`path` as page_uri names it) sits in a site whose
    digest lives in the folder `prefix` ('' for the site root). Every generated page links
    to the others relatively, so the whole set moves together."""
    return f"{prefix}/{path}" if prefix else path


def page_url(uri: str, directory_urls: bool) -> str:
    """The published URL (relative to the site root) of a page source path."""
    stem = uri[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def text_fragment(sentence: str) -> str:
    """A URL text fragment that scrolls to and highlights the quoted sentence."""
    words = sentence.split()
    enc = lambda s: quote(s, safe="")
    if len(words) <= 10:
        return "#:~:text=" + enc(sentence)
    return "#:~:text=" + enc(" ".join(words[:5])) + "," + enc(" ".join(words[-5:]))


def fmt_date(value: datetime, with_time: bool = False) -> str:
    """'27 January 2020', or '27 January 2020, 14:30 UTC+03:00' with the time: in English
    (a Renderer writes its pages' dates in its own language, see digest/pages/messages.py)."""
    return load_messages(DEFAULT).date(value, with_time)


def _unpacked(held: tuple[str, ...] | bytes) -> tuple[str, ...]:
    """A page's slots as PageSet holds them, as text."""
    return unpack_all(held) if isinstance(held, bytes) else held


@dataclass(frozen=True)
class PageSet:
    """Generated pages by source path, and the nav that lists the section pages.

    Our own HTML never goes through Markdown (slow on big HTML blocks, and it is already
    escaped): templates put it in `slots`, leaving a `<!--nd:NONCE:i-->` placeholder in
    the Markdown; `fill` puts it back into the converted page.
    """

    pages: dict[str, str]
    nav: list[dict[str, object]]
    # A page's slots; packed (packedtext.py's pack_all) by a Renderer made with `pack_slots`.
    slots: dict[str, tuple[str, ...] | bytes] = field(default_factory=dict)
    nonce: str = ""

    def slots_of(self, uri: str) -> tuple[str, ...]:
        """A page's slots' HTML (none for a page without slots)."""
        return _unpacked(self.slots.get(uri, ()))

    @property
    def body_marker(self) -> str:
        """Stands for an article body converted outside MkDocs, put in by the plugin."""
        return _body_marker(self.nonce)

    def only_slots(self, text: str) -> bool:
        """Whether a page's Markdown is nothing but placeholders (then it needs no Markdown)."""
        return re.fullmatch(f"(?:\\s*<!--nd:{self.nonce}:(?:\\d+|body)-->)*\\s*", text) is not None

    def fill(self, uri: str, html_text: str, take: bool = False) -> str:
        """A converted page with its slots put back in place of their placeholders. `take`: the
        slots are forgotten (a one-off build fills each page once, and MkDocs holds every filled
        page until it writes them all: the slots would be a second copy of their HTML)."""
        chunks = _unpacked(self.slots.pop(uri, ())) if take else self.slots_of(uri)
        if not chunks:
            return html_text
        return re.sub(f"<!--nd:{self.nonce}:(\\d+)-->", lambda m: chunks[int(m.group(1))], html_text)


class Renderer:
    """Turns a Digest into pages using the jinja2 templates in site_templates/pages."""

    def __init__(self, directory_urls: bool = True, latest: int = 10,
                 template_dir: Path | None = None,
                 chart_period: str = "auto", feeds: dict[str, str] | None = None,
                 topic_articles: int = 50, language: str | None = DEFAULT, nonce: str | None = None,
                 memo: Memo | None = None, pack_slots: bool = False) -> None:
        loader = jinja2.FileSystemLoader(str((template_dir or templates_dir()) / "pages"))
        self.env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                      auto_reload=False)   # a Renderer lives for one build
        # Our words and dates in the theme's language: `_("key", ...)` and `_("key", count)` in the
        # templates (catalogue text and values escaped, except values that are markup already).
        msgs = self.messages = load_messages(language)
        self.env.filters["date"] = msgs.date
        self.env.filters["month"] = msgs.month
        self.env.globals["_"] = partial(_markup, msgs)
        self.env.globals["figure_label"] = partial(_figure_label, msgs)
        self.env.filters["fragment"] = text_fragment
        self.env.filters["slug"] = slugify
        # Charts (digest/pages/charts.py) are laid out from the templates; `feeds` (kind -> file name,
        # e.g. {"atom": "feed.xml"}) are linked from the home and topic pages when given.
        self.env.globals.update(activity_chart=partial(activity_chart, messages=msgs),
                                source_chart=partial(source_chart, messages=msgs),
                                topics_chart=partial(topics_chart, messages=msgs),
                                chart_period=chart_period, feeds=feeds or {})
        self.directory_urls = directory_urls
        self.latest = latest
        self.topic_articles = topic_articles
        # Placeholders cannot be forged by article text. A live preview keeps its nonce across
        # rebuilds, so that an unchanged page renders to the same text and is not rebuilt.
        self.nonce = nonce or secrets.token_hex(6)
        # A live preview's memo of pages by what they show (`key` of _page): same inputs, same text.
        self.memo = memo
        self._slots: list[str] = []
        self.slots: dict[str, tuple[str, ...] | bytes] = {}
        # A one-off build's: each page's slots are packed as it is rendered. They wait for MkDocs'
        # page loop: 47 MB of HTML at 10,000 generated articles, 13 MB packed.
        self.pack_slots = pack_slots
        self.env.filters["slot"] = self._slot

    def _slot(self, chunk: str) -> str:
        """Jinja filter: keep a rendered HTML chunk aside; Markdown only sees a placeholder."""
        self._slots.append(str(chunk))
        return markupsafe.Markup(f"<!--nd:{self.nonce}:{len(self._slots) - 1}-->")

    def _page(self, template: str, uri: str, title: str, description: str,
              tags: Iterable[str] = (), memo_key: Hashable = None,
              later: Callable[[], dict[str, Any]] | None = None, **context: Any) -> str:
        """One page's Markdown, its slots kept aside. `memo_key`, when given, is everything the
        template reads besides `context`'s shared tables: with a memo, equal keys give the last
        build's page without rendering it again. `later()`: more context, made only to render."""
        def render() -> tuple[str, tuple[str, ...]]:
            return self._render(template, uri, title, description, tags, {**context, **later()} if later else context)

        if memo_key is not None and self.memo is not None:
            key = (self.nonce, template, title, description, tuple(tags), memo_key)
            text, slots = self.memo.at(("page", uri), key, render)
            self.slots[uri] = slots
            return text
        text, slots = render()
        self.slots[uri] = pack_all(slots) if self.pack_slots and slots else slots
        return text

    def _kept(self, place: Hashable, inputs: object, compute: Callable[[], T]) -> T:
        """`compute()`, or with a memo the last build's result at `place` for equal `inputs`."""
        return compute() if self.memo is None else self.memo.at(place, inputs, compute)

    def _render(self, template: str, uri: str, title: str, description: str, tags: Iterable[str],
                context: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        own = page_url(uri, self.directory_urls)
        here = own[:-1] if own.endswith("/") else posixpath.dirname(own)
        # Every target is addressed from the site root: climb out of this page's folder.
        prefix = "../" * (here.count("/") + 1) if here else ""

        def url(kind: str, key: str = "") -> str:
            return prefix + page_url(page_uri(kind, key), self.directory_urls) or "./"

        def file(path: str) -> str:
            """A link to any file of the site (e.g. a feed), relative to this page."""
            return prefix + path

        # Material inserts these meta values into the HTML unescaped: escape them here.
        meta: dict[str, object] = {"title": html.escape(title),
                                   "description": html.escape(" ".join(description.split())[:300])}
        if tags:    # for Material's tags plugin, which prints them unescaped too
            meta["tags"] = [html.escape(t) for t in tags]
        head = _front_matter(meta)
        self._slots = []
        body = self.env.get_template(template).render(url=url, file=file, **context)
        return head + body, tuple(self._slots)

    def _story_page(self, common: dict[str, Any], template: str, uri: str, title: str, description: str,
                    **context: Any) -> str:
        """A story page (storypages.py lays it out), memoised by what story.md.j2 reads: the story,
        its members as listed (with the articles they re-run), its outlets, its conflicts (and
        the articles they quote) and its topics' titles."""
        story, conflicts, articles = context["s"], context["conflicts"], common["articles"]
        shown = (story, tuple((a, common["copy_of"].get(a.slug)) for a in context["members"]),
                 tuple(context["by_outlet"]), tuple(conflicts),
                 tuple(articles[f.slug] for c in conflicts for f in c.claims),
                 tuple(articles[q.slug] for q in story.summary),
                 tuple(context["topic_titles"].get(tid) for tid in story.topics))
        return self._page(template, uri, title, description, memo_key=shown, **context)

    def _month_pages(self, kind: str, owner: str, name: str, months: list[tuple[str, list[Article]]],
                     describe: str, common: dict[str, Any]) -> dict[str, str]:
        """A topic's or a source's articles of each month (`months` as by_month gives them),
        one page a month, laid out like the archive's month pages."""
        pages: dict[str, str] = {}
        for key, items in months:
            uri = page_uri(kind, f"{owner}/{key}")
            label = self.messages.t("month_of", name=name, month=self.messages.month(items[0].published))
            text = self.messages.t(describe, name=name, month=self.messages.month(items[0].published, title=False))
            pages[uri] = self._page("month.md.j2", uri, label, text, label=label,
                                    later=partial(_timeline, items),
                                    memo_key=listed(items, common), **common)
        return pages

    def render(self, digest: Digest, converted: Collection[str] = frozenset()) -> PageSet:
        """Every page of the site; nothing is written here. The bodies of the `converted`
        articles (by slug) are converted outside MkDocs and stand as `PageSet.body_marker`;
        the others are left to MkDocs' Markdown."""
        body_marker = markupsafe.Markup(_body_marker(self.nonce))
        self.slots = {}
        articles = {a.slug: a for a in digest.articles}
        summaries = summaries_of(digest, self.memo.kept("summaries", PerArticle) if self.memo is not None else None)
        # A syndicated story is listed once, as its earliest copy "also reported by" the others.
        also_by = {g.original: tuple(articles[c] for c in g.copies) for g in digest.duplicates}
        copy_of = {c: articles[g.original] for g in digest.duplicates for c in g.copies}
        common: dict[str, Any] = {"articles": articles, "summaries": summaries, "digest": digest,
                  "also_by": also_by, "copy_of": copy_of}
        pages: dict[str, str] = {}
        lead = {t.topic.id: t.lead or t.story[:1] for t in digest.topics}
        t = self.messages.t
        latest = [a for a in digest.articles if a.slug not in copy_of][: self.latest]
        # What home.md.j2 reads: each topic, its articles' dates and zones (its count, latest date
        # and chart row), its lead, and the latest articles as listed; topics.md.j2 each topic and its count.
        pages[page_uri("home")] = self._page(
            "home.md.j2", page_uri("home"), t("nav_home"), t("desc_home"), latest=latest, lead=lead,
            memo_key=(tuple((td.topic, tuple((a.published, a.published.tzinfo) for a in td.articles))
                            for td in digest.topics),
                      tuple(lead.items()), listed(latest, common)), **common)
        pages[page_uri("topics")] = self._page(
            "topics.md.j2", page_uri("topics"), t("nav_topics"), t("desc_topics"), lead=lead,
            memo_key=tuple((td.topic, len(td.articles)) for td in digest.topics), **common)
        topic_stories: dict[str, list[Any]] = defaultdict(list)
        for story in digest.stories:            # newest update first
            for tid in story.topics:
                topic_stories[tid].append(story)
        for td in digest.topics:
            uri = page_uri("topic", td.topic.id)
            topic_months = self._kept(("by_month", "topic", td.topic.id), td.articles, partial(by_month, td.articles))
            pages.update(self._month_pages("topic_month", td.topic.id, td.topic.title, topic_months,
                                           "desc_topic_month", common))
            in_topic = topic_context(td, topic_stories[td.topic.id][: self.latest], self.topic_articles, digest,
                                  articles, summaries)
            pages[uri] = self._page("topic.md.j2", uri, td.topic.title,
                                    td.topic.description or " ".join(q.text for q in td.story[:2]),
                                    memo_key=topic_key(in_topic, topic_months, common), **in_topic,
                                    months=topic_months, **common)
        topic_titles = {t.topic.id: t.topic.title for t in digest.topics}
        pages.update(story_pages(partial(self._story_page, common), partial(page_uri, "story"), topic_titles,
                                 lambda s: t("desc_story", title=s.title), **common))
        # All article pages sit at the same depth, so an article's entry in others' "related"
        # lists is the same HTML everywhere: rendered once, reused (a macro call costs).
        article_item = self.env.get_template("_macros.j2").module.article_item  # type: ignore[attr-defined]
        item_html: dict[str, markupsafe.Markup] = {}

        def related_item(r: Article, url: Any) -> markupsafe.Markup:
            if r.slug not in item_html:
                item_html[r.slug] = article_item(r, url, summaries, False)
            return item_html[r.slug]

        pages.update(article_pages(self._page, partial(page_uri, "article"), topic_titles, converted,
                                   body_marker, related_item,
                                   kept=self.memo.kept("article_pages", KeptPages) if self.memo is not None else None,
                                   slots=self.slots, nonce=self.nonce, **common))
        months: dict[str, list[Article]] = defaultdict(list)
        sources: dict[str, list[Article]] = defaultdict(list)
        for a in digest.articles:
            if a.slug not in copy_of:
                months[f"{a.published:%Y-%m}"].append(a)
            sources[slugify(a.source)].append(a)   # one page per address
        by_key = sorted(months.items(), reverse=True)
        pages[page_uri("archive")] = self._page(
            "archive.md.j2", page_uri("archive"), t("nav_archive"), t("desc_archive"), months=by_key,
            memo_key=tuple((key, len(items), items[0].published) for key, items in by_key), **common)
        for key, items in months.items():
            uri = page_uri("month", key)
            label = self.messages.month(items[0].published)
            pages[uri] = self._page("month.md.j2", uri, label,
                                    t("desc_month", month=self.messages.month(items[0].published, title=False)),
                                    label=label, later=partial(_timeline, items),
                                    memo_key=listed(items, common), **common)
        by_source = sorted(sources.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        pages[page_uri("sources")] = self._page(
            "sources.md.j2", page_uri("sources"), t("nav_sources"), t("desc_sources"), sources=by_source,
            memo_key=tuple((key, items[0].source, len(items)) for key, items in by_source), **common)
        for key, items in by_source:
            uri = page_uri("source", key)
            name = items[0].source
            source_months = self._kept(("by_month", "source", key), tuple(items), partial(by_month, items))
            # What source.md.j2 reads: the latest articles as listed, the total, each month's count.
            seen = (listed(items[: self.topic_articles], common), len(items),
                     tuple((m, len(month), month[0].published) for m, month in source_months))
            pages[uri] = self._page("source.md.j2", uri, name, t("desc_source", source=name), key=key,
                                    name=name, items=items[: self.topic_articles], total=len(items),
                                    later=partial(_timeline, items[: self.topic_articles]),
                                    months=source_months, memo_key=seen, **common)
            pages.update(self._month_pages("source_month", key, name, source_months, "desc_source_month", common))
        nav: list[dict[str, object]] = [
            {t("nav_home"): page_uri("home")},
            {t("nav_topics"): [page_uri("topics")] + [{html.escape(t.topic.title): page_uri("topic", t.topic.id)}
                                                for t in digest.topics]},
            {t("nav_archive"): page_uri("archive")},
            {t("nav_sources"): page_uri("sources")},
        ]
        return PageSet(pages, nav, dict(self.slots), self.nonce)


def _markup(msgs: Messages, key: str, count: int | None = None, **values: Any) -> markupsafe.Markup:
    """A catalogue message for a template: its text escaped, and its values escaped unless they
    are markup already (a link, a list of links)."""
    if count is not None:
        values["n"] = msgs.number(count)
    text = str(markupsafe.escape(msgs.template(key, count)))
    if not values:
        return markupsafe.Markup(text)
    # str.format with values escaped here: as safe as Markup.format, and far faster.
    return markupsafe.Markup(text.format(**{k: markupsafe.escape(v) for k, v in values.items()}))


def _figure_label(msgs: Messages, conflict: Conflict) -> str:
    """What a conflict counts: our word for a casualty count, else the articles' own words."""
    key = f"figure_{conflict.claims[0].thing}" if conflict.claims else ""
    return msgs.t(key) if key in msgs.strings else conflict.label


def _body_marker(nonce: str) -> str:
    return f"<!--nd:{nonce}:body-->"


def _front_matter(meta: dict[str, object]) -> str:
    """YAML front matter written as JSON values (valid YAML), far faster than yaml.safe_dump."""
    text = json.dumps(meta, ensure_ascii=False)
    if _YAML_UNSAFE.search(text):       # characters YAML refuses even when quoted
        return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n\n"


_YAML_UNSAFE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def _timeline(items: Iterable[Article]) -> dict[str, Any]:
    """A list page's timeline (by_day), made only when the page is rendered."""
    return {"timeline": by_day(items)}
