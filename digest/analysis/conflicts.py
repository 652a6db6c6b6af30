"""Where reports differ: numeric claims about the same thing, grouped, and the groups
whose figures disagree.

Claims (digest/analysis/figures.py) count the same thing when their keys (what is counted and
its time scope) agree and they were published within `window_days` of each other; a
group whose figures differ is a `Conflict`, listed once per source and figure. Pure:
no MkDocs and no file I/O; not part of the cached analysis (it combines articles).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .figures import Claim

__all__ = ["Conflict", "find_conflicts", "group_claims", "same_thing"]


@dataclass(frozen=True)
class Conflict:
    """Claims about the same thing, in the same scope, whose figures differ."""

    label: str
    scope_label: str
    claims: tuple[Claim, ...]


def same_thing(a: Claim, b: Claim, window_days: float = 3.0) -> bool:
    """Whether two claims count the same thing: same key and scope, close in time."""
    close = abs((a.published - b.published).total_seconds()) <= window_days * 86400
    return a.thing == b.thing and a.scope == b.scope and close


def group_claims(claims: Iterable[Claim], window_days: float = 3.0) -> list[list[Claim]]:
    """Claims about the same thing, split where reports are more than `window_days` apart."""
    by_key: dict[tuple[str, str], list[Claim]] = {}
    for c in claims:
        by_key.setdefault((c.thing, c.scope), []).append(c)
    groups: list[list[Claim]] = []
    for items in by_key.values():
        items.sort(key=lambda c: (c.published, c.slug, c.index))
        current = [items[0]]
        for c in items[1:]:
            if (c.published - current[-1].published).total_seconds() > window_days * 86400:
                groups.append(current)
                current = []
            current.append(c)
        groups.append(current)
    return groups


def find_conflicts(claims: Iterable[Claim], window_days: float = 3.0) -> tuple[Conflict, ...]:
    """Groups whose figures differ, each figure once per source (its earliest mention)."""
    conflicts = []
    for group in group_claims(claims, window_days):
        if len({c.figure_key for c in group}) < 2:
            continue
        seen: dict[tuple[tuple[float, str], str], Claim] = {}
        for c in group:
            seen.setdefault((c.figure_key, c.source.lower()), c)
        rows = sorted(seen.values(), key=lambda c: (c.published, c.value))
        conflicts.append(Conflict(group[0].label, group[0].scope_label, tuple(rows)))
    conflicts.sort(key=lambda x: (x.claims[0].published, x.label))
    return tuple(conflicts)
