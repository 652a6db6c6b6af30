"""The topic's story so far told from its stories' leads (digest/analysis/topicstory.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digest.analysis.analyse import AnalysisOptions, build_digest
from digest.model import Article, Topic

T0 = datetime(2021, 3, 1, 8, tzinfo=UTC)
FLOOD = [
    "Floodwater swept through the river town of Kelby on Monday, forcing hundreds of families from their homes.",
    "Rescue crews used boats to reach residents trapped by the floodwater in Kelby's lower streets.",
    "The river at Kelby rose two metres overnight after a week of heavy rain, the river authority said.",
    "Schools in Kelby stayed closed as the floodwater reached the town square.",
]
TITLES = ["Floodwater forces families from homes in Kelby", "Boats rescue Kelby residents from flooded streets",
          "River at Kelby rises two metres overnight", "Kelby schools close as flood reaches square",
          "Kelby flood: shelter opens and power cut", "Kelby flood expected to ease by weekend"]
EXTRA = [
    "A volunteer said the water came faster than anyone in the street remembered.",
    "The mayor asked drivers to keep away from the flooded bridge road.",
    "Shops on the riverside lost most of their stock to the muddy water.",
    "An emergency shelter opened in the sports hall on the hill above the town.",
    "Power was cut to two hundred homes as a precaution, the supplier said.",
    "Forecasters expect the rain to ease by the end of the week.",
]
ONE_OFFS = [
    ["The county library reopened its reading room after a year of repairs to the roof.",
     "Visitors can borrow books again from Tuesday, the library said."],
    ["A local bakery won a national prize for its rye bread at a contest in the capital.",
     "The bakers said the recipe came from the owner's grandmother."],
    ["The town council approved a new cycle lane along the high street after a long debate.",
     "Work on the lane will start in the summer, councillors said."],
]


def _article(slug: str, when: datetime, source: str, title: str, sentences: list[str],
             story: str | None = None) -> Article:
    return Article(path=f"{slug}.md", slug=slug, title=title, published=when, source=source,
                   topics=("local",), body=" ".join(sentences), story=story)


def _corpus() -> list[Article]:
    items = []
    for n in range(6):      # one flood, six reports from three outlets, a few hours apart (pinned to one story)
        own = [FLOOD[n % 4], EXTRA[n], f"Kelby flood report {n}: the river and the floodwater kept families away from home."]
        items.append(_article(f"flood-{n}", T0 + timedelta(hours=3 * n), f"Outlet {n % 3}",
                              TITLES[n], own, "kelby-flood"))
    for k, sentences in enumerate(ONE_OFFS):
        items.append(_article(f"other-{k}", T0 + timedelta(days=10 + 7 * k), "Outlet 0", sentences[0][:40], sentences))
    return items


def test_the_story_so_far_is_told_from_the_stories_leads_weighed_by_size() -> None:
    articles = _corpus()
    digest = build_digest([Topic("local", "Local")], articles, AnalysisOptions(story_words=60))
    by_slug = {a.slug: a for a in articles}
    flood = next(s for s in digest.stories if s.size == 6)
    story = digest.topics[0].story
    assert story, "nothing told"
    for q in story:     # verbatim, linked to the article and sentence it comes from
        assert digest.analyses[q.slug].sentences[q.index].endswith(q.text)
    told = [digest.story_ids[q.slug] for q in story]
    # The six-report flood is told, by at most two sentences from its own lead: its summary's
    # quotes after the first, which its card on the topic page shows ...
    assert flood.id in told and 1 <= told.count(flood.id) <= 2
    lead = {(q.slug, q.index) for q in flood.summary[1:3]}
    assert all((q.slug, q.index) in lead for q in story if digest.story_ids[q.slug] == flood.id)
    # ... and no story floods the summary; quotes read in date order.
    assert max(told.count(s) for s in set(told)) <= 2
    assert [by_slug[q.slug].published for q in story] == sorted(by_slug[q.slug].published for q in story)


def test_a_heavier_story_wins_the_budget_over_one_offs() -> None:
    """With room for one story only, the six-report story is the one told."""
    digest = build_digest([Topic("local", "Local")], _corpus(), AnalysisOptions(story_words=20, lead_words=20))
    told = {digest.story_ids[q.slug] for q in digest.topics[0].story}
    assert told == {next(s.id for s in digest.stories if s.size == 6)}


def test_the_story_so_far_is_deterministic() -> None:
    first = build_digest([Topic("local", "Local")], _corpus(), AnalysisOptions()).topics[0]
    again = build_digest([Topic("local", "Local")], list(reversed(_corpus())), AnalysisOptions()).topics[0]
    assert first.story == again.story and first.lead == again.lead


def test_the_story_so_far_leaves_out_what_the_topic_cards_show() -> None:
    """The topic page's cards show each story's first sentence (a one-article story: its
    summary's first): the story so far does not repeat them. With no cards (topic_cards=0)
    the leads are the first quotes again; the topic's own short lead (home page) always is."""
    articles = _corpus()
    carded = build_digest([Topic("local", "Local")], articles, AnalysisOptions(story_words=80))
    plain = build_digest([Topic("local", "Local")], articles, AnalysisOptions(story_words=80, topic_cards=0))
    shown = {s.summary[0].text for s in carded.stories if s.size > 1}
    shown |= {carded.analyses[s.articles[0]].summary_sentences()[0] for s in carded.stories if s.size == 1}
    told = {q.text for q in carded.topics[0].story}
    assert told and not told & shown, told & shown
    assert {q.text for q in plain.topics[0].story} & shown       # without cards, the first quotes speak
    assert carded.topics[0].lead == plain.topics[0].lead
    # Only the first `topic_cards` stories (newest update first) are cards: with one card (the
    # newest one-off) the flood is no card and speaks from its first two quotes again.
    one_card = build_digest([Topic("local", "Local")], articles, AnalysisOptions(story_words=80, topic_cards=1))
    flood = next(s for s in one_card.stories if s.size == 6)
    assert one_card.stories[0].size == 1
    flood_told = [(q.slug, q.index) for q in one_card.topics[0].story if one_card.story_ids[q.slug] == flood.id]
    assert flood_told and set(flood_told) <= {(q.slug, q.index) for q in flood.summary[:2]}


def test_kept_leads_are_taken_again_only_while_their_story_and_analyses_are_the_same() -> None:
    """A live preview keeps each story's lead (story_leads' `kept`): the very Lead comes back
    while its story, its articles and the analyses it read are the same objects; a changed
    analysis makes that story's lead again, equal to one made from nothing."""
    from dataclasses import replace

    from digest.analysis.topicstory import story_leads

    articles = _corpus()
    digest = build_digest([Topic("local", "Local")], articles, AnalysisOptions())
    analyses = dict(digest.analyses)
    stories = digest.stories
    for cards in (0, 2):
        kept: dict[str, tuple[object, ...]] = {}
        first = story_leads(articles, stories, analyses, cards=cards, kept=kept)
        assert first == story_leads(articles, stories, analyses, cards=cards)
        again = story_leads(articles, stories, analyses, cards=cards, kept=kept)
        assert all(a is b for a, b in zip(again, first, strict=True))
        # The one-off's analysis changes (its opening is its lead): only its lead is made again.
        one_off = next(s for s in stories if s.size == 1)
        slug = one_off.articles[0]
        changed = dict(analyses)
        changed[slug] = replace(analyses[slug], sentences=("A sentence the article now opens with, quoted.",
                                                           *analyses[slug].sentences))
        third = story_leads(articles, stories, changed, cards=cards, kept=kept)
        assert third == story_leads(articles, stories, changed, cards=cards)
        assert [lead is old for lead, old in zip(third, first)] == [s.id != one_off.id for s in stories
                                                                    if any(a in s.articles for a in
                                                                           (x.slug for x in articles))]
        assert next(lead for lead in third if lead.story == one_off.id) != \
            next(lead for lead in first if lead.story == one_off.id)
