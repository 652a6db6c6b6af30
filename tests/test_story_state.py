"""A one-off build's story index, kept as data in the cache, gives the next build a cold
build's clustering, bit for bit; anything malformed is a cold start."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from digest.analysis.stories import StoryOptions, cluster, story_item
from digest.analysis.storycache import StoryStore
from digest.analysis.storystate import StoredItem, header, restore, rows
from digest.analysis.text import split_sentences

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus

ITEMS = [story_item(a.stem, a.published, a.title, split_sentences(a.body.replace("#", "")))
         for a in corpus.generate(240, seed=11)]


def state(index: object) -> tuple[dict, list]:
    """An index as the cache holds it: its header and every row."""
    return header(index), list(rows(index))  # type: ignore[arg-type]


def _kept(items: list) -> tuple[dict, list]:
    """The index of `items` as the cache holds it: through JSON and back."""
    return json.loads(json.dumps(state(cluster(items))))


def _restore(kept: object, options: StoryOptions = StoryOptions()) -> object:
    head, stored = kept  # type: ignore[misc]
    return restore(head, stored, options)


def _demo(root: Path) -> Any:
    """A project at `root` holding a copy of the demo content (conftest's Project)."""
    import shutil

    from conftest import REPO, Project

    project = Project(root)
    shutil.rmtree(project.content)
    shutil.copytree(REPO / "content", project.content)
    return project


def _changes() -> dict[str, list]:
    ordered = sorted(ITEMS, key=lambda i: i.key)
    middle = ordered[120]
    return {
        "unchanged": list(ITEMS),
        "edited in the middle": [replace(i, lede=i.lede + " Officials gave no further detail.")
                                 if i is middle else i for i in ITEMS],
        "an older article added": [*ITEMS, replace(middle, slug="added-later", title=middle.title + " again")],
        "a newer article added": [*ITEMS, replace(ordered[-1], slug="newest",
                                                  published=ordered[-1].published + timedelta(hours=2))],
        "an article deleted": [i for i in ITEMS if i is not middle],
    }


@pytest.mark.parametrize("change", list(_changes()))
def test_a_restored_index_clusters_the_changed_corpus_as_a_cold_build(change: str) -> None:
    after = _changes()[change]
    warm = _restore(_kept(ITEMS))
    assert warm is not None and all(isinstance(i, StoredItem) for i in warm.items)
    resumed = cluster(after, warm=warm)
    cold = cluster(after)
    assert resumed.assignment() == cold.assignment()
    assert state(resumed) == state(cold)            # vectors, names, stories' members: every bit
    assert {g.id: (g.total, g.norm2) for g in resumed._groups.values()} == \
        {g.id: (g.total, g.norm2) for g in cold._groups.values()}


def test_an_unchanged_corpus_keeps_every_decision_without_placing_an_article_again() -> None:
    warm = _restore(_kept(ITEMS))
    assert warm is not None
    before = list(warm.items)
    cluster(ITEMS, warm=warm)
    assert warm.items == before and all(a is b for a, b in zip(warm.items, before))    # none placed again


def test_malformed_or_foreign_data_is_a_cold_start() -> None:
    head, good = _kept(ITEMS[:40])
    assert _restore((head, good)) is not None
    assert _restore((head, good), StoryOptions(link=0.2)) is None            # other options

    def row(n: int, field: int, value: object) -> list:
        return [[*r[:field], value, *r[field + 1:]] if i == n else r for i, r in enumerate(good)]

    broken = [(head, good[:-1]), (head, [*good, good[-1]]), (head, good[::-1]), (head, [*good[:5], None]),
              ({**head, "pinned": ["no-such-story"]}, good), ({**head, "ids": head["ids"][:-1]}, good),
              ({**head, "articles": "40"}, good), (None, good), ([], good), ("x", good),
              (head, row(3, 6, len(head["ids"]))), (head, row(3, 4, [str(w) for w in good[3][4]])),
              (head, row(3, 3, good[3][3] + ["extra"])), (head, row(3, 5, None)), (head, row(3, 1, "today"))]
    assert [_restore(b) for b in broken] == [None] * len(broken)


def test_the_store_gives_back_what_it_kept_and_nothing_for_other_options(tmp_path: Path) -> None:
    store = StoryStore(tmp_path)
    assert store.load(StoryOptions()) is None
    store.keep(cluster(ITEMS))
    store.close()
    again = StoryStore(tmp_path)
    loaded = again.load(StoryOptions())
    assert loaded is not None and state(loaded) == state(cluster(ITEMS))
    assert again.load(StoryOptions(window_days=2.0)) is None
    again.close()


def test_a_build_after_an_edit_and_an_addition_equals_a_clean_build(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """The demo built once, then an article edited and another added: the second build resumes
    the story grouping from the cache, and its pages are a clean build's, byte for byte."""
    import logging
    import shutil

    warm = _demo(tmp_path / "warm")
    warm.build()
    assert (tmp_path / "warm" / ".cache" / "digest" / "stories.sqlite").is_file()
    cleric = warm.content / "articles" / "2020-01-26-shia-cleric-withdraws-protest-support.md"
    cleric.write_text(cleric.read_text(encoding="utf-8") + "\nThe cleric's office gave no reason.\n",
                      encoding="utf-8")
    shutil.copy(warm.content / "articles" / "2020-01-27-iraq-crackdown-deaths-rise.md",
                warm.content / "articles" / "2020-01-25-crackdown-copy.md")
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.digest"):
        warm.build()
    assert "story grouping resumed from the last build's 10 articles" in caplog.text
    clean = _demo(tmp_path / "clean")
    for name in ("2020-01-26-shia-cleric-withdraws-protest-support.md", "2020-01-25-crackdown-copy.md"):
        shutil.copy(warm.content / "articles" / name, clean.content / "articles" / name)
    clean.build()
    pages = sorted(p.relative_to(warm.site) for p in warm.site.rglob("*.html"))
    assert pages == sorted(p.relative_to(clean.site) for p in clean.site.rglob("*.html"))
    assert "stories/2020-01-26-rockets-hit-us-embassy-baghdad/index.html" in map(str, pages)
    assert [p for p in pages if (warm.site / p).read_bytes() != (clean.site / p).read_bytes()] == []


def test_an_unchanged_grouping_is_not_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = StoryStore(tmp_path)
    store.keep(cluster(ITEMS))
    writes: list[str] = []
    monkeypatch.setattr(StoryStore, "_write", lambda self, key, data: writes.append(key))
    index = store.load(StoryOptions())
    assert index is not None
    store.keep(cluster(ITEMS, warm=index))
    assert writes == []                                  # every article the stored one
    store.keep(cluster(ITEMS[:-1], warm=index))
    assert len(writes) == len(ITEMS)                     # one fewer: its rows and the header written
    store.close()


def test_a_write_cut_short_leaves_the_last_index_and_the_next_write_prunes_the_old_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import digest.analysis.storycache as storycache

    first = cluster(ITEMS)
    store = StoryStore(tmp_path)
    store.keep(first)
    store.close()

    def cut(index: object):                                  # the build killed after 50 rows
        for n, row in enumerate(rows(index)):  # type: ignore[arg-type]
            if n == 50:
                raise KeyboardInterrupt
            yield row

    monkeypatch.setattr(storycache, "rows", cut)
    store = StoryStore(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        store.keep(cluster(ITEMS[:-1]))
    store.close()
    monkeypatch.undo()
    store = StoryStore(tmp_path)
    loaded = store.load(StoryOptions())
    assert loaded is not None and state(loaded) == state(first)
    store.keep(cluster(ITEMS[:-1], warm=loaded))
    store.prune()
    store.close()
    count = sqlite3.connect(tmp_path / StoryStore.file_name).execute("SELECT COUNT(*) FROM entries").fetchone()
    assert count == (len(ITEMS),)                            # this write's rows and header, no others
    again = StoryStore(tmp_path)
    assert state(again.load(StoryOptions())) == state(cluster(ITEMS[:-1]))
    again.close()


def test_a_one_off_build_stores_its_grouping_and_lets_it_go_before_laying_out_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index (every article's vector, every story's sums) is not held while the pages are
    laid out, the build's memory peak."""
    import gc
    import weakref

    from digest.pages.render import Renderer

    kept: list[weakref.ref] = []
    alive_at_render: list[bool] = []
    keep, render = StoryStore.keep, Renderer.render

    def keeping(self: StoryStore, index: object) -> None:
        kept.append(weakref.ref(index))
        keep(self, index)  # type: ignore[arg-type]

    def rendering(self: Renderer, *args: object, **kwargs: object) -> object:
        gc.collect()
        alive_at_render.append(bool(kept) and kept[-1]() is not None)
        return render(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(StoryStore, "keep", keeping)
    monkeypatch.setattr(Renderer, "render", rendering)
    project = _demo(tmp_path)
    project.build()
    assert len(kept) == 1 and alive_at_render == [False]
    assert "stories/2020-01-26-rockets-hit-us-embassy-baghdad/index.html" in \
        [str(p.relative_to(project.site)) for p in project.site.rglob("*.html")]
    again = StoryStore(tmp_path / ".cache" / "digest")
    assert again.load(StoryOptions()) is not None
    again.close()
