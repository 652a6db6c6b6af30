"""Where reports differ: within one group of articles about one event (a story), the
figures that different sources give for the same quantity and that cannot both be true.

Claims (digest/analysis/figures.py) describe the same quantity when they count the same
thing in the same time scope and name no two different places (`same_thing`). Such
claims disagree only when

- their sources differ (the outlet a sentence cites, else the article's outlet, compared
  as organisations: "AP" is "The Associated Press"), and
- they come from different articles, or one article cites both sources: an article
  revising its own count is not a disagreement between reports, and
- their figures cannot both hold: "327" and "at least 327", "nearly 2,000" and "about
  2,000" agree; "one" and "at least three" do not.

The group is the window: a toll revised over a week within one story is one quantity.
Relative periods ("over the past month", "today") are anchored at each report's date, so
the same words a fortnight apart are different periods. Pure: no MkDocs and no file I/O;
not part of the cached analysis (it combines articles).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .attribution import source_key
from .figures import Claim
from .memo import Memo

__all__ = ["Conflict", "agree", "comparable", "conflicts_by_group", "find_conflicts", "same_thing"]

#: How far apart, in days, two reports of a relative period may be and still mean the same
#: days: a quarter of the period, at least one day ("today" means the same calendar day).
_RELATIVE_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 1 / 24, "minute": 1 / 1440}
_APPROX = 0.1     # "about 2,000" covers 1,800 to 2,200
#: Reports of one quantity differ by a revision or a source's count, not by orders of
#: magnitude: figures further apart than this (as a ratio, and as a difference) are
#: different quantities that share a noun ("six dead" in one village, "40" in the region).
_RATIO, _DIFFERENCE = 5.0, 3


@dataclass(frozen=True)
class Conflict:
    """Claims about the same quantity of one event whose sources' figures cannot all hold."""

    label: str
    scope_label: str
    claims: tuple[Claim, ...]


def _period_days(scope: str) -> float | None:
    """The length of a relative period in days ("3 days" -> 3, "this week" -> 7), None if
    the scope is not relative to the report's date ("since october", "")."""
    if scope in ("today", "yesterday"):
        return 0.0
    words = scope.split()
    if len(words) == 2 and words[0] in ("this", "last", "past"):
        return float(_RELATIVE_DAYS.get(words[1], 0)) or None
    if len(words) == 2 and words[0].isdigit():
        return int(words[0]) * _RELATIVE_DAYS.get(words[1].rstrip("s"), 0) or None
    return None


def same_thing(a: Claim, b: Claim) -> bool:
    """Whether two claims count the same thing over the same period and place."""
    if a.thing != b.thing:
        return False
    scope_a, _, place_a = a.scope.partition("@")
    scope_b, _, place_b = b.scope.partition("@")
    if scope_a != scope_b or (place_a and place_b and place_a != place_b):
        return False
    days = _period_days(scope_a)
    if days is None:
        return True
    if days == 0:
        return a.published.date() == b.published.date()
    return abs((a.published - b.published).total_seconds()) <= max(1.0, days / 4) * 86400


def _interval(c: Claim) -> tuple[float, float]:
    """The values a figure allows: "at least 3" is [3, inf), "up to 600" is [0, 600]."""
    if c.bound == "lower":
        return c.value, float("inf")
    if c.bound == "upper":
        return 0.0, c.value
    if c.bound == "approx":
        return c.value * (1 - _APPROX), c.value * (1 + _APPROX)
    return c.value, c.value


def agree(a: Claim, b: Claim) -> bool:
    """Whether both figures can hold at once ("327" and "at least 327" can)."""
    (lo_a, hi_a), (lo_b, hi_b) = _interval(a), _interval(b)
    return lo_a <= hi_b and lo_b <= hi_a


def _disagree(a: Claim, b: Claim) -> bool:
    """A real disagreement between two reports (see the module docstring)."""
    if source_key(a.source) == source_key(b.source):
        return False
    if a.slug == b.slug and not (a.cited and b.cited):
        return False
    return not agree(a, b)


def _event_bound(c: Claim) -> bool:
    """Whether a claim counts what an event did (deaths, wounded, arrests, rockets fired):
    a bare count of a noun ("seven children", "two states") may be any set of them."""
    return c.thing in ("deaths", "wounded", "arrests", "casualties") or "/" in c.thing


def comparable(a: Claim, b: Claim) -> bool:
    """Whether the panel may set two claims side by side: both count what an event did, and
    the same thing over the same period and place (the detector tests/data/figures_eval.json
    measures)."""
    return _event_bound(a) and _event_bound(b) and same_thing(a, b)


def _close(values: list[Claim]) -> list[list[Claim]]:
    """Claims (sorted by value) in runs of close values (see _RATIO)."""
    runs: list[list[Claim]] = []
    for c in values:
        last = runs[-1][-1].value if runs else None
        if last is not None and (c.value <= last * _RATIO or c.value - last <= _DIFFERENCE):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _quantities(claims: list[Claim]) -> list[list[Claim]]:
    """The claims split into quantities: by counted thing and time scope, then by place,
    then into runs of close values. When the figures for a thing name two places (Nairobi,
    Dar es Salaam), a figure that names none could be either, and is left out."""
    by_key: dict[tuple[str, str], list[Claim]] = {}
    for c in claims:
        if _event_bound(c):
            by_key.setdefault((c.thing, c.scope.partition("@")[0]), []).append(c)
    quantities: list[list[Claim]] = []
    for items in by_key.values():
        places = {c.scope.partition("@")[2] for c in items} - {""}
        parts = [items] if len(places) <= 1 else \
            [[c for c in items if c.scope.partition("@")[2] == p] for p in sorted(places)]
        for part in parts:
            quantities += [sorted(run, key=lambda c: (c.published, c.slug, c.index))
                           for run in _close(sorted(part, key=lambda c: c.value))]
    return quantities


def find_conflicts(claims: Iterable[Claim]) -> tuple[Conflict, ...]:
    """The conflicts among the claims of one group of articles about one event, each
    figure listed once per source (its earliest mention), earliest first."""
    conflicts = []
    ordered = sorted(claims, key=lambda c: (c.published, c.slug, c.index))
    for quantity in _quantities(ordered):
        # Relative periods are compared pairwise; `same_thing` holds within the quantity otherwise.
        if not any(_disagree(a, b) and comparable(a, b)
                   for i, a in enumerate(quantity) for b in quantity[i + 1:]):
            continue
        seen: dict[tuple[float, str, str], Claim] = {}
        for c in quantity:
            seen.setdefault((c.value, c.bound, source_key(c.source)), c)
        rows = sorted(seen.values(), key=lambda c: (c.published, c.value))
        conflicts.append(Conflict(quantity[0].label, quantity[0].scope_label, tuple(rows)))
    conflicts.sort(key=lambda x: (x.claims[0].published, x.label))
    return tuple(conflicts)


def conflicts_by_group(claims: Mapping[str, Sequence[Claim]], groups: Mapping[str, Iterable[str]],
                       memo: Memo | None = None) -> dict[str, tuple[Conflict, ...]]:
    """Per group id (a story: the slugs of its articles), the conflicts among its articles'
    claims (`claims`: per slug). Figures are never compared across groups; groups with no
    conflict are left out. `memo` (a live preview's): a group whose articles' claims are the
    last build's keeps its conflicts."""
    found = {}
    for key, slugs in groups.items():
        held = tuple(claims.get(slug, ()) for slug in dict.fromkeys(slugs))

        def compare(held: tuple[Sequence[Claim], ...] = held) -> tuple[Conflict, ...]:
            return find_conflicts(c for these in held for c in these)

        conflicts = compare() if memo is None else memo.at(("conflicts", key), held, compare)
        if conflicts:
            found[key] = conflicts
    return found
