"""The story grouping's replay in place after an edit (digest/analysis/stories.py's StoryIndex).

Only a live preview's index replays (it keeps each term's holders, each vector's weights and each
decision's margins); a cold or warm build places articles with `StoryIndex.add`. A replay decides
again only the articles an edit can reach, as of their places, and keeps every other decision, so
the index ends bit for bit as a cold build of the edited archive leaves it.
Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, cast

from .storygroup import Group, Vector
from .storyitems import StoryItem
from .storymargins import Margins, nudge

if TYPE_CHECKING:
    from .stories import StoryIndex

__all__ = ["can_replay", "replay"]


def _nudged(index: StoryIndex, j: int, counts: Counter[str],
            moved: set[str]) -> tuple[Vector, list[float], dict[str, int]]:
    """Article `j`'s vector again when only the frequencies of `moved` terms changed: their
    weights are made again, the others' kept (the same numbers a cold build makes), and the
    moved terms' frequencies as of `j`."""
    log, n = math.log, j + 1
    weights = list(index._raw[j])
    df = {}
    for i, (t, c) in enumerate(counts.items()):
        if t in moved:
            df[t] = d = bisect_right(index._held[t], j)
            weights[i] = (1.0 + log(c)) * log((n + 1) / (d + 0.5))
    return index._unit(counts, weights), weights, df


def can_replay(index: StoryIndex, ordered: list[StoryItem], start: int) -> bool:
    """Whether `replay` can take `ordered`: the same articles at the same places from `start`
    on (edited in place), each term's holders kept (keep_read), and no pin that is also an
    article's slug (a story's id then depends on which came first)."""
    if not index.keep_read or len(ordered) != len(index.items):
        return False
    if any(old.key != new.key for old, new in zip(index.items[start:], ordered[start:])):
        return False
    pins = {i.pin for i in ordered if i.pin} | {g.id for g in index._groups.values() if g.pinned}
    return not pins or pins.isdisjoint(i.slug for i in ordered)


def replay(index: StoryIndex, ordered: list[StoryItem], start: int) -> None:
    """Place `ordered[start:]` again after an edit, in place (see `can_replay`). An article is
    decided again if its decision can differ from the last build's: it changed; it is pinned;
    or it is dated within `window_days` after an article whose story or top terms differ from
    the last build's (or that joined a story that does), or it belongs to such a story (only
    then can a candidate, a candidate list or a story it reads have changed). An article whose
    vector was only nudged (it holds a term whose document frequency moved by the edit), or
    that read a nudged article or story, keeps its decision if the nudges cannot tip it
    (storymargins.py), else is decided again. Each is decided as of its place: frequencies,
    postings and centroids count only the articles before it. Every other article keeps its
    place, vector and story, so the state equals a cold build's, bit for bit, and the cost
    follows what the edit reaches, not the length of the archive."""
    window = index.options.window_days * 86400.0
    moved: set[str] = set()         # terms whose document frequency differs from the last build's
    changed: set[str] = set()       # stories whose members differ
    nudged: dict[int, float] = {}   # articles whose vector moved, by how much (L2)
    reposted: dict[str, float] = {}     # terms whose postings moved, up to when that counts
    horizon = -math.inf             # articles dated up to here are decided again
    index._partial = {}
    stale: list[Group] = []
    index.replayed = index.kept = 0
    for j in range(start, len(ordered)):
        # A live preview's index (keep_read) retires no vector: each is a dict.
        item, was, old_vec, old_group = ordered[j], index.items[j], cast(Vector, index._vectors[j]), index._group_of[j]
        edited = item is not was and item != was
        index.items[j] = item
        margins = index._margins[j]
        forced = (edited or item.key[0] <= horizon or item.pin is not None or old_group.id in changed
                  or (bool(reposted) and any(reposted[t] >= item.key[0] for t in reposted.keys() & old_vec.keys())))
        holds = bool(moved) and not moved.isdisjoint(old_vec)
        if not (forced or holds or (nudged and margins is not None and margins.reads_nudged(nudged))):
            continue
        counts, named = index._features(item)
        if edited:
            _move_terms(index, j, old_vec.keys() - counts.keys(), counts.keys() - old_vec.keys(), moved)
        full: dict[str, int] | None = None
        if forced:
            full = {t: bisect_right(index._held[t], j) for t in counts}
            vec, weights = index._vector(counts, full, j + 1)
            df: dict[str, int] | None = None
        elif holds:
            vec, weights, df = _nudged(index, j, counts, moved)
        else:
            vec, weights, df = old_vec, [], {}
        own, own_l1 = nudge(vec, old_vec, same_terms=not forced) if vec is not old_vec else (0.0, 0.0)
        if df is not None and margins is not None and _stands(index, j, vec, moved, df) \
                and margins.takes(own, own_l1, nudged):
            group = old_group
            index.kept += 1
        else:
            index.replayed += 1
            group = _decide(index, j, item, vec, named, full if full is not None else
                            {t: bisect_right(index._held[t], j) for t in counts}, old_group)
        if vec is not old_vec:
            index._raw[j] = array("d", weights)
        posted = _place(index, j, vec, named, group) if vec is not old_vec or group is not old_group else ()
        if vec != old_vec:
            nudged[j] = own
        if group is not old_group or vec != old_vec:
            for moving in (group, old_group):
                if not moving.stale:
                    moving.stale = True
                    stale.append(moving)
        if edited or group is not old_group or group.id in changed:
            changed.update((group.id, old_group.id))
            horizon = max(horizon, item.key[0] + window)
        for term in posted:     # a candidate list under these terms can change, within the window
            reposted[term] = max(reposted.get(term, -math.inf), item.key[0] + window)
    index._settle(stale)
    index._partial = {}


def _stands(index: StoryIndex, j: int, vec: Vector, moved: set[str], df: Mapping[str, int]) -> bool:
    """Whether no moved term of article `j` can tip a rare-word check or a rare-name link (its
    frequency as of `j`, in `df`, within one of either bar): they read frequencies, which the
    margins do not cover."""
    options = index.options
    bars = [max(float(options.rare_floor), options.rare * j)] if options.rare_shared > 0 else []
    if options.links_on_rare_names:
        bars.append(options.rare * j)
    return all(abs(d - bar) > 1.0 for d in df.values() for bar in bars)


def _decide(index: StoryIndex, j: int, item: StoryItem, vec: Vector, named: frozenset[str], df: Mapping[str, int],
            old_group: Group) -> Group:
    """Article `j`'s story decided again as of its place, its margins recorded anew."""
    if item.pin is not None:
        index._margins[j] = None
        return index._groups.get(item.pin) or index._new(item.pin, True)
    margins = Margins()
    candidates, margins.cut = index._candidates(item, vec, j)
    index._margins[j] = margins
    return (index._choose(vec, named, candidates, df, j, margins)
            or (old_group if old_group.id == item.slug else index._new(item.slug, False)))


def _move_terms(index: StoryIndex, j: int, lost: Iterable[str], gained: Iterable[str], moved: set[str]) -> None:
    """Article `j` no longer holds the terms `lost` and now holds `gained` (frequencies, holders)."""
    for term in lost:
        holders = index._held[term]
        del holders[bisect_left(holders, j)]
        index._df[term] -= 1
        if not index._df[term]:
            del index._df[term]
        moved.add(term)
    for term in gained:
        insort(index._held[term], j)
        index._df[term] += 1
        moved.add(term)


def _place(index: StoryIndex, j: int, vec: Vector, named: frozenset[str], group: Group) -> set[str]:
    """Article `j`'s new vector, names and story, its postings moved with its top terms
    (the terms whose postings it left or joined are returned)."""
    top = index._top_terms(vec)
    moved = set(top).symmetric_difference(index._top[j]) if top != index._top[j] else set()
    if top != index._top[j]:
        for term in index._top[j]:
            postings = index._postings[term]
            del postings[bisect_left(postings, j)]
        for term in top:
            insort(index._postings[term], j)
        index._top[j] = top
    index._vectors[j], index._names[j] = vec, named
    old = index._group_of[j]
    if group is not old:
        del old.members[bisect_left(old.members, j)]
        insort(group.members, j)
        index._group_of[j] = group
    return moved
