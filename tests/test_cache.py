"""The on-disk analysis cache: atomic writes, corrupt entries, invalidation, equality."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from digest.analyse import analyse_article
from digest.cache import AnalysisCache, code_version
from digest.model import ArticleAnalysis
from digest.pipeline import cached_analyser

from conftest import Project, article

TITLE = "Rockets hit the embassy"
BODY = ("Three rockets struck the embassy compound on Sunday. Officials said one person was hurt. "
        "The attack followed weeks of protests in the capital. No group claimed responsibility.")


def test_cached_result_equals_fresh(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    key = cache.key(TITLE, BODY, 3)
    fresh = analyse_article(TITLE, BODY, 3)
    cache.put(key, fresh)
    assert AnalysisCache(tmp_path).get(key) == fresh


def test_key_depends_on_body_title_length_and_code(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    key = cache.key(TITLE, BODY, 3)
    assert cache.key(TITLE, BODY + " More.", 3) != key
    assert cache.key(TITLE + "!", BODY, 3) != key
    assert cache.key(TITLE, BODY, 2) != key
    assert AnalysisCache(tmp_path, version="other").key(TITLE, BODY, 3) != key
    assert len(code_version()) == 16


def test_changed_body_is_a_miss(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    cache.put(cache.key(TITLE, BODY, 3), analyse_article(TITLE, BODY, 3))
    assert cache.get(cache.key(TITLE, BODY.replace("Three", "Four"), 3)) is None


@pytest.mark.parametrize("content", [b"", b"{\"sentences\": [\"a\"", b"not json", b"[]",
                                     b'{"sentences": ["a"], "summary": [5], "scores": []}',
                                     b'{"sentences": [1], "summary": [], "scores": []}'])
def test_corrupt_entry_is_a_miss_and_is_rewritten(tmp_path: Path, content: bytes) -> None:
    cache = AnalysisCache(tmp_path)
    key = cache.key(TITLE, BODY, 3)
    cache.path(key).parent.mkdir(parents=True)
    cache.path(key).write_bytes(content)
    assert cache.get(key) is None
    analyser = cached_analyser(3, cache, workers=1)
    project_article = _article()
    result = analyser([project_article])
    assert result["rockets"] == analyse_article(TITLE, BODY, 3)
    assert AnalysisCache(tmp_path).get(key) == result["rockets"]


def test_crash_while_writing_leaves_no_entry_and_next_run_recovers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnalysisCache(tmp_path)
    key = cache.key(TITLE, BODY, 3)

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt("killed mid-build")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        cached_analyser(3, cache, workers=1)([_article()])
    monkeypatch.undo()
    assert not cache.path(key).exists()
    assert list(tmp_path.rglob("*.json")) == []          # no temporary file left behind either
    result = cached_analyser(3, AnalysisCache(tmp_path), workers=1)([_article()])
    assert AnalysisCache(tmp_path).get(key) == result["rockets"] == analyse_article(TITLE, BODY, 3)


def test_second_build_reuses_the_cache(project: Project) -> None:
    project.add("a.md", article(title="One", body=BODY))
    project.add("b.md", article(title="Two", body=BODY.replace("Sunday", "Monday")))
    project.build()
    entries = sorted(p for p in (project.root / ".cache" / "digest").rglob("*.json") if "pages" not in p.parts)
    assert len(entries) == 2
    stamps = [p.stat().st_mtime_ns for p in entries]
    first = project.html("articles/a")
    project.build()
    assert [p.stat().st_mtime_ns for p in entries] == stamps
    assert project.html("articles/a") == first


def _article() -> "object":
    from datetime import datetime, timezone

    from digest.model import Article
    return Article(path="content/articles/rockets.md", slug="rockets", title=TITLE,
                   published=datetime(2020, 1, 27, tzinfo=timezone.utc), source="Desk",
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
    pages = list((tmp_path / ".cache" / "digest" / "pages").rglob("*.json"))
    assert len(pages) == 2
    project.build()
    assert {p: p.read_bytes() for p in project.site.rglob("*.html")} == first
    assert 'href="#a-heading"' in project.html("articles/one")          # the cached table of contents
    project.add("one.md", article(title="One", body="## A heading\n\nRockets were fired again. Officials said so."))
    project.build()
    assert "Rockets were fired again." in project.html("articles/one")


def test_unchanged_pages_are_reused_and_never_stale(tmp_path: Path) -> None:
    """A warm build prints unchanged article pages from the output cache; anything that
    shapes a page (the site's config, a new related article, the article itself) makes it
    render afresh."""
    from conftest import Project, article

    project = Project(tmp_path)
    project.add("a.md", article(title="Rockets hit the embassy", body="Rockets hit the US embassy in Baghdad. "
                                "Officials said three rockets landed near the embassy compound."))
    project.add("b.md", article(title="Protest march", body="Protesters marched in Baghdad. Police watched."))
    project.build()
    outputs = list((tmp_path / ".cache" / "digest" / "output").rglob("*.html"))
    assert len(outputs) == 2
    first = project.html("articles/a")
    project.build()
    assert project.html("articles/a") == first
    assert len(list((tmp_path / ".cache" / "digest" / "output").rglob("*.html"))) == 2   # all reused

    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("site_name: Test digest", "site_name: Renamed digest"))
    project.build()
    assert "Renamed digest" in project.html("articles/a") and "Test digest" not in project.html("articles/a")

    assert "Embassy attack follow-up" not in project.html("articles/a")
    project.add("c.md", article(title="Embassy attack follow-up", date="2020-01-28",
                                body="Rockets hit the US embassy in Baghdad again. Officials said three "
                                     "rockets landed near the embassy compound."))
    project.build()
    assert "Embassy attack follow-up" in project.html("articles/a")        # its related list changed

    project.add("a.md", article(title="Rockets hit the embassy", body="Rockets hit the US embassy in Baghdad. "
                                "Officials said four rockets landed near the embassy compound."))
    project.build()
    assert "four rockets" in project.html("articles/a")


def test_no_output_cache_when_caching_is_off(tmp_path: Path) -> None:
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
        return {kind: len([p for p in cache.rglob(f"*.{ext}") if (kind == "analysis") == (p.parent.parent == cache)
                           and (kind == "analysis" or kind in p.parts)])
                for kind, ext in (("analysis", "json"), ("pages", "json"), ("output", "html"))}

    assert entries() == {"analysis": 2, "pages": 2, "output": 2}
    (project.content / "articles" / "b.md").unlink()
    project.add("a.md", article(title="One", body=BODY.replace("Sunday", "Friday")))
    project.build()
    assert entries() == {"analysis": 1, "pages": 1, "output": 1}
    assert "Friday" in project.html("articles/a")
