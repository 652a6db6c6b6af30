"""The analysis on a Dask cluster (`executor: dask`): the same site, byte for byte, as a
local build, also when a worker dies mid-build; a clear error when the cluster cannot help."""

from __future__ import annotations

import gzip
import json
import logging
import re
import sys
from pathlib import Path

import dask
import pytest
from distributed import LocalCluster
from distributed.diagnostics.plugin import SchedulerPlugin
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from digest.analysis import daskexecutor, executor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus

ARTICLES = list(corpus.generate(12, seed=11))
WORD = "tripwire"      # tests/_dask_tripwire.py kills the Dask worker converting this article


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes on 127.0.0.1; a batch may meet one dead worker, not two."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
    cluster.scheduler.add_plugin(_Batches(), name="digest-batches")
    yield cluster
    cluster.close()


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Also: even this small site goes to the cluster (below 64 articles it runs serially)."""
    monkeypatch.setattr(executor, "MIN_PARALLEL_ITEMS", 1)
    monkeypatch.setenv("NEWSDIGEST_NOW", "2024-07-01T12:00:00+00:00")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1719835200")
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)


def _project(root: Path, options: str, marker: Path, mode: str = "once") -> Path:
    """The generated articles (one with the tripwire word) under the digest plugin with `options`."""
    corpus.write_digest_corpus(root / "content", ARTICLES)
    victim = root / "content" / "articles" / f"{ARTICLES[3].stem}.md"
    victim.write_text(victim.read_text(encoding="utf-8") + f"\nA {WORD} sentence closes the report.\n",
                      encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Dask digest\nsite_url: https://example.org/\ndocs_dir: content\nsite_dir: site\n"
        f"theme:\n  name: material\nplugins:\n  - digest:\n      cache_dir: .cache/digest\n{options}"
        "markdown_extensions:\n  - admonition\n  - attr_list\n"
        f"  - _dask_tripwire:\n      word: {WORD}\n      marker: {marker}\n      mode: {mode}\n",
        encoding="utf-8")
    return root


def _build(root: Path) -> dict[str, bytes]:
    build(load_config(str(root / "mkdocs.yml")))
    return {str(p.relative_to(root / "site")): p.read_bytes() for p in sorted((root / "site").rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def local_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("local")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSDIGEST_NOW", "2024-07-01T12:00:00+00:00")
        mp.setenv("SOURCE_DATE_EPOCH", "1719835200")
        site = _build(_project(root, "      executor: local\n", root / "marker"))
    assert not (root / "marker").exists()
    return site


class _Batches(SchedulerPlugin):
    """Counts the batches of articles the scheduler saw finish (their results in memory)."""

    def __init__(self) -> None:
        self.done = 0

    def transition(self, key: object, start: str, finish: str, *args: object, **kwargs: object) -> None:
        if finish == "memory" and str(key).startswith("_run_batch-"):
            self.done += 1


def _batches(cluster: LocalCluster) -> int:
    return cluster.scheduler.plugins["digest-batches"].done


def _error(root: Path, caplog: pytest.LogCaptureFixture) -> str:
    """The message a build that must fail stops with (MkDocs logs it and aborts)."""
    with pytest.raises(Abort):
        build(load_config(str(root / "mkdocs.yml")))
    return "\n".join(r.getMessage() for r in caplog.records
                     if r.levelno >= logging.ERROR and r.name.startswith("mkdocs"))


_INDEX = ("pagefind/filter/", "pagefind/fragment/", "pagefind/index/", "pagefind/pagefind-entry.json",
          "pagefind/pagefind.", "pagefind/parts/")


def _records(files: dict[str, bytes]) -> list[dict]:
    """The search index's pages (url, text, meta, filters), decoded from its fragments."""
    pages = []
    for name, data in files.items():
        if name.startswith("pagefind/") and "/fragment/" in name:    # the hub's and the shards'
            raw = gzip.decompress(data)
            pages.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return sorted(pages, key=lambda page: page["url"])


def _same(site: dict[str, bytes], local: dict[str, bytes]) -> None:
    """Every file byte for byte, but the search index's hashed chunks, which Pagefind writes
    in an order of its own (its filter values come out of a hash map), compared by what they
    hold: the same pages with the same text, metadata and filters."""
    plain = sorted(n for n in site if not n.startswith(_INDEX))
    assert plain == sorted(n for n in local if not n.startswith(_INDEX))
    assert [name for name in plain if site[name] != local[name]] == []
    assert _records(site) == _records(local) and len(_records(site)) > 5
    assert any(name.startswith("pagefind/") for name in site) and len(site) > 40


def test_site_built_on_the_cluster_equals_the_local_build(tmp_path: Path, cluster: LocalCluster,
                                                          local_site: dict[str, bytes]) -> None:
    marker = tmp_path / "marker"
    marker.write_text("already tripped\n", encoding="utf-8")      # no worker dies in this build
    before = _batches(cluster)
    site = _build(_project(tmp_path, f"      executor: dask\n      dask_scheduler: {cluster.scheduler_address}\n",
                           marker))
    assert _batches(cluster) - before == len(ARTICLES)     # one batch per article at this size
    _same(site, local_site)


def test_a_worker_killed_mid_build_loses_no_article(tmp_path: Path, cluster: LocalCluster,
                                                    local_site: dict[str, bytes],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "marker"
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)   # instead of dask_scheduler
    site = _build(_project(tmp_path, "      executor: dask\n", marker))
    assert marker.read_text(encoding="utf-8") == "killed\n"      # a worker did die on that article
    _same(site, local_site)
    # The cache holds every article, whole: a second build reuses them all and changes nothing.
    _same(_build(tmp_path), site)


def test_workers_that_keep_dying_stop_the_build_with_the_scheduler_named(
        tmp_path: Path, cluster: LocalCluster, caplog: pytest.LogCaptureFixture) -> None:
    root = _project(tmp_path, f"      executor: dask\n      dask_scheduler: {cluster.scheduler_address}\n",
                    tmp_path / "marker", mode="always")
    message = _error(root, caplog)
    assert message.startswith(f"digest: Dask workers of {cluster.scheduler_address} died running one batch")
    assert "no result of that batch was stored" in message and "Fix: check the workers' logs" in message
    assert "Traceback" not in message
    cluster.wait_for_workers(2, timeout=60)      # the nannies restart them


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(daskexecutor, "CONNECT_TIMEOUT", 1)
    root = _project(tmp_path, "      executor: dask\n      dask_scheduler: tcp://127.0.0.1:9\n", tmp_path / "m")
    assert re.fullmatch(r"digest: cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9 \(.+\)\. Fix: start the "
                        r"scheduler and its workers, or correct dask_scheduler \(or DASK_SCHEDULER_ADDRESS\), "
                        r"or use executor: local\.", _error(root, caplog), re.DOTALL)
    assert not (root / "site" / "index.html").exists()


def test_executor_option_is_checked(tmp_path: Path) -> None:
    root = _project(tmp_path, "      executor: spark\n", tmp_path / "m")
    with pytest.raises(Abort):
        load_config(str(root / "mkdocs.yml"))


def _slow_square(x: int) -> int:
    """Later items finish first, so results arrive out of order."""
    import time

    time.sleep(0.002 * (20 - x % 20))
    return x * x


def test_results_come_in_input_order_with_few_batches_in_flight(cluster: LocalCluster) -> None:
    dask = daskexecutor.DaskExecutor(cluster.scheduler_address, batch=3, in_flight=2)
    submit, submitted, taken, most = dask._client.submit, [0], [0], [0]

    def counting_submit(*args: object, **kwargs: object):
        submitted[0] += 1
        most[0] = max(most[0], submitted[0] - taken[0])
        return submit(*args, **kwargs)

    result = dask._result

    def counting_result(future: object) -> list[object]:
        taken[0] += 1
        return result(future)

    dask._client.submit, dask._result = counting_submit, counting_result  # type: ignore[method-assign]
    try:
        assert dask.workers == 2
        assert list(dask.map(_slow_square, list(range(40)))) == [x * x for x in range(40)]
    finally:
        dask.close()
    assert submitted[0] == 14 and most[0] == 2      # 40 items in batches of 3, two at a time


def test_without_distributed_the_option_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from digest.analysis.executor import ExecutorError, choose_executor

    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "digest.analysis.daskexecutor")
    with pytest.raises(ExecutorError, match=r"^digest: executor: dask needs the distributed package \(.*\)\. "
                                            r"Fix: pip install newsdigest\[dask\], or use executor: local\.$"):
        choose_executor(100, kind="dask")
    assert choose_executor(0, kind="dask").__class__.__name__ == "SerialExecutor"   # nothing to do
    monkeypatch.setattr(executor, "MIN_PARALLEL_ITEMS", 64)
    assert choose_executor(63, kind="dask").__class__.__name__ == "SerialExecutor"  # an edit under serve
