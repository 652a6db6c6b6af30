"""Serial and process-pool executors give identical results, in input order."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from digest.analysis.executor import PoolExecutor, SerialExecutor, choose_executor
from digest.analysis.analyse import analyse_article
from digest.analysis.pipeline import (
    Pipeline,
    Utf8Text,
    _article_job,
    cached_analyser,
)
from digest.loading.convert import MarkdownSettings, convert_body
from digest.loading.loader import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus

ARTICLES = list(corpus.generate(12, seed=7))


def test_pool_and_serial_give_identical_analyses_and_html() -> None:
    settings = MarkdownSettings(("toc", "tables", "attr_list"), {"toc": {"permalink": True}})
    jobs = [(a.title, a.body, 3, settings, True, True, None) for a in ARTICLES]
    serial = list(SerialExecutor().map(_article_job, jobs))
    with PoolExecutor(workers=2, chunksize=2) as pool:
        parallel = list(pool.map(_article_job, jobs))
    assert parallel == serial
    assert all(analysis and analysis.summary for analysis, _ in serial)
    assert all(body and body.html.startswith("<p>") for _, body in serial)
    assert [analysis for analysis, _ in serial] == [analyse_article(a.title, a.body, 3, settings) for a in ARTICLES]


def test_bodies_are_collected_in_any_order_then_dropped(tmp_path: Path) -> None:
    corpus.write_digest_corpus(tmp_path / "content", ARTICLES)
    articles = load_corpus(tmp_path / "content").articles
    settings = MarkdownSettings(("toc",))
    with PoolExecutor(workers=2) as pool:
        pipeline = Pipeline(3, executor=pool, markdown=settings)
        pipeline(articles)
        assert pipeline.converted == {a.slug for a in articles}
        last, first = articles[-1], articles[0]
        assert pipeline.body(last.slug) == convert_body(last.body, settings)
        assert pipeline.body(first.slug) == convert_body(first.body, settings)
        pipeline.close()
    assert pipeline.body(first.slug) is None and not pipeline.converted


def test_sending_articles_to_the_pool_leaves_their_text_its_size(tmp_path: Path) -> None:
    """Pickling a str beyond ASCII keeps a UTF-8 copy inside it; the articles (and the cached
    bodies sent back for analysis) live all build long, so the jobs carry bytes instead."""
    corpus.write_digest_corpus(tmp_path / "content", ARTICLES)
    articles = load_corpus(tmp_path / "content").articles
    assert any(not a.body.isascii() for a in articles)
    before = [sys.getsizeof(a.body) for a in articles]
    settings = MarkdownSettings(("toc",))
    with PoolExecutor(workers=2, chunksize=2) as pool:
        pipeline = Pipeline(3, executor=pool, markdown=settings)
        pipeline(articles)
        bodies = [pipeline.body(a.slug) for a in articles]
    assert [sys.getsizeof(a.body) for a in articles] == before
    text = "Prices rose by £5 in Zürich"
    size = sys.getsizeof(text)
    assert pickle.loads(pickle.dumps(Utf8Text(text))) == text and sys.getsizeof(text) == size
    assert all(body is not None and body.html == convert_body(a.body, settings).html for a, body in zip(articles, bodies))


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


def _blas_threads(_: object = None) -> int:
    """The most threads any of this process's BLAS libraries may use."""
    from threadpoolctl import threadpool_info

    import numpy  # noqa: F401  (loads OpenBLAS, if not yet)
    return max((pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"), default=1)


def test_the_analysis_runs_with_one_blas_thread_in_the_pool_and_in_process() -> None:
    """A worker per core, each with a BLAS thread per core, made the pool no faster than one
    process: the workers and the serial jobs hold BLAS to one thread (the caller's own limit is
    given back once the serial jobs are done)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=2):
        before = _blas_threads()
        with PoolExecutor(workers=2, chunksize=1) as pool:
            assert list(pool.map(_blas_threads, range(4))) == [1, 1, 1, 1]
        assert list(SerialExecutor().map(_blas_threads, range(3))) == [1, 1, 1]
        assert _blas_threads() == before
