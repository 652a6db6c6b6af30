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
    # Coverage by outlet: how many each outlet gave (the wire copy counts for its own outlet);
    # the timeline lists each article once, with its outlet.
    assert "5 articles from: Newsdigest Desk (4), Newsdigest Wire (1)" in shown
    assert page.count('href="../../articles/2020-01-27-wire-iraqi-pm-denounces-embassy-attack/"') == 1
    assert ("Iraq's prime minister denounces rocket attack on US embassy · Newsdigest Wire "
            "Re-run of Newsdigest Desk's story") in shown
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
        # Every entry has a summary here: each article has sentences the page does not quote above.
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
    """Each quote is one of the first three of its story's summary (the first is its card's, left
    out; a one-article story: one of its article's opening sentences not on its card), at most two
    come from one story, and several stories speak."""
    for topic in ("iraq-protests", "us-troop-presence"):
        found = QUOTE.findall((demo_site / "topics" / topic / "index.html").read_text())
        per_story: dict[str, int] = {}
        for quoted, slug in found:
            article_page = (demo_site / "articles" / slug / "index.html").read_text()
            link = re.search(r'<a class="nd-full-coverage" href="\.\./\.\./stories/([^/]+)/"', article_page)
            if link:
                story = link.group(1)
                lead = [q for q, _ in QUOTE.findall((demo_site / "stories" / story / "index.html").read_text())][:3]
                assert quoted in lead, (topic, quoted, lead)
            else:
                story = slug
                opening = split_sentences("\n".join(page_prose(article_page)))[:6]
                assert any(s.endswith(html.unescape(quoted)) for s in opening), (topic, quoted, opening)
            per_story[story] = per_story.get(story, 0) + 1
        assert len(per_story) >= 3 and max(per_story.values()) <= 2, per_story
    # The embassy attack (five articles, two outlets) is on both topics it belongs to: its card
    # shows its first sentence, so the story so far does not quote it again.
    for topic in ("iraq-protests", "us-troop-presence"):
        page = html.unescape((demo_site / "topics" / topic / "index.html").read_text())
        assert page.count("The American embassy in Baghdad was hit by rocket fire on Sunday night.") == 1


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


SENTENCE_BLOCK = re.compile(r'<(?:span class="nd-item-summary"|q(?: class="nd-figure-sentence")?)>(.*?)</(?:span|q)>', re.S)


def shown_sentences(page: str) -> list[str]:
    """Every sentence a page shows as text of its own: card and entry summaries, quotes, figures."""
    return [s for block in SENTENCE_BLOCK.findall(page) for s in split_sentences(html.unescape(block))]


def main_part(page: str) -> str:
    return page.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]


def assert_each_once(page: str, where: str) -> None:
    seen = shown_sentences(main_part(page))
    repeated = sorted({s for s in seen if seen.count(s) > 1})
    assert seen and not repeated, (where, repeated)
    # Articles listed: every article link but the "re-run of" notes pointing back at an original.
    listing = re.sub(r'<span class="nd-also">.*?</span>', "", main_part(page), flags=re.S)
    links = re.findall(r'href="\.\./\.\./articles/([^/"#]+)/"', listing)
    assert len(links) == len(set(links)), (where, sorted({x for x in links if links.count(x) > 1}))


def test_no_sentence_or_article_appears_twice_on_a_demo_topic_or_story_page(demo_site: Path) -> None:
    for topic in ("iraq-protests", "us-troop-presence"):
        page = (demo_site / "topics" / topic / "index.html").read_text()
        assert_each_once(page, topic)
        # The cards show one sentence each, a one-article story's card (its article) too.
        stories = page.split('<ul class="nd-list nd-stories">', 1)[1].split("</ul>", 1)[0]
        cards = re.findall(r'<li class="nd-item[^"]*">(.*?)</li>', stories, re.S)
        assert len(cards) >= 3
        for card in cards:
            assert len(split_sentences(html.unescape(SENTENCE_BLOCK.findall(card)[0]))) == 1
    for story in (demo_site / "stories").iterdir():
        assert_each_once((story / "index.html").read_text(), story.name)


def test_no_sentence_or_article_appears_twice_in_a_multi_story_project(project: Project) -> None:
    """Two stories of several articles from two outlets, and one-offs: the cards, the story so far
    and the timeline never show a sentence twice, and each story page lists each article once."""
    reports = [
        ("Harbour crane collapses at the Elm dock", "2021-05-03", "Gazette",
         "A crane collapsed at the Elm dock harbour on Monday morning. Two dock workers were hurt when the "
         "crane fell across the quay. The harbour authority closed the Elm dock for inspection."),
        ("Elm dock stays shut after crane collapse", "2021-05-04", "Courier",
         "The Elm dock harbour remained closed on Tuesday after the crane collapse. Inspectors examined the "
         "fallen crane on the quay. Shipping was diverted to the north harbour while the dock stays shut."),
        ("Crane collapse at Elm dock blamed on worn cable", "2021-05-05", "Gazette",
         "Inspectors said a worn cable caused the crane collapse at the Elm dock harbour. The harbour "
         "authority said every crane on the quay would be checked. The Elm dock reopened on Wednesday."),
        ("Library extends its opening hours", "2021-05-03", "Courier",
         "The central library will open until nine in the evening from June. Its board voted for the "
         "longer opening hours on Monday. Readers had asked for later opening hours for years."),
        ("Library board confirms evening opening hours", "2021-05-05", "Gazette",
         "The library board confirmed the evening opening hours for the central library. The central "
         "library opens until nine in the evening from June. The longer opening hours cost the board little."),
        ("Cyclists ride for charity", "2021-05-04", "Gazette",
         "Three hundred cyclists rode around the lake for a children's charity. The ride raised money for "
         "a new playground. Organisers thanked the volunteers who marshalled the route."),
    ]
    for n, (title, day, source, body) in enumerate(reports):
        project.add(f"r{n}.md", article(title=title, date=day, source=source, body=body))
    project.build()
    topic = project.html("topics/iraq-protests")
    assert topic.count('class="nd-item nd-story-item"') >= 2, "two stories of several articles"
    assert_each_once(topic, "topic")
    stories = sorted(p.name for p in (project.site / "stories").iterdir())
    assert len(stories) >= 2
    for story in stories:
        page = project.html(f"stories/{story}")
        assert_each_once(page, story)
        assert "articles from: Gazette" in text(page) or "articles from: Courier" in text(page)
