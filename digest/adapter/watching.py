"""`mkdocs serve` notices a saved file through the operating system's file events.

MkDocs watches the docs folder by polling: every 0.5 s it lists and stats every file (about
70 ms at 10,000 articles, in the server's interpreter, while a rebuild runs beside it), so a
save is seen 0.25 s later on average. `EventWatcher` takes the place of the server's observer
(`LiveReloadServer.observer`, which MkDocs' `watch` schedules its handlers on): each handler gets
the operating system's change events (watchdog's native observer: inotify on Linux, FSEvents on
macOS, ReadDirectoryChangesW on Windows) at once, and MkDocs' polling keeps running as a backstop,
every `BACKSTOP_SECONDS`, for file systems that send no events (network shares, some container
mounts); a change it sees that the native observer reported already is dropped, so one save
rebuilds (and reloads the browser) once. The server's wait for a burst of changes to end is
shortened to `SETTLE_SECONDS`: native events come at once, where polling saw them late. A
native observer that cannot start (no inotify watches left, say) gives way to MkDocs' own
polling, with a warning. Option `file_events: false` leaves MkDocs' observer alone.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

__all__ = ["BACKSTOP_SECONDS", "SETTLE_SECONDS", "EventWatcher", "watch_events"]

log = logging.getLogger("mkdocs.plugins.digest")

#: How long the server waits for a burst of changes to end before it rebuilds (MkDocs: 0.1 s).
SETTLE_SECONDS = 0.04
#: How often the backstop polls (MkDocs polls every 0.5 s).
BACKSTOP_SECONDS = 5.0
#: MkDocs' own polling interval, used when the native observer cannot start.
MKDOCS_POLLING = 0.5
#: The events that are changes: a rebuild reads files, and their "opened" events must not start another.
CHANGES: list[type[FileSystemEvent]] = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                                        FileClosedEvent]


def _paths(event: FileSystemEvent) -> tuple[str, ...]:
    """The paths an event names (a move names two)."""
    dest = os.fsdecode(getattr(event, "dest_path", b"") or "")
    return (os.fsdecode(event.src_path), dest) if dest else (os.fsdecode(event.src_path),)


def _state(path: str) -> tuple[int, int, int] | None:
    """What a poll compares of a file (inode, size, modification time); None when it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class _Heard:
    """What each file was when the native observer last reported it, so that the backstop's
    poll, which sees the same change up to its interval later, does not rebuild (and reload the
    browser) a second time, while a later change the native observer missed still counts."""

    def __init__(self) -> None:
        self._state: dict[str, tuple[int, int, int] | None] = {}
        self._lock = threading.Lock()

    def note(self, event: FileSystemEvent) -> None:
        with self._lock:
            for path in _paths(event):
                self._state[path] = _state(path)

    def news(self, event: FileSystemEvent) -> bool:
        """Whether the backstop's `event` is about a change the native observer did not report:
        a file it never reported, or one that is not as it was when last reported."""
        with self._lock:
            fresh = False
            for path in _paths(event):
                if path not in self._state or self._state.pop(path) != _state(path):
                    fresh = True
            return fresh


class _Native(FileSystemEventHandler):
    """The native observer's events: noted as heard, then passed on."""

    def __init__(self, handler: FileSystemEventHandler, heard: _Heard) -> None:
        self.handler, self.heard = handler, heard

    def dispatch(self, event: FileSystemEvent) -> None:
        self.heard.note(event)
        self.handler.dispatch(event)


class _Backstop(FileSystemEventHandler):
    """The backstop poll's events: passed on only if the native observer missed them."""

    def __init__(self, handler: FileSystemEventHandler, heard: _Heard) -> None:
        self.handler, self.heard = handler, heard

    def dispatch(self, event: FileSystemEvent) -> None:
        if not event.is_directory and self.heard.news(event):
            self.handler.dispatch(event)


class _OneFile(FileSystemEventHandler):
    """Passes on the events of one file of a watched folder: a file is watched through its
    folder, so that an editor that saves by replacing the file keeps being heard."""

    def __init__(self, handler: FileSystemEventHandler, path: str) -> None:
        self.handler, self.path = handler, path

    def dispatch(self, event: FileSystemEvent) -> None:
        if self.path in _paths(event):
            self.handler.dispatch(event)


class EventWatcher:
    """The server's observer: watchdog's native one for speed, polling as the backstop. It
    keeps what was scheduled, so that a native observer that fails to start can be replaced."""

    def __init__(self, backstop: float | None = None) -> None:
        interval = BACKSTOP_SECONDS if backstop is None else backstop
        self.native: BaseObserver | None = Observer()
        self.polling: BaseObserver = PollingObserver(timeout=interval)
        self._heard = _Heard()
        self._scheduled: dict[int, tuple[FileSystemEventHandler, str, bool]] = {}
        self._watches: dict[int, list[tuple[BaseObserver, Any]]] = {}
        self._next = 0

    def schedule(self, handler: FileSystemEventHandler, path: str, recursive: bool = False) -> int:
        """Watch `path` for `handler` (watchdog's `schedule`); the key `unschedule` takes."""
        key, self._next = self._next, self._next + 1
        self._scheduled[key] = (handler, path, recursive)
        self._watches[key] = self._place(handler, path, recursive)
        return key

    def _place(self, handler: FileSystemEventHandler, path: str, recursive: bool) -> list[tuple[BaseObserver, Any]]:
        if self.native is None:         # MkDocs' own polling: every event counts
            return [(self.polling, self.polling.schedule(handler, path, recursive=recursive))]
        placed = [(self.polling, self.polling.schedule(_Backstop(handler, self._heard), path, recursive=recursive))]
        handler = _Native(handler, self._heard)
        if os.path.isfile(path):
            handler, path, recursive = _OneFile(handler, os.path.abspath(path)), os.path.dirname(path), False
        placed.append((self.native, self.native.schedule(handler, path, recursive=recursive, event_filter=CHANGES)))
        return placed

    def unschedule(self, key: int) -> None:
        self._scheduled.pop(key, None)
        for observer, watch in self._watches.pop(key, []):
            observer.unschedule(watch)

    def start(self) -> None:
        if self.native is not None:
            try:
                self.native.start()
            except OSError as exc:
                log.warning("digest: the file system's change events are not available (%s), so mkdocs serve "
                            "polls for changes every %.1f s as MkDocs does. Fix: raise the system's limit "
                            "(on Linux, fs.inotify.max_user_watches), or set file_events: false to silence this.",
                            exc, MKDOCS_POLLING)
                self.native.unschedule_all()     # stops the watches that did start
                self._fall_back()
        self.polling.start()

    def _fall_back(self) -> None:
        """MkDocs' own polling instead of the native observer and the slow backstop."""
        self.native, self.polling = None, PollingObserver(timeout=MKDOCS_POLLING)
        self._watches = {key: self._place(*what) for key, what in self._scheduled.items()}

    def stop(self) -> None:
        for observer in self._observers():
            observer.stop()

    def join(self, timeout: float | None = None) -> None:
        for observer in self._observers():
            if observer.is_alive():
                observer.join(timeout)

    def _observers(self) -> list[BaseObserver]:
        return [o for o in (self.native, self.polling) if o is not None]


def watch_events(server: Any) -> bool:
    """Give `server` (MkDocs' LiveReloadServer, before it serves) an EventWatcher, moving the
    paths it already watches onto it; False, leaving the server as it is, if the server does not
    look as this was written for (MkDocs' `observer`, `watch` and its record of watched paths)."""
    watched = getattr(server, "_watched_paths", None)
    refs = getattr(server, "_watch_refs", None)
    old = getattr(server, "observer", None)
    if not isinstance(watched, dict) or not isinstance(refs, dict) or not isinstance(old, BaseObserver) \
            or old.is_alive() or not callable(getattr(server, "watch", None)):
        log.info("digest: this MkDocs' server is not the one file_events knows; it polls as usual.")
        return False
    counts = dict(watched)
    old.unschedule_all()
    watched.clear()
    refs.clear()
    server.observer = EventWatcher()
    for path, count in counts.items():
        server.watch(path)
        watched[path] = count
    # MkDocs waits until no change came for `build_delay` (0.1 s) before it rebuilds, so that a
    # burst of saves rebuilds once. The native events of a burst come within milliseconds of
    # each other (MkDocs' wait was made for its polling), so a shorter wait coalesces them too.
    if isinstance(getattr(server, "build_delay", None), (int, float)):
        server.build_delay = min(server.build_delay, SETTLE_SECONDS)
    return True
