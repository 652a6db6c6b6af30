"""Where the analysis stage runs: one interface, a serial and a process-pool implementation.

The pipeline only calls `Executor.map(fn, items)`, which returns the results in input
order, so a cluster executor (Dask, Ray, a batch queue) can take the pool's place by
implementing that one method: `DaskExecutor` (daskexecutor.py, imported only when chosen,
so `distributed` stays optional) does. `fn` and the items must be picklable for any executor
that leaves the process: module-level functions and frozen dataclasses are.
"""

from __future__ import annotations

import multiprocessing
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from threadpoolctl import threadpool_limits

from ..errors import DigestError

__all__ = ["Executor", "ExecutorError", "PoolExecutor", "SerialExecutor", "choose_executor", "cpu_count"]

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items a pool's (or a cluster's) start-up costs more than it saves.
MIN_PARALLEL_ITEMS = 64


#: The environment variable naming a Dask scheduler when `dask_scheduler` is not set.
SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"


class ExecutorError(DigestError):
    """The executor could not run the jobs (cluster unreachable, workers lost); the message
    names the cluster and the fix."""


class Executor(ABC):
    """Maps a function over items, yielding results in input order."""

    workers: int = 1

    @abstractmethod
    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """`fn(item)` for every item, in order, evaluated lazily as results arrive."""

    def close(self) -> None:
        """Release workers; the executor is not used afterwards."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialExecutor(Executor):
    """Everything in the calling process: no start-up cost, no pickling. BLAS is held to one
    thread while the jobs run, as in a pool's worker: its idle threads otherwise spin on the
    other cores (a 2,000-article build in this process spent 35.6 s of CPU for 23.2 s of wall
    time, 23.8 s of CPU with one BLAS thread, at the same speed)."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        with threadpool_limits(limits=1):
            yield from map(fn, items)


def _one_native_thread() -> None:
    """A pool worker's start: numpy's BLAS (OpenBLAS) on one thread. By default each worker's
    BLAS starts a thread per core for the summariser's small matrix products, and on 2 cores the
    two workers' 4 threads contend so that each article took twice as long (5.2 ms alone, 10.2 to
    10.8 ms with two workers at once): the pool analysed no faster than one process."""
    threadpool_limits(limits=1)


def _start_method() -> multiprocessing.context.BaseContext | None:
    """Where the pool's workers come from: a fork server (where there is one) that has imported
    the analysis and nothing else. Forked from the build process itself, each worker counted all
    of it as its own resident memory, every article loaded included (800 MB a worker at 100,000
    articles, 1.6 GB of the process tree's peak); forked from the server, a worker holds its
    imports and its jobs. The server starts once per process (about a second) and serves every
    later pool."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None     # Windows: spawn, the default
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["digest.analysis.pipeline"])
    return context


class PoolExecutor(Executor):
    """A `concurrent.futures.ProcessPoolExecutor`, fed in chunks to amortise pickling; each
    worker's native thread pools (BLAS) limited to one thread, as there is a worker per core.
    Its workers come from a fork server (see _start_method)."""

    def __init__(self, workers: int | None = None, chunksize: int | None = None) -> None:
        self.workers = max(1, workers or cpu_count())
        self.chunksize = chunksize
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_one_native_thread,
                                             mp_context=_start_method())
        # ~8 chunks per worker: few enough to amortise overhead, enough to balance load.
        chunk = self.chunksize or max(1, min(256, len(items) // (self.workers * 8) or 1))
        return self._pool.map(fn, items, chunksize=chunk)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            _stop_fork_server()


def _stop_fork_server() -> None:
    """Stop the fork server once its pool is done: it holds the analysis' imports (100 MB) for
    as long as it lives, and the next pool starts one again. multiprocessing has no public
    call for this; without its private one the server stays, which costs only that memory."""
    try:
        from multiprocessing import forkserver
    except ImportError:     # pragma: no cover - no fork server here (Windows)
        return
    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if callable(stop):
        stop()


def cpu_count() -> int:
    """The cores this process may use (respects CPU affinity and container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def choose_executor(items: Iterable[object] | int, workers: int = 0, kind: str = "local",
                    scheduler: str | None = None) -> Executor:
    """`kind` "local": serial for small inputs or `workers == 1`, otherwise a pool of
    `workers` (0: all cores). "dask": a DaskExecutor on `scheduler` (or $DASK_SCHEDULER_ADDRESS;
    neither: a LocalCluster of `workers` processes). Either way fewer than
    MIN_PARALLEL_ITEMS run serially: an edit under `mkdocs serve` starts no cluster."""
    count = items if isinstance(items, int) else len(list(items))
    if kind == "dask" and count >= MIN_PARALLEL_ITEMS:
        try:
            from .daskexecutor import DaskExecutor
        except ImportError as exc:
            raise ExecutorError(f"digest: executor: dask needs the distributed package ({exc}). "
                                "Fix: pip install newsdigest[dask], or use executor: local.") from None
        return DaskExecutor(scheduler or os.environ.get(SCHEDULER_VARIABLE) or None, workers)
    wanted = workers or cpu_count()
    if wanted <= 1 or count < MIN_PARALLEL_ITEMS:
        return SerialExecutor()
    return PoolExecutor(min(wanted, count))
