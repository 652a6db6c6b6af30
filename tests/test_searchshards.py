"""Search shards (digest/pages/searchshards.py): the hub and the article shards hold every
record once, a new article changes only the last shard, a cached shard is reused only
when its records, language and binary are the same and every file is as it was written,
and a damaged cache entry is indexed afresh, never used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Project, article, pagefind_pages
import test_searchindex
from test_searchindex import served

from digest.pages.pagefindservice import Record
from digest.pages import searchshards
from digest.pages.searchshards import (AUTO_ABOVE, AUTO_SIZE, BUNDLES_SCRIPT, ShardCache, cuts_after, shard, shard_key, shard_size,
                                       write_shards)


browser = test_searchindex.browser     # the same Chromium fixture


def _records(n: int) -> list[Record]:
    hub = [Record("/", "Home of the digest.", {"title": "Home"}), Record("/topics/t/", "Topic text.", {"title": "T"})]
    return hub + [Record(f"/articles/a{i:03d}/", f"Article {i} about rockets and markets.", {"title": f"A{i}"},
                         {"topic": ["T"], "source": ["Wire" if i % 2 else "Desk"]}, published=1_000_000.0 - i)
                  for i in range(n)]


def _bundles(site: Path) -> list[str]:
    text = (site / "pagefind" / BUNDLES_SCRIPT).read_text()
    return json.loads(text.split("window.ndSearchBundles = ", 1)[1].rstrip().rstrip(";"))


def test_hub_first_then_articles_oldest_first_cut_where_their_addresses_say() -> None:
    parts = shard(_records(7), 3)
    assert [r.url for r in parts[0]] == ["/", "/topics/t/"]
    oldest_first = [r.url[-4:-1] for p in parts[1:] for r in p]
    assert oldest_first == ["006", "005", "004", "003", "002", "001", "000"]
    for part in parts[1:-1]:                 # each ends full or where its last address allows a cut
        assert len(part) == 3 or cuts_after(part[-1].url, 3)
    assert all(1 <= len(p) <= 3 for p in parts[1:])
    assert shard(_records(7), 0) == [_records(7)]


def _older(i: int) -> Record:
    return Record(f"/articles/older{i}/", "An older one.", {"title": "Older"}, published=1_000_000.0 - 150.5 - i)


@pytest.mark.parametrize("change", ["an older article added", "an article removed", "an article re-dated"])
def test_a_change_anywhere_moves_no_cut_beyond_the_next_shard(change: str) -> None:
    """Cuts follow the addresses, not a count: an article added, removed or re-dated in the
    middle changes its own shard (and the next, if its own was full), never every later one."""
    records = _records(400)
    if change == "an older article added":
        changed = records + [_older(0)]
    elif change == "an article removed":
        changed = [r for r in records if r.url != "/articles/a150/"]
    else:
        changed = [Record(r.url, r.content, r.meta, r.filters, published=1_000_000.0 - 390.5)
                   if r.url == "/articles/a150/" else r for r in records]
    before = {tuple(r.url for r in p) for p in shard(records, 40)[1:]}
    after = [tuple(r.url for r in p) for p in shard(changed, 40)[1:]]
    assert len(before) >= 8 and all(len(p) <= 40 for p in after)
    assert len([p for p in after if p not in before]) <= (2 if change != "an article re-dated" else 4)


def test_shards_hold_every_record_once_and_are_listed_for_the_search_box(tmp_path: Path) -> None:
    written = write_shards(tmp_path / "pagefind", _records(7), 3)
    parts = len(shard(_records(7), 3)) - 1
    assert (written.records, written.indexed, written.reused) == (9, parts + 1, 0) and parts >= 3
    assert sorted(pagefind_pages(tmp_path)) == sorted(r.url for r in _records(7))
    names = _bundles(tmp_path)
    assert len(names) == parts and all((tmp_path / "pagefind" / n / "pagefind-entry.json").is_file() for n in names)
    hub = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert hub["languages"]["en"]["page_count"] == 2
    assert not list((tmp_path / "pagefind" / "parts").glob("*/*.js"))     # scripts come from the hub
    write_shards(tmp_path / "pagefind", _records(7), 0)
    assert _bundles(tmp_path) == [] and len(pagefind_pages(tmp_path)) == 9


def test_by_default_a_site_is_sharded_only_above_its_threshold(tmp_path: Path) -> None:
    """No size set: one bundle up to AUTO_ABOVE articles (the hub's records do not count),
    shards of AUTO_SIZE above; a size set, 0 included, is used as it is."""
    assert (AUTO_ABOVE, AUTO_SIZE) == (2000, 1000)
    assert shard_size(None, _records(AUTO_ABOVE)) == 0
    assert shard_size(None, _records(AUTO_ABOVE + 1)) == AUTO_SIZE
    assert shard_size(0, _records(AUTO_ABOVE + 1)) == 0 and shard_size(3, _records(1)) == 3
    written = write_shards(tmp_path / "small" / "pagefind", _records(7), None)
    assert written.indexed == 1 and _bundles(tmp_path / "small") == []


def _three_articles(project: Project) -> None:
    for i in range(3):
        project.add(f"a{i}.md", article(title=f"Report {i}", date=f"2020-01-2{i}", body="Crowds marched. Police watched."))


def test_a_build_with_the_default_options_shards_a_large_site(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin leaves the size to searchshards when search_shard_size is unset (here the
    threshold is lowered to 2 articles, shards of at most 2): the three articles go into two or
    three shards that digest-bundles.js lists, every record once; `search_shard_size: 0` keeps one bundle."""
    monkeypatch.setattr(searchshards, "AUTO_ABOVE", 2)
    monkeypatch.setattr(searchshards, "AUTO_SIZE", 2)
    _three_articles(project)
    project.build()
    names = _bundles(project.site)
    assert 2 <= len(names) <= 3
    assert all((project.site / "pagefind" / n / "pagefind-entry.json").is_file() for n in names)
    pages = pagefind_pages(project.site)
    assert {f"/articles/a{i}/" for i in range(3)} <= set(pages)
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      search_shard_size: 0\n"))
    project.build()
    assert _bundles(project.site) == [] and set(pagefind_pages(project.site)) == set(pages)


def test_a_new_article_reindexes_only_the_hub_and_the_last_shard(tmp_path: Path) -> None:
    cache = ShardCache(tmp_path / "cache")
    write_shards(tmp_path / "site" / "pagefind", _records(7), 3, cache=cache)
    first = _bundles(tmp_path / "site")
    newer = _records(7) + [Record("/articles/new/", "A new one.", {"title": "New"}, published=2_000_000.0)]
    written = write_shards(tmp_path / "site" / "pagefind", newer, 3, cache=cache)
    kept = len(first) - 1
    assert (written.indexed, written.reused) == (2, kept) and kept >= 2
    assert _bundles(tmp_path / "site")[:kept] == first[:kept] and _bundles(tmp_path / "site")[kept] != first[kept]
    assert len(list((tmp_path / "cache").iterdir())) == len(first)      # the replaced shard's entry is dropped
    assert "/articles/new/" in pagefind_pages(tmp_path / "site")


def test_a_reused_shard_holds_what_a_fresh_one_holds(tmp_path: Path) -> None:
    cache = ShardCache(tmp_path / "cache")
    write_shards(tmp_path / "a" / "pagefind", _records(5), 3, cache=cache)
    assert write_shards(tmp_path / "b" / "pagefind", _records(5), 3, cache=cache).reused == 2
    write_shards(tmp_path / "c" / "pagefind", _records(5), 3)               # no cache: indexed afresh
    reused, fresh = pagefind_pages(tmp_path / "b"), pagefind_pages(tmp_path / "c")
    assert reused == fresh and len(reused) == 7
    for name in _bundles(tmp_path / "b"):        # same pages; other chunks differ only in order (Pagefind's hash maps)
        fragments = [sorted(p.name for p in (tmp_path / run / "pagefind" / name / "fragment").iterdir())
                     for run in ("b", "c")]
        assert fragments[0] == fragments[1] and fragments[0]


def test_a_damaged_cache_entry_is_indexed_afresh_never_used(tmp_path: Path) -> None:
    cache = ShardCache(tmp_path / "cache")
    write_shards(tmp_path / "site" / "pagefind", _records(5), 3, cache=cache)
    entries = sorted((tmp_path / "cache").iterdir())
    fragment = next(entries[0].glob("fragment/*"))
    fragment.write_bytes(b"garbage")                       # a changed file
    next(entries[1].glob("index/*")).unlink()              # a missing file
    written = write_shards(tmp_path / "site" / "pagefind", _records(5), 3, cache=cache)
    assert (written.indexed, written.reused) == (3, 0)
    assert sorted(pagefind_pages(tmp_path / "site")) == sorted(r.url for r in _records(5))
    assert not fragment.exists() or fragment.read_bytes() != b"garbage"
    # and they are whole again for the next build
    assert write_shards(tmp_path / "site" / "pagefind", _records(5), 3, cache=cache).reused == 2


def test_the_key_covers_every_field_the_language_and_the_binary() -> None:
    base = _records(2)
    key = shard_key(base, "en", "bin1")
    assert shard_key(list(base), "en", "bin1") == key
    changed = [base[0], Record(base[1].url, base[1].content, {"title": "other"})] + base[2:]
    assert len({key, shard_key(base, "fr", "bin1"), shard_key(base, "en", "bin2"), shard_key(changed, "en", "bin1"),
                shard_key(base[::-1], "en", "bin1")}) == 5


@pytest.mark.browser
def test_the_search_box_merges_the_shards_with_their_filters_and_highlight(project: Project, browser) -> None:
    """search_shard_size 1: each article its own shard; the box finds all three, its filters
    list every shard's values and narrow across shards, and result links carry the highlight."""
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      search_shard_size: 1\n"))
    project.add("one.md", article(title="One", source="Desk", date="2020-01-20", body="Crowds marched. Police watched."))
    project.add("two.md", article(title="Two", source="Wire", date="2020-01-21", topics="[us-troop-presence]",
                                  body="Crowds gathered near the base. Soldiers stayed inside."))
    project.add("three.md", article(title="Three", source="Post", date="2020-01-22",
                                    body="Crowds cheered the vote. Members left."))
    project.build()
    assert len(_bundles(project.site)) >= 3
    with served(project.site) as root:
        page = browser.new_page()
        try:
            page.goto(root)
            page.locator(".nd-search input").click()
            page.keyboard.type("crowds")
            links = page.locator(".nd-search .pf-searchbox-result[href*='/articles/']")
            page.wait_for_function("document.querySelectorAll(\".nd-search .pf-searchbox-result[href*='/articles/']\")"
                                   ".length === 3", timeout=15_000)
            assert sorted(links.nth(i).get_attribute("href") for i in range(3)) == [
                f"/articles/{n}/?pagefind-highlight=crowds" for n in ("one", "three", "two")]
            sources = page.eval_on_selector("select[name=source]", "s => [...s.options].map(o => o.value)")
            assert sources == ["", "Desk", "Post", "Wire"]
            page.select_option("select[name=source]", "Wire")
            page.wait_for_function("document.querySelectorAll(\".nd-search .pf-searchbox-result[href*='/articles/']\")"
                                   ".length === 1", timeout=15_000)
            assert links.first.get_attribute("href") == "/articles/two/?pagefind-highlight=crowds"
        finally:
            page.close()
