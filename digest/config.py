"""The plugin's options, declared once as a typed MkDocs config schema."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

__all__ = ["DigestConfig"]


class DigestConfig(base.Config):
    """Options of the `digest` plugin in mkdocs.yml (`plugins: - digest: {...}`)."""

    topics_file = c.Type(str, default="topics.yml")
    """Topic declarations, relative to docs_dir (the content folder)."""

    summary_sentences = c.Type(int, default=3)
    """Sentences in each article's generated summary."""

    topic_sentences = c.Type(int, default=6)
    """Sentences in each topic's "story so far"."""

    topic_half_life_days = c.Type((int, float), default=7)
    """How fast older reporting fades from a topic's story: weight halves every N days."""

    related_articles = c.Type(int, default=5)
    """Related articles listed under each article."""

    latest_articles = c.Type(int, default=10)
    """Articles in the home page's 'latest developments'."""

    build_nav = c.Type(bool, default=True)
    """Set the nav to home, topics, archive and sources when mkdocs.yml has no nav."""

    drafts = c.Type(bool, default=False)
    """Publish articles marked `draft: true` (for previews only)."""
