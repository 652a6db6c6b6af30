"""One build at a time per site: an advisory lock held from on_config to the build's end.

Two builds of one folder at once (a cron job and an editor, two CI steps) race in MkDocs'
cleaning of the site folder and in the caches; one of them crashed with FileNotFoundError.
The plugin takes an exclusive `fcntl.flock` on `build.lock` in the cache folder (never in
the content folder, and not in the site folder, which MkDocs empties); with `cache: false`
the lock file is in the temporary folder, named after the site folder. A second build logs
that it waits, then goes on when the first ends; after NEWSDIGEST_LOCK_WAIT seconds (600
by default) it stops with a clear message. The kernel drops the lock when a process dies,
so a killed build never leaves a stale one. Where flock does not exist (Windows) or no lock
file can be made, builds are not serialised and a debug line says so.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import IO

from mkdocs.exceptions import PluginError

try:
    import fcntl
except ImportError:                                  # Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK_WAIT_ENV", "BuildLock", "LockTimeout", "SiteLock"]

log = logging.getLogger("mkdocs.plugins.digest")
LOCK_WAIT_ENV = "NEWSDIGEST_LOCK_WAIT"
_POLL = 0.2


class LockTimeout(Exception):
    """Another build held the lock for longer than we wait."""


class BuildLock:
    """The lock of one site: `acquire()` waits for it, `release()` lets the next build in."""

    def __init__(self, cache_dir: Path | None, site_dir: Path) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.site_dir = Path(site_dir)
        self.path: Path | None = None
        self._handle: IO[bytes] | None = None

    def _open(self) -> IO[bytes] | None:
        """The lock file: in the cache folder, or (with no cache, or if that cannot be made)
        in the temporary folder under a name derived from the site folder."""
        key = hashlib.sha256(os.path.realpath(self.site_dir).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        spare = Path(tempfile.gettempdir()) / f"newsdigest-{key}.lock"
        for path in ([self.cache_dir / "build.lock"] if self.cache_dir is not None else []) + [spare]:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                handle = open(path, "ab")  # noqa: SIM115 - held until release()
            except OSError:
                continue
            self.path = path
            return handle
        return None

    def acquire(self, wait: float | None = None) -> None:
        """Take the lock, waiting at most `wait` seconds (default: NEWSDIGEST_LOCK_WAIT or 600)."""
        if fcntl is None or self._handle is not None:
            return
        handle = self._open()
        if handle is None:
            log.debug("digest: no lock file could be made; builds of this site are not serialised")
            return
        limit = _wait_limit() if wait is None else wait
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pass
            except OSError as exc:                    # a file system without locks
                log.debug("digest: the build lock %s cannot be taken (%s)", self.path, exc)
                handle.close()
                return
            if not told:
                log.info("digest: another build of this site is running (lock %s); waiting for it "
                         "to finish", self.path)
                told = True
            if time.monotonic() - start >= limit:
                handle.close()
                raise LockTimeout(f"digest: another build of this site has held {self.path} for over "
                                  f"{limit:g} s, so this build stopped before touching the site. Fix: let "
                                  f"the other build finish (or stop it), then build again; {LOCK_WAIT_ENV} "
                                  "sets how long to wait.")
            time.sleep(_POLL)
        if told:
            log.info("digest: the other build finished after %.1f s; this one goes on", time.monotonic() - start)
        self._handle = handle
        _HELD.add(handle)

    def release(self) -> None:
        """Let the next build in (closing the file drops the lock)."""
        handle, self._handle = self._handle, None
        if handle is not None:
            _HELD.discard(handle)
            handle.close()


#: Lock files held by this process. A forked worker (the analysis pool) closes its copies,
#: or a worker left behind by a killed build would keep the lock.
_HELD: set[IO[bytes]] = set()


class SiteLock:
    """A plugin's hold on its site's BuildLock: taken in on_config (and by a live rebuild),
    let go when the build ends or fails; taking it again first lets the last one go."""

    def __init__(self) -> None:
        self._lock: BuildLock | None = None

    def take(self, cache_dir: Path | None, site_dir: Path) -> None:
        """Wait for any other build of the site to end; a PluginError if it does not in time."""
        self.release()
        self._lock = BuildLock(cache_dir, site_dir)
        try:
            self._lock.acquire()
        except LockTimeout as exc:
            raise PluginError(str(exc)) from None

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _close_in_child() -> None:
    for handle in list(_HELD):
        try:
            handle.close()
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def _wait_limit() -> float:
    value = os.environ.get(LOCK_WAIT_ENV, "").strip()
    try:
        return max(0.0, float(value)) if value else 600.0
    except ValueError:
        return 600.0
