"""Numeric claims: extraction, attribution, grouping by counted thing and scope, conflicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import REPO

from digest.analysis import figures
from digest.analysis.conflicts import conflicts_by_group, find_conflicts, same_thing
from digest.analysis.figures import Claim, extract_claims
from digest.analysis.text import fold, split_sentences
from digest.loading.prose import body_prose
from digest.loading.loader import load_corpus

DAY = datetime(2020, 1, 27, 9, 0, tzinfo=UTC)


def claims(*sentences: str, slug: str = "a", source: str = "Desk", when: datetime = DAY) -> list[Claim]:
    return extract_claims(list(sentences), slug=slug, source=source, published=when)


def one(sentence: str, **kw: object) -> Claim:
    (c,) = claims(sentence, **kw)  # type: ignore[arg-type]
    return c


def test_the_demo_wounded_counts_are_attributed_to_the_agencies() -> None:
    afp = one("AFP reported that one person was wounded in the attack, citing officials who spoke anonymously.")
    reuters = one("Reuters reported that at least three people were wounded, according to officials who were not named.")
    assert (afp.figure, afp.value, afp.bound, afp.thing, afp.source) == ("one", 1, "exact", "wounded", "AFP")
    assert (reuters.figure, reuters.value, reuters.bound, reuters.source) == ("at least three", 3, "lower", "Reuters")
    assert same_thing(afp, reuters) and afp.label == "people wounded"


def test_each_figure_takes_the_outlet_named_nearest_before_it() -> None:
    afp, reuters = claims("As for the injuries, AFP is reporting one person was wounded, "
                          "while Reuters is reporting at least three were wounded.")
    assert (afp.figure, afp.source) == ("one", "AFP")
    assert (reuters.figure, reuters.source, reuters.thing) == ("at least three", "Reuters", "wounded")
    (later,) = claims("Five people died, according to the Associated Press.")
    assert later.source == "Associated Press"


def test_without_a_named_outlet_the_article_source_is_used() -> None:
    assert one("Reports say five rockets were launched into the Green Zone.", source="Desk").source == "Desk"
    assert one("Officials said 14 people were hurt.", source="Desk").source == "Desk"


@pytest.mark.parametrize(("sentence", "figure", "value", "bound"), [
    ("At least 12 people have died.", "at least 12", 12, "lower"),
    ("As many as 600 people have been killed.", "as many as 600", 600, "upper"),
    ("More than 200 others were injured.", "more than 200", 200, "lower"),
    ("The unrest has cost up to 600 lives.", "up to 600", 600, "upper"),
    ("About 5,000 protesters gathered.", "about 5,000", 5000, "approx"),
    ("Reports put deaths at 12 or more, with 12 deaths or more confirmed.", "12 or more", 12, "lower"),
    ("Thirty-five people were injured in the crush.", "thirty-five", 35, "exact"),
    ("The AFP count is lower: it reported a single injury.", "one", 1, "exact"),
    ("Some 1.5 million people voted.", "some 1.5 million", 1_500_000, "approx"),
])
def test_numbers_and_qualifiers(sentence: str, figure: str, value: float, bound: str) -> None:
    c = claims(sentence)[-1]
    assert (c.figure, c.value, c.bound) == (figure, value, bound)


@pytest.mark.parametrize("sentence", [
    "The protests have gone on for three days.",
    "The rally took place on January 24, two days before the attack.",
    "The movement began in 2019 and grew in October.",
    "Thousands of demonstrators and dozens of police filled the square.",
    "He said its number one priority remains the protection of its personnel.",
    "The Reuters tally is higher than the one given by the other agency.",
    "One reportedly struck the cafeteria.",
    "Turnout was 64 percent.",
    "No one has claimed responsibility.",
])
def test_times_dates_vague_amounts_and_pronouns_are_not_claims(sentence: str) -> None:
    assert claims(sentence) == []


def test_casualty_wording_is_normalised_to_what_is_counted() -> None:
    things = {c.figure: c.thing for c in claims(
        "Three passengers were hurt.", "Medics said the blast left six dead.",
        "Gunmen killed 5 villagers.", "Police detained 16 suspects.", "Nine officers were injured.",
        "Organisers said 20,000 protesters joined the march.")}
    # Passengers are anyone; villagers, suspects and officers are a part of a toll, kept apart.
    assert things == {"three": "wounded", "six": "deaths", "5": "villag/deaths", "16": "suspect/arrests",
                      "nine": "offic/wounded", "20,000": "protest"}


def test_objects_keep_their_verb_so_fired_and_hit_are_not_merged() -> None:
    fired = one("Five rockets were fired into the Green Zone.")
    hit = one("Three of those rockets are said to have landed on the embassy itself.")
    assert (fired.thing, hit.thing) == ("rocket/fired", "rocket/hit")
    assert (fired.label, hit.label) == ("rockets fired", "rockets that hit")
    assert not same_thing(fired, hit)
    assert find_conflicts([fired, hit]) == ()


def test_figures_that_agree_are_not_a_conflict() -> None:
    a = one("At least 12 people have died over the past three days.", slug="a")
    b = one("Twelve or more people have died in three days.", slug="b")
    c = one("As many as 600 people have been killed since October.", slug="c")
    d = one("Rights groups say up to 600 people have died since October.", slug="d")
    assert same_thing(a, b) and same_thing(c, d)
    assert find_conflicts([a, b, c, d]) == ()


def test_deaths_in_three_days_and_deaths_since_october_are_not_merged() -> None:
    three_days = one("Reports say at least 12 people have died over the past three days.")
    since = one("They estimate that as many as 600 people have been killed since the protests started in October.")
    assert (three_days.scope, since.scope) == ("3 days", "since october")
    assert (three_days.scope_label, since.scope_label) == ("over 3 days", "since October")
    assert not same_thing(three_days, since)
    assert find_conflicts([three_days, since]) == ()


def test_the_same_period_takes_the_scope_of_the_sentence_before() -> None:
    deaths, injured = claims("Reports say at least 12 people have died over the past three days.",
                             "More than 200 others have reportedly been injured in the same period.")
    assert injured.thing == "wounded" and injured.scope == deaths.scope == "3 days"
    unscoped = one("AFP reported that one person was wounded.")
    assert not same_thing(injured, unscoped)


def test_the_window_follows_the_group_not_a_fixed_number_of_days() -> None:
    a = one("The storm killed seven people.", slug="a", source="AP", when=DAY)
    b = one("The storm killed nine people.", slug="b", source="NYT", when=DAY + timedelta(days=9))
    c = one("The storm killed four people.", slug="c", source="AFP", when=DAY + timedelta(days=20))
    assert same_thing(a, b) and same_thing(a, c)
    found = conflicts_by_group({x.slug: [x] for x in (a, b, c)}, {"storm": ["a", "b"], "other": ["c"]})
    assert list(found) == ["storm"]
    assert [(x.figure, x.source) for x in found["storm"][0].claims] == [("seven", "AP"), ("nine", "NYT")]


def test_relative_periods_are_anchored_at_each_report() -> None:
    a = one("Officials said 70 people had died over the past month.", slug="a", source="AP", when=DAY)
    b = one("Officials said 90 people had died over the past month.", slug="b", source="NYT",
            when=DAY + timedelta(days=18))
    c = one("Officials said 90 people had died over the past month.", slug="c", source="NYT",
            when=DAY + timedelta(days=2))
    assert not same_thing(a, b) and same_thing(a, c)
    assert find_conflicts([a, b]) == () and len(find_conflicts([a, c])) == 1


def test_a_conflict_lists_each_figure_once_per_source_earliest_first() -> None:
    afp = one("AFP reported that one person was wounded.", slug="afp", source="AFP", when=DAY)
    reuters = one("Reuters reported that at least three people were wounded.", slug="reuters",
                  when=DAY + timedelta(minutes=30))
    echo = claims("The Reuters tally is higher than the one given by AFP, which reported a single injury.",
                  slug="reuters", when=DAY + timedelta(minutes=30))
    (conflict,) = find_conflicts([reuters, *echo, afp])
    assert conflict.label == "people wounded" and conflict.scope_label == ""
    assert [(c.figure, c.source, c.slug) for c in conflict.claims] == [
        ("one", "AFP", "afp"), ("at least three", "Reuters", "reuters")]


def test_demo_content_has_exactly_the_wounded_conflict() -> None:
    corpus = load_corpus(REPO / "content")
    found = [c for a in corpus.articles
             for c in extract_claims(split_sentences(body_prose(a.body)), slug=a.slug, source=a.source,
                                     published=a.published)]
    conflicts = find_conflicts(found)
    assert [(x.label, [(c.figure, c.source) for c in x.claims]) for x in conflicts] == [
        ("people wounded", [("one", "AFP"), ("at least three", "Reuters")])]


TRICKY = ["Over the past ſix days, ſince Monday, ſome 12 died.", "\u0130n three days, the toll rose.",
          "THE SAME PERIOD saw five deaths.", "In the same days nine were hurt.", "ONE died toDAY.",
          "No number here, only words.", "Twenty-one rockets hit since last week.",
          "A dozen homes burned over the past \u212a days.", "It rained yesterday; sixty were rescued.",
          "Over the past three\u00a0DAYS, 40 died.", "For\ttwo\u2003weeks, 3 were held. On Tuesday, 5 were freed."]


@pytest.mark.parametrize("sentence", TRICKY + [s for a in load_corpus(REPO / "content").articles
                                               for s in split_sentences(body_prose(a.body))])
def test_the_keyword_pre_checks_agree_with_the_patterns(sentence: str) -> None:
    folded = fold(sentence)
    for keyed in (figures._DURATION, figures._PERIOD, figures._SINCE, figures._SAME):
        assert bool(keyed.search(sentence, folded)) == bool(keyed.pattern.search(sentence))
        assert figures._TIMED.search(folded) or not keyed.gate.search(folded)
        assert [m.span() for m in keyed.finditer(sentence, folded)] == \
            [m.span() for m in keyed.pattern.finditer(sentence)]
    assert figures._maybe_number(sentence, folded) == bool(figures._MAYBE_NUMBER.search(sentence))


# -- the false kinds found on real news (issue 13): each is silent, with its own sentence ----------------

@pytest.mark.parametrize("sentence", [
    "The minister told Radio Four Today that the deal was off.",          # a station's name
    "The Airbus A330-200 landed safely in Lisbon.",                       # an aircraft model
    "The flaw affects machines still running Windows 95 and Windows 98.",  # product names
    "Two Kilo-636 class submarines left the port.",                       # a class name
    "Flight 447 left on time.",                                           # a flight number
    "The Sept. 12 raid on the depot drew wide condemnation.",             # a date
    "Moreno, who is 34, denied the charges.",                             # an age
    "A woman aged 61 was among the victims of the fire.",                 # an age, and a subset
    "The dam holds 12 million cubic meters (424 million cubic feet) of water.",  # a conversion
    "Fuel now costs 350 dinars, up from 280.",                            # money, and a range
    "Fares have risen to 40 rupees from 25.",                             # two quantities, one sentence
    "The queue stretched 3 kilometers (2 miles) along the road.",         # a measure
])
def test_names_dates_ages_conversions_and_ranges_are_not_claims(sentence: str) -> None:
    assert claims(sentence) == []


def test_a_date_before_the_event_is_not_its_toll() -> None:
    (toll,) = claims("The Sept. 12 explosion killed 23 people.")
    assert (toll.figure, toll.thing) == ("23", "deaths")


def test_each_casualty_number_takes_its_own_verb() -> None:
    dead, hurt = claims("Troops fired on the crowd, killing at least 17 people and injuring 58.")
    assert (dead.figure, dead.thing) == ("at least 17", "deaths")
    assert (hurt.figure, hurt.thing) == ("58", "wounded")


def test_living_is_not_dying() -> None:
    (c,) = claims("Some 8,000 orphans live in state care homes.")
    assert c.thing != "deaths"
    (toll,) = claims("The quake cost 40 lives.")
    assert toll.thing == "deaths"


@pytest.mark.parametrize("sentence", [
    "It was the deadliest attack since a 1996 bombing that killed 19 soldiers.",   # another event
    "In 1997 the party won 71 seats.",                                              # another year
    "A second flood killed six people in the same valley.",                         # another event
    "Four children were among the 14 people killed.",                              # a subset
])
def test_figures_of_another_event_or_a_part_of_this_one_are_not_claims(sentence: str) -> None:
    assert claims(sentence) == []


def test_only_news_organisations_are_cited_sources() -> None:
    assert one("The Interior Ministry (Grozny) said 15 people were killed.", source="Desk").source == "Desk"
    assert one("Investigators (FBI) said six people were arrested.", source="Desk").source == "Desk"
    assert one("Provisional (Official) figures show 15 people were killed.", source="Desk").source == "Desk"
    assert one("Hospital officials said 15 people were killed.", source="Desk").source == "Desk"
    cited = one("At least 15 people were killed, The Daily Star reported.", source="Desk")
    assert (cited.source, cited.cited) == ("The Daily Star", True)
    assert one("according to xinhua, nine people died.", source="Desk").source == "xinhua"
    assert one("Nine people died, Xinhua News Agency said.", source="Desk").source == "Xinhua News Agency"


def _article(sentence: str, slug: str, source: str, when: datetime = DAY) -> list[Claim]:
    return claims(sentence, slug=slug, source=source, when=when)


def test_agreeing_qualified_figures_are_not_a_conflict() -> None:
    for first, second in [("The blast killed 412 people.", "The blast killed at least 412 people."),
                          ("Nearly 3,000 people were arrested.", "About 3,000 people were arrested."),
                          ("Up to 50 people were hurt.", "Forty people were hurt.")]:
        found = find_conflicts([*_article(first, "a", "AP"), *_article(second, "b", "Reuters")])
        assert found == (), (first, second)
    (real,) = find_conflicts([*_article("The blast killed 412 people.", "a", "AP"),
                              *_article("The blast killed at least 430 people.", "b", "Reuters")])
    assert [c.figure for c in real.claims] == ["412", "at least 430"]


def test_a_revision_within_one_article_is_not_a_disagreement() -> None:
    revised = claims("Early reports said 12 people were killed.", "The toll later rose and 19 people were killed.",
                     slug="a", source="AP")
    assert find_conflicts(revised) == ()
    # Later reports of one outlet revising its count are not a disagreement either.
    later = _article("Nineteen people were killed.", "b", "The Associated Press", DAY + timedelta(days=1))
    assert find_conflicts([*revised, *later]) == ()
    # One article setting two agencies' figures side by side is.
    (both,) = find_conflicts(claims("AFP said 12 people were killed, while Reuters said 19 people were killed.",
                                    slug="c", source="Desk"))
    assert [(c.figure, c.source) for c in both.claims] == [("12", "AFP"), ("19", "Reuters")]


def test_different_places_of_one_event_are_different_quantities() -> None:
    nairobi = _article("The bombing in Nairobi killed 213 people.", "a", "AP")
    dar = _article("The bombing in Dar es Salaam killed 11 people.", "b", "NYT")
    unplaced = _article("The bombings killed 224 people.", "c", "AFP")
    assert find_conflicts([*nairobi, *dar, *unplaced]) == ()
    (real,) = find_conflicts([*nairobi, *_article("In Nairobi, 236 people were killed.", "d", "NYT")])
    assert [(c.figure, c.source) for c in real.claims] == [("213", "AP"), ("236", "NYT")]


def test_different_counted_things_sharing_a_noun_are_never_side_by_side() -> None:
    a = _article("Police said 40 people were arrested.", "a", "AP")
    b = _article("Police said 40 people were wounded.", "b", "AFP")
    c = _article("About 900 people were evacuated.", "c", "Reuters")
    assert find_conflicts([*a, *b, *c]) == ()


def test_no_group_no_panel() -> None:
    a = _article("The storm killed seven people.", "a", "AP")
    b = _article("The storm killed nine people.", "b", "AFP")
    assert conflicts_by_group({"a": a, "b": b}, {"a": ["a"], "b": ["b"]}) == {}
    assert list(conflicts_by_group({"a": a, "b": b}, {"s": ["a", "b"]})) == ["s"]


def test_a_toll_revised_over_a_week_is_one_quantity() -> None:
    """AP's count rises over a week and the NYT's differs: one entry, every figure once per outlet."""
    reports = [*_article("The embassy bombing in Mombasa killed 213 people.", "ap1", "AP"),
               *_article("The bombing in Mombasa has killed 247 people, officials said.", "ap2", "Associated Press",
                         DAY + timedelta(days=4)),
               *_article("The Mombasa bombing killed 236 people.", "nyt", "The New York Times", DAY + timedelta(days=6)),
               *_article("In Mombasa, 248 people were killed.", "ap3", "AP", DAY + timedelta(days=7))]
    (found,) = conflicts_by_group({c.slug: [c] for c in reports}, {"story": ["ap1", "ap2", "nyt", "ap3"]}).values()
    assert [(c.figure, c.source) for c in found[0].claims] == [
        ("213", "AP"), ("247", "Associated Press"), ("236", "The New York Times"), ("248", "AP")]


def test_parts_of_a_toll_are_kept_apart_from_it() -> None:
    assert find_conflicts([*_article("Four rebels were killed in the clashes.", "a", "AP"),
                           *_article("At least 40 people were killed in the clashes.", "b", "AFP")]) == ()
    assert find_conflicts([*_article("Six of those arrested were released.", "a", "AP"),
                           *_article("Police arrested 20 people.", "b", "AFP")]) == ()
    assert find_conflicts([*_article("Medics treated two wounded Western reporters.", "a", "AP"),
                           *_article("Eight people were wounded by the shelling.", "b", "AFP")]) == ()
    assert find_conflicts([*_article("At least three other sailors were injured.", "a", "AP"),
                           *_article("Seven sailors were injured.", "b", "AFP")]) == ()


def test_figures_orders_of_magnitude_apart_are_different_quantities() -> None:
    """27 killed in one bombing and 8,000 in the whole uprising share a noun, not a quantity."""
    found = find_conflicts([*_article("Twin car bombs killed 27 people.", "a", "AP"),
                            *_article("More than 8,000 people have died.", "b", "AFP"),
                            *_article("Officials said 30 people were killed.", "c", "Reuters")])
    assert [[c.figure for c in x.claims] for x in found] == [["27", "30"]]


@pytest.mark.parametrize("sentence", [
    "Three people were killed.", "Of the 40 wounded, three were children.", "OF THOSE 12, two died.",
    "\u201cOf the nine dead, four were police,\u201d he said.", "It was the WORST crash in decades: 12 died.",
    "A \u017fecond storm killed 4.", "Among the 30 injured were two reporters.", "In 1998, 40 died.",
    "Some 2,000 people fled.", "The last year saw 12 deaths.", "Last year 12 died.", "Two of them were hurt.",
    "Five died in one of the attacks.", "It happened 20 years ago.", "Numbers: 19, 20 and 1999,5.", "",
    "\u0130ncluding three children, 9 died.", "Another 40 were hurt.",
])
def test_the_elsewhere_gate_agrees_with_the_pattern(sentence: str) -> None:
    """`elsewhere` skips the pattern only where it cannot match, case and folded letters included."""
    from digest.analysis.figure_context import ELSEWHERE, elsewhere

    assert elsewhere(sentence, fold(sentence)) is (ELSEWHERE.search(sentence) is not None)
