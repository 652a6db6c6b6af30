"""Under `mkdocs serve`, after every kind of change an editor makes, the served site equals a
clean `mkdocs build` of the same content, byte for byte (issue 14, "Live preview": a page
must never be stale). This is the yardstick for any incremental rebuild: it passes on a full
rebuild per change, and must keep passing when the rebuild does less."""

from __future__ import annotations

import difflib
import gzip
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Project, article, pagefind_pages
from test_serve import _free_port, _get, _indexed, _until

NOW = "2024-07-01T12:00:00+00:00"      # both the server and the clean builds publish as of this
BOTH = "[iraq-protests, us-troop-presence]"
MARISOL = ("The passenger ferry Marisol sank off Kessan island early on Monday with 40 people aboard. "
           "Coastguard boats from Port Verin pulled survivors from the water.\n\n"
           "The ferry had left Port Verin at dawn and radioed for help when its hull flooded near the "
           "Kessan lighthouse. Officials opened an inquiry into the Marisol's last voyage.")
# name: (title, date, source, topics, body, extra front matter)
SEED: dict[str, tuple[str, str, str, str, str, str]] = {
    "ferry-sinks.md": ("Ferry Marisol sinks off Kessan island", "2020-01-13", "Desk", "[iraq-protests]",
                       MARISOL, "story: marisol-ferry\n"),
    "ferry-search.md": ("Rescuers search for missing Marisol passengers", "2020-01-13T15:00:00+00:00", "Wire",
                        "[iraq-protests]", "Rescuers searched the sea near Kessan island for passengers of "
                        "the Marisol. The coastguard said the ferry had reported flooding.", "story: marisol-ferry\n"),
    "ferry-survivors.md": ("Marisol survivors describe the flooding", "2020-01-14", "Desk", "[iraq-protests]",
                           "Survivors of the Marisol said water poured into the hull within minutes. Crews "
                           "took the rescued passengers back to the harbour.", "story: marisol-ferry\n"),
    "ferry-copy.md": ("Ferry Marisol sinks off Kessan island", "2020-01-13T09:00:00+00:00", "Agency",
                      "[iraq-protests]", MARISOL, ""),        # a syndicated copy of ferry-sinks
    "dock-strike.md": ("Port Verin dock workers walk out over pay", "2020-01-15", "Desk", "[iraq-protests]",
                       "Dock workers in Port Verin stopped work on Tuesday in a dispute over wages. The union "
                       "said cranes would stay idle.\n\nLorries queued outside the terminal gates through the "
                       "afternoon. The harbour authority said talks would resume on Friday.", ""),
    "school-budget.md": ("Alder county approves school budget", "2020-01-16", "Post", "[us-troop-presence]",
                         "The Alder county board approved next year's school budget after a long meeting. "
                         "It adds money for teachers.", ""),
    "orchard-frost.md": ("Late frost threatens Hollin valley orchards", "2020-01-18", "Post",
                         "[us-troop-presence]", "Fruit growers in the Hollin valley lit burners among their "
                         "apple trees as a late frost settled overnight.", ""),
    "library-opens.md": ("New library opens in Brammel", "2020-01-20", "Wire", "[us-troop-presence]",
                         "Readers queued on Saturday for the opening of Brammel's new public library, which "
                         "has a children's wing.", ""),
    "bridge-closes.md": ("Tarn bridge closes for repairs", "2020-01-22", "Desk", BOTH,
                         "The Tarn bridge closed for repairs on Wednesday. Drivers face a detour of twelve "
                         "miles through Ostby.", ""),
    "choir-prize.md": ("Brammel choir wins regional prize", "2020-02-03", "Wire", "[us-troop-presence]",
                       "The town choir won a regional prize on Sunday, its first in thirty years.", ""),
    "council-vote.md": ("Ostby council votes on parking charges", "2020-02-05", "Post", "[iraq-protests]",
                        "Ostby's council voted to double parking charges in the town centre. Shop owners "
                        "said trade would suffer.", ""),
    "river-flood.md": ("River Tarn bursts its banks at Ostby", "2020-02-07", "Desk", BOTH,
                       "The River Tarn burst its banks at Ostby after three days of rain, flooding forty "
                       "homes.\n\nVolunteers filled sandbags at the fire station. The water is expected to "
                       "fall by Tuesday, the environment agency said.", ""),
}


def _write(project: Project, name: str, title: str, date: str, source: str, topics: str, body: str,
           extra: str = "") -> Path:
    return project.add(name, article(title=title, date=date, source=source, topics=topics, body=body, extra=extra))


def _wait(url: str, text: str) -> None:
    """Until the served page at url shows text (the rebuild of the change is done)."""
    assert _until(lambda: text in _get(url)[1], timeout=180), f"{url} never showed {text!r}"


def _epoch(base: str) -> str:
    """The livereload epoch the server shows browsers (it moves when a rebuild is done)."""
    with urllib.request.urlopen(base + "livereload/0/0", timeout=30) as r:
        return str(r.read().decode())


def _settle(base: str) -> None:
    """Until no rebuild is under way or pending: a GET waits for a running build, and the
    epoch must stay put across a pause longer than the server's debounce (0.25 s)."""
    for _ in range(60):
        before = _epoch(base)
        _get(base)
        time.sleep(1.0)
        _get(base)
        if _epoch(base) == before:
            return
    raise AssertionError("mkdocs serve kept rebuilding")


def _clean_build(project: Project, base: str, dest: Path) -> Path:
    """A clean build of the project's current content in a fresh folder (no cache, no site),
    with the site_url `mkdocs serve` gives its own builds, so that links, feeds and the
    sitemap name the same host."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(project.content, dest / "content")
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(config.replace("site_url: https://example.org/", f"site_url: {base}"),
                                     encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NEWSDIGEST_NOW": NOW}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"], cwd=dest, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return dest / "site"


def _compared(site: Path) -> set[str]:
    """The files of a site the comparison covers: all but the search bundle (and the halves
    of one a build is writing), which may lag behind in serve."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*")
            if p.is_file() and not p.relative_to(site).parts[0].startswith(("pagefind", ".pagefind"))}


LIVERELOAD = re.compile(rb"<script>\nvar livereload = function\(epoch, requestId\) \{\n.*?"
                        rb"\nlivereload\(\d+, \d+\);\n</script>(?=</body>)", re.DOTALL)
# MkDocs stamps each sitemap entry with the build day (and gzips the sitemap with that moment):
# a build just after midnight legitimately differs from one just before.
LASTMOD = re.compile(rb"<lastmod>\d{4}-\d{2}-\d{2}</lastmod>")


def _normalised(rel: str, data: bytes, served: bool) -> bytes:
    if served and rel.endswith(".html") and b"</body>" in data:
        data, found = LIVERELOAD.subn(b"", data)
        assert found == 1, f"{rel}: the livereload script was not found exactly once"
    if rel == "sitemap.xml.gz":
        data = gzip.decompress(data)
    if rel.startswith("sitemap.xml"):
        data = LASTMOD.sub(b"<lastmod>DAY</lastmod>", data)
    return data


def _fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return bytes(r.read())
    except urllib.error.HTTPError:
        return None


def _assert_served_equals_clean(project: Project, base: str, served_site: Path, dest: Path, step: str) -> None:
    clean = _clean_build(project, base, dest)
    expected = _compared(clean)
    extra = _compared(served_site) - expected
    assert not extra, f"after {step}: served but not in a clean build: {sorted(extra)}"
    differ: list[str] = []
    for rel in sorted(expected):
        body = _fetch(base + rel)
        assert body is not None, f"after {step}: {rel} of the clean build is not served"
        want = _normalised(rel, (clean / rel).read_bytes(), served=False)
        if _normalised(rel, body, served=True) != want:
            differ.append(rel)
    if differ:
        first = differ[0]
        got = _normalised(first, _fetch(base + first) or b"", served=True).decode(errors="replace")
        want_text = _normalised(first, (clean / first).read_bytes(), served=False).decode(errors="replace")
        diff = "\n".join(list(difflib.unified_diff(want_text.splitlines(), got.splitlines(), "clean", "served",
                                                   lineterm=""))[:40])
        raise AssertionError(f"after {step}: {len(differ)} files differ from a clean build: {differ[:10]}\n{diff}")


@pytest.fixture(params=[0])
def live(request: pytest.FixtureRequest, project: Project,
         tmp_path: Path) -> Iterator[tuple[Project, str, Path, Path]]:
    """The seeded project under `mkdocs serve`, its base URL, the folder the server builds
    into (found through the TMPDIR it makes its temporary site folder in) and its log. The
    parameter: the search index's shard size (0: one bundle)."""
    for name, fields in SEED.items():
        _write(project, name, *fields)
    if request.param:
        cfg = project.root / "mkdocs.yml"
        cfg.write_text(cfg.read_text().replace("  - digest\n", f"  - digest:\n      search_shard_size: {request.param}\n"))
    scratch = tmp_path / "serve-tmp"
    scratch.mkdir()
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NEWSDIGEST_NOW": NOW, "TMPDIR": str(scratch)}
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=project.root, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _until(lambda: _get(base + "articles/river-flood/")[0] == 200, timeout=180), "serve did not start"
        (site,) = scratch.glob("mkdocs_*")
        yield project, base, site, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_served_site_equals_a_clean_build_after_every_change(live: tuple[Project, str, Path, Path],
                                                                 tmp_path: Path) -> None:
    project, base, site, log = live
    clean = tmp_path / "clean"

    def check(step: str) -> None:
        _assert_served_equals_clean(project, base, site, clean, step)
    _settle(base)
    check("the first build")

    marker = "Update 7f3a: officials confirmed the figures."
    name = "dock-strike.md"
    title, date, source, topics, body, extra = SEED[name]
    first, rest = body.split("\n\n", 1)
    _write(project, name, title, date, source, topics, f"{first} {marker}\n\n{rest}", extra)
    _wait(base + "articles/dock-strike/", marker)
    _settle(base)
    check("an edit of one article's body")

    # An edit that makes two articles related: both related lists change (relatedindex.py
    # rescores only the lists an edit can change; they must be a clean build's).
    assert "orchard-frost/" not in _get(base + "articles/bridge-closes/")[1]
    name = "orchard-frost.md"
    title, date, source, topics, body, extra = SEED[name]
    _write(project, name, title, date, source, topics, body + " Growers said the Tarn bridge closed for repairs "
           "on Wednesday, so drivers face a detour of twelve miles through Ostby.", extra)
    _wait(base + "articles/orchard-frost/", "a detour of twelve miles through Ostby")
    _settle(base)
    assert "orchard-frost/" in _get(base + "articles/bridge-closes/")[1]
    check("an edit that changes related lists")

    name = "ferry-sinks.md"
    _write(project, name, "Ferry Marisol capsizes off Kessan island", *SEED[name][1:])
    _wait(base + "articles/ferry-sinks/", "Ferry Marisol capsizes off Kessan island")
    _wait(base + "stories/marisol-ferry/", "<h1>Ferry Marisol capsizes off Kessan island</h1>")  # its headline
    _settle(base)
    check("an edit of a story article's title")

    _write(project, "ferry-inquiry.md", "Inquiry opens into Marisol ferry sinking", "2020-01-17", "Wire",
           "[iraq-protests]", "An inquiry into the sinking of the Marisol opened at Port Verin on Friday. "
           "Investigators will examine the hull.", "story: marisol-ferry\n")
    _wait(base + "articles/ferry-inquiry/", "Investigators will examine the hull.")
    _settle(base)
    check("a new article that joins an existing story")

    _write(project, "harbour-reopens.md", "Port Verin harbour reopens after strike", "2020-03-02", "Post",
           "[us-troop-presence]", "Port Verin's harbour reopened on Monday after the dock strike ended. "
           "The first container ship docked at noon.")
    _wait(base + "articles/harbour-reopens/", "The first container ship docked at noon.")
    _wait(base + "archive/2020-03/", "Port Verin harbour reopens after strike")
    _settle(base)
    check("a new article in a new month")

    # An edit that makes an article a syndicated copy of another, then one that makes it its
    # own report again: the copy groups change both times (keptcopies.py keeps them only when
    # an edit cannot change them).
    name = "council-vote.md"
    title, date, source, topics, body, extra = SEED[name]
    _write(project, name, title, date, source, topics, MARISOL, extra)
    _wait(base + "articles/council-vote/", "This is a copy of a story first published on")
    _settle(base)
    check("an edit that makes an article a copy of another")
    _write(project, name, title, date, source, topics, body, extra)
    assert _until(lambda: "This is a copy of" not in _get(base + "articles/council-vote/")[1], timeout=180)
    _settle(base)
    check("an edit that makes the copy its own report again")

    (project.content / "articles" / "library-opens.md").unlink()
    assert _until(lambda: _get(base + "articles/library-opens/")[0] == 404, timeout=180)
    _settle(base)
    check("the deletion of an article")
    assert _get(base + "articles/library-opens/")[0] == 404

    name = "choir-prize.md"
    title, date, source, _, body, extra = SEED[name]
    _write(project, name, title, date, source, "[iraq-protests]", body, extra)
    _wait(base + "topics/iraq-protests/", "Brammel choir wins regional prize")
    _settle(base)
    check("a change of an article's topics")

    # Search may lag behind in serve, but it catches up: the new articles are found, the
    # deleted one is not, and the index has as many pages as a clean build's.
    want = {url for url in pagefind_pages(clean / "site") if "articles/" in url}

    def caught_up() -> bool:
        try:
            have = {url for url in pagefind_pages(site) if "articles/" in url}
        except (OSError, ValueError):          # the bundle is being swapped in
            return False
        return have == want and _indexed(base) == len(pagefind_pages(clean / "site"))
    assert {"/articles/ferry-inquiry/", "/articles/harbour-reopens/"} <= want
    assert not any("library-opens" in url for url in want)
    assert _until(caught_up, timeout=120), "the served search index never matched a clean build's"
    # Every change above was an article change: each took the live preview's fast rebuild
    # (digest/adapter/livepreview.py), none MkDocs' full one after the first build.
    text = log.read_text(errors="replace")
    assert text.count("digest: live preview updated in") >= 7, text[-3000:]
    assert text.count("Cleaning site directory") == 1, text[-3000:]
    assert "rebuilding fully" not in text and "turned off for this session" not in text


@pytest.mark.parametrize("live", [3], indirect=True)
def test_a_sharded_search_index_catches_up_under_serve(live: tuple[Project, str, Path, Path], tmp_path: Path) -> None:
    """With the search index in shards, the index a fast rebuild writes in the background is
    the clean build's: the same shards listed, the same pages in them."""
    project, base, site, log = live
    title, date, source, topics, body, extra = SEED["dock-strike.md"]
    _write(project, "dock-strike.md", title, date, source, topics, body + "\n\nTugboat crews joined the walkout.", extra)
    _wait(base + "articles/dock-strike/", "Tugboat crews joined the walkout.")
    _settle(base)
    clean = _clean_build(project, base, tmp_path / "clean")
    listing = (clean / "pagefind" / "digest-bundles.js").read_text()
    assert (clean / "pagefind" / "parts").is_dir() and "parts/" in listing
    want = pagefind_pages(clean)
    assert any("Tugboat crews" in page["content"] for page in want.values())

    def caught_up() -> bool:
        try:
            return ((site / "pagefind" / "digest-bundles.js").read_text() == listing
                    and pagefind_pages(site) == want)
        except (OSError, ValueError):          # a bundle is being swapped in
            return False
    assert _until(caught_up, timeout=120), "the served sharded index never matched a clean build's"
    assert "digest: live preview updated in" in log.read_text(errors="replace")



def test_the_search_job_is_forked_after_the_rebuild_and_a_change_before_cancels_it(monkeypatch) -> None:
    """The fork of the search job waits FORK_DELAY after a rebuild (the server answers no page
    request until its builder returns); a stop (the next change) before then cancels it."""
    import time as _time

    from digest.adapter.livesearch import LiveSearch

    class Plugin:
        def cancel_search(self) -> None:
            pass

    spawned: list[object] = []
    search = LiveSearch(Plugin(), delay=0.2)     # type: ignore[arg-type]
    monkeypatch.setattr(search, "_spawn", lambda config, made: spawned.append(made))
    search.start(None, "first")      # type: ignore[arg-type]
    assert spawned == []                                # the builder returns before any fork
    search.stop(wait=False)                             # a change came: the job is not started
    search.start(None, "second")     # type: ignore[arg-type]
    _time.sleep(0.6)
    assert spawned == ["second"]
    search.stop()
