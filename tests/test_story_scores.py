"""A one-off build's numpy scoring of story candidates (digest/analysis/storyscores.py) gives the
very doubles and the very candidates of the plain loops it replaces, so the grouping is the same."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from conftest import story_state

from digest.analysis.stories import StoryIndex, StoryItem, StoryOptions, cluster
from digest.analysis.storygroup import Retired, dot
from digest.analysis.storyscores import Scorer, nearest


def _unit(rng: random.Random, words: list[str]) -> dict[str, float]:
    weights = {w: rng.choice([0.5, 1.0, 1.0, rng.random() + 0.01]) for w in words}
    norm = sum(w * w for w in weights.values()) ** 0.5
    return {t: w / norm for t, w in weights.items()}


def test_scores_are_the_exact_dot_products_bit_for_bit() -> None:
    rng = random.Random(5)
    vocabulary = [f"t{i}" for i in range(3000)]       # more terms than the first probe array holds
    vectors = [_unit(rng, rng.sample(vocabulary[: rng.choice([40, 3000])], rng.randint(1, 40))) for _ in range(300)]
    vectors[7] = Retired(vectors[7])        # an article out of the window, read again after a truncation
    scorer = Scorer()
    for _ in range(60):
        vec = _unit(rng, rng.sample(vocabulary, rng.randint(1, 150)))
        candidates = rng.sample(range(300), rng.randint(0, 40))
        got = scorer.scores(vec, candidates, vectors)
        assert got == [dot(vec, vectors[j]) for j in candidates]
    assert scorer.scores({"t1": 1.0}, [], vectors) == []
    assert scorer.scores({"nowhere": 1.0}, [3], vectors) == [0.0]


def _nearest_by_loop(vec: dict[str, float], postings: dict[str, list[int]], first: int, cap: int,
                     keep: int | None, before: int | None) -> list[tuple[int, float]]:
    shared: dict[int, float] = defaultdict(float)
    for term, weight in vec.items():
        held = [j for j in postings.get(term, []) if before is None or j < before]
        for j in reversed(held[-cap:]):
            if j < first:
                break
            shared[j] += weight
    return sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))[:keep]


def test_nearest_ranks_like_the_loop_ties_to_the_later_article() -> None:
    rng = random.Random(9)
    postings: dict[str, list[int]] = {f"t{i}": sorted(rng.sample(range(500), rng.randint(0, 90))) for i in range(60)}
    for _ in range(300):
        # Equal weights make many tied sums: the later position must come first, as in the loop.
        vec = {t: rng.choice([0.25, 0.5, rng.random()]) for t in rng.sample(sorted(postings), rng.randint(1, 30))}
        first, cap, keep = rng.randint(0, 480), rng.choice([1, 8, 60]), rng.choice([1, 6, 40, None])
        before = rng.choice([None, rng.randint(0, 520)])     # a replay in place: only positions before it
        got = nearest(vec, postings, first, cap, keep, before)
        assert got == _nearest_by_loop(vec, postings, first, cap, keep, before)
    assert nearest({"t0": 1.0}, postings, 10_000, 60, 40) == []
    assert nearest({"missing": 1.0}, postings, 0, 60, 40) == []


def test_a_one_off_build_groups_as_the_live_preview_with_its_exact_loops() -> None:
    """Reports retold word for word (equal scores, equal candidate sums) and small caps that
    cut through the ties: the one-off index (numpy) and a live preview's (plain loops) agree."""
    rng = random.Random(3)
    common = [f"w{i:02d}" for i in range(20)]
    items = []
    for i in range(240):
        event = rng.randrange(30)
        told = " ".join([f"e{event}k{k}" for k in range(4)] + rng.choices(common, k=6))
        if i % 5 == 0 and items:
            told = items[-1].lede         # a copy word for word
        items.append(StoryItem(f"a{i:03d}", datetime(2022, 1, 1, tzinfo=UTC) + timedelta(hours=3 * i),
                               told.split()[0], told, names=((f"name{event % 9}", 2),)))
    options = StoryOptions(link=0.2, centroid=0.25, rare_shared=1, rare=0.1, rare_floor=3, named_link=0.35,
                           min_terms=0, candidates=5, postings=6, top_terms=4)
    cold = cluster(items, options)
    live = cluster(items, options, StoryIndex(keep_read=True))
    assert story_state(cold) == story_state(live)
    assert max(len(g.members) for g in cold._groups.values()) >= 5
