"""Who reports a figure: the news organisation a sentence cites, or none.

A cited name counts only if it is a news organisation: a known agency (`_AGENCIES`, folded
to one key per organisation, so "AP" is "The Associated Press") or a name that reads like
an outlet's ("The Washington Post", "Radio Free Europe"). A word that merely precedes the
verb ("(FBI) said", "Chechnya said", "(Preliminary)") is not a report. Pure.
"""

from __future__ import annotations

import re

from .text import fold

__all__ = ["attributions", "is_outlet", "source_key"]

_OUTLET = r"((?:[A-Z][\w&'’.-]*)(?:\s+(?:of\s+|de\s+)?[A-Z][\w&'’.-]*){0,3})"
#: News organisations a sentence may cite, folded -> one key per organisation.
_AGENCIES = {
    "ap": "associated press", "associated press": "associated press", "afp": "afp",
    "agence france-presse": "afp", "agence france presse": "afp", "reuters": "reuters",
    "thomson reuters": "reuters", "xinhua": "xinhua", "xinhua news agency": "xinhua", "interfax": "interfax", "tass": "tass",
    "itar-tass": "tass", "ria novosti": "ria novosti", "kyodo": "kyodo", "yonhap": "yonhap",
    "ansa": "ansa", "efe": "efe", "dpa": "dpa", "upi": "upi", "united press international": "upi",
    "pti": "pti", "press trust of india": "pti", "irna": "irna", "bernama": "bernama",
    "antara": "antara", "anadolu": "anadolu", "bbc": "bbc", "cnn": "cnn", "al jazeera": "al jazeera",
    "al-jazeera": "al jazeera", "nyt": "new york times", "ani": "ani", "wafa": "wafa", "mena": "mena",
}
_OUTLET_WORDS = frozenset(
    "times post news herald journal telegraph guardian agency radio television tv press tribune gazette "
    "daily chronicle observer broadcasting network wire independent mail express standard monitor mirror "
    "globe magazine newspaper channel bulletin courier examiner inquirer dispatch register star "
    "sentinel reporter newswire".split())
#: Agencies named in any case (lower-cased corpora): only names that are never ordinary words.
_AGENCY_ANY_CASE = ("associated press|agence france-presse|agence france presse|reuters|xinhua|interfax|"
                    "itar-tass|ria novosti|kyodo|yonhap|bernama|al jazeera|al-jazeera")
_ATTRIBUTION = [
    re.compile(r"(?i)\baccording to (?:the )?(" + _AGENCY_ANY_CASE + r")\b"),
    re.compile(r"(?i)\b(" + _AGENCY_ANY_CASE + r")(?:\s+news agency)?(?:,\s*(?:which|who)\s+|\s+)"
               r"(?:has |had |also |is |was )?(?:reported|reports|said|says|quoted|cited|citing)\b"),
    re.compile(r"\baccording to (?:the )?" + _OUTLET),
    re.compile(_OUTLET + r"(?:,\s*(?:which|who)\s+|\s+)(?:has |had |also |is |was |were |are )?"
                         r"(?:reported|reports|reporting|said|says|told|estimated|estimates|put|puts"
                         r"|counted|citing|cited|tallied)\b"),
]


def source_key(name: str) -> str:
    """One key per organisation: "The Associated Press", "AP" -> "associated press"."""
    low = " ".join(fold(name).replace("’", "'").split()).strip(" .")
    low = low[4:] if low.startswith("the ") else low
    return _AGENCIES.get(low, low)


def is_outlet(name: str) -> bool:
    """Whether a cited name is a news organisation: a known agency, or an outlet's name
    ("The Washington Post", "Radio Free Europe"); never a bare word before a verb."""
    low = fold(name).strip(" .")
    low = low[4:] if low.startswith("the ") else low
    return low in _AGENCIES or any(w.strip(".'’") in _OUTLET_WORDS for w in low.split())


def attributions(sentence: str) -> list[tuple[int, str]]:
    """(position, name) of each news organisation the sentence cites as saying something."""
    found = []
    for pattern in _ATTRIBUTION:
        for m in pattern.finditer(sentence):
            name = m.group(1).strip(" .")
            if sentence[max(0, m.start(1) - 1):m.start(1)] == "(":   # "(FBI) said", "(Preliminary)"
                continue
            if name and is_outlet(name):
                found.append((m.start(), name))
    longest: dict[int, str] = {}          # one name per place: "Xinhua News Agency" over "Xinhua"
    for start, name in found:
        if len(name) > len(longest.get(start, "")):
            longest[start] = name
    return sorted(longest.items())
