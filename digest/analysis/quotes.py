"""Which sentences may be quoted in a topic's story, and the span of each that is quoted.

Quotes are never rewritten: a quote is the sentence, or the sentence with a leading
dateline ("MOSCOW, July 3 (Xinhua) --", "PARIS (AP) --") left off, which is still a
verbatim span of the article (the attribution already names the outlet). Page furniture
(photo captions and credits, media-player and copyright notices, key-dates lines,
headings, "Read more" prompts) is never quoted. A sentence that cannot stand alone
(it opens on a reference to something before it, "He said", "This", "But", "However",
or is a fragment of a quotation, or has under six words, four for an article's first
sentence) is quoted only together with the sentence before it in the same article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["MIN_WORDS", "candidates", "quotable", "stands_alone", "strip_dateline"]

MIN_WORDS = 6
MIN_FIRST_WORDS = 4

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DASH = r"(?:--|—|–|-)"
_PLACE = r"[A-Z][\w.'’-]*(?:[ ,]+(?:[A-Z][\w.'’-]*|de|del|da|al|el))*"
# "CITY, Month D (Agency) --", "CITY (AP) --", "City, State (Reuters) -": an agency in brackets;
# or "WASHINGTON --", "NEW YORK, March 3 --": a place in capitals, at most a date between.
_DATELINE = re.compile(
    rf"^\s*(?:{_PLACE}(?:,\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?\s*\([A-Za-z][\w .&'’/-]{{0,40}}\)\s*{_DASH}"
    rf"|[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Z.'’-]+)*(?:,\s*[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+\.?)?)?"
    rf"(?:,\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?\s*{_DASH})\s+")
# Furniture: words that mark it anywhere (looked for in the lower-cased text), openings, endings.
_FURNITURE_WORDS = ("media playback is unsupported", "image copyright", "image caption", "media caption",
                    "getty images", "(photo", "photo:", "picture:", "credit:", "photograph:", "file photo",
                    "click here", "http://", "https://", "www.", "ap photo", "all rights reserved", "after the jump",
                    "email this", "(pictured)",
                    # web-archive and embedded-widget notices that crawled pages carry instead of news
                    "alexa internet", "wayback machine", "these crawls are part of", "tweet with a location",
                    "location to your tweets", "location history", "version that was live when the page", "enable javascript", "javascript is disabled",
                    "when the video has been rented", "transcript could not be loaded",
                    "feature is not available right now", "breaking news alerts", "join our mailing list")


def _trie(words: Sequence[str]) -> str:
    """A pattern that finds any of `words`, factored by shared prefixes ("a(?:p photo|ll ...)"):
    the regex engine tries a few branches at each position instead of every word (2x faster)."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body   # a word ends here: what follows is optional

    return emit(tree)


_FURNITURE_ANYWHERE = re.compile(_trie(_FURNITURE_WORDS))
_FURNITURE_OPENING = re.compile(
    r"\s*(?:photo|image|video|watch|listen|advertisement|related|read more|more:|see also|trending|"
    r"story highlights|sign up|follow (?:us|him|her)|share (?:this|on)|continue reading|subscribe|copyright|©)",
    re.IGNORECASE)
# A caption names who is where in the picture: "Brenda Snipes, left, and judge Betsy Benson ..."
_IN_PICTURE = re.compile(r",\s*(?:left|right|centre|center|second (?:from )?(?:left|right)|top|bottom|"
                         r"front|rear|foreground|background)\s*,|\((?:L|R|C|left|right|center|centre)\)")
_CREDIT_NEXT = re.compile(r"\s*[(\[]?\s*(?:photo|image|picture|credit|video)s?\b", re.IGNORECASE)
_CREDIT = re.compile(r"(?:/\s*(?:AP|AFP|Reuters|EPA|Getty|PA)|@\w+)\W*$")
_KEY_DATE = re.compile(rf"^\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?\s*(?:{_DASH}|:)\s", re.IGNORECASE)
_ENDS = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Openers that point back to an earlier sentence: pronouns, demonstratives, connectives.
_DANGLING = frozenset("""he she they him her his hers their theirs them it its this that these those
such but however and or so yet also still instead moreover furthermore nevertheless nonetheless
thus therefore otherwise besides then meanwhile likewise similarly indeed later afterwards
i i'm i've i'd we we're we've us our my me""".split())
# "The incident ...", "The count ...": a definite description of something told before.
_DANGLING_PAIRS = frozenset(f"the {noun}" for noun in """former latter same pair two move decision company
party club man woman count figure figures incident strike attack report statement announcement rally
march vote deal agreement news comments remarks claim development change plan proposal news agency
agency ruling verdict suspect victim victims couple group""".split()) | {"in addition", "as a", "as well",
                                                                       "on the", "at the", "for his", "for her"} \
    | {f"{pronoun} {verb}" for pronoun in ("one", "another", "both") for verb in   # "One reportedly struck ..."
       "reportedly was is had has were are landed struck hit".split()}
_SAYS = re.compile(r"\b(?:said|says|told|tells|added|asked|according to|wrote|writes)\b", re.IGNORECASE)
_ANY_QUOTE = re.compile("[\"“”]")
_QUOTATION = re.compile(r"[\"“][^\"“”]*[\"”]")
_SAID_PRONOUN = re.compile(r"[,!?]\s*[\"”]\s*(?:he|she|they|it|we|i)\s+(?:said|says|added|told|asked)\b",
                           re.IGNORECASE)


def strip_dateline(sentence: str) -> str:
    """The sentence without a leading dateline, a verbatim span of it (the whole if none)."""
    head = sentence[:80]
    if not any(mark in head for mark in ("(", "-", "—", "–")):
        return sentence
    match = _DATELINE.match(sentence)
    if match and len(sentence) - match.end() > 20:
        return sentence[match.end():]
    return sentence


def quotable(sentence: str) -> str | None:
    """The span of `sentence` a story may quote (dateline dropped), or None for furniture:
    captions and credits, player and copyright notices, key-dates lines, headings."""
    text = strip_dateline(sentence)
    if not _ENDS.search(text) or text.isupper():
        return None                 # headings, labels and SHOUTED HEADLINES end on no full stop
    low = text.lower()
    if (_FURNITURE_ANYWHERE.search(low) or _FURNITURE_OPENING.match(text) or _CREDIT.search(text[-60:])
            or _IN_PICTURE.search(text)):
        return None
    return None if _KEY_DATE.match(text) else text


def stands_alone(text: str, cased: bool = True, first: bool = False) -> bool:
    """Whether a quote makes sense without the sentence before it (`cased`: whether the
    article uses capitals, so a lower-case opening marks a fragment; `first`: whether it
    opens its article, which has nothing before it to lean on: four words will do)."""
    if len(text.split()) < (MIN_FIRST_WORDS if first else MIN_WORDS):
        return False
    opening = text.lstrip()
    found = _WORD.findall(opening[:60])
    if len(found) < 2:
        return False
    first = found[0].lower().replace("’", "'")
    quoted = opening[:1] in "\"“‘"        # the words of a quotation, attributed below
    if not quoted and (first in _DANGLING or f"{first} {found[1].lower()}" in _DANGLING_PAIRS):
        return False
    if cased and opening[:1].islower():
        return False                # a continuation: "the party says ..."
    marks = text.count('"') + text.count("“") + text.count("”") if _ANY_QUOTE.search(text) else 0
    if marks % 2 or opening[:1] in "”'’" or opening.startswith(("...", "…")):
        return False                # a quotation begun in another sentence, or left open
    if quoted and (_SAID_PRONOUN.search(text) or len(_WORD.findall(_QUOTATION.sub(" ", text))) < 2):
        return False                # '"...," he said.' or a bare quotation: the speaker is elsewhere
    if opening[:1] == "‘" and not _SAYS.search(text):
        return False                # a single-quoted quotation with no speaker in it
    return True


def candidates(sentences: Sequence[str]) -> list[str | None]:
    """`quotable` of each sentence of an article, in order; a sentence followed by a photo
    credit ("(Photo: ...)") is the caption of that photo, and not quotable either."""
    out = [quotable(s) for s in sentences]
    for i in range(len(sentences) - 1):
        if out[i] is not None and out[i + 1] is None and _CREDIT_NEXT.match(sentences[i + 1]):
            out[i] = None
    return out
