"""The analysis on a Dask cluster: `Executor.map` on a `distributed.Client`.

Imported only when `executor: dask` is chosen, so `distributed` stays an optional
dependency (`pip install newsdigest[dask]`). Items go to the workers in batches (one task
per batch keeps the scheduler's per-task cost small) with a bounded number of batches in
flight, and come back in input order. Only the jobs leave the build: the caches stay in
the build process, which looks entries up before and stores results after.

A worker that dies mid-task is replaced and its batch rerun on another worker by the
scheduler (up to its `distributed.scheduler.allowed-failures`); a batch that raises is
retried `retries` times. When the scheduler gives up, or cannot be reached, the build
stops with an ExecutorError naming the scheduler: no article is half-stored, because
results are stored only after they arrive whole.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from typing import Any, TypeVar

import distributed
from distributed.comm.core import CommClosedError

from .cache import code_version
from .executor import Executor, ExecutorError, cpu_count

__all__ = ["DaskExecutor"]

log = logging.getLogger("mkdocs.plugins.digest")

T = TypeVar("T")
R = TypeVar("R")

#: Seconds to wait for the scheduler to answer before giving up.
CONNECT_TIMEOUT = 10

_FIX_WORKERS = ("Fix: install the same version of newsdigest, its dependencies and the site's Markdown "
                "extensions on every worker (`pip install newsdigest[dask]`), then build again.")


def _run_batch(fn: Callable[[T], R], batch: list[T]) -> list[R]:
    """One task: `fn` over a batch of items (module-level so it pickles by reference)."""
    return [fn(item) for item in batch]


class DaskExecutor(Executor):
    """Runs the map on the Dask cluster at `address`, or on a LocalCluster it starts on
    127.0.0.1 (`workers` processes, 0: every core) when no address is given."""

    def __init__(self, address: str | None = None, workers: int = 0, retries: int = 2,
                 batch: int | None = None, in_flight: int | None = None) -> None:
        self.retries, self.batch, self.in_flight = retries, batch, in_flight
        self._cluster: Any = None
        if address:
            self.address = address
            try:
                self._client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(
                    f"digest: cannot reach the Dask scheduler at {address} ({exc}). Fix: start the "
                    "scheduler and its workers, or correct dask_scheduler (or DASK_SCHEDULER_ADDRESS), "
                    "or use executor: local.") from None
        else:
            self._cluster = distributed.LocalCluster(
                n_workers=max(1, workers or cpu_count()), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None, silence_logs=logging.WARNING)
            self.address = self._cluster.scheduler_address
            self._client = distributed.Client(self._cluster, set_as_default=False)
        try:
            self._check_workers(address is not None)
        except BaseException:
            self.close()
            raise

    def _check_workers(self, remote: bool) -> None:
        """Every worker of a cluster we did not start must run this very analysis code: a
        worker with other code would store its results under this build's cache keys."""
        try:
            self._client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            found = self._client.run(code_version) if remote else {}
        except (OSError, TimeoutError) as exc:
            raise ExecutorError(f"digest: the Dask scheduler at {self.address} has no worker that answers "
                                f"({exc}). Fix: start workers (`dask worker {self.address}`).") from None
        except ImportError as exc:
            raise ExecutorError(f"digest: the Dask workers of {self.address} cannot import newsdigest "
                                f"({exc}). {_FIX_WORKERS}") from None
        mine = code_version()
        other = sorted(name for name, version in found.items() if version != mine)
        if other:
            raise ExecutorError(f"digest: the Dask worker(s) {', '.join(other)} of {self.address} run other "
                                f"newsdigest code or library versions than this build. {_FIX_WORKERS}")
        info = self._client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        log.info("digest: the analysis runs on the Dask cluster at %s (%s, %d worker thread(s))", self.address,
                 "existing" if remote else "a LocalCluster started for this build", self.workers)

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        # ~8 batches per worker thread, at most 64 items each: amortises the per-task cost.
        size = self.batch or max(1, min(64, len(items) // (self.workers * 8) or 1))
        batches = [list(items[i:i + size]) for i in range(0, len(items), size)]
        return self._ordered(fn, batches)

    def _ordered(self, fn: Callable[[T], R], batches: list[list[T]]) -> Iterator[R]:
        """Results batch by batch in order, with at most `in_flight` batches submitted."""
        limit = self.in_flight or self.workers * 4
        pending: deque[distributed.Future] = deque()
        try:
            for batch in batches:
                pending.append(self._client.submit(_run_batch, fn, batch, retries=self.retries, pure=False))
                if len(pending) >= limit:
                    yield from self._result(pending.popleft())
            while pending:
                yield from self._result(pending.popleft())
        finally:
            for future in pending:
                future.cancel()

    def _result(self, future: distributed.Future) -> list[Any]:
        try:
            return future.result()
        except distributed.KilledWorker as exc:
            raise ExecutorError(
                f"digest: Dask workers of {self.address} died running one batch of articles, too often for "
                f"the scheduler to try again ({exc}); no result of that batch was stored. Fix: check the "
                "workers' logs (a worker killed for memory needs more, or fewer workers per machine), "
                "then build again.") from None
        except ImportError as exc:
            raise ExecutorError(f"digest: the Dask workers of {self.address} cannot import what the analysis "
                                f"needs ({exc}). {_FIX_WORKERS}") from None
        except (CancelledError, CommClosedError) as exc:
            raise ExecutorError(
                f"digest: lost the Dask scheduler at {self.address} during the analysis ({type(exc).__name__}: "
                f"{exc}); the results that arrived are cached. Fix: restart the scheduler or use "
                "executor: local, then build again.") from None

    def close(self) -> None:
        client, cluster, self._cluster = self._client, self._cluster, None
        client.close()
        if cluster is not None:
            cluster.close()
