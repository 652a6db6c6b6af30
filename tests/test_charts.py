"""Charts: layout (pure) and the inline SVG in the built pages, with its text alternatives."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import REPO, Project, article

from digest.model import Article, Topic, TopicDigest
from digest.pages.charts import (
    activity_chart,
    choose_period,
    periods_between,
    source_chart,
    topics_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def art(day: str, source: str = "Desk", slug: str = "") -> Article:
    when = datetime.fromisoformat(day + "T12:00:00+00:00")
    return Article(path="p", slug=slug or day + source, title="t", published=when, source=source,
                   topics=("x",), body="b")


def test_period_is_chosen_by_span_unless_set() -> None:
    assert choose_period(date(2020, 1, 1), date(2020, 2, 15)) == "day"
    assert choose_period(date(2020, 1, 1), date(2020, 9, 1)) == "week"
    assert choose_period(date(2015, 1, 1), date(2020, 1, 1)) == "month"
    assert choose_period(date(2020, 1, 1), date(2020, 1, 2), "month") == "month"
    with pytest.raises(ValueError):
        choose_period(date(2020, 1, 1), date(2020, 1, 2), "hour")


def test_periods_include_empty_ones_and_cross_years() -> None:
    assert periods_between(date(2019, 12, 30), date(2020, 1, 2), "day") == [
        date(2019, 12, 30), date(2019, 12, 31), date(2020, 1, 1), date(2020, 1, 2)]
    assert periods_between(date(2020, 1, 1), date(2020, 1, 14), "week") == [    # weeks start on Monday
        date(2019, 12, 30), date(2020, 1, 6), date(2020, 1, 13)]
    assert periods_between(date(2019, 11, 15), date(2020, 2, 1), "month") == [
        date(2019, 11, 1), date(2019, 12, 1), date(2020, 1, 1), date(2020, 2, 1)]


def test_activity_chart_bars_are_proportional_and_described() -> None:
    items = [art("2020-01-24"), art("2020-01-26", slug="a"), art("2020-01-26", slug="b"),
             art("2020-01-27", slug="c"), art("2020-01-27", slug="d"), art("2020-01-27", slug="e"),
             art("2020-01-27", slug="f")]
    chart = activity_chart(items, "c1", "Iraq protests")
    assert chart is not None
    assert [b.value for b in chart.bars] == [1, 0, 2, 4]
    tallest = max(b.height for b in chart.bars)
    assert [round(b.height / tallest, 2) for b in chart.bars] == [0.25, 0.0, 0.5, 1.0]
    assert chart.title == "Articles per day"
    assert chart.description == ("7 articles on Iraq protests per day, from 24 January 2020 to 27 January 2020. "
                                 "The busiest day was 27 January 2020, with 4 articles.")
    assert chart.table_head == ("Day", "Articles")
    assert chart.table_rows[1] == ("25 January 2020", "0")
    assert all(0 <= b.x and b.x + b.width <= chart.width for b in chart.bars)
    assert activity_chart([], "c2", "x") is None


def test_source_chart_groups_the_long_tail() -> None:
    items = [art("2020-01-01", f"S{i}", slug=f"{i}-{j}") for i in range(10) for j in range(10 - i)]
    chart = source_chart(items, "s", "t", most=4)
    assert chart is not None
    assert [r[0] for r in chart.table_rows] == ["S0", "S1", "S2", "Other sources"]
    assert sum(int(r[1]) for r in chart.table_rows) == len(items)
    assert chart.bars[0].width > chart.bars[1].width


def test_topics_chart_shares_one_time_axis() -> None:
    one = TopicDigest(Topic("a", "Alpha"), (art("2020-01-01"), art("2020-01-03", slug="x")), ())
    two = TopicDigest(Topic("b", "Beta"), (art("2020-01-02"),), ())
    empty = TopicDigest(Topic("c", "Gamma"), (), ())
    chart = topics_chart([one, two, empty], "t")
    assert chart is not None
    assert chart.table_head == ("Day", "Alpha", "Beta", "Gamma")
    assert chart.table_rows == (("1 January 2020", "1", "0", "0"), ("2 January 2020", "0", "1", "0"),
                                ("3 January 2020", "1", "0", "0"))
    assert "Alpha: 2 articles; Beta: 1 article; Gamma: 0 articles" in chart.description
    assert topics_chart([empty], "t") is None


def _svgs(page: str) -> list[ET.Element]:
    """Every inline <svg> of a chart, parsed as XML (so it must be well-formed)."""
    return [ET.fromstring(m) for m in re.findall(r'<svg class="nd-chart-svg".*?</svg>', page, re.DOTALL)]


def _check_alternatives(svg: ET.Element) -> None:
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}title").text
    assert svg.find(f"{SVG}desc").get("id") == desc_id and svg.find(f"{SVG}desc").text
    assert svg.findall(f"{SVG}rect")
    for rect in svg.iter(f"{SVG}rect"):          # colours come from CSS, never hard-coded
        assert rect.get("fill") is None and rect.get("class") == "nd-chart-bar"
    assert svg.get("fill") == "currentColor"


def test_topic_and_home_pages_show_inline_svg_charts(demo_site: Path) -> None:
    topic = (demo_site / "topics" / "iraq-protests" / "index.html").read_text()
    charts = _svgs(topic)
    assert len(charts) == 2
    for svg in charts:
        _check_alternatives(svg)
    assert '<h2 id="coverage">Coverage' in topic
    assert topic.count('<details class="nd-chart-data">') == 2
    assert '<th scope="col">Source</th>' in topic and '<th scope="row">Newsdigest Desk</th>' in topic
    home = (demo_site / "index.html").read_text()
    (activity,) = _svgs(home)
    _check_alternatives(activity)
    texts = [t.text for t in activity.iter(f"{SVG}text")]
    assert "Iraq protests" in texts and "US troop presence" in texts
    assert "<img" not in home.split('id="nd-chart-topics"')[1].split("</figure>")[0]


def test_chart_colours_follow_the_material_scheme() -> None:
    css = (REPO / "digest" / "adapter" / "overrides" / "assets" / "digest.css").read_text()
    assert ".nd-chart-bar { fill: var(--md-typeset-a-color); }" in css
    assert "fill: var(--md-default-fg-color)" in css


def test_chart_period_option_sets_the_bars(project: Project) -> None:
    project.add("a.md", article(date="2020-01-01", body="One thing happened. Then another."))
    project.add("b.md", article(date="2020-01-20", body="A second report came. It said more."))
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      chart_period: week\n"))
    project.build()
    (svg, _) = _svgs(project.html("topics/iraq-protests"))
    assert svg.find(f"{SVG}title").text == "Articles per week"
    assert len(svg.findall(f"{SVG}rect")) == 2                    # four weeks, two of them empty
    assert "week of 30 December 2019" in project.html("topics/iraq-protests")
