"""Stories: articles about one event grouped across outlets (digest/analysis/stories.py)."""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import TOPICS, article, story_state

from digest.analysis.analyse import AnalysisOptions, build_digest
from digest.analysis.duplicates import copy_map
from digest.analysis.stories import StoryIndex, StoryItem, StoryOptions, cluster, lede, proper_names, story_item
from digest.analysis.storygroup import dot
from digest.analysis.text import split_sentences
from digest.loading.loader import parse_article
from digest.loading.topics import TopicIndex, parse_topics
from digest.model import Article

TOPIC_LIST = parse_topics(yaml.safe_load(TOPICS), "topics.yml")[0]
T0 = datetime(2021, 3, 1, 8, tzinfo=UTC)

FERRY = [
    ("ferry-desk", "Desk", "Ferry Marisol sinks off Kessan island with 40 aboard",
     "The passenger ferry Marisol sank off Kessan island early on Monday with 40 people aboard. "
     "Coastguard boats from Port Verin pulled survivors from the water. The ferry had left Port Verin "
     "at dawn and radioed for help when its hull flooded near the Kessan lighthouse."),
    ("ferry-wire", "Wire", "Rescuers search for missing after Marisol ferry goes down near Kessan",
     "Rescuers searched the sea near Kessan island for passengers of the Marisol, a ferry that went "
     "down on Monday. The Port Verin coastguard said the ferry had reported flooding by the Kessan "
     "lighthouse before it sank. Survivors were taken to Port Verin."),
    ("ferry-post", "Post", "Marisol survivors describe flooding before the ferry sank",
     "Survivors of the Marisol ferry sinking near Kessan island said water poured into the hull within "
     "minutes. Coastguard crews from Port Verin took the rescued passengers back to the harbour, and "
     "officials opened an inquiry into the Marisol's last voyage from Port Verin."),
]
STRIKE = ("dock-strike", "Desk", "Port Verin dock workers walk out over pay",
          "Dock workers in Port Verin stopped work on Tuesday in a dispute over wages. The union said "
          "cranes at the container terminal would stay idle until the harbour authority raised its offer. "
          "Lorries queued outside the terminal gates through the afternoon.")
FILLER = [
    ("school-budget", "Desk", "Alder county approves school budget",
     "The Alder county board approved next year's school budget after a long evening meeting, "
     "adding money for teachers and new textbooks."),
    ("orchard-frost", "Post", "Late frost threatens Hollin valley orchards",
     "Fruit growers in the Hollin valley lit burners among their apple trees as a late frost "
     "settled overnight, fearing the loss of the blossom."),
    ("library-opens", "Wire", "New library opens in Brammel",
     "Readers queued on Saturday for the opening of Brammel's new public library, which has a "
     "children's wing and a rooftop reading garden."),
]


def make(slug: str, source: str, title: str, body: str, hours: float = 0, **extra: object) -> Article:
    return Article(path=f"content/articles/{slug}.md", slug=slug, title=title,
                   published=T0 + timedelta(hours=hours), source=source, topics=("iraq-protests",),
                   body=body, **extra)  # type: ignore[arg-type]


def corpus(hours: tuple[float, ...] = (0, 3, 20)) -> list[Article]:
    items = [make(*f, hours=h) for f, h in zip(FERRY, hours)]
    items.append(make(*STRIKE, hours=26))
    items.extend(make(*f, hours=-30 - 5 * i) for i, f in enumerate(FILLER))
    return items


def digest_of(articles: list[Article]):
    return build_digest(TOPIC_LIST, articles, AnalysisOptions())


def test_reports_of_one_event_from_several_outlets_are_one_story() -> None:
    d = digest_of(corpus())
    story = d.story_of("ferry-desk")
    assert story is not None
    assert story.articles == ("ferry-desk", "ferry-wire", "ferry-post")
    assert story.sources == ("Desk", "Wire", "Post")
    assert story.title == FERRY[0][2]                       # the earliest report's headline
    assert story.first == T0 and story.last == T0 + timedelta(hours=20)
    assert story.summary and {q.slug for q in story.summary} <= set(story.articles)
    assert d.stories[0] == d.story_of("dock-strike")        # newest update first


def test_another_event_on_the_same_topic_is_a_story_of_its_own() -> None:
    d = digest_of(corpus())
    assert d.story_ids["dock-strike"] == "dock-strike"
    assert d.story_of("dock-strike").articles == ("dock-strike",)   # type: ignore[union-attr]
    for slug, *_ in FILLER:
        assert d.story_of(slug).articles == (slug,)                # type: ignore[union-attr]


def test_a_report_outside_the_time_window_starts_a_new_story() -> None:
    d = digest_of(corpus(hours=(0, 3, 24 * 9)))
    assert d.story_of("ferry-desk").articles == ("ferry-desk", "ferry-wire")   # type: ignore[union-attr]
    assert d.story_ids["ferry-post"] == "ferry-post"


def test_a_story_pin_wins_over_the_automatic_grouping() -> None:
    items = corpus()
    items[2] = replace(items[2], story="marisol-inquiry")           # split one off
    items[3] = replace(items[3], story="marisol-inquiry")           # and put an unrelated one with it
    d = digest_of(items)
    assert d.story_of("ferry-desk").articles == ("ferry-desk", "ferry-wire")   # type: ignore[union-attr]
    pinned = d.story_of("ferry-post")
    assert pinned is not None and pinned.id == "marisol-inquiry" and pinned.pinned
    assert pinned.articles == ("ferry-post", "dock-strike")


def test_a_syndicated_copy_is_one_article_inside_its_story() -> None:
    items = corpus()
    slug, source, title, body = FERRY[0]
    items.append(make("ferry-rerun", "Gazette", "Ferry sinks near Kessan", body, hours=6))
    d = digest_of(items)
    story = d.story_of("ferry-desk")
    assert story is not None and copy_map(d.duplicates)["ferry-rerun"] == "ferry-desk"
    assert "ferry-rerun" not in story.articles and story.copies == ("ferry-rerun",)
    assert d.story_ids["ferry-rerun"] == story.id
    assert "Gazette" in story.sources


def _items(articles: list[Article]) -> list[StoryItem]:
    return [StoryItem(a.slug, a.published, a.title, a.body, a.story) for a in articles]


def test_a_warm_index_gives_the_cold_result_and_only_adds_the_new_articles() -> None:
    items = _items(corpus())
    cold = cluster(items).assignment()
    ordered = sorted(items, key=lambda i: i.key)
    warm = StoryIndex()
    cluster(ordered[:4], warm=warm)
    before = list(warm.items)
    assert cluster(items, warm=warm) is warm
    assert warm.items[: len(before)] == before and warm.assignment() == cold
    # An article dated before the index's newest cannot be appended: the index starts afresh.
    late = replace(ordered[0], slug="backdated", published=ordered[0].published - timedelta(hours=1))
    assert cluster([*items, late], warm=warm).assignment() == cluster([*items, late]).assignment()
    with pytest.raises(ValueError, match="older than"):
        StoryIndex().extend(items).add(late)


def test_the_grouping_does_not_depend_on_the_input_order() -> None:
    items = _items(corpus())
    assert cluster(items).assignment() == cluster(list(reversed(items))).assignment()


INDEX = TopicIndex(TOPIC_LIST)


@pytest.mark.parametrize("value, message", [
    ("'Embassy Attack!'", "'Embassy Attack!' is not a story id."),
    ("[a, b]", "must be a story id, not a list."),
    ("true", "must be a story id, not a bool."),
])
def test_a_bad_story_field_names_file_field_and_fix(value: str, message: str) -> None:
    a, found = parse_article(article(extra=f"story: {value}\n"), "content/articles/x.md", "x", INDEX)
    assert a is None
    assert [str(p) for p in found] == [
        f"content/articles/x.md: field 'story': {message} Fix: write a story id of lowercase letters, "
        "digits and hyphens, e.g. story: embassy-rocket-attack."]


def test_a_story_field_is_read() -> None:
    a, found = parse_article(article(extra="story: embassy-attack-2020\n"), "content/articles/x.md", "x", INDEX)
    assert found == [] and a is not None and a.story == "embassy-attack-2020"


WAYBACK = ["Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive.",
           "Flowing in every day, these data are added to the Wayback Machine after an embargo period."]
TWEET = ["Tweet with a location You can add location information to your Tweets, such as your city or "
         "precise location, from the web and via third-party applications.",
         "You always have the option to delete your Tweet location history."]


def test_the_lede_skips_page_furniture_and_datelines() -> None:
    sentences = [*TWEET, "PORT VERIN (Wire) -- The passenger ferry Marisol sank off Kessan island on Monday.",
                 "Coastguard boats pulled survivors from the water."]
    assert lede(sentences) == ("The passenger ferry Marisol sank off Kessan island on Monday. "
                               "Coastguard boats pulled survivors from the water.")


def test_crawled_pages_of_nothing_but_furniture_join_no_story() -> None:
    items = [story_item(f"archive-{i}", T0 + timedelta(hours=i), "", WAYBACK) for i in range(3)]
    items.append(story_item("tweets", T0 + timedelta(hours=4), "", TWEET))
    assert all(i.lede == "" and i.names == () for i in items)
    found = cluster(items).assignment()
    assert found == {i.slug: i.slug for i in items}


def test_names_are_the_words_an_article_capitalises_twice_over_its_whole_prose() -> None:
    body = split_sentences(FERRY[2][3] + " Relatives waited at the harbour. Later, the Marisol's owner, "
                           "Halvard Lines, said the Marisol had passed its inspection.")
    item = story_item("ferry-post", T0, FERRY[2][2], body)
    # Kessan, Halvard and Lines are named once; Survivors, Coastguard and Relatives open a sentence.
    assert item.names == (("marisol", 2), ("marisol's", 2), ("port", 2), ("verin", 2))


def test_names_from_the_body_join_a_feature_whose_lede_only_hints_at_the_event() -> None:
    news = story_item("ferry-desk", T0, FERRY[0][2], split_sentences(FERRY[0][3]))
    feature_body = ("Nobody on the quay expected the morning to end like this. Fishermen mended nets and "
                    "children played by the water while the weather turned. " * 14   # a lede of 300 words
                    + ("By noon the Marisol was gone. Crews from Port Verin searched near Kessan for hours. "
                       "The Marisol had sailed from Port Verin at dawn, and Kessan fishermen saw it list. ") * 3)
    feature = story_item("ferry-feature", T0 + timedelta(hours=5), "A morning on the quay",
                         split_sentences(feature_body))
    others = [story_item(s, T0 - timedelta(hours=30 + 5 * i), t, split_sentences(b))
              for i, (s, _, t, b) in enumerate(FILLER)]
    assert cluster([news, feature, *others]).assignment()["ferry-feature"] == "ferry-desk"
    bare = replace(feature, names=())
    assert cluster([news, bare, *others]).assignment()["ferry-feature"] == "ferry-feature"


RATES = [
    ("uk-economy", "UK economy facing major risks",
     "The UK economy still faces major risks and growth is set to slow, business leaders said. Rising interest "
     "rates and a strong pound hurt exporters, and the economy could grow less than forecast next year."),
    ("us-rates", "US interest rate rise expected",
     "US interest rates are expected to rise again this week as economic growth holds up. A rate rise would "
     "be the fifth this year, and analysts expect rates to keep rising while the economy grows."),
]
BEAT = [("japan-growth", "Japan growth slows", "Growth in Japan's economy slowed as rates stayed low and exports fell."),
        ("euro-rates", "ECB holds rates", "The European Central Bank held interest rates as economic growth faltered."),
        ("china-economy", "China economy grows", "China's economy grew strongly, and the bank may raise rates to cool growth."),
        ("oil-prices", "Oil prices rise", "Oil prices rose on fears that economic growth would lift demand."),
        ("uk-prices", "UK house prices dip", "House prices fell as higher interest rates cooled the economy."),
        ("dollar-falls", "Dollar falls", "The dollar fell as traders weighed US growth and the path of rates.")]


def test_one_beat_is_not_one_story_without_rare_terms_in_common() -> None:
    items = [story_item(s, T0 - timedelta(days=30 - i), t, split_sentences(b)) for i, (s, t, b) in enumerate(BEAT * 5)]
    items = [replace(it, slug=f"{it.slug}-{n}") for n, it in enumerate(items)]
    items += [story_item(s, T0 + timedelta(hours=3 * i), t, split_sentences(b)) for i, (s, t, b) in enumerate(RATES)]
    # The beat's one-line briefs are placed too (min_terms=0), so that they can draw a link.
    found = cluster(items, StoryOptions(min_terms=0)).assignment()
    assert found["us-rates"] == "us-rates" and found["uk-economy"] == "uk-economy"
    merged = cluster(items, StoryOptions(rare_shared=0, named_link=0, min_terms=0)).assignment()
    assert merged["us-rates"] != "us-rates"                          # the wrong merge the check holds back


@pytest.mark.parametrize("keep_read", [False, True])
@pytest.mark.parametrize("change", ["edit", "delete", "backdate"])
def test_a_warm_index_replays_only_from_the_first_changed_article_and_equals_a_cold_one(change: str,
                                                                                       keep_read: bool) -> None:
    """Also with each article's features kept (a live preview's index, `keep_read`)."""
    items = sorted(_items(corpus()), key=lambda i: i.key)
    for at in range(len(items)):        # a story (ferry-desk: 3 articles) loses all, some or none
        _replay(items, at, change, keep_read)


def _replay(items: list[StoryItem], at: int, change: str, keep_read: bool = False) -> None:
    warm = cluster(items, warm=StoryIndex(keep_read=keep_read))
    if change == "edit":        # a new opening for a middle article: everything after it is placed again
        changed = [*items[:at], replace(items[at], lede="Divers searched the wreck of the Marisol ferry. "
                                         + items[at].lede), *items[at + 1:]]
    elif change == "delete":
        changed = items[:at] + items[at + 1:]
    else:                       # an article dated before most of the archive
        changed = [*items, replace(items[-1], slug="backdated", published=items[at].published - timedelta(minutes=1))]
    assert cluster(changed, warm=warm) is warm
    assert story_state(warm) == story_state(cluster(changed))



def _at(slug: str, days: float, title: str, body: str) -> StoryItem:
    return story_item(slug, T0 + timedelta(days=days), title, split_sentences(body))


# Two tournaments' reports, as a sports desk files them: the beat's words in common, no name.
TENNIS = [("hewitt-adelaide", "Hewitt falls to Dent in Adelaide",
           "Lleyton Hewitt suffered a shock defeat in the quarter-finals of the Adelaide hardcourt event. "
           "The top seed broke early in the second set but lost in straight sets to the American Taylor Dent. "
           "Dent will face Juan Ignacio Chela in the semi-finals."),
          ("federer-qatar", "Federer breezes into Qatar semi-finals",
           "Roger Federer reached the semi-finals of the Qatar Open with an easy win over the seventh seed "
           "Feliciano Lopez. The Swiss world number one broke early in both sets and will face Nikolay "
           "Davydenko in the last four.")]
# One event's reports from two outlets, worded apart: the names in common.
STALLONE = [("greer-walks-out", "Greer walks out of Celebrity Big Brother",
             "Germaine Greer left the Celebrity Big Brother house on Friday, calling the show's producers bullies. "
             "The writer said John McCririck and Jackie Stallone had been treated cruelly by the programme."),
            ("mccririck-evicted", "McCririck voted off the show after row",
             "Viewers voted the racing pundit John McCririck off the reality programme two days after Greer quit. "
             "McCririck had clashed with Jackie Stallone over the rules of the house.")]
DESK = [(s, t, b) for s, t, b in BEAT]


def _stories(pair: list[tuple[str, str, str]], lower: bool = False, **options: float) -> dict[str, str]:
    case = str.lower if lower else str
    items = [_at(f"{s}-{n}", -20 + i, case(t), case(b)) for n, (i, (s, t, b)) in enumerate(enumerate(DESK * 3))]
    items += [_at(s, i, case(t), case(b)) for i, (s, t, b) in enumerate(pair)]
    return cluster(items, StoryOptions(**options)).assignment()  # type: ignore[arg-type]


def test_a_weak_link_needs_a_name_in_common() -> None:
    """Two tennis reports from two tournaments share "quarter-finals", "seed", "broke early" and
    "semi-finals", enough to link them; they name no one in common, so they stay apart."""
    assert _stories(TENNIS)["federer-qatar"] == "federer-qatar"
    assert _stories(TENNIS, named_link=0)["federer-qatar"] == "hewitt-adelaide"    # what the rule holds back


def test_one_event_in_other_words_still_joins_by_its_names() -> None:
    found = _stories(STALLONE)
    assert found["mccririck-evicted"] == "greer-walks-out"


COURT = [("kell-sentenced", "Six months in jail for former university swimmer",
          "A county court sent a former university swimmer to jail for six months on Thursday for sexually "
          "assaulting a woman at a campus party. Prosecutors had asked for six years. The victim's statement, read "
          "aloud in court, described the night and the year of hearings that followed. Judge Verrin said a longer "
          "term would weigh heavily on Kell, who had no previous convictions. His father wrote that twenty minutes "
          "of action should not ruin a life. Students marched across the quad that evening carrying placards."),
         ("jurors-refuse", "Jury pool turns away from the bench",
          "Dozens of residents summoned for jury service refused to hear cases before Verrin this week, saying "
          "they no longer trusted his rulings. Many cited the lenient term handed to Kell. Court clerks had to "
          "send the panel home and call new names from the list. A petition seeking the judge's recall has "
          "gathered signatures outside supermarkets and libraries, and the county bar association scheduled "
          "a public meeting for next month.")]


def _court(before: list[StoryItem] = []) -> list[StoryItem]:
    """The court pair after `before` and a hundred older desk articles (none within the window):
    enough for a name that only the pair gives to be held by under 2% of the archive."""
    desk = [_at(f"{s}-{n}", -120 + i, t, b) for n, (i, (s, t, b)) in enumerate(enumerate(DESK * 17))]
    return [*before, *desk, *(_at(s, i, t, b) for i, (s, t, b) in enumerate(COURT))]


def test_a_link_under_the_bar_counts_when_two_rare_names_are_shared() -> None:
    """Two outlets tell one court case from two ends (the sentence; jurors refusing the judge):
    their ledes share little but the judge's and the defendant's names, which few articles give.
    That link (between `named_floor` and `link`) joins them; with the rule off they stay apart,
    and so they do on a small site, where no name is yet known to be rare."""
    index = cluster(_court())
    score = dot(index._vectors[-1], index._vectors[-2])
    options = StoryOptions()
    assert options.named_floor <= score < options.link
    assert sorted(set(index._names[-1]) & set(index._names[-2])) == ["kell", "verrin"]
    assert index.assignment()["jurors-refuse"] == "kell-sentenced"
    assert cluster(_court(), StoryOptions(named_floor=0)).assignment()["jurors-refuse"] == "jurors-refuse"
    small = [_at(f"{s}-{n}", -20 + i, t, b) for n, (i, (s, t, b)) in enumerate(enumerate(DESK * 3))]
    small += [_at(s, i, t, b) for i, (s, t, b) in enumerate(COURT)]
    assert cluster(small).assignment()["jurors-refuse"] == "jurors-refuse"


def test_a_common_name_does_not_count_as_one_of_the_two() -> None:
    """The same pair after a dozen older articles about Kell Harbour: "kell" is no longer a rare
    name, one rare name is left, and the weak link no longer joins them (it would with one rare
    name asked for)."""
    harbour = [_at(f"harbour-{i}", -160 + i, "Kell Harbour regatta",
                   f"Sailing boats raced across the windy bay at Kell Harbour on day {i} of the summer regatta.")
               for i in range(12)]
    options = StoryOptions(named_floor=0.05)    # the common name weighs less: the link is weaker too
    index = cluster(_court(harbour), options)
    assert index._df["kell"] > options.rare * len(index.items) > index._df["verrin"] == 2
    assert options.named_floor <= dot(index._vectors[-1], index._vectors[-2]) < options.link
    assert index.assignment()["jurors-refuse"] == "jurors-refuse"
    assert cluster(_court(harbour), replace(options, named_rare=1)).assignment()["jurors-refuse"] == "kell-sentenced"


def test_lower_cased_text_shows_no_names_so_only_strong_links_group_it() -> None:
    """A lower-cased feed (the BBC set) has no capitals to find names by: silence rather than a
    guess, unless the reports are close enough on their own."""
    assert _stories(STALLONE, lower=True)["mccririck-evicted"] == "mccririck-evicted"
    assert _stories(STALLONE, lower=True, named_link=0)["mccririck-evicted"] == "greer-walks-out"
    assert proper_names(_at("x", 0, "greer walks out", "germaine greer left the house.")) == frozenset()
    assert proper_names(_at("x", 0, "Greer walks out", "The writer Germaine Greer left. Greer said so.")) \
        == {"germaine", "greer"}


CRAWL = ['Crawls of supported "No More 404" sites.']


def test_an_article_too_short_to_place_joins_no_story_even_word_for_word() -> None:
    """A one-line crawl notice is all some crawled pages hold: the same line under several
    events' reports. It is too short (fewer than `min_terms` distinct terms) to say which
    event it belongs to, so it stays a story of its own instead of gathering the others."""
    items = [story_item(f"crawl-{i}", T0 + timedelta(hours=i), "", CRAWL) for i in range(3)]
    items += [story_item(s, T0 + timedelta(hours=4 + i), t, split_sentences(b)) for i, (s, _, t, b) in enumerate(FERRY)]
    found = cluster(items).assignment()
    assert [found[f"crawl-{i}"] for i in range(3)] == ["crawl-0", "crawl-1", "crawl-2"]
    assert {found[s] for s, *_ in FERRY} == {"ferry-desk"}
    merged = cluster(items, StoryOptions(min_terms=0)).assignment()
    assert merged["crawl-2"] == "crawl-0"                            # what the floor holds back



def _generated(n: int) -> list[StoryItem]:
    """The benchmarks' generated archive (benchmarks/corpus.py) as the clustering reads it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import corpus
    return sorted((story_item(a.stem, a.published, a.title, split_sentences(a.body)) for a in corpus.generate(n)),
                  key=lambda i: i.key)


def _edit(item: StoryItem, kind: str, rng: random.Random, common: list[str]) -> StoryItem:
    if kind == "new word":          # the live preview benchmark's edit: a word no article has
        return replace(item, lede=f"{item.lede} zq{rng.randint(0, 10**9)}x")
    if kind == "common word":       # a word many later articles hold: their vectors move
        return replace(item, lede=f"{item.lede} {rng.choice(common)}")
    if kind == "recount":           # its own words again: no frequency moves, its vector does
        words = item.lede.split()
        return replace(item, lede=" ".join([*words, *rng.sample(words, min(len(words), 12)) * 3]))
    if kind == "title":
        return replace(item, title=f"{item.title} {rng.choice(common)} inquiry")
    if kind == "pin":
        return replace(item, pin=None if item.pin else "pinned-story")
    return replace(item, lede="", names=())         # emptied: too short to place


def test_an_edit_in_place_decides_again_only_what_it_reaches_and_equals_a_cold_build() -> None:
    """Edits of articles anywhere in the archive (one or several at once, of every kind): the
    warm index equals a cold one bit for bit, and an edit adding a new word to an old article's
    opening decides again only the articles dated within reach of it, not the rest."""
    items = _generated(700)
    common = [w for w, _ in Counter(w for i in items for w in i.lede.lower().split()).most_common(40)]
    assert len(set(cluster(items).assignment().values())) < len(items) - 50      # stories of several articles
    warm = cluster(items, warm=StoryIndex(keep_read=True))
    rng = random.Random(5)
    kinds = ["new word", "recount", "common word", "recount", "title", "pin", "recount", "emptied"]
    for step in range(12):
        edited = list(items)
        for at in rng.sample(range(len(items)), 1 + step % 2):
            edited[at] = _edit(items[at], kinds[step % len(kinds)], rng, common)
        items = edited
        assert cluster(items, warm=warm) is warm
        assert story_state(warm) == story_state(cluster(items)), step
    at = 100                    # the oldest seventh of the archive: 600 later articles
    items = [*items[:at], _edit(items[at], "new word", rng, common), *items[at + 1:]]
    cluster(items, warm=warm)
    assert story_state(warm) == story_state(cluster(items))
    assert 0 < warm.replayed < (len(items) - at) // 4


def test_a_replay_follows_what_each_changed_decision_reaches() -> None:
    """Fragile stories (a small vocabulary, links by cosine alone): an edit that moves no
    frequency still moves its own vector, which can move its story, which can move the decisions
    of the articles after it, and theirs: every replay still equals a cold build bit for bit."""
    rng = random.Random(9)
    vocabulary = [f"w{i:02d}" for i in range(70)]

    def text() -> str:
        return " ".join(rng.choice(vocabulary[: rng.randint(20, 70)]) for _ in range(rng.randint(12, 30)))

    options = StoryOptions(link=0.3, centroid=0.35, rare_shared=0, named_link=0, min_terms=0)
    items = [StoryItem(f"s{i:03d}", T0 + timedelta(hours=5 * i), text(), text()) for i in range(240)]
    warm = cluster(items, options, StoryIndex(keep_read=True))
    replayed = []
    for step in range(40):
        at = rng.randrange(len(items))
        words = items[at].lede.split()
        items = [*items[:at], replace(items[at], lede=" ".join(words + rng.sample(words, len(words) // 2))),
                 *items[at + 1:]]
        assert cluster(items, options, warm) is warm
        assert story_state(warm) == story_state(cluster(items, options)), step
        replayed.append(warm.replayed / (len(items) - at))
    assert min(replayed) < 0.5 < max(replayed)


def test_a_one_article_story_shares_its_vector_and_a_second_member_never_changes_it() -> None:
    """A story of one article keeps that article's vector as its sums (no copy: nearly every
    story of an archive has one article); when a second report joins, the sums are copied,
    so the first article's vector (read by every later comparison) stays its own."""
    items = [story_item(slug, T0 + timedelta(hours=3 * i), title, split_sentences(body))
             for i, (slug, _, title, body) in enumerate(FERRY)]
    index = StoryIndex()
    index.add(items[0])
    group = index._group_of[0]
    assert group.total is index._vectors[0] and group.norm2 == 1.0
    first = dict(index._vectors[0])
    index.add(items[1])
    assert index._group_of[1] is group and group.members == [0, 1]
    assert group.total is not index._vectors[0] and index._vectors[0] == first
    again = group.summed(index._vectors)
    assert again.total == group.total and again.norm2 == group.norm2
