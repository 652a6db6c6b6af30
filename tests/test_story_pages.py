"""Story pages, story-led topic pages and "full coverage" links, in real builds."""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import Project, article

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
