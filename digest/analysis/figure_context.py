"""Where a number in a sentence is not a count of the event the sentence reports.

Numbers in names ("Boeing 767-300", "Windows 95", "Radio Five Live"), dates ("the Aug. 7
bombing"), ages ("who is 29"), conversions in brackets ("(49 million metric tons)") and
both ends of a range ("risen to 200 dinars from 170") are not counts; a sentence about
another event or a part of this one (`ELSEWHERE`) gives none; and the place a figure is
about ("in Nairobi") keeps two places' tolls apart. Pure.
"""

from __future__ import annotations

import re

__all__ = ["DAY_NAMES", "ELSEWHERE", "MONTHS", "MONTH_ABBREVIATIONS", "elsewhere", "not_a_count", "place"]

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DAY_NAMES = frozenset(MONTHS + WEEKDAYS)
MONTH_ABBREVIATIONS = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"])
#: Words that put a figure on another event or a part of this one: "the worst since a crash
#: that killed 101", "in 1998", "a second storm", "three children were among the nine dead".
ELSEWHERE = re.compile(
    r"\b(?:worst|deadliest|biggest|largest|bloodiest)\b|\b(?:a|the)\s+(?:second|third|separate|previous|"
    r"earlier|similar)\b|\banother\b|\bago\b|(?<!the )\blast\s+year\b|\banniversary\b|\bamong\b|"
    r"\bincluding\b|\bof (?:whom|them)\b|\b(?:in|at|during|for) one of the\b|^\W*of\s+(?:the|those|these)\b|(?<![\d,.])(?:19|20)\d\d(?![\d,])", re.IGNORECASE)
#: Text that every match of ELSEWHERE contains (one for each of its alternatives but the
#: first-word "of the"), as it stands in the sentence's `fold`.
_ELSEWHERE_NEEDS = ("worst", "deadliest", "biggest", "largest", "bloodiest", "second", "third", "separate",
                    "previous", "earlier", "similar", "another", "ago", "last", "anniversary", "among",
                    "including", "of whom", "of them", "one of the", "19", "20")
_OPENS_WITH_OF = re.compile(r"\W*of\s+(?:the|those|these)\b", re.IGNORECASE)
_CONNECTORS = frozenset(["es", "de", "al", "el", "la", "of", "du", "da"])


def elsewhere(sentence: str, folded: str) -> bool:
    """Whether ELSEWHERE finds something in `sentence` (`folded`: its `digest.text.fold`).

    The pattern costs ~20 us a sentence and most sentences lack every word it looks for,
    which `in` finds far faster: it runs only where one of them occurs."""
    if not any(need in folded for need in _ELSEWHERE_NEEDS) and not _OPENS_WITH_OF.match(sentence):
        return False
    return ELSEWHERE.search(sentence) is not None


def not_a_count(sentence: str, spans: list[tuple[int, int]], original: list[str], lower: list[str],
                start: int, end: int, qstart: int, starts: set[int]) -> bool:
    """Whether the number at tokens[start:end] is a name, a date, an age, a conversion in
    brackets or one end of a range rather than a count (`qstart`: where its qualifier
    starts, `start` if none; `starts`: where every number of the sentence starts)."""
    a, b = spans[start][0], spans[end - 1][1]
    before, after = sentence[a - 1:a] if a else " ", sentence[b:b + 1] or " "
    if before.isalnum() or before in "-/#" or after.isalpha() or after in "-/":
        return True                       # "767-300", "Oscar-2", "7th", "24/7", "20-year-old"
    if sentence[:a].count("(") > sentence[:a].count(")"):
        return True                       # "(49 million metric tons)", "(19 miles)"
    first = original[start]
    if start and first[0].isupper() and not first[0].isdigit() and original[start - 1] not in "\"“‘'(":
        return True                       # "BBC Radio Five Live": a word number capitalised mid-sentence
    prev = lower[start - 1] if start else ""
    if start >= 2 and original[start - 1][:1].isupper() and prev not in DAY_NAMES and qstart == start:
        return True                       # "Windows 95", "Boeing 767"
    if prev in MONTH_ABBREVIATIONS or (prev == "." and start >= 2 and lower[start - 2] in MONTH_ABBREVIATIONS):
        return True                       # "the Aug. 7 bombing"
    if prev in ("aged", "age", "ages") or (prev in ("is", "was") and start >= 2 and lower[start - 2] == "who"):
        return True                       # "a man aged 29 died", "Lowe, who was 40 at the time of his death"
    lead = lower[qstart - 1] if qstart else ""
    if lead in ("from", "between"):
        return True                       # "from 170", "between 20 and 30"
    if lead in ("to", "and"):            # "risen to 200 dinars from 170"
        return any(lower[j] in ("from", "between") and (j + 1 in starts or j + 2 in starts or j + 3 in starts)
                   for j in range(len(lower)))
    return False


def place(original: list[str], lower: list[str], start: int) -> str:
    """The place named nearest the number ("in Nairobi", "at Dar es Salaam"), folded, or ""."""
    best: tuple[int, str] | None = None
    for k, low in enumerate(lower[:-1]):
        if low not in ("in", "at", "near"):
            continue
        j = k + 1 + (lower[k + 1] == "the" and k + 2 < len(lower))
        words: list[str] = []
        while j < len(original) and (original[j][:1].isupper() or (words and lower[j] in _CONNECTORS
                                                                       and j + 1 < len(original)
                                                                       and original[j + 1][:1].isupper())):
            if lower[j] in DAY_NAMES or lower[j] in MONTH_ABBREVIATIONS:
                break
            words.append(lower[j].removesuffix("'s").removesuffix("’s"))
            j += 1
        if words and (best is None or abs(k - start) < best[0]):
            best = (abs(k - start), " ".join(words))
    return best[1] if best else ""
