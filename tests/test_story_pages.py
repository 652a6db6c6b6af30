"""Story pages, story-led topic pages and "full coverage" links, in real builds."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path

from conftest import Project, article, page_prose

from digest.analysis.text import split_sentences

EMBASSY = "2020-01-26-rockets-hit-us-embassy-baghdad"
PROTESTS = "2020-01-26-shia-cleric-withdraws-protest-support"


def text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_demo_has_story_pages_for_the_embassy_attack_and_the_crackdown(demo_site: Path) -> None:
    stories = sorted(p.name for p in (demo_site / "stories").iterdir())
    assert EMBASSY in stories and PROTESTS in stories
    page = (demo_site / "stories" / EMBASSY / "index.html").read_text()
    shown = text(page)
    assert "<h1>Rockets strike US embassy compound in Baghdad&#x27;s Green Zone</h1>" in page
    assert ("First reported 26 January 2020 · last updated 27 January 2020 · 5 articles from 2 outlets"
            in shown)
    # Coverage by outlet: the wire copy sits under its own outlet, once.
    outlets = re.findall(r'<section class="nd-outlet">\s*<h3><a href="[^"]+">([^<]+)</a>', page)
    assert outlets == ["Newsdigest Desk", "Newsdigest Wire"]
    assert page.count('href="../../articles/2020-01-27-wire-iraqi-pm-denounces-embassy-attack/"') >= 2
    # The summary quotes the story's own articles, each linked to its sentence.
    quotes = re.findall(r'<li class="nd-quote"><q>(.*?)</q> <a class="nd-quote-link" href="\.\./\.\./articles/([^/]+)/#:~:text=',
                        page)
    assert len(quotes) >= 3
    members = {"2020-01-26-rockets-hit-us-embassy-baghdad", "2020-01-27-iraqi-pm-condemns-embassy-attack",
               "2020-01-27-afp-one-wounded-embassy-rocket-strike",
               "2020-01-27-reuters-at-least-three-wounded-embassy-attack"}
    assert {slug for _, slug in quotes} <= members
    assert 'href="../../topics/iraq-protests/"' in page and 'href="../../topics/us-troop-presence/"' in page
    crackdown = text((demo_site / "stories" / PROTESTS / "index.html").read_text())
    assert "3 articles from 2 outlets" in crackdown


def test_a_topic_page_leads_with_its_latest_stories(demo_site: Path) -> None:
    page = (demo_site / "topics" / "iraq-protests" / "index.html").read_text()
    assert page.index("nd-stories") < page.index("nd-quotes")           # before the story so far
    block = page.split('<ul class="nd-list nd-stories">', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'class="nd-item-title" href="\.\./\.\./([^"]+)"', block)
    assert f"stories/{PROTESTS}/" in links and f"stories/{EMBASSY}/" in links
    assert "articles/2020-01-24-million-man-march-baghdad/" in links    # a one-article story is its article
    assert links.index(f"stories/{PROTESTS}/") < links.index(f"stories/{EMBASSY}/")   # newest update first
    assert "Newsdigest Desk, Newsdigest Wire · 5 articles" in text(block)


def test_an_article_page_links_to_its_story(demo_site: Path) -> None:
    page = (demo_site / "articles" / "2020-01-27-afp-one-wounded-embassy-rocket-strike" / "index.html").read_text()
    assert (f'<a class="nd-full-coverage" href="../../stories/{EMBASSY}/">Full coverage: 5 articles from 2 outlets</a>'
            in page)
    alone = (demo_site / "articles" / "2020-01-24-million-man-march-baghdad" / "index.html").read_text()
    assert "nd-full-coverage" not in alone


def test_a_pinned_story_gets_its_page_and_a_german_site_its_words(project: Project) -> None:
    project.add("a.md", article(title="Bridge closes for repairs", date="2020-03-01",
                                body="The Tarn bridge closed for repairs.", extra="story: tarn-bridge\n"))
    project.add("b.md", article(title="Choir wins regional prize", date="2020-03-02", source="Gazette",
                                body="The town choir won a regional prize.", extra="story: tarn-bridge\n"))
    mkdocs = project.root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text().replace("name: material", "name: material\n  language: de"))
    project.build()
    page = text(project.html("stories/tarn-bridge"))
    assert "Bridge closes for repairs" in page
    assert "2 Artikel aus 2 Medien" in page
    assert "Gesamte Berichterstattung: 2 Artikel aus 2 Medien" in text(project.html("articles/b"))


def test_older_coverage_of_a_topic_and_a_source_is_paged_by_month(project: Project) -> None:
    for n, day in enumerate(["2020-01-05", "2020-01-20", "2020-02-03"]):
        project.add(f"m{n}.md", article(title=f"Report number {n}", date=day, source="Gazette",
                                        body=f"Report {n} says the council met."))
    project.build()
    topic = project.html("topics/iraq-protests")
    assert 'href="../../topics/iraq-protests/2020-02/">February 2020</a> · 1 article' in topic
    assert 'href="../../topics/iraq-protests/2020-01/">January 2020</a> · 2 articles' in topic
    january = project.html("topics/iraq-protests/2020-01")
    assert "<title>Iraq protests: January 2020" in january
    assert "Report number 0" in january and "Report number 1" in january and "Report number 2" not in january
    source = project.html("sources/gazette")
    assert 'href="../../sources/gazette/2020-01/">January 2020</a> · 2 articles' in source
    assert "Report number 2" in project.html("sources/gazette/2020-02")


ITEM_LINK = re.compile(r'<a class="nd-item-title" href="\.\./\.\./articles/([^/"]+)/"')
QUOTE = re.compile(r'<li class="nd-quote"><q>(.*?)</q> <a class="nd-quote-link" href="\.\./\.\./articles/([^/]+)/#')


def test_a_topic_page_lists_each_article_once_by_day_with_its_summary(demo_site: Path) -> None:
    for topic in ("iraq-protests", "us-troop-presence"):
        page = (demo_site / "topics" / topic / "index.html").read_text()
        listed = ITEM_LINK.findall(page)
        assert listed and len(listed) == len(set(listed)), listed
        timeline = page.split('<div class="nd-timeline">', 1)[1].split("</div>", 1)[0]
        days = re.findall(r'<h3 class="nd-day-title"><time datetime="([\d-]+)">', timeline)
        assert days == sorted(days, reverse=True) and len(days) >= 2
        assert timeline.count('class="nd-item-summary"') == len(ITEM_LINK.findall(timeline))
        # The timeline is the page's one article list: no second list of the same articles.
        assert ">Articles</h2>" not in page
    # The one-article story shown in the latest stories is not in the timeline below.
    page = (demo_site / "topics" / "iraq-protests" / "index.html").read_text()
    timeline = page.split('<div class="nd-timeline">', 1)[1]
    assert "articles/2020-01-24-million-man-march-baghdad/" not in timeline.split("nd-months", 1)[0]
    stories = page.split('<ul class="nd-list nd-stories">', 1)[1].split("</ul>", 1)[0]
    assert "articles/2020-01-24-million-man-march-baghdad/" in stories


def test_the_story_so_far_is_told_from_the_stories_leads(demo_site: Path) -> None:
    """Each quote is one of the first two of its story's summary (a one-article story: one of
    its article's opening sentences), at most two come from one story, and several stories speak."""
    for topic in ("iraq-protests", "us-troop-presence"):
        found = QUOTE.findall((demo_site / "topics" / topic / "index.html").read_text())
        per_story: dict[str, int] = {}
        for quoted, slug in found:
            article_page = (demo_site / "articles" / slug / "index.html").read_text()
            link = re.search(r'<a class="nd-full-coverage" href="\.\./\.\./stories/([^/]+)/"', article_page)
            if link:
                story = link.group(1)
                lead = [q for q, _ in QUOTE.findall((demo_site / "stories" / story / "index.html").read_text())][:2]
                assert quoted in lead, (topic, quoted, lead)
            else:
                story = slug
                opening = split_sentences("\n".join(page_prose(article_page)))[:3]
                assert any(s.endswith(html.unescape(quoted)) for s in opening), (topic, quoted, opening)
            per_story[story] = per_story.get(story, 0) + 1
        assert len(per_story) >= 3 and max(per_story.values()) <= 2, per_story
    # The embassy attack (five articles, two outlets) speaks in both topics it belongs to.
    for topic in ("iraq-protests", "us-troop-presence"):
        page = (demo_site / "topics" / topic / "index.html").read_text()
        assert "The American embassy in Baghdad was hit by rocket fire on Sunday night." in html.unescape(page)


def test_a_long_topic_and_source_say_how_many_are_shown_and_list_each_once(project: Project) -> None:
    """Thirteen unrelated reports five days apart: the topic shows its ten latest stories (each
    its article), then a timeline of the next two, never one twice; the source the latest two."""
    mkdocs = project.root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text().replace("  - digest\n", "  - digest:\n      topic_page_articles: 2\n"))
    things = ["roads", "schools", "parks", "water", "libraries", "buses", "bridges", "housing", "taxes",
              "markets", "museums", "harbours", "lighting"]
    for n, thing in enumerate(things):
        day = (date(2020, 1, 1) + timedelta(days=5 * n)).isoformat()
        project.add(f"m{n}.md", article(title=f"Council report on {thing}", date=day, source="Gazette",
                                        body=f"The council met on {day} to discuss {thing}."))
    project.build()
    topic = project.html("topics/iraq-protests")
    assert "The latest 12 of 13 articles; every month has its own page below." in topic
    listed = ITEM_LINK.findall(topic)
    assert len(listed) == len(set(listed)) == 12, listed
    timeline = topic.split('<div class="nd-timeline">', 1)[1].split('class="nd-months"', 1)[0]
    assert ITEM_LINK.findall(timeline) == ["m2", "m1"]       # the next newest, after the ten stories
    source = project.html("sources/gazette")
    assert "The latest 2 of 13 articles; every month has its own page below." in source
    assert ITEM_LINK.findall(source) == ["m12", "m11"]
    assert '<h3 class="nd-day-title"><time datetime="2020-03-01">' in source
    mkdocs.write_text(mkdocs.read_text().replace("name: material", "name: material\n  language: de"))
    project.build()
    assert "Die neuesten 12 von 13 Artikeln; jeder Monat hat unten seine eigene Seite." in project.html(
        "topics/iraq-protests")
