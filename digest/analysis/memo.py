"""Results of pure steps by their inputs, kept from one build to the next.

A live preview (digest/adapter/livepreview.py) rebuilds after every save; most of a digest's
summaries and pages have the same inputs as last time. A step run through a `Memo` with equal
inputs (compared by value) gives back the last result instead of running again, so the result is
the same as a cold build's by construction. After each build, `done()` forgets the entries that
build did not ask for, so the memo holds one build's worth and never grows.

Steps that update their own state instead keep it here too, under a name (`kept`): e.g.
relatedindex.py's RelatedIndex, which rescores only what an edit can change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Memo", "PerArticle"]

T = TypeVar("T")


class Memo:
    """A cache of one build's step results by their place, kept while their inputs are equal."""

    def __init__(self) -> None:
        self.hits = self.misses = 0
        self._kept: dict[str, object] = {}
        self._last_at: dict[Hashable, tuple[object, object]] = {}
        self._this_at: dict[Hashable, tuple[object, object]] = {}

    def kept(self, name: str, make: Callable[[], T]) -> T:
        """The state of the incremental step `name`, made by `make()` on first use."""
        if name not in self._kept:
            self._kept[name] = make()
        return self._kept[name]     # type: ignore[return-value]

    def at(self, place: Hashable, inputs: object, compute: Callable[[], T]) -> T:
        """The result of the step at `place` (e.g. a page's path): the last build's if its
        `inputs` there equal these, else `compute()`. The inputs are compared with that one
        entry's only, never hashed: after an edit nearly all of them are the very objects of
        the last build, so comparing them costs next to nothing, where hashing them again
        (dataclasses do not keep their hash) cost about a second at 10,000 articles."""
        last = self._this_at.get(place) or self._last_at.get(place)
        if last is not None and last[0] == inputs:
            self.hits += 1
            # The last entry is kept as it is: no new pair made, none freed when the build ends.
            self._this_at[place] = last
            return last[1]      # type: ignore[return-value]
        found = compute()
        self.misses += 1
        self._this_at[place] = (inputs, found)
        return found

    def done(self) -> None:
        """A build ended: keep only what it used."""
        self._last_at, self._this_at = self._this_at, {}
        self.hits = self.misses = 0


class PerArticle(Generic[T]):
    """What was made from an article and its analysis, by slug, given back while both are the
    very objects it was made from (a live preview's unchanged articles): an identity check,
    cheaper than `Memo.at`'s comparison where there are 10,000 of them. Kept under a name with
    `Memo.kept`; `done()` ends a build, forgetting the slugs it did not ask for."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[object, object, T]] = {}
        self._this: dict[str, tuple[object, object, T]] = {}

    def get(self, slug: str, article: object, analysis: object, make: Callable[[], T]) -> T:
        last = self._last.get(slug)
        found = last[2] if last is not None and last[0] is article and last[1] is analysis else make()
        self._this[slug] = (article, analysis, found)
        return found

    def done(self) -> None:
        self._last, self._this = self._this, {}
