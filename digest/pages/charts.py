"""Chart layouts for inline SVG: article counts over time, by source, and per topic.

Pure geometry: each function returns a `Chart` (bars, labels, axis lines and the
same numbers as a table) and `site_templates/pages/_charts.j2` draws it as inline
SVG. Colours come from CSS (Material's variables, see digest.css), so a chart reads
in both the light and the dark scheme; the SVG's <title>/<desc> and the data table
are its text alternatives. No JavaScript and no pixel images.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Article, TopicDigest

__all__ = ["PERIODS", "Bar", "Chart", "Label", "Line", "activity_chart", "choose_period",
           "period_start", "periods_between", "source_chart", "topics_chart"]

PERIODS = ("auto", "day", "week", "month")
WIDTH = 640
MAX_BAR = 40.0      # a column is never wider than this, however few periods there are
_NOUN = {"day": "day", "week": "week", "month": "month"}


@dataclass(frozen=True)
class Bar:
    """A filled rectangle standing for `value` articles; `label` is its tooltip."""

    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass(frozen=True)
class Label:
    """A text label; `anchor` is SVG's text-anchor (start, middle, end)."""

    x: float
    y: float
    text: str
    anchor: str = "middle"
    muted: bool = True


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Chart:
    """Everything the SVG template draws, plus the data as a table for the text alternative."""

    id: str
    title: str
    description: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    labels: tuple[Label, ...]
    lines: tuple[Line, ...]
    table_head: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]


def choose_period(first: date, last: date, setting: str = "auto") -> str:
    """'day', 'week' or 'month': the setting, or for 'auto' whatever keeps about 60 bars or fewer."""
    if setting not in PERIODS:
        raise ValueError(f"unknown period {setting!r}; use one of {', '.join(PERIODS)}")
    if setting != "auto":
        return setting
    span = (last - first).days
    return "day" if span <= 60 else "week" if span <= 7 * 60 else "month"


def period_start(day: date, period: str) -> date:
    """The first day of the period holding `day` (weeks start on Monday)."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def periods_between(first: date, last: date, period: str) -> list[date]:
    """Every period from the one holding `first` to the one holding `last`, empty ones included."""
    current, end, out = period_start(first, period), period_start(last, period), []
    while current <= end:
        out.append(current)
        if period == "month":
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            current += timedelta(days=7 if period == "week" else 1)
    return out


def _name(start: date, period: str, short: bool = False) -> str:
    if period == "month":
        return f"{start:%b %Y}" if short else f"{start:%B %Y}"
    if period == "week":
        return f"w/c {start.day} {start:%b}" if short else f"week of {start.day} {start:%B %Y}"
    return f"{start.day} {start:%b}" if short else f"{start.day} {start:%B %Y}"


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def _count(articles: Iterable[Article], period: str) -> Counter[date]:
    return Counter(period_start(a.day, period) for a in articles)


def _tick_positions(n: int, most: int = 6) -> list[int]:
    """Indices of up to `most` evenly spread x labels, always the first and the last."""
    if n <= most:
        return list(range(n))
    step = (n - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def activity_chart(articles: Sequence[Article], chart_id: str, subject: str,
                   period: str = "auto") -> Chart | None:
    """Columns of articles per day, week or month over the whole span of `articles`."""
    if not articles:
        return None
    days = [a.day for a in articles]
    unit = choose_period(min(days), max(days), period)
    starts = periods_between(min(days), max(days), unit)
    counts = _count(articles, unit)
    top = max(counts.values())
    left, right, top_pad, bottom = 36.0, 8.0, 12.0, 28.0
    height = 200
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    slot = plot_w / len(starts)
    gap = max(min(slot * 0.2, 6.0), slot - MAX_BAR)
    bars = []
    for i, start in enumerate(starts):
        value = counts.get(start, 0)
        h = plot_h * value / top
        bars.append(Bar(round(left + i * slot + gap / 2, 2), round(top_pad + plot_h - h, 2),
                        round(max(slot - gap, 1.0), 2), round(h, 2), value,
                        f"{_name(start, unit)}: {_articles(value)}"))
    base = top_pad + plot_h
    labels = [Label(left - 6, base + 4, "0", "end"), Label(left - 6, top_pad + 4, str(top), "end")]
    labels += [Label(round(left + (i + 0.5) * slot, 2), height - 8, _name(starts[i], unit, short=True))
               for i in _tick_positions(len(starts))]
    busiest = max(starts, key=lambda s: (counts.get(s, 0), s))
    noun = _NOUN[unit]
    description = (f"{_articles(len(articles)).capitalize()} on {subject} per {noun}, from "
                   f"{_name(starts[0], unit)} to {_name(starts[-1], unit)}. The busiest {noun} was "
                   f"{_name(busiest, unit)}, with {_articles(counts[busiest])}.")
    return Chart(chart_id, f"Articles per {noun}", description, WIDTH, height, tuple(bars), tuple(labels),
                 (Line(left, base, WIDTH - right, base),), (noun.capitalize(), "Articles"),
                 tuple((_name(s, unit), str(counts.get(s, 0))) for s in starts))


def source_chart(articles: Sequence[Article], chart_id: str, subject: str, most: int = 8) -> Chart | None:
    """Horizontal bars of articles per source, largest first; the rest grouped as 'Other sources'."""
    if not articles:
        return None
    ranked = sorted(Counter(a.source for a in articles).items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > most:
        rest = sum(n for _, n in ranked[most - 1:])
        ranked = ranked[: most - 1] + [("Other sources", rest)]
    row, top_pad = 26.0, 6.0
    left, right = 180.0, 48.0
    height = int(top_pad * 2 + row * len(ranked))
    top = ranked[0][1]
    bars, labels = [], []
    for i, (name, value) in enumerate(ranked):
        y = top_pad + i * row
        w = (WIDTH - left - right) * value / top
        bars.append(Bar(left, round(y + 4, 2), round(w, 2), row - 8, value, f"{name}: {_articles(value)}"))
        shown = name if len(name) <= 26 else name[:25] + "…"
        labels.append(Label(left - 8, round(y + row / 2 + 4, 2), shown, "end", muted=False))
        labels.append(Label(round(left + w + 6, 2), round(y + row / 2 + 4, 2), str(value), "start"))
    description = (f"{_articles(len(articles)).capitalize()} on {subject} from {len(set(a.source for a in articles))} "
                   f"source(s). " + "; ".join(f"{n}: {v}" for n, v in ranked) + ".")
    return Chart(chart_id, "Coverage by source", description, WIDTH, height, tuple(bars), tuple(labels),
                 (Line(left, top_pad, left, height - top_pad),), ("Source", "Articles"),
                 tuple((n, str(v)) for n, v in ranked))


def topics_chart(digests: Sequence[TopicDigest], chart_id: str, period: str = "auto") -> Chart | None:
    """Small multiples: one row of columns per topic over a shared time axis."""
    topics = [(td.topic.title, td.articles) for td in digests]
    every = [a for _, items in topics for a in items]
    if not every:
        return None
    days = [a.day for a in every]
    unit = choose_period(min(days), max(days), period)
    starts = periods_between(min(days), max(days), unit)
    left, right, row, top_pad, bottom = 160.0, 44.0, 40.0, 6.0, 24.0
    height = int(top_pad + row * len(topics) + bottom)
    slot = (WIDTH - left - right) / len(starts)
    gap = max(min(slot * 0.2, 4.0), slot - MAX_BAR)
    counts = [(title, _count(items, unit)) for title, items in topics]
    top = max((max(c.values(), default=0) for _, c in counts), default=1) or 1
    bars, labels, lines = [], [], []
    for r, (title, c) in enumerate(counts):
        base = top_pad + (r + 1) * row - 6
        for i, start in enumerate(starts):
            value = c.get(start, 0)
            if value:
                h = (row - 12) * value / top
                bars.append(Bar(round(left + i * slot + gap / 2, 2), round(base - h, 2),
                                round(max(slot - gap, 1.0), 2), round(h, 2), value,
                                f"{title}, {_name(start, unit)}: {_articles(value)}"))
        lines.append(Line(left, base, WIDTH - right, base))
        shown = title if len(title) <= 24 else title[:23] + "…"
        labels.append(Label(left - 8, base - 4, shown, "end", muted=False))
        labels.append(Label(WIDTH - right + 6, base - 4, str(sum(c.values())), "start"))
    labels += [Label(round(left + (i + 0.5) * slot, 2), height - 6, _name(starts[i], unit, short=True))
               for i in _tick_positions(len(starts))]
    noun = _NOUN[unit]
    busiest = max(counts, key=lambda tc: sum(tc[1].values()))[0]
    description = (f"Articles per {noun} for each of {len(topics)} topic(s), from {_name(starts[0], unit)} to "
                   f"{_name(starts[-1], unit)}. " + "; ".join(f"{t}: {_articles(sum(c.values()))}"
                                                            for t, c in counts)
                   + f". The most covered topic is {busiest}.")
    return Chart(chart_id, f"Activity by topic, articles per {noun}", description, WIDTH, height,
                 tuple(bars), tuple(labels), tuple(lines), (noun.capitalize(), *(t for t, _ in counts)),
                 tuple((_name(s, unit), *(str(c.get(s, 0)) for _, c in counts)) for s in starts))
