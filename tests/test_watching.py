"""mkdocs serve hears saves through the OS's file events (digest/adapter/watching.py)."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer

from digest.adapter import watching
from digest.adapter.watching import EventWatcher, watch_events


def _server(tmp_path: Path) -> LiveReloadServer:
    return LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))


def _wanted(server: LiveReloadServer, within: float = 3.0) -> bool:
    """Whether the server was asked to rebuild within `within` seconds (then the flag is reset)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        with server._rebuild_cond:
            if server._want_rebuild:
                server._want_rebuild = False
                return True
        time.sleep(0.01)
    return False


@pytest.fixture
def no_backstop(monkeypatch: pytest.MonkeyPatch) -> None:
    """A backstop too slow to be what noticed a change within a test's wait."""
    monkeypatch.setattr(watching, "BACKSTOP_SECONDS", 600.0)


def test_saves_are_heard_through_file_events_and_reads_are_not(tmp_path: Path, no_backstop: None) -> None:
    docs, config = tmp_path / "docs", tmp_path / "mkdocs.yml"
    docs.mkdir()
    (docs / "a.md").write_text("one", encoding="utf-8")
    config.write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text("not watched", encoding="utf-8")
    server = _server(tmp_path)
    server.watch(str(docs))
    server.watch(str(config))
    assert watch_events(server) and isinstance(server.observer, EventWatcher)
    assert set(server._watched_paths) == {str(docs), str(config)}
    (tmp_path / "later").mkdir()
    server.watch(str(tmp_path / "later"))          # watched after the swap: on the new observer too
    server.observer.start()
    try:
        (docs / "a.md").write_text("two", encoding="utf-8")
        assert _wanted(server)
        _wanted(server, 0.3)                        # the rest of that save's events
        assert (docs / "a.md").read_text(encoding="utf-8") == "two"
        assert not _wanted(server, 0.5)             # a rebuild reads files: no event for that
        (tmp_path / "other.txt").write_text("changed", encoding="utf-8")
        assert not _wanted(server, 0.5)             # a file beside mkdocs.yml is not mkdocs.yml
        replacement = tmp_path / "mkdocs.yml.tmp"
        replacement.write_text("site_name: y\n", encoding="utf-8")
        os.replace(replacement, config)             # an editor saving by replacing the file
        assert _wanted(server)
        _wanted(server, 0.3)
        config.write_text("site_name: z\n", encoding="utf-8")   # and heard again after that
        assert _wanted(server)
        server.unwatch(str(docs))
        _wanted(server, 0.3)
        (docs / "b.md").write_text("new", encoding="utf-8")
        assert not _wanted(server, 0.5)
        (tmp_path / "later" / "c.md").write_text("new", encoding="utf-8")
        assert _wanted(server)
    finally:
        server.observer.stop()
        server.observer.join()


def test_the_backstop_does_not_rebuild_again_what_the_events_reported(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """One save, one rebuild: the backstop's poll sees the same change later and drops it; a
    change the native observer missed (here: it was stopped) is the backstop's to report."""
    monkeypatch.setattr(watching, "BACKSTOP_SECONDS", 0.3)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("one", encoding="utf-8")
    server = _server(tmp_path)
    server.watch(str(docs))
    assert watch_events(server) and isinstance(server.observer, EventWatcher)
    server.observer.start()
    try:
        time.sleep(0.5)                             # the backstop has taken its first snapshot
        (docs / "a.md").write_text("two", encoding="utf-8")
        assert _wanted(server)
        _wanted(server, 0.2)                        # the rest of that save's native events
        assert not _wanted(server, 1.5)             # several polls later: no second rebuild
        native = server.observer.native
        assert native is not None
        native.stop()
        native.join()
        (docs / "a.md").write_text("three, unheard", encoding="utf-8")
        assert _wanted(server, 3.0)                 # the backstop reports what the events missed
    finally:
        server.observer.stop()
        server.observer.join()


def test_polling_is_the_backstop_and_takes_over_when_events_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    watcher = EventWatcher()
    assert watcher.polling.timeout == watching.BACKSTOP_SECONDS and watcher.native is not None

    def refuse() -> None:
        raise OSError(28, "inotify watch limit reached")

    server = _server(tmp_path)
    server.watch(str(docs))
    assert watch_events(server)
    assert isinstance(server.observer, EventWatcher) and server.observer.native is not None
    monkeypatch.setattr(server.observer.native, "start", refuse)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.digest"):
        server.observer.start()
    try:
        assert server.observer.native is None and server.observer.polling.timeout == watching.MKDOCS_POLLING
        assert "inotify watch limit reached" in caplog.text and "fs.inotify.max_user_watches" in caplog.text
        (docs / "a.md").write_text("one", encoding="utf-8")
        assert _wanted(server)
    finally:
        server.observer.stop()
        server.observer.join()


def test_a_server_it_does_not_know_is_left_alone(tmp_path: Path) -> None:
    server = _server(tmp_path)
    server.watch(str(tmp_path))
    del server._watch_refs
    observer = server.observer
    assert not watch_events(server) and server.observer is observer and server.build_delay == 0.1


@pytest.mark.parametrize("events", [True, False])
def test_the_plugin_option_chooses_the_observer(tmp_path: Path, events: bool) -> None:
    from watchdog.observers.polling import PollingObserver

    from digest.adapter.plugin import DigestPlugin

    plugin = DigestPlugin()
    errors, warnings = plugin.load_config({"file_events": events})
    assert not errors and not warnings
    server = _server(tmp_path)
    server.watch(str(tmp_path))
    served = plugin.on_serve(server, config=None, builder=lambda: None)  # type: ignore[arg-type]
    assert served is server
    assert isinstance(server.observer, EventWatcher if events else PollingObserver)
    assert str(tmp_path) in server._watched_paths and len(server._watched_paths) == 3   # + our templates
    # Native events come at once: the wait for a burst to end is shortened; polling keeps MkDocs' own.
    assert server.build_delay == (0.04 if events else 0.1)


def test_the_backstop_drops_only_the_very_change_the_events_reported(tmp_path: Path) -> None:
    """A change the native observer missed counts however soon it follows one it reported."""
    from watchdog.events import FileDeletedEvent, FileModifiedEvent
    page = tmp_path / "a.md"
    page.write_text("one", encoding="utf-8")
    heard = watching._Heard()
    heard.note(FileModifiedEvent(str(page)))
    assert not heard.news(FileModifiedEvent(str(page)))         # the same change, seen by the poll
    heard.note(FileModifiedEvent(str(page)))
    page.write_text("two, unheard", encoding="utf-8")
    assert heard.news(FileModifiedEvent(str(page)))             # at once after: still news
    assert heard.news(FileModifiedEvent(str(tmp_path / "b.md")))  # never reported: news
    page.unlink()
    heard.note(FileDeletedEvent(str(page)))
    assert not heard.news(FileDeletedEvent(str(page)))
