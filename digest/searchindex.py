"""Article pages in the site's search index, written from what the analysis already knows.

The theme's search plugin learns a page's text by parsing its HTML back apart, which is
the costliest per-page step of a build, and for articles it would only recover text we
already hold as sentences. So article pages are marked `search: exclude` for the theme,
and `add_to_index` appends one entry per article to the `search/search_index.json` the
theme wrote, in the theme's own format: the title, the byline and topics, the summary
and, for articles at most `full_text_days` older than the newest one, the full text.
Older articles stay findable by title, source and summary, which keeps the index small
and the first search fast on a large archive.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path

from .cache import write_atomic
from .model import Article, Digest
from .render import fmt_date, page_uri, page_url

__all__ = ["add_to_index", "article_entries", "full_text_cutoff"]


def full_text_cutoff(articles: tuple[Article, ...], days: int | None) -> float:
    """The timestamp from which articles are indexed in full (None or 0 days: all of them)."""
    if not days or not articles:
        return float("-inf")
    return max(a.published.timestamp() for a in articles) - 86400 * days


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def article_entries(digest: Digest, topic_titles: Mapping[str, str], directory_urls: bool = True,
                    full_text_days: int | None = None) -> list[dict[str, str]]:
    """One search entry per article: location, title and text. The theme shows both as HTML,
    so they are escaped here."""
    cutoff = full_text_cutoff(digest.articles, full_text_days)
    entries = []
    for a in digest.articles:
        byline = " · ".join(x for x in (a.source, fmt_date(a.published, not a.date_only),
                                        f"by {a.author}" if a.author else "") if x)
        parts = [byline, "Topics: " + ", ".join(topic_titles.get(t, t) for t in a.topics),
                 " ".join(digest.summary_of(a))]
        if a.published.timestamp() >= cutoff:
            parts.append(" ".join(digest.analyses[a.slug].sentences))
        entries.append({"location": page_url(page_uri("article", a.slug), directory_urls),
                        "title": html.escape(a.title, quote=False), "text": " ".join(_paragraph(p) for p in parts if p)})
    return entries


def add_to_index(index: Path, entries: list[dict[str, str]]) -> bool:
    """Append the entries to a search index the theme has written; False if there is none
    (the search plugin is off), so nothing is written."""
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or not isinstance(data.get("docs"), list):
        return False
    data["docs"].extend(entries)
    write_atomic(index, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return True
