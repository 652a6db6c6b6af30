"""A live preview keeps the syndicated-copy groups when an edit cannot change them
(digest/analysis/keptcopies.py), and always agrees with a full run."""

from __future__ import annotations

import random
from dataclasses import replace

from test_duplicates import EDITED, OTHER_ACCOUNT, WIRE, story

from digest.analysis.duplicates import DEFAULT_THRESHOLD, SHINGLE_WORDS, Story, find_duplicates, pack, shingle_hashes, signature
from digest.analysis.keptcopies import KeptCopies

FILLER = ["The council approved a new cycle lane along the river after a long debate about parking.",
          "A late frost damaged blossom across the valley's orchards, growers said on Monday.",
          "The library reopened after a year of repairs, with a new reading room for children.",
          "Rail passengers faced delays after a signal failure outside the main station at dawn."]


def known(s: Story) -> Story:
    """A story with its signature and shingle hashes, as the pipeline's analyses give them."""
    return replace(s, minhash=pack(signature(s.text)), hashes=shingle_hashes(s.text))


def corpus() -> list[Story]:
    items = [story("wire", "Fire at the depot", WIRE), story("copy", "Depot fire", EDITED, hours=2),
             story("residents", "Residents evacuated", OTHER_ACCOUNT, hours=3)]
    items += [story(f"filler-{i}", f"Filler {i}", text, hours=5 + i) for i, text in enumerate(FILLER)]
    return [known(s) for s in items]


def edit(items: list[Story], slug: str, text: str) -> list[Story]:
    return [known(replace(s, text=text)) if s.slug == slug else s for s in items]


def test_an_edit_that_groups_nothing_keeps_the_groups() -> None:
    items = corpus()
    kept = KeptCopies()
    first = find_duplicates(items)
    assert [g.members for g in first] == [("wire", "copy")]
    kept.keep(items, DEFAULT_THRESHOLD, first)
    assert kept.groups_if_unchanged(items, DEFAULT_THRESHOLD, SHINGLE_WORDS) is first
    later = edit(items, "filler-1", FILLER[1] + " Growers hope for a warm spell.")
    assert kept.groups_if_unchanged(later, DEFAULT_THRESHOLD, SHINGLE_WORDS) is first
    assert find_duplicates(later) == first


def test_what_could_change_the_groups_runs_them_again() -> None:
    items = corpus()
    kept = KeptCopies()
    kept.keep(items, DEFAULT_THRESHOLD, find_duplicates(items))
    # A changed article that now copies another; one that was a copy; an added, a removed and a
    # redated article; another threshold or shingle length.
    becomes_copy = edit(items, "residents", "Fire at the depot\n" + WIRE)
    assert find_duplicates(becomes_copy) != find_duplicates(items)
    copy_added = [*items, known(story("again", "Fire at the depot", WIRE, hours=9))]
    copy_redated = [replace(s, published=s.published.replace(year=2032)) if s.slug == "copy" else s for s in items]
    for changed in (becomes_copy, edit(items, "copy", "Depot fire\n" + OTHER_ACCOUNT), copy_added,
                    [s for s in items if s.slug != "copy"], copy_redated):
        assert kept.groups_if_unchanged(changed, DEFAULT_THRESHOLD, SHINGLE_WORDS) is None
    # An article of its own added, removed or redated changes no group.
    own = "Swimmers crossed the bay at dawn for charity, raising money for the lifeboat crew and the harbour school."
    for unchanged in ([*items, known(story("new", "New", own, hours=9))], items[:-1],
                      [replace(s, published=s.published.replace(year=2032)) if s.slug == "filler-0" else s
                       for s in items]):
        assert kept.groups_if_unchanged(unchanged, DEFAULT_THRESHOLD, SHINGLE_WORDS) == find_duplicates(unchanged)
    assert kept.groups_if_unchanged(items, 0.5, SHINGLE_WORDS) is None
    assert kept.groups_if_unchanged(items, DEFAULT_THRESHOLD, 4) is None
    bare = [replace(s, minhash=b"") if s.slug == "filler-2" else s for s in items]
    assert kept.groups_if_unchanged(bare, DEFAULT_THRESHOLD, SHINGLE_WORDS) is None


def test_kept_groups_always_equal_a_full_run() -> None:
    """Random edits (an article rewritten, made a copy or an account of the fire), additions and
    removals: whenever the groups are
    kept, they are those a full run finds, and the full run is asked for the rest."""
    rng = random.Random(7)
    texts = [WIRE, EDITED, OTHER_ACCOUNT, *FILLER]
    items = corpus()
    kept = KeptCopies()
    kept.keep(items, DEFAULT_THRESHOLD, find_duplicates(items))
    reused = 0
    for step in range(60):
        target = rng.choice(items).slug
        text = (rng.choice(texts) if rng.random() < 0.4
                else " ".join(f"w{rng.randrange(5000)}" for _ in range(40)))      # a text of its own
        if step % 5 == 3:                                                       # one comes
            items = [*items, known(story(f"new-{step}", f"New {step}", text, hours=step))]
        elif step % 5 == 4 and len(items) > 3:                                  # one goes
            items = [s for s in items if s.slug != target]
        else:
            items = edit(items, target, f"Headline {target}\n{text}")
        full = find_duplicates(items)
        found = kept.groups_if_unchanged(items, DEFAULT_THRESHOLD, SHINGLE_WORDS)
        if found is not None:
            assert found == full
            reused += 1
        kept.keep(items, DEFAULT_THRESHOLD, full)
    assert 15 < reused < 60
