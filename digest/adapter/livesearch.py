"""The live preview's search index, written by a forked child process.

After a fast rebuild the search index is rewritten in the background (Pagefind has no
incremental mode). In a thread of the server that work (making 10,000 search records, encoding
them for the binary) holds the interpreter: the next rebuild, which waits for the thread to
stop, ran about twice as slow at 10,000 articles. A forked child has its own interpreter and a
copy of the digest for free (copy on write); stopping it is a kill, at once. Where `os.fork`
does not exist, the plugin's thread is used as before.

The fork itself copies the server's page tables (about 30 ms at 10,000 articles, holding the
interpreter), and the server answers no request for a page until its builder has returned. So
the fork is made `FORK_DELAY` seconds after the rebuild, by a timer, when the browser has its
pages; a change before then cancels it.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig

from ..pages.searchshards import ShardCache, write_shards
from .generate import Generated, language
from .pipelines import cache_dir

if TYPE_CHECKING:
    from .plugin import DigestPlugin

__all__ = ["LiveSearch"]

log = logging.getLogger("mkdocs.plugins.digest")

#: Seconds after a rebuild at which its search job is forked (see the module doc).
FORK_DELAY = 0.3


class LiveSearch:
    """At most one search job of the live preview at a time: started, or stopped."""

    def __init__(self, plugin: DigestPlugin, delay: float = FORK_DELAY) -> None:
        self.plugin = plugin
        self.delay = delay
        self._child: int | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()      # the timer's fork and a stop never cross
        atexit.register(self._end)     # the server stops: so does its job

    def _end(self) -> None:
        if self._child is not None or self._timer is not None:
            self.stop()

    def start(self, config: MkDocsConfig, made: Generated) -> None:
        """Rewrite the search index of `made` in the background, stopping the last job first."""
        self.stop()
        if not hasattr(os, "fork"):
            self.plugin.start_search(config, made, later=True)
            return
        if self.delay <= 0:
            self._fork(config, made)
            return
        timer = threading.Timer(self.delay, self._fork, args=(config, made, True))
        timer.daemon = True
        with self._lock:
            self._timer = timer
        timer.start()

    def _fork(self, config: MkDocsConfig, made: Generated, timed: bool = False) -> None:
        with self._lock:
            if timed and self._timer is not threading.current_thread():
                return                  # stopped (or started again) since
            self._timer = None
            self._spawn(config, made)

    def _spawn(self, config: MkDocsConfig, made: Generated) -> None:
        out = Path(config.site_dir) / "pagefind"
        lang = language(config)
        options = self.plugin.config
        size = options.search_shard_size
        cache = (ShardCache(cache_dir(config, options) / "search") if options.cache and size != 0 else None)
        pid = os.fork()
        if pid == 0:                    # the child: index, then leave without the parent's exit steps
            code = 1
            try:
                os.setpgid(0, 0)        # its own group: a stop also ends the pagefind binary it starts
                write_shards(out, made.records(), size, lang, cache)     # as the full build does
                code = 0
            except BaseException as exc:  # noqa: BLE001 - reported here, the parent does not wait
                log.warning("digest: the live preview's search index was not written (%s: %s)",
                            type(exc).__name__, exc)
            finally:
                os._exit(code)
        try:
            os.setpgid(pid, pid)        # here too, so that a stop right away finds the group
        except OSError:
            pass                        # the child did it already (or is gone)
        self._child = pid

    def stop(self, wait: bool = True) -> None:
        """End the running job (its binary too) and reap it (`wait`: before returning, else
        beside what comes next); the plugin's own job as well."""
        self.plugin.cancel_search()
        with self._lock:
            timer, self._timer = self._timer, None
            pid, self._child = self._child, None
        if timer is not None:
            timer.cancel()
        if pid is None:
            return
        for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                target()
            except (ProcessLookupError, PermissionError):
                continue
        if wait:
            _reap(pid)
            return
        # A rebuild needs it killed, not gone: a child of a 10,000-article heap takes some 30 ms
        # to tear down, so it is reaped beside the rebuild.
        threading.Thread(target=_reap, args=(pid,), name="digest-search-reaper", daemon=True).start()


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
