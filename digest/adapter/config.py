"""The plugin's options, declared once as a typed MkDocs config schema."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

__all__ = ["DigestConfig"]


class _Fraction(c.Type):
    """A number between 0 and 1, such as a similarity threshold."""

    def __init__(self, default: float, zero_ok: bool = False) -> None:
        super().__init__((int, float), default=default)
        self.zero_ok = zero_ok

    def run_validation(self, value: object) -> float:
        number = float(super().run_validation(value))
        if not (0 <= number <= 1 if self.zero_ok else 0 < number <= 1):
            span = "from 0 to 1" if self.zero_ok else "above 0 and at most 1"
            raise c.ValidationError(f"must be a number {span}, not {value!r}.")
        return number


class _Folder(c.Type):
    """A folder inside docs_dir, written relative to it ('news', 'news/'): kept as a clean
    POSIX path without slashes at either end, '' for docs_dir itself."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value: object) -> str:
        text = str(super().run_validation(value)).strip().replace("\\", "/")
        parts = [p for p in text.split("/") if p not in ("", ".")]
        if text.startswith("/") or ":" in text or ".." in parts:
            raise c.ValidationError(f"must be a folder inside docs_dir such as 'news', not {value!r}.")
        return "/".join(parts)


class DigestConfig(base.Config):
    """Options of the `digest` plugin in mkdocs.yml (`plugins: - digest: {...}`)."""

    articles_dir = _Folder()
    """The folder of the articles, relative to docs_dir; '' (the default) is docs_dir itself.
    Every page MkDocs would build under it is an article; pages outside it are MkDocs' own."""

    prefix = _Folder()
    """The folder of the generated pages (home, topics, articles, archive, sources, feeds),
    relative to the site root; '' (the default) puts them at the root as before."""

    nav_title = c.Type(str, default="News")
    """The nav section holding the digest's pages when the site has pages of its own."""

    topics_file = c.Type(str, default="topics.yml")
    """Topic declarations, relative to articles_dir (docs_dir by default)."""

    summary_sentences = c.Type(int, default=3)
    """Sentences in each article's generated summary."""

    topic_sentences = c.Type(int, default=6)
    """Sentences in each topic's "story so far"."""

    topic_half_life_days = c.Type((int, float), default=7)
    """How fast older reporting fades from a topic's story: weight halves every N days."""

    related_articles = c.Type(int, default=5)
    """Related articles listed under each article."""

    related_min_score = _Fraction(0.12, zero_ok=True)
    """Text similarity (TF-IDF cosine, 0 to 1) an article needs to be listed as related."""

    duplicate_threshold = _Fraction(0.3)
    """Share of five-word runs (Jaccard, 0 to 1) two articles must share to be one story."""

    figure_window_days = c.Type((int, float), default=3)
    """Figures reported this many days apart or more are about different events."""

    topic_page_articles = c.Type(int, default=50)
    """Articles listed (and in the timeline) on a topic page, newest first; older ones are in the archive."""

    latest_articles = c.Type(int, default=10)
    """Articles in the home page's 'latest developments'."""

    build_nav = c.Type(bool, default=True)
    """Set the nav to home, topics, archive and sources when mkdocs.yml has no nav."""

    drafts = c.Type(bool, default=False)
    """Publish articles marked `draft: true` (for previews only)."""

    scheduled = c.Type(bool, default=False)
    """Publish embargoed articles (dated after the build time) now (for previews only)."""

    feeds = c.Type(bool, default=True)
    """Write Atom, RSS 2.0 and JSON Feed files for the site and for each topic."""

    feed_entries = c.Type(int, default=20)
    """Newest articles in each feed."""

    chart_period = c.Choice(("auto", "day", "week", "month"), default="auto")
    """Bars of the coverage charts: articles per day, week or month; auto picks by time span."""

    sanitize_html = c.Type(bool, default=True)
    """Strip scripts, event handlers, iframes and unsafe links from article HTML (nh3 allow-list).
    Turn off only for a trusted newsroom whose articles need raw HTML such as embeds."""

    max_article_kb = c.Type(int, default=1024)
    """Largest article file accepted; bigger ones are an error (keeps memory and time bounded)."""

    cache_dir = c.Type(str, default=".cache/digest")
    """The on-disk caches (SQLite files), relative to mkdocs.yml (keep it out of version control)."""

    cache = c.Type(bool, default=True)
    """Reuse the analysis and converted body of unchanged articles between builds."""

    fill_pages = c.Type(bool, default=True)
    """Render the theme once around article pages and fill each one in (checked against the
    theme's own output first). Turn off with a plugin that changes article pages differently
    on every page through the template context."""

    cache_nav = c.Type(bool, default=True)
    """Render the theme's nav (sidebar, tabs) once per folder for pages outside the nav, such
    as articles (checked against the theme's own output on each folder's second page).
    Turn off with a plugin that changes the nav from page to page."""

    workers = c.Type(int, default=0)
    """Processes for analysis and body conversion: 0 uses every core, 1 works in the build process.
    With `executor: dask` and no scheduler: the workers of the LocalCluster started."""

    executor = c.Choice(("local", "dask"), default="local")
    """Where the per-article analysis and body conversion run: `local` (this machine's process
    pool) or `dask` (a Dask cluster; needs `pip install newsdigest[dask]`). The caches stay
    in the build process either way."""

    dask_scheduler = c.Optional(c.Type(str))
    """With `executor: dask`: the scheduler's address, such as tcp://10.0.0.5:8786. Unset: the
    DASK_SCHEDULER_ADDRESS environment variable, else a LocalCluster on 127.0.0.1."""

    search_full_text_days = c.Type(int, default=30)
    """Index the full text only of articles at most this many days older than the newest one;
    older articles are found by title, byline, topics and summary. 0 indexes every article in
    full. Pagefind's first search stays small either way (it loads only the chunks a query
    needs), but the index is rebuilt on every build and full text costs ~2 ms of CPU per
    article (about 10 s at 5,000 articles) against ~0.4 ms for title and summary."""
