"""Older coverage by month: a topic's and a source's articles, one page per calendar month
(`topics/<id>/YYYY-MM/`, `sources/<key>/YYYY-MM/`, rendered by Renderer), so neither page
has to list everything.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Article

__all__ = ["by_day", "by_month"]


def by_month(items: Iterable[Article]) -> list[tuple[str, list[Article]]]:
    """Articles grouped by `YYYY-MM` of publication, newest month and article first."""
    months: dict[str, list[Article]] = {}
    for a in sorted(items, key=lambda a: (a.published, a.slug), reverse=True):
        months.setdefault(f"{a.published:%Y-%m}", []).append(a)
    return list(months.items())


def by_day(items: Iterable[Article]) -> list[tuple[str, list[Article]]]:
    """Articles grouped by calendar day, newest day first."""
    days: dict[str, list[Article]] = {}
    for a in sorted(items, key=lambda a: a.published, reverse=True):
        days.setdefault(a.day.isoformat(), []).append(a)
    return list(days.items())
