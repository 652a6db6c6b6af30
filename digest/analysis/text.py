"""Text analysis primitives: sentences, words, terms (prose comes from loading/prose.py).

Pure functions with no MkDocs imports, shared by the summariser and the benchmarks.
Sentences are returned verbatim (only surrounding whitespace is trimmed) so every
summary sentence can be checked against its article's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

__all__ = ["FOLD_LETTERS", "GatedPattern", "fold", "split_sentences", "terms", "words", "words_and_terms"]

# re.IGNORECASE matches four non-ASCII letters to ASCII ones (see the `re` docs on [a-z]).
FOLD_LETTERS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD = str.maketrans(FOLD_LETTERS)
# Words that end with a full stop without ending a sentence. Titles always precede a
# name; months and "No." precede a number; company suffixes and the like may also end
# a sentence, and do when a capitalised word (or, in lower-cased text, a common
# sentence opener) follows.
_TITLES = frozenset(["mr", "mrs", "ms", "dr", "prof", "st", "mt", "ft", "col", "gen", "lt", "sgt", "capt", "cpt", "maj", "cmdr", "adm", "brig", "cpl", "pvt", "sen", "rep", "gov", "pres", "supt", "insp", "det", "rev", "fr", "hon", "amb", "messrs", "mme", "mlle", "dept", "univ", "assn", "approx", "vs", "fig", "vol", "pp", "op"])
_BEFORE_NUMBER = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos"])
_MAY_END = frozenset(["inc", "ltd", "co", "corp", "bros", "plc", "llc", "jr", "sr", "etc", "al", "est"])
_STARTERS = frozenset(["the", "a", "an", "it", "he", "she", "they", "we", "i", "this", "that", "these", "those", "but", "and", "in", "on", "at", "for", "after", "however", "meanwhile", "while", "when", "there", "his", "her", "its", "their", "our", "as", "if", "so", "yet", "mr", "mrs", "ms"])
_BOUNDARY = re.compile(r"[.!?…]+['\"”’)\]]*\s+")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)[.!?…]+['\"”’)\]]*\s+$")
_NEXT_WORD = re.compile(r"[\w']+")
_INITIAL = re.compile(r"[A-Za-z]")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
# Separators that never sit inside a sentence: "... on Tuesday. | Pablo Martinez Monsivais/AP".
_SEPARATOR = re.compile(r"\s+[|•■▪]\s+")


def _opens_sentence(text: str, at: int, cased: bool) -> bool:
    """Whether the word at `at` looks like the start of a new sentence."""
    if cased:
        return text[at:at + 1].isupper()
    following = _NEXT_WORD.match(text, at)
    return bool(following and following.group() in _STARTERS)


def _word_before(text: str, match: re.Match[str]) -> str:
    """The word the punctuation at `match` ends, "" if none.

    Looks back a bounded window (searching from 0 would make long paragraphs quadratic),
    and from the last space in it: a match has no space before its punctuation, so none
    starts earlier, and the search tries a few positions instead of 64.
    """
    low = max(0, match.start() - 64)
    before = _WORD_BEFORE.search(text, max(low, text.rfind(" ", low, match.start()) + 1), match.end())
    return before.group(1) if before else ""


def _is_boundary(text: str, match: re.Match[str], cased: bool) -> bool:
    """Whether the punctuation at `match` ends a sentence."""
    nxt = text[match.end():match.end() + 1]
    if not nxt:
        return False
    punct = match.group().strip()
    word = _word_before(text, match)
    if punct.startswith(".") and not punct.startswith("..."):
        bare = word.rstrip(".").lower()
        if not punct.endswith(("'", '"', "”", "’")):
            if bare in _TITLES:
                return False
            if bare in _BEFORE_NUMBER:
                return not nxt.isdigit()
            if bare in _MAY_END:
                return _opens_sentence(text, match.end(), cased)
        if _INITIAL.fullmatch(word):                      # an initial: "J. Smith"
            return False
        if _DOTTED.fullmatch(word):                       # U.S. / e.g. / U.N.
            following = _NEXT_WORD.match(text, match.end())
            return bool(following and following.group().lower() in _STARTERS and cased
                        and following.group()[0].isupper())
    if cased:
        return nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘(["
    return nxt.isalnum() or nxt in "\"'“‘(["


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences, verbatim, aware of abbreviations and initials."""
    sentences: list[str] = []
    pieces = text.split("\n")
    if "|" in text or "•" in text or "■" in text or "▪" in text:
        pieces = [p for line in pieces for p in _SEPARATOR.split(line)]
    for paragraph in pieces:
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        cased = any(c.isupper() for c in paragraph)
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            if _is_boundary(paragraph, match, cased):
                sentence = paragraph[start:match.end()].strip()
                if sentence:
                    sentences.append(sentence)
                start = match.end()
        rest = paragraph[start:].strip()
        if rest:
            sentences.append(rest)
    return sentences


_STOPWORDS = frozenset(["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "said", "says", "say", "told", "mr", "mrs", "ms", "one", "two", "new", "year", "years", "would", "could", "may", "might", "must", "shall", "also"])
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STEMMER = snowballstemmer.stemmer("english")
# Curly quotes, dashes, £ and no-break spaces are often the only non-ASCII in news text.
# Made plain (’ joins words as ' does; the others part them as a space does, and so do
# their lower cases), such text is ASCII, and str.translate and str.split find its words
# much faster than a pattern.
_GAP = re.compile(r"[^\w\x00-\x7f]")
_LOOSE = re.compile(r"'(?![a-z0-9])|'[a-z0-9]+'")    # in a _plain text: ' ending no word, or a second '
_SPLIT = str.maketrans({chr(c): chr(c).lower() if chr(c).isalnum() or chr(c) == "'" else " " for c in range(128)})


@lru_cache(maxsize=200_000)
def _term(token: str) -> str | None:
    """The stem of one lower-cased token, or None for stopwords and single letters."""
    token = token.replace("’", "'")
    token = token.removesuffix("'s")
    if len(token) > 1 and token not in _STOPWORDS:
        return _STEMMER.stemWord(token)
    return None


def _plain(text: str) -> str | None:
    """The text lowercased, each character that parts words made a space and ’ written as ',
    if that leaves only ASCII (so: letters, digits, ' and spaces); None otherwise."""
    plain = text if text.isascii() else _GAP.sub(" ", text.replace("’", "'"))
    return plain.translate(_SPLIT) if plain.isascii() else None


def _split(plain: str) -> list[str] | None:
    """The words of a `_plain` text by str.split, if that is what _WORD and _TOKEN find
    in it: no apostrophe at the edge of a word and none twice in one. None otherwise."""
    if "'" in plain and (plain.startswith("'") or " '" in plain or _LOOSE.search(plain)):
        return None
    return plain.split()


def _matches(text: str, pattern: re.Pattern[str]) -> list[str]:
    """`pattern.findall(text.lower())` for _WORD or _TOKEN, ’ written as '."""
    plain = _plain(text)
    found = None if plain is None else _split(plain)
    if found is not None:
        return found
    return pattern.findall(text.lower().replace("’", "'") if plain is None else plain)


def _stems(tokens: list[str]) -> list[str]:
    return [t for t in map(_term, tokens) if t is not None]


def is_stopword(word: str) -> bool:
    """Whether a lower-cased word is too common to say what a text is about."""
    return word in _STOPWORDS


def words(text: str) -> list[str]:
    """The words of a text, lowercased, joined across apostrophes ("rock'n'roll"), ’ as '."""
    return _matches(text, _WORD)


def terms(sentence: str) -> list[str]:
    """Content-word stems of a sentence, lowercased, stopwords removed."""
    return _stems(_matches(sentence, _TOKEN))


def words_and_terms(text: str) -> tuple[list[str], list[str]]:
    """`words(text)` and `terms(text)`, splitting the text once where str.split can."""
    plain = _plain(text)
    found = None if plain is None else _split(plain)
    if found is not None:
        return found, _stems(found)
    return words(text), terms(text)


def fold(text: str) -> str:
    """`text` lower-cased, the four letters of FOLD_LETTERS folded too: if a case-insensitive
    pattern of ASCII words matches `text`, its words occur in this, character for character."""
    return (text if text.isascii() else text.translate(_FOLD)).lower()


class GatedPattern:
    """A case-insensitive pattern, and a `gate`: a case-sensitive pattern that finds, in the
    `fold` of any text the pattern matches, something every match contains.

    Most texts fail the gate, which is much cheaper than the pattern, so the pattern
    only runs where it can match.
    """

    def __init__(self, pattern: str, gate: str) -> None:
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self.gate = re.compile(gate)

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.gate.search(folded) else None

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.gate.search(folded) else iter(())
