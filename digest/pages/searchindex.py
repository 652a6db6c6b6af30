"""The site's search records, built from what the analysis already knows.

Pagefind would learn a page's text by parsing its HTML back apart; for our pages that
text is already at hand as sentences, so each page becomes one custom record instead
(digest/pages/pagefindservice.py writes them into `site/pagefind/`):

- an article: as text its summary and full text (only the summary for articles more
  than `full_text_days` older than the newest one, if that is set), so that a result's
  excerpt is always the article's own prose (the sentences the analysis read from the
  converted body, digest/loading/prose.py: no headings, code, tables, admonition titles
  or footnotes); its title, source, date, author and topics as metadata (Pagefind
  searches metadata too, and a result shows it); its topics and source as filters. A
  syndicated copy (digest/analysis/duplicates.py) has no record of its own: the
  original's record names the copies' sources ("also reported by"), is found by them
  and is kept by their source filter, so a story is one result;
- a topic: its title, description, the quotes of its lead (its stories' first sentences,
  which its page's cards show) and of its story so far;
- a story of two or more articles: its headline, outlets and the quotes of its summary;
- the home page: the site's name and description and every topic's title and
  description.

Archive months and source pages only list articles, so they are not indexed.
Text is HTML-escaped, as Pagefind's own text from HTML pages is: the search box shows
excerpts of it as HTML (pagefind.js escapes < and > once more; we do not rely on that).
Metadata and filters stay plain text, which the search box escapes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from itertools import chain

from ..loading.xmlchars import xml_safe
from ..model import Article, Digest
from .pagefindservice import Record
from .render import fmt_date, page_uri, page_url

__all__ = ["article_records", "english_article_count", "full_text_cutoff", "home_record", "search_records",
           "story_records",
           "topic_records"]

# Words Pagefind reads as its own ranking markers ("___PAGEFIND_WEIGHT___7"); article text
# is untrusted, so their leading underscores are dropped.
_MARKER = re.compile(r"(?<!\S)_+(?=(?:END_)?PAGEFIND_)")


def full_text_cutoff(articles: tuple[Article, ...], days: int | None) -> float:
    """The timestamp from which articles are indexed in full (None or 0 days: all of them)."""
    if not days or not articles:
        return float("-inf")
    return max(a.published.timestamp() for a in articles) - 86400 * days


def _text(parts: Iterable[str]) -> str:
    """Record text: the parts joined, HTML-escaped, Pagefind's markers disarmed."""
    text = html.escape(xml_safe(" ".join(p for p in parts if p)), quote=False)
    return _MARKER.sub("", text) if "PAGEFIND_" in text else text


def _joined(*parts: Iterable[str]) -> str:
    """Record text of several runs of sentences."""
    return _text(chain.from_iterable(parts))


def _url(uri: str, directory_urls: bool) -> str:
    return "/" + page_url(uri, directory_urls)


def article_records(digest: Digest, topic_titles: dict[str, str], directory_urls: bool = True,
                    full_text_days: int | None = None,
                    date_format: Callable[[datetime], str] = fmt_date) -> list[Record]:
    """One record per article but syndicated copies (see the module doc); full text only
    from the cutoff on (see full_text_cutoff), in place of a generated summary, whose
    sentences it holds already."""
    cutoff = full_text_cutoff(digest.articles, full_text_days)
    copies = {g.original: g.copies for g in digest.duplicates}
    hidden = {slug for g in digest.duplicates for slug in g.copies}
    by_slug = {a.slug: a for a in digest.articles}
    records = []
    for a in digest.articles:
        if a.slug in hidden:
            continue
        full = a.published.timestamp() >= cutoff and a.slug in digest.analyses
        summary = digest.summary_of(a) if a.summary or not full else ()
        sentences = digest.analyses[a.slug].sentences if full else ()
        topics = [topic_titles.get(t, t) for t in a.topics]
        also = [s for s in _unique(by_slug[c].source for c in copies.get(a.slug, ()) if c in by_slug)
                if s != a.source]
        meta = {"title": a.title, "date": date_format(a.published), "source": a.source,
                "author": a.author or "", "topics": ", ".join(topics), "also": ", ".join(also)}
        # The text is made when the record is written: the sentences stay as the analysis holds them.
        records.append(Record(_url(page_uri("article", a.slug), directory_urls),
                              partial(_joined, summary, sentences), {k: v for k, v in meta.items() if v},
                              {k: v for k, v in (("topic", topics), ("source", [a.source, *also])) if v},
                              a.published.timestamp()))
    return records


def _unique(values: Iterable[str]) -> list[str]:
    """The values in order, each once."""
    return list(dict.fromkeys(values))


def english_article_count(n: int) -> str:
    """'1 article', '7 articles': a topic result's byline, unless the caller passes its own words."""
    return f"{n} article{'' if n == 1 else 's'}"


def topic_records(digest: Digest, directory_urls: bool = True,
                  article_count: Callable[[int], str] = english_article_count) -> list[Record]:
    """One record per topic: its description, its lead and its story so far (which leaves out
    the lead's sentences its page's cards show), each quote once; `article_count` words its
    number of articles (a message catalogue's plural)."""
    return [Record(_url(page_uri("topic", td.topic.id), directory_urls),
                   _text([td.topic.description, *dict.fromkeys(q.text for q in (*td.lead, *td.story))]),
                   {"title": td.topic.title, "articles": article_count(len(td.articles))})
            for td in digest.topics]


def story_records(digest: Digest, directory_urls: bool = True,
                  date_format: Callable[[datetime], str] = fmt_date) -> list[Record]:
    """One record per story page: the quotes of its summary as text (the excerpt); its
    title, outlets and latest date as metadata (a result shows them as an article's byline:
    `articles` and `also` mean a topic and syndicated copies there); its topics and outlets
    as filters."""
    titles = {td.topic.id: td.topic.title for td in digest.topics}
    return [Record(_url(page_uri("story", s.id), directory_urls),
                   _text([q.text for q in s.summary]),
                   {"title": s.title, "date": date_format(s.last), "source": ", ".join(s.sources)},
                   {"topic": [titles.get(t, t) for t in s.topics], "source": list(s.sources)})
            for s in digest.stories if s.size > 1]


def home_record(digest: Digest, site_name: str, site_description: str = "",
                directory_urls: bool = True) -> Record:
    """The home page: the site and every topic, by title and description."""
    parts = [site_description] + [f"{td.topic.title}: {td.topic.description}" if td.topic.description
                                  else td.topic.title for td in digest.topics]
    return Record(_url(page_uri("home"), directory_urls), _text(parts), {"title": site_name})


def search_records(digest: Digest, site_name: str, site_description: str = "", directory_urls: bool = True,
                   full_text_days: int | None = None,
                   article_count: Callable[[int], str] = english_article_count,
                   date_format: Callable[[datetime], str] = fmt_date) -> list[Record]:
    """Every record of the site: home, topics, stories, then articles; `article_count` and
    `date_format` word counts and dates in the site's language (English by default)."""
    titles = {td.topic.id: td.topic.title for td in digest.topics}
    return [home_record(digest, site_name, site_description, directory_urls),
            *topic_records(digest, directory_urls, article_count),
            *story_records(digest, directory_urls, date_format),
            *article_records(digest, titles, directory_urls, full_text_days, date_format)]
