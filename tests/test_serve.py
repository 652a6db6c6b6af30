"""`mkdocs serve` rebuilds when an article is added, edited or deleted and when topics.yml changes,
search index included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from conftest import TOPICS, Project, article

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from serve_speed import fetch, free_port  # noqa: E402


# The same HTTP helpers as the serve benchmark's (a test waits at most 5 s for one answer).
_free_port = free_port
_get = partial(fetch, timeout=5)


def _indexed(base: str) -> int:
    """Pages in the served search index (0 while it cannot be read)."""
    status, text = _get(base + "pagefind/pagefind-entry.json")
    return int(json.loads(text)["languages"]["en"]["page_count"]) if status == 200 else 0


def _until(check: Callable[[], bool], timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def served(project: Project) -> Iterator[tuple[Project, str]]:
    project.add("first.md", article(title="First story"))
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _until(lambda: _get(base + "articles/first/")[0] == 200), "mkdocs serve did not start"
        yield project, base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_rebuilds_on_add_edit_delete_and_topics(served: tuple[Project, str]) -> None:
    project, base = served
    other = "Another report entirely. It shares no words with the first."   # not a copy of it
    second = project.add("second.md", article(title="Second story", body=other))
    assert _until(lambda: "Second story" in _get(base + "articles/second/")[1])
    assert _until(lambda: _indexed(base) == 5)         # home, two topics, two articles
    second.write_text(article(title="Second story, edited", body=other))
    assert _until(lambda: "Second story, edited" in _get(base + "articles/second/")[1])
    second.unlink()
    assert _until(lambda: _get(base + "articles/second/")[0] == 404)
    assert _until(lambda: _indexed(base) == 4)
    (project.content / "topics.yml").write_text(
        TOPICS + "  - id: oil-prices\n    title: Oil prices\n    description: Crude markets.\n")
    assert _until(lambda: "Oil prices" in _get(base + "topics/oil-prices/")[1])
