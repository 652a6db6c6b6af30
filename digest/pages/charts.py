"""Chart layouts for inline SVG: article counts over time, by source, and per topic.

Pure geometry: each function returns a `Chart` (bars, labels, axis lines and the
same numbers as a table) and `site_templates/pages/_charts.j2` draws it as inline
SVG. Colours come from CSS (Material's variables, see digest.css), so a chart reads
in both the light and the dark scheme; the SVG's <title>/<desc> and the data table
are its text alternatives. No JavaScript and no pixel images. Words, dates and counts
come from the site language's catalogue (digest/pages/messages.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Article, TopicDigest
from .messages import DEFAULT, Messages
from .messages import load as load_messages

__all__ = ["PERIODS", "Bar", "Chart", "Label", "Line", "activity_chart", "choose_period",
           "period_start", "periods_between", "source_chart", "topics_chart"]

PERIODS = ("auto", "day", "week", "month")
WIDTH = 640
MAX_BAR = 40.0      # a column is never wider than this, however few periods there are


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


def _name(start: date, period: str, msgs: Messages, short: bool = False) -> str:
    """A period by its start: '27 January 2020' / '27 Jan', 'week of …' / 'w/c …', 'January 2020' / 'Jan 2020'."""
    if period == "month":
        return msgs.month_short(start) if short else msgs.month(start, title=False)
    if period == "week":
        return (msgs.t("week_of_short", date=msgs.day_short(start)) if short
                else msgs.t("week_of", date=msgs.date(start)))
    return msgs.day_short(start) if short else msgs.date(start)


def _or_english(messages: Messages | None) -> Messages:
    return messages if messages is not None else load_messages(DEFAULT)


def _count(articles: Iterable[Article], period: str) -> Counter[date]:
    return Counter(period_start(a.day, period) for a in articles)


def _tick_positions(n: int, most: int = 6) -> list[int]:
    """Indices of up to `most` evenly spread x labels, always the first and the last."""
    if n <= most:
        return list(range(n))
    step = (n - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def activity_chart(articles: Sequence[Article], chart_id: str, subject: str,
                   period: str = "auto", messages: Messages | None = None) -> Chart | None:
    """Columns of articles per day, week or month over the whole span of `articles`."""
    if not articles:
        return None
    msgs = _or_english(messages)
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
                        msgs.t("label_value", label=_name(start, unit, msgs),
                               value=msgs.n("articles_count", value))))
    base = top_pad + plot_h
    labels = [Label(left - 6, base + 4, "0", "end"), Label(left - 6, top_pad + 4, str(top), "end")]
    labels += [Label(round(left + (i + 0.5) * slot, 2), height - 8, _name(starts[i], unit, msgs, short=True))
               for i in _tick_positions(len(starts))]
    busiest = max(starts, key=lambda s: (counts.get(s, 0), s))
    span = msgs.t(f"span_{unit}", first=_name(starts[0], unit, msgs), last=_name(starts[-1], unit, msgs))
    description = msgs.t(f"activity_desc_{unit}", articles=msgs.n("articles_count", len(articles)),
                         subject=subject, span=span, busiest=_name(busiest, unit, msgs),
                         count=msgs.n("articles_count", counts[busiest]))
    return Chart(chart_id, msgs.t(f"activity_title_{unit}"), description, WIDTH, height, tuple(bars),
                 tuple(labels), (Line(left, base, WIDTH - right, base),),
                 (msgs.t(f"unit_{unit}"), msgs.t("articles_heading")),
                 tuple((_name(s, unit, msgs), str(counts.get(s, 0))) for s in starts))


def source_chart(articles: Sequence[Article], chart_id: str, subject: str, most: int = 8,
                 messages: Messages | None = None) -> Chart | None:
    """Horizontal bars of articles per source, largest first; the rest grouped as 'Other sources'."""
    if not articles:
        return None
    msgs = _or_english(messages)
    ranked = sorted(Counter(a.source for a in articles).items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > most:
        rest = sum(n for _, n in ranked[most - 1:])
        ranked = ranked[: most - 1] + [(msgs.t("other_sources"), rest)]
    row, top_pad = 26.0, 6.0
    left, right = 180.0, 48.0
    height = int(top_pad * 2 + row * len(ranked))
    top = ranked[0][1]
    bars, labels = [], []
    for i, (name, value) in enumerate(ranked):
        y = top_pad + i * row
        w = (WIDTH - left - right) * value / top
        bars.append(Bar(left, round(y + 4, 2), round(w, 2), row - 8, value,
                        msgs.t("label_value", label=name, value=msgs.n("articles_count", value))))
        shown = name if len(name) <= 26 else name[:25] + "…"
        labels.append(Label(left - 8, round(y + row / 2 + 4, 2), shown, "end", muted=False))
        labels.append(Label(round(left + w + 6, 2), round(y + row / 2 + 4, 2), str(value), "start"))
    description = msgs.t("source_desc", articles=msgs.n("articles_count", len(articles)), subject=subject,
                         sources=msgs.n("sources_count", len(set(a.source for a in articles))),
                         list="; ".join(msgs.t("label_value", label=n, value=msgs.number(v)) for n, v in ranked))
    return Chart(chart_id, msgs.t("source_title"), description, WIDTH, height, tuple(bars), tuple(labels),
                 (Line(left, top_pad, left, height - top_pad),), (msgs.t("source_head"), msgs.t("articles_heading")),
                 tuple((n, str(v)) for n, v in ranked))


def topics_chart(digests: Sequence[TopicDigest], chart_id: str, period: str = "auto",
                 messages: Messages | None = None) -> Chart | None:
    """Small multiples: one row of columns per topic over a shared time axis."""
    msgs = _or_english(messages)
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
                                msgs.t("label_value", label=f"{title}, {_name(start, unit, msgs)}",
                                       value=msgs.n("articles_count", value))))
        lines.append(Line(left, base, WIDTH - right, base))
        shown = title if len(title) <= 24 else title[:23] + "…"
        labels.append(Label(left - 8, base - 4, shown, "end", muted=False))
        labels.append(Label(WIDTH - right + 6, base - 4, str(sum(c.values())), "start"))
    labels += [Label(round(left + (i + 0.5) * slot, 2), height - 6, _name(starts[i], unit, msgs, short=True))
               for i in _tick_positions(len(starts))]
    busiest = max(counts, key=lambda tc: sum(tc[1].values()))[0]
    span = msgs.t(f"span_{unit}", first=_name(starts[0], unit, msgs), last=_name(starts[-1], unit, msgs))
    description = msgs.t(f"topics_desc_{unit}", topics=msgs.n("topics_count", len(topics)), span=span,
                         list="; ".join(msgs.t("label_value", label=t, value=msgs.n("articles_count", sum(c.values())))
                                        for t, c in counts), busiest=busiest)
    return Chart(chart_id, msgs.t(f"topics_title_{unit}"), description, WIDTH, height,
                 tuple(bars), tuple(labels), tuple(lines), (msgs.t(f"unit_{unit}"), *(t for t, _ in counts)),
                 tuple((_name(s, unit, msgs), *(str(c.get(s, 0)) for _, c in counts)) for s in starts))
