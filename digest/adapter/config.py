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


class _Days(c.Type):
    """A whole number of days, 0 or more."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        days = int(super().run_validation(value))
        if days < 0:
            raise c.ValidationError(f"must be 0 (no limit) or a number of days, not {value!r}.")
        return days


class _Words(c.Type):
    """A word budget: a whole number of at least 1."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < 1:
            raise c.ValidationError(f"must be a whole number of words, at least 1, not {value!r}.")
        return number


def _replaced(old: str, new: str) -> c.Deprecated:
    return c.Deprecated(message=f"The digest option '{old}' is no longer used and is ignored: {new}",
                        option_type=c.Type((int, float)))


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

    story_words = _Words(120)
    """About how many words each topic's "story so far" has (whole sentences: the last may run past)."""

    lead_words = _Words(45)
    """About how many words of the story lead each topic's card on the home page."""

    topic_sentences = _replaced("topic_sentences", "the story's length is now 'story_words' (words, "
                                "default 120); remove 'topic_sentences' from mkdocs.yml.")
    """Replaced by `story_words`: accepted with a warning, ignored."""

    topic_half_life_days = _replaced("topic_half_life_days", "the story now tells the start and then the "
                                     "developments, newer reports weighing more; remove it from mkdocs.yml.")
    """Replaced by the story's start-and-developments rule: accepted with a warning, ignored."""

    related_articles = c.Type(int, default=5)
    """Related articles listed under each article."""

    related_min_score = _Fraction(0.12, zero_ok=True)
    """Text similarity (TF-IDF cosine, 0 to 1) an article needs to be listed as related."""

    duplicate_threshold = _Fraction(0.3)
    """Share of five-word runs (Jaccard, 0 to 1) two articles must share to be one story."""

    figure_window_days = _replaced("figure_window_days", "figures are now compared within one story, "
                                   "however long it runs; remove 'figure_window_days' from mkdocs.yml.")
    """Replaced by stories: accepted with a warning, ignored."""

    topic_page_articles = c.Type(int, default=50)
    """Articles listed (and in the timeline) on a topic page, newest first; older ones are in the archive."""

    latest_articles = c.Type(int, default=10)
    """Articles in the home page's 'latest developments', and stories in a topic page's 'latest
    stories' (whose sentences its story so far then leaves out)."""

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

    allow_raw_html_files = c.Type(bool, default=False)
    """Publish HTML, SVG and XML files of the content folder that hold script (they run on the
    site's own origin). Off: such a file is an error. Turn on only for a trusted newsroom."""

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

    live_preview = c.Type(bool, default=True)
    """Under `mkdocs serve`, a change to articles rebuilds only the pages it touches
    (digest/adapter/livepreview.py, checked against MkDocs' own output on the first rebuild);
    anything else, or `false`, gets MkDocs' full rebuild."""

    file_events = c.Type(bool, default=True)
    """Under `mkdocs serve`, hear saves through the operating system's file events at once
    (digest/adapter/watching.py), with MkDocs' polling kept every 5 s as a backstop; `false`
    leaves MkDocs' polling every 0.5 s."""

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

    search_full_text_days = _Days(default=0)
    """0 (the default): search the full text of every article. N: the full text only of
    articles at most N days older than the newest one; older ones are found by title,
    source, author, topics and summary. Limiting it makes the index smaller and the build
    a little faster (README "Search" has the figures at 10,000 articles); the first search
    loads only the chunks its words need either way."""

    search_shard_size = c.Optional(c.Type(int))
    """Unset (the default): one search index up to 2,000 articles, shards of 1,000 above
    (searchshards.AUTO_ABOVE, AUTO_SIZE). 0: always one index of every page, written by one
    pagefind process (its memory grows with the site: about 200 MB per 1,000 full-text
    articles). N: the articles in shards of N, each indexed by its own short-lived process
    and merged by the search box (digest/pages/searchshards.py); with `cache`, an unchanged
    shard is reused. Bounded memory, but each shard ranks and expands words on its own, so
    results order differently (README "Sharded index")."""
