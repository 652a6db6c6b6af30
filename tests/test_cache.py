"""The on-disk caches: transactional writes, corrupt entries, invalidation, equality, pruning."""

from __future__ import annotations

import sqlite3
from importlib import metadata
from datetime import UTC
from pathlib import Path

import pytest
from conftest import Project, article

from digest.analysis.analyse import analyse_article
from digest.analysis.cache import ANALYSIS_LIBRARIES, ANALYSIS_MODULES, AnalysisCache, code_version, library_versions
from digest.analysis.pipeline import cached_analyser
from digest.loading.convert import DEFAULT_MARKDOWN, MarkdownSettings
from digest.model import ArticleAnalysis

TITLE = "Rockets hit the embassy"
BODY = ("Three rockets struck the embassy compound on Sunday. Officials said one person was hurt. "
        "The attack followed weeks of protests in the capital. No group claimed responsibility.")
MD = DEFAULT_MARKDOWN.fingerprint()      # what cached_analyser converts bodies with


def test_cached_result_equals_fresh(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    key = cache.key(TITLE, BODY, 3, MD)
    fresh = analyse_article(TITLE, BODY, 3)
    cache.put(key, fresh)
    assert cache.get(key) == fresh
    cache.close()
    assert AnalysisCache(tmp_path).get(key) == fresh


def test_key_depends_on_body_title_length_and_code(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    key = cache.key(TITLE, BODY, 3, MD)
    assert cache.key(TITLE, BODY + " More.", 3, MD) != key
    assert cache.key(TITLE + "!", BODY, 3, MD) != key
    assert cache.key(TITLE, BODY, 2, MD) != key
    assert cache.key(TITLE, BODY, 3, MarkdownSettings(("toc",)).fingerprint()) != key
    assert AnalysisCache(tmp_path, version="other").key(TITLE, BODY, 3, MD) != key
    assert len(code_version()) == 16


def test_code_version_follows_the_prose_code_and_the_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key changes with the prose extraction's source and with the versions of the
    libraries that shape an analysis."""
    assert "loading/prose.py" in ANALYSIS_MODULES
    versions = library_versions()
    for name in ("datasketch", "snowballstemmer", "PyStemmer", "numpy", "markdown", "pymdown-extensions"):
        assert f"{name}=={metadata.version(name)}" in versions.split(";")
    before = code_version()
    code_version.cache_clear()
    real = metadata.version
    try:
        for changed in ANALYSIS_LIBRARIES:
            monkeypatch.setattr(metadata, "version", lambda name, c=changed: "0.0.1" if name == c else real(name))
            code_version.cache_clear()
            assert code_version() != before, changed
    finally:
        monkeypatch.setattr(metadata, "version", real)
        code_version.cache_clear()
    assert code_version() == before


def test_changed_body_is_a_miss(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    cache.put(cache.key(TITLE, BODY, 3, MD), analyse_article(TITLE, BODY, 3))
    assert cache.get(cache.key(TITLE, BODY.replace("Three", "Four"), 3, MD)) is None


def _rows(db: Path) -> int:
    """Entries committed to a store's file."""
    if not db.exists():
        return 0
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM entries").fetchone()[0])


@pytest.mark.parametrize("content", ["", "{\"sentences\": [\"a\"", "not json", "[]",
                                     '{"sentences": ["a"], "summary": [5], "scores": []}',
                                     '{"sentences": [1], "summary": [], "scores": []}'])
def test_corrupt_entry_is_a_miss_and_is_rewritten(tmp_path: Path, content: str) -> None:
    cache = AnalysisCache(tmp_path)
    key = cache.key(TITLE, BODY, 3, MD)
    cache.put(key, analyse_article(TITLE, BODY, 3))
    cache.close()
    with sqlite3.connect(cache.file) as con:
        con.execute("UPDATE entries SET value = ? WHERE key = ?", (content, key))
    assert AnalysisCache(tmp_path).get(key) is None
    analyser = cached_analyser(3, cache, workers=1)
    result = analyser([_article()])
    cache.close()
    assert result["rockets"] == analyse_article(TITLE, BODY, 3)
    assert AnalysisCache(tmp_path).get(key) == result["rockets"]


def test_a_file_that_is_no_database_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / AnalysisCache.file_name).write_bytes(b"this is not a database" * 100)
    cache = AnalysisCache(tmp_path)
    key = cache.key(TITLE, BODY, 3, MD)
    assert cache.get(key) is None
    cache.put(key, analyse_article(TITLE, BODY, 3))
    cache.close()
    assert AnalysisCache(tmp_path).get(key) == analyse_article(TITLE, BODY, 3)
    assert (tmp_path / (AnalysisCache.file_name + ".broken")).exists()


def test_crash_mid_build_leaves_no_entry_and_next_run_recovers(tmp_path: Path) -> None:
    """Entries are committed in batches: a build killed before its commit leaves none
    of them (never half of one), and the next build computes them again."""
    cache = AnalysisCache(tmp_path)
    key = cache.key(TITLE, BODY, 3, MD)
    cached_analyser(3, cache, workers=1)([_article()])     # written, not yet committed
    assert AnalysisCache(tmp_path).get(key) is None           # another process sees nothing
    assert cache._db is not None
    cache._db.close()                                        # the process dies: no commit
    assert _rows(cache.file) == 0
    again = AnalysisCache(tmp_path)
    result = cached_analyser(3, again, workers=1)([_article()])
    again.close()
    assert AnalysisCache(tmp_path).get(key) == result["rockets"] == analyse_article(TITLE, BODY, 3)


def test_second_build_reuses_the_cache(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.add("a.md", article(title="One", body=BODY))
    project.add("b.md", article(title="Two", body=BODY.replace("Sunday", "Monday")))
    project.build()
    assert _rows(project.root / ".cache" / "digest" / "analyses.sqlite") == 2
    first = project.html("articles/a")

    def refuse(*args: object) -> None:
        raise AssertionError("an unchanged article was analysed again")

    monkeypatch.setattr("digest.analysis.pipeline.analyse_prose", refuse)
    project.build()
    assert project.html("articles/a") == first


def _article() -> object:
    from datetime import datetime

    from digest.model import Article
    return Article(path="content/articles/rockets.md", slug="rockets", title=TITLE,
                   published=datetime(2020, 1, 27, tzinfo=UTC), source="Desk",
                   topics=("iraq-protests",), body=BODY)


def test_analysis_round_trips_empty(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    cache.put("00empty", ArticleAnalysis((), ()))
    assert cache.get("00empty") == ArticleAnalysis((), ())


def test_article_html_is_reused_and_never_stale(tmp_path: Path) -> None:
    """A warm build takes unchanged articles' converted HTML from the page cache; the site
    is byte-for-byte the same, and an edited article is converted afresh."""
    from conftest import Project, article

    project = Project(tmp_path)
    project.add("one.md", article(title="One", body="## A heading\n\nRockets were fired. Officials said so."))
    project.add("two.md", article(title="Two", body="Protesters marched. Police watched."))
    project.build()
    first = {p: p.read_bytes() for p in project.site.rglob("*.html")}
    assert _rows(tmp_path / ".cache" / "digest" / "pages" / "bodies.sqlite") == 2
    project.build()
    assert {p: p.read_bytes() for p in project.site.rglob("*.html")} == first
    assert 'href="#a-heading"' in project.html("articles/one")          # the cached table of contents
    project.add("one.md", article(title="One", body="## A heading\n\nRockets were fired again. Officials said so."))
    project.build()
    assert "Rockets were fired again." in project.html("articles/one")


def test_no_cache_when_caching_is_off(tmp_path: Path) -> None:
    from conftest import Project, article

    project = Project(tmp_path)
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      cache: false\n"))
    project.add("a.md", article())
    project.build()
    project.build()
    assert "Some text here." in project.html("articles/a")
    assert not (tmp_path / ".cache").exists()


def test_entries_of_deleted_or_edited_articles_are_pruned(tmp_path: Path) -> None:
    from conftest import Project, article

    project = Project(tmp_path)
    project.add("a.md", article(title="One", body=BODY))
    project.add("b.md", article(title="Two", body=BODY.replace("Sunday", "Monday")))
    project.build()
    cache = tmp_path / ".cache" / "digest"

    def entries() -> dict[str, int]:
        return {"analysis": _rows(cache / "analyses.sqlite"), "pages": _rows(cache / "pages" / "bodies.sqlite")}

    assert entries() == {"analysis": 2, "pages": 2}
    (project.content / "articles" / "b.md").unlink()
    project.add("a.md", article(title="One", body=BODY.replace("Sunday", "Friday")))
    project.build()
    assert entries() == {"analysis": 1, "pages": 1}
    assert "Friday" in project.html("articles/a")


def test_duplicate_candidates_are_kept_for_the_next_build(tmp_path: Path) -> None:
    """The pair memo is stored after a build and read back whole; a damaged one is empty."""
    from digest.analysis.cache import PairStore
    from digest.analysis.duplicates import PairMemo

    project = Project(tmp_path)
    project.add("a.md", article(title="One", body=BODY))
    project.add("b.md", article(title="Two", body=BODY + " A late update followed."))
    project.build()
    store = PairStore(tmp_path / ".cache" / "digest", code_version())
    memo = store.load()
    assert memo.threshold == 0.3 and len(memo.digests) == 2 and memo.pairs == ((0, 1),)
    store.keep(PairMemo(0.3, ("a", "b"), ((1, 0),)))        # not i < j: not trusted
    assert store.load() == PairMemo()
    store.keep(memo)
    assert store.load() == memo
    store.close()
