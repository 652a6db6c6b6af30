"""Near-duplicate detection: syndicated copies grouped, different stories kept apart."""

from __future__ import annotations

import random
import time
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from conftest import REPO
from datasketch import MinHash, MinHashLSH

from digest.analysis import duplicates
from digest.analysis.duplicates import (
    DEFAULT_THRESHOLD,
    NUM_PERM,
    DuplicateGroup,
    PairMemo,
    Story,
    candidate_pairs,
    copy_map,
    find_duplicates,
    hash_jaccard,
    jaccard,
    pack,
    shingle_hashes,
    shingles,
    signature,
    sketch_of_words,
)
from digest.analysis.text import words
from digest.loading.prose import body_prose
from digest.loading.loader import load_corpus

T0 = datetime(2031, 5, 3, 9, 0, tzinfo=UTC)

WIRE = """Firefighters battled a blaze at a timber yard on the edge of Brackwell through the night,
and nearby homes were evacuated as a precaution. The fire started in a storage shed shortly before
midnight and spread quickly to stacks of seasoned wood.
Crews from four stations attended, and a high-volume pump was brought in to draw water from the
canal. Police closed the ring road for several hours while smoke drifted across the town.
The owner of the yard said nobody had been working on the site at the time. The cause of the fire
is being investigated, and the fire service asked residents to keep windows closed.
Families who left their homes spent the night at the leisure centre, where volunteers handed out
blankets and food. Most were allowed home by breakfast time."""

EDITED = """Firefighters battled a blaze at a timber yard on the edge of Brackwell through the night,
and nearby homes were evacuated as a precaution. The fire started in a storage shed shortly before
midnight and spread quickly to stacks of seasoned wood.
Four fire stations sent crews, and a powerful pump was used to take water from the canal. The ring
road was shut by police for hours as smoke blew over the town.
The owner of the yard said nobody had been working on the site at the time. The cause of the fire
is being investigated, and the fire service asked residents to keep windows closed.
Families who left their homes spent the night at the leisure centre, where volunteers handed out
blankets and food. Most were allowed home by breakfast time."""

OTHER_ACCOUNT = """Residents of streets near Brackwell's timber yard were woken after midnight and
told to leave as flames tore through piles of wood. Dozens of people were taken to the leisure
centre to wait for news. Fire officers said the heat was intense and that water had to be pumped
from the canal because hydrants could not supply enough. An investigation into how the fire began
has started; the yard had been closed for the evening."""


def story(slug: str, title: str, body: str, hours: float = 0) -> Story:
    return Story(slug, T0 + timedelta(hours=hours), f"{title}\n{body}")


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("The fire, it SPREAD quickly!") == shingles("the fire it spread quickly")
    assert shingles("one two three four five six", k=5) == {"one two three four five", "two three four five six"}
    assert shingles("too short") == {"too short"}
    assert shingles("") == frozenset()
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_an_exact_copy_is_one_story_shown_as_its_earliest() -> None:
    groups = find_duplicates([story("wire-copy", "Timber yard fire", WIRE, hours=5),
                              story("original", "Timber yard fire", WIRE)])
    assert groups == (DuplicateGroup("original", ("wire-copy",), (1.0,)),)


def test_a_copy_with_a_new_headline_and_an_edited_paragraph_is_a_duplicate() -> None:
    original = story("original", "Night blaze at Brackwell timber yard", WIRE)
    copy = story("rerun", "Homes evacuated as timber yard burns", EDITED, hours=3)
    (group,) = find_duplicates([copy, original])
    assert (group.original, group.copies) == ("original", ("rerun",))
    assert DEFAULT_THRESHOLD <= group.similarity[0] < 1.0


def test_different_stories_on_the_same_event_stay_separate() -> None:
    assert find_duplicates([story("a", "Night blaze at Brackwell timber yard", WIRE),
                            story("b", "Residents flee timber yard fire", OTHER_ACCOUNT, hours=1)]) == ()


def test_the_demo_agency_reports_on_one_attack_are_not_duplicates() -> None:
    corpus = load_corpus(REPO / "content")
    by_slug = {a.slug: a for a in corpus.articles}
    afp = by_slug["2020-01-27-afp-one-wounded-embassy-rocket-strike"]
    reuters = by_slug["2020-01-27-reuters-at-least-three-wounded-embassy-attack"]
    stories = [Story(a.slug, a.published, f"{a.title}\n{body_prose(a.body)}") for a in (afp, reuters)]
    assert find_duplicates(stories) == ()


def test_the_demo_wire_rerun_is_found() -> None:
    corpus = load_corpus(REPO / "content")
    stories = [Story(a.slug, a.published, f"{a.title}\n{body_prose(a.body)}") for a in corpus.articles]
    assert copy_map(find_duplicates(stories)) == {
        "2020-01-27-wire-iraqi-pm-denounces-embassy-attack": "2020-01-27-iraqi-pm-condemns-embassy-attack"}


def test_copies_of_copies_join_one_group_and_the_threshold_is_configurable() -> None:
    stories = [story("c", "Fire", EDITED, hours=2), story("a", "Fire", WIRE), story("b", "Fire", WIRE, hours=1)]
    (group,) = find_duplicates(stories)
    assert group.members == ("a", "b", "c")
    strict = find_duplicates(stories, threshold=0.99)
    assert [g.members for g in strict] == [("a", "b")]


def test_same_time_ties_break_on_the_slug_and_output_is_stable() -> None:
    stories = [story("zeta", "Fire", WIRE), story("alpha", "Fire", WIRE)]
    assert find_duplicates(stories) == find_duplicates(list(reversed(stories)))
    assert find_duplicates(stories)[0].original == "alpha"


@pytest.mark.parametrize("bad", [0, -0.1, 1.5])
def test_threshold_outside_zero_one_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="duplicate threshold"):
        find_duplicates([], threshold=bad)


def test_many_distinct_stories_produce_no_groups_quickly() -> None:
    rng = random.Random(7)
    words = [f"w{i}" for i in range(5000)]
    stories = [story(f"s{n}", f"Story {n}", " ".join(rng.choices(words, k=150))) for n in range(300)]
    start = time.perf_counter()
    assert find_duplicates(stories) == ()
    assert time.perf_counter() - start < 10


def _minhash(text: str) -> MinHash:
    """A MinHash made the plain datasketch way, over the set of shingles."""
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m


@pytest.mark.parametrize("text", [WIRE, EDITED, "too short", "a b c d e", "Ünïcode’s “quotes” — and the the the the the"])
def test_signatures_are_datasketch_minhashes_of_the_shingle_set(text: str) -> None:
    assert signature(text) == tuple(int(v) for v in _minhash(text).hashvalues)
    assert signature("") == signature(" ,.; ") == ()


def test_shingle_hashes_give_the_exact_jaccard_of_the_shingles() -> None:
    """The check of a candidate pair compares shingle hashes, precomputed with the signature."""
    texts = [WIRE, EDITED, WIRE[: len(WIRE) // 2], "too short", ""]
    for a in texts:
        assert sketch_of_words(words(a)) == (pack(signature(a)), shingle_hashes(a))
        assert len(shingle_hashes(a)) == 4 * len(shingles(a))
        for b in texts:
            assert hash_jaccard(shingle_hashes(a), shingle_hashes(b)) == jaccard(shingles(a), shingles(b))
    # Stories that carry their hashes are grouped as those that do not.
    bare = [story("wire", "Fire at the depot", WIRE), story("copy", "Depot fire", EDITED, hours=2)]
    known = [Story(s.slug, s.published, s.text, pack(signature(s.text)), shingle_hashes(s.text)) for s in bare]
    assert find_duplicates(known) == find_duplicates(bare) and find_duplicates(bare)


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.6, 1.0])
def test_candidate_pairs_agree_on_a_band_of_datasketchs_values_in_either_layout(threshold: float) -> None:
    """A pair is a candidate when its signatures agree on every value of one band, the bands
    holding as many values as datasketch's MinHashLSH would put in one for 0.05 below the
    threshold, in its band order and again in bands of values `bands` apart, and when the low
    bytes of at least the threshold less 0.08 of its values agree (at least as many as the values
    themselves: never fewer candidates)."""
    rng = random.Random(3)
    words = [f"w{i}" for i in range(400)]
    bases = [rng.choices(words, k=80) for _ in range(6)]
    texts = [" ".join(w if rng.random() > rate else rng.choice(words) for w in rng.choice(bases))
             for rate in [rng.choice([0.0, 0.05, 0.2, 0.5, 1.0]) for _ in range(120)]] + ["", "short"]
    signatures = [signature(t) for t in texts]
    lsh = MinHashLSH(threshold=max(0.05, threshold - 0.05), num_perm=NUM_PERM)
    b, r = lsh.b, lsh.r
    layouts = [[list(range(k * r, (k + 1) * r)) for k in range(b)],
               [[k + b * i for i in range(r)] for k in range(b)]]
    expected: set[tuple[int, int]] = set()
    for j, later in enumerate(signatures):
        for i, earlier in enumerate(signatures[:j]):
            if not earlier or not later:
                continue
            banded = any(all(earlier[c] == later[c] for c in band) for layout in layouts for band in layout)
            agree = sum((x & 0xFF) == (y & 0xFF) for x, y in zip(earlier, later))   # low bytes: a superset
            assert agree >= _minhash(texts[i]).jaccard(_minhash(texts[j])) * NUM_PERM
            if banded and agree >= (threshold - 0.08) * NUM_PERM:
                expected.add((i, j))
    assert expected and candidate_pairs(signatures, threshold) == expected
    assert candidate_pairs([], threshold) == set() and candidate_pairs([(), ()], threshold) == set()


def test_a_memo_of_the_last_run_gives_the_same_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pairs taken from the memo plus those of new rows equal a run from scratch, whether
    rows are added, removed, edited or repeated, and whatever order they come in."""
    rng = random.Random(5)
    words = [f"w{i}" for i in range(300)]
    bases = [rng.choices(words, k=60) for _ in range(5)]
    texts = [" ".join(w if rng.random() > rate else rng.choice(words) for w in rng.choice(bases))
             for rate in [rng.choice([0.0, 0.1, 0.3, 1.0]) for _ in range(90)]]
    memo = PairMemo()
    first = [signature(t) for t in texts]
    assert candidate_pairs(first, 0.3, memo) == candidate_pairs(first, 0.3) and memo.pairs
    later = first[10:] + [signature(texts[3] + " w1 w2"), first[20], (), signature(texts[50])]
    rng.shuffle(later)
    compared: list[tuple[str, int]] = []
    bucketed, direct = duplicates._collisions, duplicates._row_collisions

    def spy(values, bands, width, rows=None):  # type: ignore[no-untyped-def]
        compared.append(("buckets", len(values) if rows is None else len(rows)))
        return bucketed(values, bands, width, rows)

    def row_spy(values, bands, width, rows):  # type: ignore[no-untyped-def]
        compared.append(("rows", len(rows)))
        return direct(values, bands, width, rows)

    monkeypatch.setattr(duplicates, "_collisions", spy)
    monkeypatch.setattr(duplicates, "_row_collisions", row_spy)
    assert candidate_pairs(later, 0.3, memo) == candidate_pairs(later, 0.3)
    # With the memo only new (or repeated) signatures are compared, each with every row
    # directly; without, all of them, through the buckets.
    assert compared[1] == ("buckets", len(later) - 1)
    assert compared[0][0] == "rows" and 0 < compared[0][1] < compared[1][1] // 2
    # More new rows than FEW_ROWS go through the buckets too, and give the same pairs.
    monkeypatch.setattr(duplicates, "FEW_ROWS", 1)
    fresh_memo = PairMemo()
    candidate_pairs(first, 0.3, fresh_memo)
    compared.clear()
    assert candidate_pairs(later, 0.3, fresh_memo) == candidate_pairs(later, 0.3)
    assert compared[0][0] == "buckets"
    assert candidate_pairs(later, 0.5, memo) == candidate_pairs(later, 0.5)     # another threshold: from scratch
    again = later[:-5]
    assert candidate_pairs(again, 0.5, memo) == candidate_pairs(again, 0.5)


def test_scores_of_the_last_run_are_reused_and_renewed() -> None:
    """A live preview keeps each candidate pair's Jaccard by the pair's shingle hashes: a rerun
    reads them instead of intersecting again, and keeps only the pairs it checked."""
    bare = [story("wire", "Fire at the depot", WIRE), story("copy", "Depot fire", EDITED, hours=2),
            story("other", "Depot fire", WIRE.replace("fire", "blaze"), hours=3)]
    known = [Story(s.slug, s.published, s.text, pack(signature(s.text)), shingle_hashes(s.text)) for s in bare]
    scores: dict[tuple[bytes, bytes], float] = {}
    cold = find_duplicates(known)
    assert find_duplicates(known, scores=scores) == cold and scores
    assert set(scores.values()) == {hash_jaccard(a, b) for a, b in scores}
    scores[(b"stale", b"pair")] = 1.0
    assert find_duplicates(known, scores=scores) == cold and (b"stale", b"pair") not in scores
    # The scores are read, not recomputed: forged scores (no pair alike) change the groups.
    forged = dict.fromkeys(scores, 0.0)
    assert find_duplicates(known, scores=forged) == ()



def test_templated_articles_are_not_compared_pair_by_pair_yet_a_copy_among_them_is_found(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Articles made from one pool of sentences share about 7% of their runs, as a generated
    archive's or a desk's templated reports do. The bands must not make most of their pairs
    collide (bands of 2 values collide 24% of them, a share of a number that grows as the square
    of the archive; ours 7%), and an edited copy among them (three of its twelve sentences new)
    is found."""
    rng = random.Random(8)
    vocab = ["the", "council", "said", "river", "budget", "police", "on", "a", "new", "plan", "for", "town",
             "after", "vote", "school", "road"]
    pool = [" ".join(rng.choice(vocab) for _ in range(14)) for _ in range(60)]
    picks = [rng.sample(pool, 12) for _ in range(300)]
    copy = list(picks[0])
    copy[3], copy[8], copy[10] = (" ".join(f"x{rng.randrange(10**6)}" for _ in range(14)) for _ in range(3))
    texts = [" ".join(p) for p in picks] + [" ".join(copy)]
    assert 0.45 < jaccard(shingles(texts[0]), shingles(texts[300])) < 0.55
    collided = []
    real = duplicates._collisions

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        for first, second in real(*args, **kwargs):
            collided.append(len(first))
            yield first, second

    monkeypatch.setattr(duplicates, "_collisions", counted)
    pairs = candidate_pairs([signature(t) for t in texts], DEFAULT_THRESHOLD)
    assert (0, 300) in pairs
    assert sum(collided) < 0.12 * (301 * 300 / 2)      # 7% here
    groups = find_duplicates([story(f"a{i:03}", "Council news", t, hours=i) for i, t in enumerate(texts)])
    assert ("a000", "a300") in [g.members for g in groups]
