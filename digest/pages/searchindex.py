"""The site's search records, built from what the analysis already knows.

Pagefind would learn a page's text by parsing its HTML back apart; for our pages that
text is already at hand as sentences, so each page becomes one custom record instead
(digest/pages/pagefindservice.py writes them into `site/pagefind/`):

- an article: its title, date and source as metadata (a result shows them), and as
  text its byline, topics, summary and, for articles at most `full_text_days` older
  than the newest one, its full text: the sentences of its prose, which the analysis
  read from the converted body (digest/loading/prose.py: paragraphs, list items and
  definitions; no headings, code, tables, admonition titles or footnotes);
- a topic: its title, description and the quotes of its story so far;
- a story of two or more articles: its headline, outlets and the quotes of its summary;
- the home page: the site's name and description and every topic's title and
  description.

Archive months and source pages only list articles, so they are not indexed.
Text is HTML-escaped, as Pagefind's own text from HTML pages is: the search box shows
excerpts of it as HTML (pagefind.js escapes < and > once more; we do not rely on that).
Metadata stays plain text, which the search box's template escapes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ..model import Article, Digest
from .pagefindservice import Record
from .render import fmt_date, page_uri, page_url

__all__ = ["article_records", "full_text_cutoff", "home_record", "search_records", "story_records",
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
    text = html.escape(" ".join(p for p in parts if p), quote=False)
    return _MARKER.sub("", text) if "PAGEFIND_" in text else text


def _url(uri: str, directory_urls: bool) -> str:
    return "/" + page_url(uri, directory_urls)


def article_records(digest: Digest, topic_titles: dict[str, str], directory_urls: bool = True,
                    full_text_days: int | None = None) -> list[Record]:
    """One record per article; full text only from the cutoff on (see full_text_cutoff), in
    place of a generated summary, whose sentences it holds already."""
    cutoff = full_text_cutoff(digest.articles, full_text_days)
    records = []
    for a in digest.articles:
        date = fmt_date(a.published)
        byline = " · ".join(x for x in (a.source, date, f"by {a.author}" if a.author else "") if x) + "."
        parts = [byline, "Topics: " + ", ".join(topic_titles.get(t, t) for t in a.topics) + "."]
        full = a.published.timestamp() >= cutoff and a.slug in digest.analyses
        if a.summary or not full:
            parts.extend(digest.summary_of(a))
        if full:
            parts.extend(digest.analyses[a.slug].sentences)
        records.append(Record(_url(page_uri("article", a.slug), directory_urls), _text(parts),
                              {"title": a.title, "date": date, "source": a.source}))
    return records


def topic_records(digest: Digest, directory_urls: bool = True) -> list[Record]:
    """One record per topic: its description and its story so far."""
    return [Record(_url(page_uri("topic", td.topic.id), directory_urls),
                   _text([td.topic.description, *(q.text for q in td.story)]),
                   {"title": td.topic.title,
                    "articles": f"{len(td.articles)} article{'' if len(td.articles) == 1 else 's'}"})
            for td in digest.topics]


def story_records(digest: Digest, directory_urls: bool = True) -> list[Record]:
    """One record per story page: its outlets and the quotes of its summary."""
    return [Record(_url(page_uri("story", s.id), directory_urls),
                   _text([", ".join(s.sources) + ".", *(q.text for q in s.summary)]),
                   {"title": s.title, "date": fmt_date(s.last),
                    "articles": f"{s.size + len(s.copies)} articles"})
            for s in digest.stories if s.size > 1]


def home_record(digest: Digest, site_name: str, site_description: str = "",
                directory_urls: bool = True) -> Record:
    """The home page: the site and every topic, by title and description."""
    parts = [site_description] + [f"{td.topic.title}: {td.topic.description}" if td.topic.description
                                  else td.topic.title for td in digest.topics]
    return Record(_url(page_uri("home"), directory_urls), _text(parts), {"title": site_name})


def search_records(digest: Digest, site_name: str, site_description: str = "", directory_urls: bool = True,
                   full_text_days: int | None = None) -> list[Record]:
    """Every record of the site: home, topics, stories, then articles."""
    titles = {td.topic.id: td.topic.title for td in digest.topics}
    return [home_record(digest, site_name, site_description, directory_urls),
            *topic_records(digest, directory_urls),
            *story_records(digest, directory_urls),
            *article_records(digest, titles, directory_urls, full_text_days)]
