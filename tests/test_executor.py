"""Serial and process-pool executors give identical results, in input order."""

from __future__ import annotations

import sys
from pathlib import Path

from digest.executor import PoolExecutor, SerialExecutor, choose_executor
from digest.loader import load_corpus
from digest.convert import MarkdownSettings
from digest.pipeline import _run_job, cached_analyser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus  # noqa: E402

ARTICLES = list(corpus.generate(12, seed=7))


def test_pool_and_serial_give_identical_analyses_and_html() -> None:
    settings = MarkdownSettings(("toc", "tables", "attr_list"), {"toc": {"permalink": True}})
    jobs = [(a.title, a.body, 3, True, settings) for a in ARTICLES]
    serial = list(SerialExecutor().map(_run_job, jobs))
    with PoolExecutor(workers=2, chunksize=2) as pool:
        parallel = list(pool.map(_run_job, jobs))
    assert parallel == serial
    assert all(a is not None and a.summary for a, _ in serial)
    assert all(c is not None and c.html.startswith("<p>") for _, c in serial)


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
