"""The analysis stage as the plugin's options set it up: its knobs, its caches (in
`cache_dir`, beside mkdocs.yml) and its pipeline of workers."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ..analysis.analyse import AnalysisOptions
from ..analysis.cache import AnalysisCache, PageCache
from ..analysis.pipeline import Pipeline
from ..loading.convert import MarkdownSettings
from .config import DigestConfig

__all__ = ["analysis_options", "cache_dir", "close_pipeline", "make_pipeline"]


def cache_dir(config: MkDocsConfig, options: DigestConfig) -> Path:
    """`cache_dir`, relative to the folder of mkdocs.yml."""
    return Path(config.config_file_path or ".").resolve().parent / options.cache_dir


def analysis_options(options: DigestConfig) -> AnalysisOptions:
    """The analysis stage's knobs, from the plugin's options."""
    return AnalysisOptions(summary_sentences=options.summary_sentences, story_words=options.story_words,
                           lead_words=options.lead_words, topic_cards=options.latest_articles,
                           related=options.related_articles,
                           related_min_score=options.related_min_score,
                           duplicate_threshold=options.duplicate_threshold)


def make_pipeline(config: MkDocsConfig, options: DigestConfig, serial: bool = False) -> Pipeline:
    """Cached and parallel (`workers`; `serial`: in this process, for the few articles of a
    live rebuild) analysis and body conversion, with the site's Markdown settings (in the
    worker pool, or in this process if they cannot be pickled)."""
    markdown = MarkdownSettings(tuple(config.markdown_extensions), dict(config.mdx_configs or {}),
                                options.sanitize_html)
    folder = cache_dir(config, options)
    cache = AnalysisCache(folder) if options.cache else None
    pages = PageCache(folder / "pages", markdown.fingerprint()) if options.cache else None
    return Pipeline(options.summary_sentences, cache, 1 if serial else options.workers, markdown=markdown,
                    page_cache=pages, kind="local" if serial else options.executor, scheduler=options.dask_scheduler)


def close_pipeline(pipeline: Pipeline | None, prune: bool = False) -> int:
    """Release a build's pipeline (its workers and bodies) and commit what its caches hold;
    after a complete build (`prune`) first drop the entries it did not use. Returns how many
    were dropped."""
    if pipeline is None:
        return 0
    stores = [pipeline.cache, pipeline.page_cache]
    pipeline.close()
    removed = 0
    for store in stores:
        if store is not None:
            removed += store.prune() if prune else 0
            store.close()
    return removed
