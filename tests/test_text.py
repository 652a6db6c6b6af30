"""The splitter and tokenizer on the news text they meet: abbreviations, initials, quotes."""

from __future__ import annotations

import random
import re

import pytest

from digest.analysis.text import (
    _BOUNDARY,
    _GAP,
    _TOKEN,
    _WORD,
    _WORD_BEFORE,
    FOLD_LETTERS,
    _term,
    _word_before,
    fold,
    split_sentences,
    terms,
    words,
    words_and_terms,
)

CASES = [
    ("Col. Myles Caggins III said. The coalition paused operations.",
     ["Col. Myles Caggins III said.", "The coalition paused operations."]),
    ("Rockets hit near the U.S. embassy on Sunday. Nobody was hurt.",
     ["Rockets hit near the U.S. embassy on Sunday.", "Nobody was hurt."]),
    ("Troops left the U.S. The base closed a week later.",
     ["Troops left the U.S.", "The base closed a week later."]),
    ("Mr. J. Smith arrived. He spoke to Dr. A. B. Jones.",
     ["Mr. J. Smith arrived.", "He spoke to Dr. A. B. Jones."]),
    ("Sales rose to 3.5 million. Profit fell 2.1%.",
     ["Sales rose to 3.5 million.", "Profit fell 2.1%."]),
    ('"We will not leave," he said. "Never."',
     ['"We will not leave," he said.', '"Never."']),
    ('He called it "a disgrace." She disagreed.',
     ['He called it "a disgrace."', "She disagreed."]),
    ("The vote is on Jan. 5 in Baghdad. Results follow on Feb. 12.",
     ["The vote is on Jan. 5 in Baghdad.", "Results follow on Feb. 12."]),
    ("Is it over? Nobody knows! Talks resume on Monday...",
     ["Is it over?", "Nobody knows!", "Talks resume on Monday..."]),
    ("He met officials of Acme Inc. on Friday. Shares in Acme Inc. rose.",
     ["He met officials of Acme Inc. on Friday.", "Shares in Acme Inc. rose."]),
    ("They sold cars, vans, etc. Prices then fell.",
     ["They sold cars, vans, etc.", "Prices then fell."]),
    ("The firm (founded 1990) grew. It now employs 5,196 people.",
     ["The firm (founded 1990) grew.", "It now employs 5,196 people."]),
    # the lower-cased BBC text
    ("mr campbell said: \"i'm glad.\" the bank of england raised rates to 4.75%. "
     "growth in the u.s. slowed. it fell 0.5%.",
     ["mr campbell said: \"i'm glad.\"", "the bank of england raised rates to 4.75%.",
      "growth in the u.s. slowed.", "it fell 0.5%."]),
    ("mr. blair met gen. jackson. talks went well.",
     ["mr. blair met gen. jackson.", "talks went well."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:30] for c in CASES])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_sentences_are_verbatim_and_paragraphs_never_join() -> None:
    text = "First line ends here\nSecond paragraph. It has two sentences."
    out = split_sentences(text)
    assert out == ["First line ends here", "Second paragraph.", "It has two sentences."]
    assert all(s in text for s in out)


def test_prose_drops_markup() -> None:
    """A body's prose (loading/prose.py, from the converted HTML) leaves out headings, code and markup."""
    from digest.loading.prose import body_prose

    body = "# Heading\n\nSome **bold** and [a link](http://x.org).\n\n```\ncode. Here.\n```\n"
    assert body_prose(body) == "Some bold and a link."


def test_terms_stem_and_drop_stopwords() -> None:
    assert terms("The Protesters were protesting in Baghdad's streets.") == [
        "protest", "protest", "baghdad", "street"]


WINDOWS = ["Mr.\tSmith went. He said the U.S.\u00a0troops left.  Then", "x" * 100 + ". Next one. " + "y-" * 40 + "z. End",
           "“Quoted.” Then (a.b.c.) d. e.g. Foo", "word-word’s. Next!\u2003Again?! Yes… no", "A.  B. C.\tD"]


@pytest.mark.parametrize("text", WINDOWS + [c[0] for c in CASES])
def test_the_word_before_punctuation_is_the_one_the_bounded_window_finds(text: str) -> None:
    for m in _BOUNDARY.finditer(text):
        window = _WORD_BEFORE.search(text, max(0, m.start() - 64), m.end())
        assert _word_before(text, m) == (window.group(1) if window else "")


def test_words_and_terms_of_joined_sentences_are_those_of_each_in_order() -> None:
    title, body = "ΟΔΟΣ rises: Baghdad’s rally", "He said ΣΟΦΟΣ. 'Σίγμα' twice’s. Protesters’ march, again.\nNew day."
    sentences = split_sentences(body)
    assert terms(f"{title}\n{title}\n{' '.join(sentences)}") == [
        *terms(title), *terms(title), *(t for s in sentences for t in terms(s))]
    assert words(f"{title}\n{' '.join(sentences)}") == [*words(title), *(w for s in sentences for w in words(s))]


def test_words_and_terms_take_the_fast_path_to_the_same_result() -> None:
    rng = random.Random(5)
    pieces = ["Ab", "c", "9", "_", "'", "’", "‘", "“", "”", "—", "–", "…", "\u00a0", " ", ".", ",", "-", "s",
              "£", "€", "\u24b6", "•", "\u2003", "é", "Σ", "ΟΣ", "İ", "\t", "x'", "'s", "rock'n'roll", "don’t"]
    plain = [p for p in pieces if p not in ("é", "Σ", "ΟΣ", "İ")]        # these take the pattern
    texts = ["".join(rng.choices(pool, k=rng.randint(0, 30))) for pool in (pieces, plain) for _ in range(2000)]
    for text in texts + [c[0] for c in CASES]:
        assert words(text) == _WORD.findall(text.lower().replace("’", "'")), text
        assert terms(text) == [t for t in map(_term, _TOKEN.findall(text.lower())) if t is not None], text
        assert words_and_terms(text) == (words(text), terms(text))


def test_characters_that_part_words_still_part_them_lower_cased() -> None:
    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    gaps = "".join(_GAP.findall(every.replace("’", "")))    # ’ is written as ' first
    assert len(gaps.lower()) == len(gaps) and not re.search(r"[^\W_]|['’]", gaps.lower())


def test_the_fold_covers_every_letter_ignorecase_matches_to_an_ascii_one() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    matched = set(re.findall("[a-z]", every, re.IGNORECASE))
    assert {c for c in matched if not c.isascii()} == set(FOLD_LETTERS)
    assert all(fold(c) == c.lower() if c.isascii() else fold(c) in "iks" for c in matched)


def test_the_stems_come_from_snowballs_c_stemmer() -> None:
    """PyStemmer is a dependency: snowballstemmer hands out its C stemmer, with the same stems as
    the pure-Python one (a worker stems its whole vocabulary once; in C it takes a tenth as long)."""
    from snowballstemmer import english_stemmer

    from digest.analysis import text

    assert type(text._STEMMER).__module__ == "Stemmer"
    words = ["protesters", "killed", "embassy's", "generously", "running", "organisation"]
    assert [text._STEMMER.stemWord(w) for w in words] == [english_stemmer.EnglishStemmer().stemWord(w) for w in words]
