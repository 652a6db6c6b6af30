"""What a one-off build lets go, and when: each change keeps the output the same."""

from __future__ import annotations

import gc
import html
import json
import os
import random
import sys
import weakref
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import pagefind_pages, story_state

from digest.adapter.memory import give_back
from digest.analysis.analyse import AnalysisOptions, analyse_article, build_digest
from digest.analysis.executor import PoolExecutor
from digest.analysis.pipeline import Packed, Pipeline
from digest.analysis.similarity import BLOCK_SCORES, block_rows, related_counts
from digest.analysis.stories import StoryIndex, StoryItem, StoryOptions, cluster
from digest.analysis.storygroup import Retired
from digest.analysis.storystate import header, restore, rows
from digest.loading.convert import MarkdownSettings, convert_body
from digest.loading.loader import load_corpus
from digest.model import Sentences
from digest.pages.pagefindservice import Record
from digest.pages.render import PageSet, Renderer
from digest.pages.searchindex import search_records
from digest.pages.searchshards import IndexJob, write_shards

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus

ARTICLES = list(corpus.generate(40, seed=5))


def _articles(tmp_path: Path):
    corpus.write_digest_corpus(tmp_path / "content", ARTICLES)
    return load_corpus(tmp_path / "content")


def test_bodies_are_held_compressed_and_handed_out_exactly(tmp_path: Path) -> None:
    loaded = _articles(tmp_path)
    settings = MarkdownSettings(("toc", "attr_list"), {"toc": {"permalink": True}})
    pipeline = Pipeline(3, workers=1, markdown=settings)
    pipeline(loaded.articles)
    held = pipeline._bodies
    assert held and all(isinstance(p, Packed) for p in held.values())
    first = loaded.articles[0]
    expected = convert_body(first.body, settings)
    assert len(held[first.slug].html) < len(expected.html.encode("utf-8")) / 2
    assert pipeline.bodies()[first.slug] == expected
    assert pipeline.body(first.slug, take=True) == expected
    assert pipeline.body(first.slug) is None            # taken: the pipeline no longer holds it


def test_a_one_off_digest_drops_the_signatures_once_the_copies_are_found(tmp_path: Path) -> None:
    loaded = _articles(tmp_path)
    copy = loaded.articles[3]
    twin = type(copy)(**{**copy.__dict__, "path": "twin.md", "slug": copy.slug + "-wire", "source": "Wire"})
    digest = build_digest(loaded.topics, [*loaded.articles, twin], AnalysisOptions())
    assert any(g.original == copy.slug and twin.slug in g.copies for g in digest.duplicates)
    assert all(a.minhash == b"" and a.shingles == b"" for a in digest.analyses.values())
    assert all(a.terms and a.sentences for a in digest.analyses.values())
    whole = analyse_article(copy.title, copy.body, AnalysisOptions().summary_sentences)
    held = digest.analyses[copy.slug].sentences
    assert isinstance(held, Sentences) and held == whole.sentences and tuple(held) == whole.sentences
    assert held[-1] == whole.sentences[-1] and held[1:3] == whole.sentences[1:3] and len(held) == len(whole.sentences)
    assert digest.analyses[copy.slug].summary_sentences() == whole.summary_sentences()
    assert len(held._packed) < sum(map(len, whole.sentences)) / 2


def test_compressed_sentences_keep_any_text_exactly() -> None:
    odd = ("Plain.", "", "Émigré “quoted” – 5 km² 😀.", "lone \udcff surrogate", "\x1f control")
    held = Sentences(odd, plain=(2,))
    assert tuple(held) == odd and held == odd and hash(held) == hash(odd) and held[2] is odd[2]
    assert [held[i] for i in range(-5, 5)] == [odd[i] for i in range(-5, 5)]


def test_the_story_index_is_let_go_before_the_steps_after_the_grouping(tmp_path: Path) -> None:
    loaded = _articles(tmp_path)
    held = [StoryIndex()]
    ref = weakref.ref(held[0])
    alive_then: list[bool] = []

    def grouped() -> None:
        held.clear()                        # what the plugin does: store it, then drop it
        gc.collect()
        alive_then.append(ref() is not None)

    digest = build_digest(loaded.topics, loaded.articles, AnalysisOptions(), story_index=lambda: held[0],
                          grouped=grouped)
    assert alive_then == [False]
    assert digest.stories == build_digest(loaded.topics, loaded.articles, AnalysisOptions()).stories


def test_related_lists_do_not_depend_on_the_block_size(tmp_path: Path) -> None:
    loaded = _articles(tmp_path)
    digest = build_digest(loaded.topics, loaded.articles, AnalysisOptions())
    items = {slug: (a.terms, a.term_counts) for slug, a in digest.analyses.items()}
    assert related_counts(items, 5, block=3) == related_counts(items, 5, block=256)
    assert block_rows(10_000, 256) == 256 and block_rows(100_000, 256) == BLOCK_SCORES // 100_000
    assert block_rows(10**9, 256) == 8


def test_a_filled_page_lets_its_slots_go_when_taken() -> None:
    pages = PageSet({"a.md": "x"}, [], {"a.md": ("<b>one</b>",), "b.md": ("<i>two</i>",)}, nonce="n1")
    assert pages.fill("b.md", "<!--nd:n1:0-->") == "<i>two</i>" and "b.md" in pages.slots
    assert pages.fill("a.md", "<p><!--nd:n1:0--></p>", take=True) == "<p><b>one</b></p>"
    assert "a.md" not in pages.slots


def test_a_one_off_renderer_packs_each_pages_slots_and_fills_the_same_html(tmp_path: Path) -> None:
    loaded = _articles(tmp_path)
    digest = build_digest(loaded.topics, loaded.articles, AnalysisOptions())
    plain = Renderer(nonce="n1").render(digest)
    packed = Renderer(nonce="n1", pack_slots=True).render(digest)
    assert packed.pages == plain.pages and packed.slots.keys() == plain.slots.keys()
    assert all(isinstance(v, bytes) for v in packed.slots.values() if v)
    held = sum(len(v) for v in packed.slots.values())
    html_size = sum(len(c.encode()) for v in plain.slots.values() for c in v)
    assert held < html_size / 2
    for uri, chunks in plain.slots.items():
        assert packed.slots_of(uri) == chunks
        markdown = plain.pages[uri]
        assert packed.fill(uri, markdown, take=True) == plain.fill(uri, markdown)
    assert not packed.slots


def _records(n: int) -> list[Record]:
    return [Record("/", "Home.", {"title": "Home"})] + [
        Record(f"/articles/a{i:03d}/", f"Article {i} about rockets.", {"title": f"A{i}"}, published=1e6 - i)
        for i in range(n)]


def test_search_records_given_by_a_function_index_the_same_and_are_let_go(tmp_path: Path) -> None:
    write_shards(tmp_path / "a" / "pagefind", _records(7), 3)
    written = write_shards(tmp_path / "b" / "pagefind", lambda: _records(7), 3)
    assert written.records == 8
    assert sorted(pagefind_pages(tmp_path / "a")) == sorted(pagefind_pages(tmp_path / "b"))
    job = IndexJob(tmp_path / "c" / "pagefind", _records(7), shard_size=3)
    job.wait()
    assert job._records is None and job.records == 8 and job.written is not None


def test_freed_heap_goes_back_to_the_system_on_glibc() -> None:
    assert give_back() is sys.platform.startswith("linux")


def _parent(_: int) -> int:
    return os.getppid()


def test_pool_workers_come_from_a_fork_server_not_the_build_process() -> None:
    with PoolExecutor(workers=2, chunksize=1) as pool:
        parents = set(pool.map(_parent, range(4)))
    assert parents and os.getpid() not in parents      # not forked from all the build holds
    from multiprocessing import forkserver
    assert forkserver._forkserver._forkserver_pid is None        # stopped with its pool


def _events(n: int) -> list[StoryItem]:
    """Reports of events a few hours apart, a month of them (the window is four days), some pinned
    to the first story long after it."""
    rng = random.Random(3)
    common = [f"w{i:02d}" for i in range(20)]
    items = []
    for i in range(n):
        event = i // 4
        told = " ".join([f"e{event}k{k}" for k in rng.sample(range(5), 3)] + rng.choices(common, k=5))
        items.append(StoryItem(f"s{i:03d}", datetime(2021, 3, 1, tzinfo=UTC) + timedelta(hours=5 * i), told, told,
                               pin="s000" if i % 50 == 49 else None,
                               names=((f"name{event}", 2), (f"town{event % 7}", 2))))
    return items


def test_story_vectors_out_of_every_window_are_held_compact_with_the_same_numbers() -> None:
    items = _events(160)
    options = StoryOptions(link=0.2, centroid=0.25, rare_shared=0, named_link=0, min_terms=0)
    cold = cluster(items, options)
    live = cluster(items, options, StoryIndex(keep_read=True))      # a live preview's: retires none
    assert story_state(cold) == story_state(live) and list(rows(cold)) == list(rows(live))
    assert max(len(g.members) for g in cold._groups.values()) >= 4     # stories of several reports
    old = [j for j, when in enumerate(cold._when) if when < cold._when[-1] - 4 * 86400]
    assert old == list(range(cold._retired)) and len(old) > 100
    assert all(isinstance(cold._vectors[j], Retired) and isinstance(cold._names[j], tuple) for j in old)
    assert all(isinstance(v, dict) for v in live._vectors) and all(isinstance(n, frozenset) for n in live._names)
    assert list(cold._vectors[0].items()) == list(live._vectors[0].items())    # terms and doubles, in order
    for sid, group in cold._groups.items():
        assert group.norm2 == live._groups[sid].norm2 and dict(group.total) == dict(live._groups[sid].total)
    first = cold._groups["s000"]       # pinned to long after its reports left the window: thawed
    assert {0, 49, 99, 149} <= set(first.members) and isinstance(first.total, dict)
    # Stored and read back, then an edit replayed from the middle: a cold build's, bit for bit.
    stored = restore(header(cold), [json.loads(json.dumps(r)) for r in rows(cold)], options)
    assert stored is not None and stored._retired == cold._retired
    edited = [*items[:80], replace(items[80], title=items[80].title + " w01"), *items[81:]]
    assert story_state(cluster(edited, options, stored)) == story_state(cluster(edited, options))


def test_article_search_records_make_their_text_when_written(tmp_path: Path) -> None:
    loaded = _articles(tmp_path)
    digest = build_digest(loaded.topics, loaded.articles, AnalysisOptions())
    found = {r.url: r for r in search_records(digest, "Site")}
    first = loaded.articles[0]
    record = found[f"/articles/{first.slug}/"]
    assert callable(record.text)        # made when the index is written, from the compressed sentences
    whole = html.escape(" ".join(digest.analyses[first.slug].sentences), quote=False)
    assert record.content == whole and record.resolved().text == whole and record.resolved().url == record.url
    assert isinstance(found["/"].text, str) and found["/"].resolved() is found["/"]


def test_a_one_off_build_lets_the_articles_and_the_digest_go_before_the_page_files(project, monkeypatch) -> None:
    from conftest import article

    import digest.adapter.generate as generate
    import digest.adapter.plugin as plugin
    for i in range(3):
        project.add(f"a{i}.md", article(title=f"Rockets over the capital {i}", date=f"2020-01-2{i}"))
    made: list[weakref.ref] = []
    alive: list[bool] = []

    def build(*args, **kwargs):
        digest = real_build(*args, **kwargs)
        made.append(weakref.ref(digest))
        return digest

    def published(self, corpus):
        found = real_published(self, corpus)
        made.append(weakref.ref(found[0]))     # an article, its raw body with it
        return found

    def collisions(*args, **kwargs):
        gc.collect()
        alive.extend(ref() is not None for ref in made)
        return real_check(*args, **kwargs)

    real_build, real_check, real_published = generate.build_digest, plugin.check_collisions, plugin.DigestPlugin.published
    monkeypatch.setattr(generate, "build_digest", build)
    monkeypatch.setattr(plugin, "check_collisions", collisions)
    monkeypatch.setattr(plugin.DigestPlugin, "published", published)
    project.build()
    assert alive == [False, False]     # the articles and the digest, gone before the page files are made
    assert "Rockets over the capital 1" in project.html("articles/a1")
