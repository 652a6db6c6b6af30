"""The live preview's related coverage (digest/analysis/relatedindex.py) rescores only the lists an
edit can change; after every kind of edit its lists equal a cold `related` of the new corpus."""

from __future__ import annotations

import random

from digest.analysis.relatedindex import RelatedIndex, TermCounts
from digest.analysis.similarity import related, vectorise_counts

VOCABULARY = [f"t{i:03d}" for i in range(300)]


def _article(rng: random.Random) -> TermCounts:
    # Zipf-like: the first terms are in most articles (over the frequency cap), the rest rare.
    chosen = {VOCABULARY[min(int(rng.paretovariate(0.6)) - 1, len(VOCABULARY) - 1)] for _ in range(40)}
    terms = sorted(chosen)
    return " ".join(terms), tuple(rng.randint(1, 4) for _ in terms)


def _cold(items: dict[str, TermCounts]) -> dict[str, tuple[str, ...]]:
    counts = {key: dict(zip(terms.split(" "), n)) if terms else {} for key, (terms, n) in items.items()}
    return related(vectorise_counts(counts), 5, 0.05)


def _edited(item: TermCounts, rng: random.Random, kind: str) -> TermCounts:
    counts = dict(zip(item[0].split(" "), item[1]))
    if kind == "recount":                       # same terms, other counts: only its own vector moves
        term = rng.choice(sorted(counts))
        counts[term] += 1
    elif kind == "new term":                    # a term no article has
        counts[f"new{rng.randint(0, 10**6)}"] = 1
    elif kind == "common term":                 # a frequent term: every holder's vector moves
        counts.setdefault(VOCABULARY[rng.randint(0, 3)], 1)
    elif kind == "drop":
        del counts[rng.choice(sorted(counts))]
    else:                                       # emptied
        counts = {}
    terms = sorted(counts)
    return " ".join(terms), tuple(counts[t] for t in terms)


def test_every_kind_of_edit_gives_the_lists_of_a_cold_run() -> None:
    rng = random.Random(7)
    items = {f"a{i:04d}": _article(rng) for i in range(450)}
    index = RelatedIndex()
    assert index.related(items, 5, 0.05) == _cold(items)
    kinds = ["recount", "new term", "common term", "drop", "emptied"]
    for step in range(30):
        kind = kinds[step % len(kinds)]
        for key in rng.sample(sorted(items), 1 + step % 3):
            items[key] = _edited(items[key], rng, kind)
        found = index.related(items, 5, 0.05)
        assert found == _cold(items), (step, kind)
        assert list(found) == list(items)
    assert index.rescored < len(items)        # the last edits rescored only some rows


def test_an_edit_rescores_only_the_lists_it_can_reach() -> None:
    """A rare term added to one article moves only its own vector: the lists scored again are its
    own, those that named it and those it now reaches, not every list sharing a term with it;
    with short lists (a high minimum) and full ones, every list still equals a cold run's."""
    for limit, min_score in ((5, 0.05), (3, 0.3), (8, 0.2)):
        rng = random.Random(limit)
        items = {f"a{i:04d}": _article(rng) for i in range(400)}
        index = RelatedIndex()
        cold = related(vectorise_counts({k: dict(zip(t.split(" "), n)) for k, (t, n) in items.items()}),
                       limit, min_score)
        assert index.related(items, limit, min_score) == cold
        for step in range(12):
            key = rng.choice(sorted(items))
            kind = ("new term", "recount", "drop")[step % 3]
            items[key] = _edited(items[key], rng, kind)
            found = index.related(items, limit, min_score)
            assert found == related(vectorise_counts({k: dict(zip(t.split(" "), n)) for k, (t, n) in items.items()}),
                                    limit, min_score), (limit, step)
            if kind != "drop":      # a dropped term's holders all move: many lists may change
                assert index.rescored < len(items) // 10, (limit, step, index.rescored)


def test_a_term_crossing_the_frequency_cap_rescores_its_holders() -> None:
    # 240 articles share "common" just below the cap (200); edits push it over and back.
    items: dict[str, TermCounts] = {f"a{i:03d}": (f"common x{i % 40:02d}", (1, 2)) for i in range(200)}
    items.update({f"b{i:03d}": (f"x{i % 40:02d} y{i % 7}", (2, 1)) for i in range(40)})
    index = RelatedIndex()
    assert index.related(items, 5, 0.0) == _cold(items)
    for i in range(3):
        items[f"b{i:03d}"] = (f"common x{i % 40:02d} y{i % 7}", (1, 2, 1))
        assert index.related(items, 5, 0.0) == _cold(items)
    for i in range(3):
        items[f"b{i:03d}"] = (f"x{i % 40:02d} y{i % 7}", (2, 1))
        assert index.related(items, 5, 0.0) == _cold(items)


def test_added_or_removed_articles_and_other_options_rebuild_the_index() -> None:
    rng = random.Random(3)
    items = {f"a{i:03d}": _article(rng) for i in range(120)}
    index = RelatedIndex()
    index.related(items, 5, 0.05)
    items["new"] = _article(rng)
    assert index.related(items, 5, 0.05) == _cold(items) and index.rescored == len(items)
    del items["a000"]
    assert index.related(items, 5, 0.05) == _cold(items)
    assert index.related(items, 3, 0.05) == related(vectorise_counts(
        {k: dict(zip(t.split(" "), n)) for k, (t, n) in items.items()}), 3, 0.05)


def test_a_cold_rebuild_reads_only_the_changed_articles_terms_again() -> None:
    """Articles coming and going make every vector change; the index then reads again only the
    terms of articles whose counts changed (similarity.count_matrix's `parsed`), keeps each
    term's column, and still gives a cold run's lists through edits, additions and removals."""
    rng = random.Random(11)
    items = {f"a{i:03d}": _article(rng) for i in range(150)}
    index = RelatedIndex()
    index.related(items, 5, 0.05)
    kinds = ["recount", "new term", "common term", "drop", "emptied"]
    for step in range(12):
        if step % 3 == 0:
            items[f"n{step:02d}"] = _article(rng)
        elif step % 3 == 1:
            del items[rng.choice(sorted(items))]
        for key in rng.sample(sorted(items), 2):
            items[key] = _edited(items[key], rng, kinds[step % len(kinds)])
        assert index.related(items, 5, 0.05) == _cold(items), step
        assert set(index._parsed) <= set(items)
    kept = dict(index._parsed)
    # As a build does, each article's pair is made again of its analysis' very terms and counts.
    items = {key: (terms, counts) for key, (terms, counts) in items.items()}
    items["late"] = _article(rng)
    assert index.related(items, 5, 0.05) == _cold(items)
    unchanged = {key: ids for key, (item, ids, _) in kept.items()
                 if items[key][0] is item[0] and items[key][1] is item[1]}
    assert len(unchanged) > 100 and all(index._parsed[key][1] is ids for key, ids in unchanged.items())
    # Equal counts that are other objects are read again (identity is the cheap, safe test).
    items = {key: (" ".join(terms.split(" ")), tuple(list(counts))) for key, (terms, counts) in items.items()}
    items["later"] = _article(rng)
    assert index.related(items, 5, 0.05) == _cold(items)
    copied = [key for key in unchanged if items[key][0] is not kept[key][0][0] or items[key][1] is not kept[key][0][1]]
    assert len(copied) > 100 and all(index._parsed[key][1] is not unchanged[key] for key in copied)
