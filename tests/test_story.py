"""The topic story: what may be quoted, how a quote is cut, the budget, and the story told
(the start, then the developments) on a multi-outlet topic over six weeks."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from digest.analysis.analyse import analyse_article
from digest.analysis.quotes import candidates, quotable, stands_alone, strip_dateline
from digest.analysis.story import Report, stories, tell
from digest.analysis.text import split_sentences

DATA = Path(__file__).resolve().parent / "data" / "story_topic.json"
TOPIC = json.loads(DATA.read_text(encoding="utf-8"))


def _reports() -> tuple[list[Report], dict[str, tuple[str, ...]]]:
    reports, sentences = [], {}
    for a in TOPIC["articles"]:
        found = analyse_article(a["title"], a["body"], 0).sentences
        sentences[a["slug"]] = found
        when = datetime.fromisoformat(a["date"]).replace(tzinfo=timezone.utc).timestamp()
        reports.append(Report(a["slug"], when, found))
    return reports, sentences


@pytest.mark.parametrize(("sentence", "quote"), [
    ("MOSCOW, July 3 (Xinhua) -- Russia said on Monday that the submarine sank after an explosion.",
     "Russia said on Monday that the submarine sank after an explosion."),
    ("PARIS (AP) -- French investigators said the Concorde caught fire on take-off.",
     "French investigators said the Concorde caught fire on take-off."),
    ("WASHINGTON — The Senate voted 51-49 on Tuesday to approve the spending bill.",
     "The Senate voted 51-49 on Tuesday to approve the spending bill."),
    ("NEW YORK, March 3, 2001 (Reuters) - Shares fell sharply on Wall Street on Friday.",
     "Shares fell sharply on Wall Street on Friday."),
    ("IDAHO FALLS, Idaho - The parents of a missing 2-year-old believe the boy was abducted.",
     "The parents of a missing 2-year-old believe the boy was abducted."),
    ("Police in Paris said the driver had fled on foot.", "Police in Paris said the driver had fled on foot."),
    ("US officials (who spoke anonymously) - and others - said so on Friday.",
     "US officials (who spoke anonymously) - and others - said so on Friday."),
])
def test_a_leading_dateline_is_left_out_of_the_quote(sentence: str, quote: str) -> None:
    assert strip_dateline(sentence) == quote
    assert quotable(sentence) == quote
    assert sentence.endswith(quote)                     # still a verbatim span


@pytest.mark.parametrize("sentence", [
    "Media playback is unsupported on your device",
    "Media playback is unsupported on your device.",
    "Image copyright Reuters Image caption The plane came down near the village.",
    "June 26 -- Miami relatives file appeal.",
    "March 3: Captain detained for questioning.",
    "Long Story Short",
    "RELATED: Best Places To Live In The World 2016",
    "Trending News: How Good Of A Person Are You?",
    "THE SEARCH GOES ON.",
    "Read more: the full report is on our website.",
    "President Obama walks to the podium. | Pablo Martinez Monsivais/AP",
    "(Photo: Getty Images)",
    "Broward Supervisor of Elections Brenda Snipes, left, and judge Betsy Benson listen to arguments.",
    "Email This Even at 88, Betty White has the ambition of a 20-something!",
])
def test_page_furniture_is_never_a_candidate(sentence: str) -> None:
    assert quotable(sentence) is None


def test_a_caption_before_a_photo_credit_is_not_a_candidate() -> None:
    sentences = split_sentences("Lauri Love smiles as he leaves court with his parents.\n(Photo: PA)\n"
                                "Lauri Love won his appeal against extradition on Monday.")
    assert candidates(sentences) == [None, None, "Lauri Love won his appeal against extradition on Monday."]


def test_the_splitter_breaks_at_a_pipe_and_other_separators() -> None:
    assert split_sentences("Obama spoke at the White House on Tuesday. | Pablo Martinez Monsivais/AP") == [
        "Obama spoke at the White House on Tuesday.", "Pablo Martinez Monsivais/AP"]
    assert split_sentences("Markets fell • Oil rose") == ["Markets fell", "Oil rose"]
    assert split_sentences("Use a|b as the pattern.") == ["Use a|b as the pattern."]


@pytest.mark.parametrize(("sentence", "alone"), [
    ("He said the search would continue through the night.", False),
    ("This is what the families of the victims want now.", False),
    ("But the company said the crew had followed the warnings.", False),
    ("However, the ferry company said the crew had followed the warnings.", False),
    ("Or more precisely, the ferry sank within five minutes.", False),
    ("the party says it will contest every seat in the election.", False),
    ("The former world number one lost in straight sets again.", False),
    ("my players were magnificent from the first minute today.", False),
    ("It said it would appeal.", False),
    ("Ten people are missing.", False),                         # under six words
    ("\"We will rebuild the harbour,\" he said.", False),       # whose words?
    ("\"I didn't notice with the name being so long.\"", False),   # a bare quotation
    ("rebuild the harbour,\" the mayor said on Friday night.", False),   # begun elsewhere
    ("\"We will rebuild the harbour,\" the mayor said on Friday.", True),
    ("‘Although our products are non toxic, we do not recommend using them as make up.", False),
    ("‘We will rebuild the harbour,’ the mayor said on Friday.", True),
    ("A passenger ferry capsized on Lake Varn on Tuesday, killing 41 people.", True),
    ("Thousands of people attended a memorial service in Lakeport on Tuesday.", True),
    ("One reportedly struck the cafeteria while people were eating dinner.", False),   # one of what?
    ("Another landed near the river bank, according to the police.", False),
    ("One person was killed and two were hurt in the blast on Sunday.", True),
])
def test_which_sentences_stand_alone(sentence: str, alone: bool) -> None:
    assert stands_alone(sentence) is alone


def test_an_article_may_open_on_a_short_sentence() -> None:
    assert stands_alone("Crowds marched on the square.", first=True)
    assert not stands_alone("Crowds marched on the square.")
    assert not stands_alone("Crowds marched.", first=True)
    assert not stands_alone("He marched on the square.", first=True)


def test_a_lower_case_article_may_open_sentences_in_lower_case() -> None:
    assert stands_alone("the bank of england raised interest rates on thursday.", cased=False)
    assert not stands_alone("he said inflation risks had grown since the summer.", cased=False)


def _quotes_are_verbatim(picks, sentences) -> None:
    for p in picks:
        assert sentences[p.key][p.index].endswith(p.text), p     # the sentence, or it less a dateline
        assert quotable(sentences[p.key][p.index]) == p.text


def test_a_sentence_that_cannot_stand_alone_comes_with_the_one_before_it() -> None:
    body = ("Varn Lines said on Monday that it would appeal against the suspension of its licence. "
            "It said the ruling was unfair to the island residents. "
            "The company operates four ferries across Lake Varn.")
    found = tuple(split_sentences(body))
    for budget in (12, 25, 60):
        picks = tell([Report("a", 0.0, found)], budget)
        indices = [p.index for p in picks]
        assert indices
        if 1 in indices:
            assert 0 in indices and indices.index(0) + 1 == indices.index(1)


def test_the_budget_is_respected_and_the_last_quote_may_run_past_it_a_little() -> None:
    reports, sentences = _reports()
    for budget in (20, 45, 80, 120, 200, 400):
        picks = tell(reports, budget)
        words = [len(p.text.split()) for p in picks]
        assert picks
        assert sum(words[:-1]) < budget                       # it stops once the budget is used
        assert sum(words) <= budget + max(15, int(0.15 * budget)) or len(picks) == 1
        _quotes_are_verbatim(picks, sentences)
    assert tell(reports, 0) == [] and tell([], 100) == []
    short, long = stories(reports, (45, 200))
    assert sum(len(p.text.split()) for p in short) < sum(len(p.text.split()) for p in long)


def test_the_story_tells_the_event_first_then_the_developments_oldest_first() -> None:
    reports, sentences = _reports()
    picks = tell(reports, 120)
    _quotes_are_verbatim(picks, sentences)
    text = [p.text for p in picks]
    assert TOPIC["event"] in text[0] and "41" in text[0]          # what happened, where, the toll
    assert not text[0].startswith("LAKEPORT")                     # its dateline left out
    later = " ".join(text[1:])
    assert sum(d in later for d in TOPIC["developments"]) >= 2, text
    dates = [p.published for p in picks]
    assert dates == sorted(dates)
    newest = max(r.published for r in reports)
    assert any(newest - p.published < 3 * 86400 for p in picks)   # newer reporting is not drowned out
    assert any(p.published - picks[0].published > 30 * 86400 for p in picks)
    for p in picks:                                               # no furniture, nothing dangling
        assert not re.search(r"Photo|Media playback|Image caption|^March \d+ --", p.text)
        assert not p.text.startswith(("He said", "But ", "However", "This ", "It said"))


def test_several_sentences_may_come_from_one_article_when_few_exist() -> None:
    reports, sentences = _reports()
    picks = tell(reports[:1], 80)
    assert len(picks) >= 2 and {p.key for p in picks} == {"ferry-capsizes"}
    _quotes_are_verbatim(picks, sentences)


def test_a_story_of_thousands_of_articles_reads_a_bounded_sample() -> None:
    reports = [Report(f"k{i}", 86400.0 * (i % 90), (f"Report {i} names place{i} person{i} and event{i} "
                                                  f"in the long coverage.",)) for i in range(3000)]
    picks = tell(reports, 60)
    assert 2 <= len(picks) <= 6 and len({p.key for p in picks}) == len(picks)


def _ferry_project(project, options: str = "") -> None:
    (project.content / "topics.yml").write_text(
        f"topics:\n  - id: {TOPIC['topic']['id']}\n    title: {TOPIC['topic']['title']}\n", encoding="utf-8")
    for a in TOPIC["articles"]:
        project.add(f"{a['slug']}.md", f"---\ntitle: \"{a['title']}\"\ndate: {a['date']}Z\nsource: {a['source']}\n"
                                       f"topics: [{TOPIC['topic']['id']}]\n---\n\n{a['body']}\n")
    if options:
        mkdocs = project.root / "mkdocs.yml"
        mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("  - digest\n", f"  - digest:\n{options}"),
                          encoding="utf-8")


def _page_quotes(page: str) -> list[str]:
    import html

    return [html.unescape(q) for q in re.findall(r'<li class="nd-quote"><q>(.*?)</q>', page)]


def test_the_built_topic_page_and_card_use_the_word_budgets(project) -> None:
    _ferry_project(project, "      story_words: 80\n      lead_words: 30\n")
    project.build()
    quotes = _page_quotes(project.html(f"topics/{TOPIC['topic']['id']}"))
    words = [len(q.split()) for q in quotes]
    assert len(quotes) >= 3 and sum(words[:-1]) < 80 <= sum(words) + 80 and sum(words) <= 80 + 15
    assert "capsiz" in quotes[0] and "Lake Varn" in quotes[0]        # the event comes first
    _, sentences = _reports()
    every = [s for found in sentences.values() for s in found]
    assert all(any(s.endswith(q) for s in every) for q in quotes)      # verbatim
    home = project.html("").split('class="nd-lead">', 1)[1].split("</p>", 1)[0]
    assert 0 < len(home.split()) <= 30 + 15


def test_old_story_options_still_build_with_a_warning(project, caplog) -> None:
    import logging

    _ferry_project(project, "      topic_sentences: 6\n      topic_half_life_days: 7\n")
    with caplog.at_level(logging.WARNING):
        project.build()
    text = caplog.text
    assert "'topic_sentences' is no longer used and is ignored" in text and "story_words" in text
    assert "'topic_half_life_days' is no longer used" in text
    assert _page_quotes(project.html(f"topics/{TOPIC['topic']['id']}"))


def test_a_word_budget_below_one_is_a_config_error(project) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    _ferry_project(project, "      story_words: 0\n")
    with pytest.raises((Abort, ConfigurationError)) as caught:
        load_config(str(project.root / "mkdocs.yml"))
    assert "must be a whole number of words, at least 1, not 0" in str(caught.value) or caught.value


def test_a_topic_of_furniture_only_has_no_story() -> None:
    found = ("Media playback is unsupported on your device", "Image copyright Reuters Image caption Crowds.",
             "Read more: our live page.", "June 26 -- Miami relatives file appeal.")
    assert tell([Report("a", 0.0, found), Report("b", 86400.0 * 9, ("Yes.",))], 120) == []


def test_the_furniture_trie_finds_exactly_the_furniture_words() -> None:
    """The prefix-factored pattern finds a furniture word where the plain alternation does, no more."""
    from digest.analysis import quotes

    plain = re.compile("|".join(map(re.escape, quotes._FURNITURE_WORDS)))
    texts = [*quotes._FURNITURE_WORDS, "(photo: ap)", "an ap photograph", "photo", "a (photograph", "credit",
             "clicking here", "email thi", "the wayback machines", "http:/", "www", "all rights reserve",
             "enable javascrip", "version that was live when the pag", "he said on tuesday.", ""]
    texts += [f"before {w} after" for w in quotes._FURNITURE_WORDS] + [w[:-1] for w in quotes._FURNITURE_WORDS]
    for text in texts:
        assert bool(quotes._FURNITURE_ANYWHERE.search(text)) is bool(plain.search(text)), text
