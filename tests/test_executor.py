"""Serial and process-pool executors give identical results, in input order."""

from __future__ import annotations

import sys
from pathlib import Path

from digest.analysis.executor import PoolExecutor, SerialExecutor, choose_executor
from digest.analysis.pipeline import (
    Pipeline,
    _analyse_job,
    _convert_job,
    cached_analyser,
)
from digest.loading.convert import MarkdownSettings
from digest.loading.loader import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus

ARTICLES = list(corpus.generate(12, seed=7))


def test_pool_and_serial_give_identical_analyses_and_html() -> None:
    settings = MarkdownSettings(("toc", "tables", "attr_list"), {"toc": {"permalink": True}})
    jobs = [(a.title, a.body, 3) for a in ARTICLES]
    bodies = [(a.body, settings) for a in ARTICLES]
    serial = list(SerialExecutor().map(_analyse_job, jobs)), list(SerialExecutor().map(_convert_job, bodies))
    with PoolExecutor(workers=2, chunksize=2) as pool:
        parallel = list(pool.map(_analyse_job, jobs)), list(pool.map(_convert_job, bodies))
    assert parallel == serial
    assert all(a.summary for a in serial[0])
    assert all(c.html.startswith("<p>") for c in serial[1])


def test_bodies_are_collected_in_any_order_then_the_pool_is_released(tmp_path: Path) -> None:
    corpus.write_digest_corpus(tmp_path / "content", ARTICLES)
    articles = load_corpus(tmp_path / "content").articles
    settings = MarkdownSettings(("toc",))
    with PoolExecutor(workers=2) as pool:
        pipeline = Pipeline(3, executor=pool, markdown=settings)
        pipeline(articles)
        assert pipeline.converted == {a.slug for a in articles}
        last, first = articles[-1], articles[0]
        assert pipeline.body(last.slug) == _convert_job((last.body, settings))     # waits past the others
        assert pipeline.body(first.slug) == _convert_job((first.body, settings))
        pipeline.close()
    assert pipeline.body(first.slug) is None and not pipeline.converted


def test_pipeline_through_a_pool_matches_serial(tmp_path: Path) -> None:
    corpus.write_digest_corpus(tmp_path / "content", ARTICLES)
    articles = load_corpus(tmp_path / "content").articles
    with PoolExecutor(workers=2) as pool:
        parallel = cached_analyser(3, executor=pool)(articles)
    serial = cached_analyser(3, workers=1)(articles)
    assert parallel == serial
    assert list(parallel) == [a.slug for a in articles]


def test_small_inputs_run_serially() -> None:
    assert isinstance(choose_executor(10, workers=4), SerialExecutor)
    assert isinstance(choose_executor(10_000, workers=1), SerialExecutor)
    pool = choose_executor(10_000, workers=2)
    assert isinstance(pool, PoolExecutor) and pool.workers == 2
    pool.close()
