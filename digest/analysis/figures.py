"""Numeric claims in news sentences, grouped by what they count, and where reports differ.

A claim is a number (digits, "one".."ninety", "a single", "a dozen", "1.5 million")
with its qualifier ("at least", "as many as", "more than", "up to", "about", "or
more" ...), the thing it counts and its time scope. The counted thing is the head
noun after the number, stemmed with `digest.text.terms`; for casualties it is the
event instead ("three people were wounded", "a single injury" and "200 wounded" all
count *wounded*), so "protesters killed" and "people died" both count deaths.
Objects keep their verb, so "five rockets were fired" and "three rockets hit" are
different counts. The scope ("over the past three days", "since October", "in the
same period" = the previous sentence's scope) is part of the key, so a three-day toll
is never compared with a toll since October. Vague amounts ("thousands", "dozens"),
times, dates, percentages and money are not claims.

The source of a claim is the news organisation its sentence cites as saying it ("AFP
reported", "according to Reuters": the nearest before the number, else after; see
digest/analysis/attribution.py), falling back to the article's source. Numbers that are
names, dates, ages, conversions or ends of a range, and sentences about another event,
give no claim (digest/analysis/figure_context.py). Finding where reports differ is
digest/analysis/conflicts.py. Pure: no MkDocs and no file I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from .attribution import attributions
from .figure_context import DAY_NAMES, MONTHS, elsewhere, not_a_count, place
from .text import GatedPattern, fold, terms

__all__ = ["Claim", "attach_claims", "extract_claims", "raw_claims"]

_UNITS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS = {w: 10 * i for i, w in enumerate(["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
         if w != "_"}
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_QUALIFIERS = {  # phrase before the number -> bound
    "at least": "lower", "more than": "lower", "over": "lower", "upwards of": "lower",
    "no fewer than": "lower", "in excess of": "lower",
    "as many as": "upper", "up to": "upper", "as high as": "upper", "fewer than": "upper",
    "less than": "upper", "at most": "upper", "nearly": "upper", "almost": "upper",
    "under": "upper", "no more than": "upper",
    "about": "approx", "around": "approx", "roughly": "approx", "approximately": "approx",
    "some": "approx", "an estimated": "approx", "estimated": "approx",
}
_POSTFIX = {"or more": "lower", "or so": "approx"}
_TIME_UNITS = frozenset(["second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades", "times", "percent", "per", "%", "o'clock", "am", "pm"])
_YEAR = re.compile(r"(19|20)\d\d")
_STOP = frozenset(["is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "will", "would", "could", "can", "may", "might", "must", "shall", "do", "did", "does", "of", "in", "on", "at", "to", "from", "by", "for", "with", "into", "onto", "over", "under", "and", "or", "but", "nor", "that", "which", "who", "whom", "whose", "as", "than", "the", "a", "an", "this", "those", "these", "its", "their", "his", "her", "our", "your", "it", "they", "he", "she", "we", "reportedly", "said", "say", "says", "also", "still", "now", "then", "there", "here", "since", "after", "before", "during", "while", "when", "where", "not", "no", "only", "just", "all", "both", "each", "every", "more", "most", "less", "about", "around", "some", "such", "so", "very"])
_PERSONS = frozenset(terms(" ".join(["people", "person", "persons", "others", "civilians", "protesters", "demonstrators", "soldiers", "troops", "police", "policemen", "officers", "men", "women", "children", "residents", "workers", "students", "victims", "individuals", "fighters", "militants", "members", "pilgrims", "migrants", "refugees"])) + ["other", "men", "women"])
#: People counted as such: a toll of "people", "civilians" or "others" is the event's toll;
#: "three rebels were killed" counts only rebels, a part of it, kept apart.
_ANYONE = frozenset(terms("people person persons others civilians victims individuals residents passengers"))
_SAME_GROUP = {stem: "protester" for stem in terms("protesters demonstrators protester demonstrator")}
_DETERMINERS = frozenset(["the", "this", "any", "each", "every", "no"])


_EVENT_WORDS = {
    "deaths": "killed kill killing died die dying dead death deaths slain fatalities",
    "wounded": "wounded wounding injured injuring injuries injury hurt",
    "arrests": "arrested arresting arrests detained detaining detentions custody",
    "casualties": "casualties",
    "fired": "fired firing launched launching",
    "hit": "hit hitting landed landing struck impacted",
    # What else an event does to people and things: counted with their noun ("residents
    # evacuated", "flights cancelled"), so a bare count of a noun is never compared.
    "evacuated": "evacuated evacuating",
    "rescued": "rescued rescuing",
    "cancelled": "cancelled canceled cancelling canceling",
    "damaged": "damaged destroyed",
    "missing": "missing",
}
_EVENTS = {stem: cls for cls, words in _EVENT_WORDS.items() for stem in terms(words)}
_CASUALTY = frozenset({"deaths", "wounded", "arrests", "casualties"})
_LABELS = {"deaths": "deaths", "wounded": "people wounded", "arrests": "arrests",
           "casualties": "casualties"}
_EVENT_LABELS = {"fired": "fired", "hit": "that hit", "evacuated": "evacuated", "rescued": "rescued",
                 "cancelled": "cancelled", "damaged": "damaged or destroyed", "missing": "missing"}
_PART_LABELS = {"deaths": "killed", "wounded": "wounded", "arrests": "arrested", "casualties": "hurt or killed"}

_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_NUMBER_WORDS = (*_UNITS, *_TENS, "single", "dozen")
_MAYBE_NUMBER = re.compile(r"\d|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_ANY_NUMBER_WORD = re.compile("|".join(_NUMBER_WORDS))
_ANY_DIGIT = re.compile(r"\d")
_NUMBER_STARTS = frozenset([*_UNITS, *_TENS, "a"])   # the tokens `_number` can start from
_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[A-Za-z]+(?:[-'’][A-Za-z]+)*|[%$€£]|[^\s\w]")
_NUM_WORD = "|".join([*_UNITS, *_TENS]) + r"|\d+"
_DURATION = GatedPattern(r"\b(?:over|in|during|within|for)\s+(?:just\s+|only\s+)?(?:the\s+)?"
                         r"(?:past\s+|last\s+|previous\s+|first\s+)?(?:(" + _NUM_WORD + r")\s+)?"
                         r"(hours?|days?|weeks?|months?|years?)\b", r"\s(?:hour|day|week|month|year)")
_PERIOD = GatedPattern(r"\b(this|last|past)\s+(week|month|year)\b|\b(today|yesterday)\b",
                       r"(?:this|last|past)\s+(?:week|month|year)|today|yesterday")
_SINCE = GatedPattern(r"\bsince\s+([^,.;:]+)", "since")
_SAME = GatedPattern(r"\b(?:the same period|that period|the same time|that time|the same days)\b",
                     "same period|that period|same time|that time|same days")
#: Measures and money: amounts that convert ("54 million tons (49 million metric tons)") and
#: are not counts of an event's people or things.
_MEASURES = frozenset(terms(
    "tons tonnes kilometers kilometres km miles meters metres feet foot inches yards kilograms kilos "
    "pounds ounces barrels gallons litres liters acres hectares degrees dollars euros dinars yen rupees "
    "pesos francs marks yuan riyals cents pence points megawatts calories bytes megabytes gigabytes"))
#: A word in every match of the four gates (and far cheaper to look for than all of them):
#: a sentence without one names no time scope.
_TIMED = re.compile("hour|day|week|month|year|since|period|time")


@dataclass(frozen=True)
class Claim:
    """One number in one sentence, with what it counts, its scope and who said it."""

    slug: str
    index: int             # the sentence's position in its article
    sentence: str
    value: float
    bound: str             # "exact", "lower", "upper" or "approx"
    figure: str            # as it reads: "at least three"
    thing: str             # normalised key of what is counted: "wounded", "rocket/fired"
    label: str             # the thing for readers: "people wounded", "rockets fired"
    scope: str             # normalised time scope: "3 days", "since october", "" for none
    scope_label: str
    source: str            # the outlet named in the sentence, else the article's source
    published: datetime
    cited: bool = False    # whether the sentence names the source (else it is the article's)


def _number(tokens: list[str], i: int) -> tuple[float, int, str] | None:
    """The number starting at token i: (value, index after it, surface text)."""
    low = tokens[i].lower()
    if low[0].isdigit():
        if not _DIGITS.fullmatch(low) or ("," in low and not _GROUPED.fullmatch(low)):
            return None
        value, end, surface = float(low.replace(",", "")), i + 1, tokens[i]
    elif low == "a":
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if nxt not in ("single", "dozen"):
            return None
        value, end, surface = (1.0, i + 2, "one") if nxt == "single" else (12.0, i + 2, "a dozen")
    elif low in _UNITS or low in _TENS or ("-" in low and low.split("-")[0] in _TENS):
        parts = low.split("-")
        if len(parts) > 2 or (len(parts) == 2 and parts[1] not in _UNITS):
            return None
        value = float(sum(_TENS.get(p, _UNITS.get(p, 0)) for p in parts))
        if not value:
            return None
        end, surface = i + 1, low
    else:
        return None
    if end < len(tokens) and tokens[end].lower() in _SCALE:
        value *= _SCALE[tokens[end].lower()]
        surface += " " + tokens[end].lower()
        end += 1
    return value, end, surface


def _qualifier(lower: list[str], start: int, end: int) -> tuple[str, str, int, int]:
    """(phrase, bound, first token, token after) of the claim's qualifier, if any."""
    for size in (3, 2, 1):
        phrase = " ".join(lower[max(0, start - size):start])
        if start - size >= 0 and phrase in _QUALIFIERS:
            return phrase, _QUALIFIERS[phrase], start - size, end
    return "", "exact", start, end


@lru_cache(maxsize=65536)
def _stem(word: str, default: str = "") -> str:
    """The first stem `terms` finds in a word, else `default`; cached, as words recur."""
    found = terms(word)
    return found[0] if found else default


@lru_cache(maxsize=65536)
def _is_head(word: str, singular_ok: bool) -> bool:
    low = word.lower()
    if not word.isalpha() or low in _STOP or low.endswith("ly"):
        return False
    stem = _stem(low, low)
    if stem in _PERSONS or _EVENTS.get(stem) in _CASUALTY:
        return True
    if stem in _EVENTS:
        return False
    return singular_ok or (low.endswith("s") and not low.endswith("ss") and len(low) > 3)


def _event(lower: list[str], start: int, stop: int) -> str | None:
    for tok in lower[start:stop]:
        if tok in ",;:()" or tok in ("while", "whereas", "but") or tok[0].isdigit():
            return None
        cls = _EVENTS.get(_stem(tok))
        if cls:
            return cls
    return None


def _verb_before(lower: list[str], start: int) -> str | None:
    """The event of a verb right before the number: "killing 12", "hit by three rockets"."""
    k = start - 2 if start >= 2 and lower[start - 1] == "by" else start - 1
    word = lower[k] if k >= 0 else ""
    if word.endswith(("ing", "ed")) or word in ("hit", "struck"):
        return _EVENTS.get(_stem(word))
    return None


def _scopes(sentence: str, previous: str, folded: str | None = None) -> list[tuple[int, str, str]]:
    """Time scopes named in a sentence: (position, key, label). With `folded`, the caller
    has found a time word in it."""
    if folded is None:
        folded = fold(sentence)
        if not _TIMED.search(folded):
            return []
    found: list[tuple[int, str, str]] = []
    durations = list(_DURATION.finditer(sentence, folded))
    for m in durations:
        n, unit = (m.group(1) or "one").lower(), m.group(2).lower().rstrip("s")
        count = int(n) if n.isdigit() else _UNITS.get(n, _TENS.get(n, 1))
        key = f"{count} {unit}s" if count != 1 else f"1 {unit}"
        found.append((m.start(), key, f"over {key}"))
    for m in _PERIOD.finditer(sentence, folded):
        if any(d.start() <= m.start() < d.end() for d in durations) or (m.group(1) or "").lower() == "past":
            continue                                   # "over the past week": a duration
        key = (m.group(3) or f"{m.group(1)} {m.group(2)}").lower()
        found.append((m.start(), key, key))
    for m in _SINCE.finditer(sentence, folded):
        words = m.group(1).split()[:8]
        named = [w for w in words if w.lower() in DAY_NAMES or _YEAR.fullmatch(w)]
        anchor = " ".join(named) if named else " ".join(terms(" ".join(words[:3])))
        found.append((m.start(), "since " + anchor.lower(), "since " + (" ".join(named) or " ".join(words[:3]))))
    same = _SAME.search(sentence, folded)
    if same and previous:
        found += [(same.start(), key, label) for _, key, label in _scopes(previous, "")[:1]]
    return sorted(found)


def _maybe_number(sentence: str, folded: str) -> bool:
    """`_MAYBE_NUMBER.search(sentence)`, with the regex run only where a number word occurs."""
    if _ANY_DIGIT.search(sentence):
        return True
    return bool(_ANY_NUMBER_WORD.search(folded) and _MAYBE_NUMBER.search(sentence))


def _numbers(tokens: list[str], lower: list[str]) -> Iterator[tuple[int, float, int, str]]:
    """(start, value, index after, surface) of each number, left to right, never overlapping."""
    after = 0
    # Only digits and the words in _NUMBER_STARTS can begin a number.
    for i in [i for i, low in enumerate(lower)
              if low in _NUMBER_STARTS or low[0].isdigit() or ("-" in low and low.partition("-")[0] in _TENS)]:
        if i < after:
            continue
        parsed = _number(tokens, i)
        if parsed is not None:
            value, after, surface = parsed
            yield i, value, after, surface


def extract_claims(sentences: Sequence[str], *, slug: str = "", source: str = "",
                   published: datetime | None = None) -> list[Claim]:
    """Every numeric claim in an article's sentences (in order)."""
    when = published or datetime.min
    claims: list[Claim] = []
    previous_scoped = ""
    for index, sentence in enumerate(sentences):
        folded = fold(sentence)
        timed = _TIMED.search(folded)
        same = timed and _SAME.search(sentence, folded)
        if not _maybe_number(sentence, folded):          # most sentences: no number at all
            if timed and not same and any(p.search(sentence, folded) for p in (_DURATION, _SINCE, _PERIOD)):
                previous_scoped = sentence
            continue
        # One pass finds the tokens, their spans and their lower case: lower-casing ASCII moves
        # no token boundary and no test below, so such a sentence's tokens are read lower-cased.
        matches = list(_TOKEN.finditer(sentence))
        original = [m.group() for m in matches]
        lower = [t.lower() for t in original]
        tokens = lower if sentence.isascii() else original
        scopes = _scopes(sentence, previous_scoped, folded) if timed else []
        if scopes and not same:
            previous_scoped = sentence
        numbers = list(_numbers(tokens, lower))
        if not numbers or elsewhere(sentence, folded):
            continue
        spans = [m.span() for m in matches]
        starts = {start for start, *_ in numbers}
        found = [(value, start, end, c) for start, value, end, surface in numbers
                 if not not_a_count(sentence, spans, original, lower, start, end,
                                    _qualifier(lower, start, end)[2], starts)
                 and (c := _claim(tokens, lower, start, end, value, surface)) is not None]
        if not found:
            continue
        cited = attributions(sentence)
        for value, start, end, (thing, label, bound, figure) in found:
            pos = spans[end - 1][0]
            scope = next(((k, lab) for p, k, lab in scopes if p > pos), None) or \
                next(((k, lab) for p, k, lab in reversed(scopes) if p < pos), ("", ""))
            where = place(original, lower, start)
            before = [name for p, name in cited if p < pos]
            after = [name for p, name in cited if p > pos]
            named = before[-1] if before else (after[0] if after else "")
            claims.append(Claim(slug, index, sentence, value, bound, figure, thing, label,
                                scope[0] + (f"@{where}" if where else ""), scope[1], named or source, when,
                                bool(named)))
    return claims


def _claim(tokens: list[str], lower: list[str], start: int, end: int, value: float,
           surface: str) -> tuple[str, str, str, str] | None:
    """(thing, label, bound, figure) of the number at tokens[start:end], or None."""
    prev = lower[start - 1] if start else ""
    if prev in _DETERMINERS or prev in ("number", "no", "$", "€", "£", "page", "article", "resolution") \
            or prev in MONTHS or (end < len(lower) and lower[end] in MONTHS):
        return None
    if 1800 <= value <= 2100 and "," not in tokens[start] and "." not in tokens[start]:
        return None
    phrase, bound, qstart, j = _qualifier(lower, start, end)
    if j + 1 < len(lower) and " ".join(lower[j:j + 2]) in _POSTFIX:
        phrase, bound = " ".join(lower[j:j + 2]), _POSTFIX[" ".join(lower[j:j + 2])]
        j += 2
    if j < len(lower) and lower[j] in _TIME_UNITS:
        return None
    if j < len(lower) and lower[j] in ("other", "more", "additional", "further"):
        return None                                   # "three other sailors": a part of a toll
    partitive = j < len(lower) and lower[j] == "of"
    if partitive:                                     # "three of the rockets"
        if j + 1 < len(lower) and lower[j + 1] in ("the", "those", "these"):
            j += 2
        else:
            return None
    head = None
    for k in range(j, min(j + 3, len(tokens))):
        if _is_head(tokens[k], value == 1):
            head = k
            break
        if lower[k] in _STOP or not tokens[k].isalpha() or _stem(lower[k]) in _EVENTS:
            break
    after = (head if head is not None else j - 1) + 1
    if head is not None and after + 1 < len(lower) and " ".join(lower[after:after + 2]) in _POSTFIX:
        phrase, bound = " ".join(lower[after:after + 2]), _POSTFIX[" ".join(lower[after:after + 2])]
    # The verb right before the number wins over one later in the sentence: "killing at least
    # 36 people and wounding 74" counts 36 dead and 74 wounded.
    event = _verb_before(lower, qstart) or _event(lower, after, after + 7)
    stem = _stem(lower[head], lower[head]) if head is not None else None
    if stem is not None and stem in _MEASURES:
        return None
    noun_at = head            # the word naming what is counted, for the label
    if head is not None and lower[head] == "lives":      # "cost 40 lives"; "children live with" is no toll
        thing = "deaths"
    elif head is not None and lower[head] in ("wounds", "wound"):
        return None                                   # "three gunshot wounds": of one person
    elif stem is not None and _EVENTS.get(stem) in _CASUALTY and (noun_at := _noun_after(tokens, lower, head)):
        noun = _stem(lower[noun_at], lower[noun_at])   # "two wounded journalists"
        event = _EVENTS[stem]
        thing = event if noun in _ANYONE else f"{_SAME_GROUP.get(noun, noun)}/{event}"
    elif stem is not None and _EVENTS.get(stem) in _CASUALTY:
        thing = _EVENTS[stem]
    elif event in _CASUALTY and (stem is None or stem in _ANYONE):   # "three passengers were hurt"
        thing = event
    elif event in _CASUALTY:       # "four rebels were killed", "three bombings killed": a part, kept apart
        thing = f"{_SAME_GROUP.get(stem, stem)}/{event}"  # type: ignore[arg-type]
    elif stem is None:
        return None
    else:
        thing = stem + (f"/{event}" if event and event not in _CASUALTY else "")
    part_of_toll = thing.partition("/")[2] in _CASUALTY
    if partitive and (thing in _CASUALTY or part_of_toll):
        return None                                   # "six of those arrested": a part of a count
    if thing in _CASUALTY:
        label = _LABELS[thing]
    else:
        noun = lower[noun_at] if value != 1 else lower[noun_at] + "s"  # type: ignore[index]
        verb = _PART_LABELS.get(event or "") if part_of_toll else _EVENT_LABELS.get(event or "")
        label = noun + (f" {verb}" if verb else "")
    qualifier = phrase if phrase not in _POSTFIX else ""
    figure = " ".join(x for x in (qualifier, surface) if x) + (f" {phrase}" if phrase in _POSTFIX else "")
    return thing, label, bound, figure


def _noun_after(tokens: list[str], lower: list[str], head: int | None) -> int | None:
    """The plural noun within two words after `head` ("wounded Western journalists"), if any."""
    for k in range(head + 1, min(head + 3, len(tokens))) if head is not None else ():
        low = lower[k]
        if not tokens[k].isalpha() or low in _STOP or _stem(low) in _EVENTS:
            return None
        if low.endswith("s") and not low.endswith("ss") and len(low) > 3:
            return k
    return None


def raw_claims(sentences: Sequence[str]) -> tuple[tuple[object, ...], ...]:
    """An article's claims without its slug, source and date: the part worth caching.

    Each is (sentence index, value, bound, figure, thing, label, scope, scope label,
    the outlet named in the sentence or "")."""
    return tuple((c.index, c.value, c.bound, c.figure, c.thing, c.label, c.scope, c.scope_label, c.source)
                 for c in extract_claims(sentences))


def attach_claims(raw: Iterable[tuple[object, ...]], sentences: Sequence[str], slug: str, source: str,
                  published: datetime) -> tuple[Claim, ...]:
    """Claims from `raw_claims`, attributed to the article (its source when no outlet is named)."""
    return tuple(Claim(slug, int(i), sentences[int(i)], float(v), str(b), str(f), str(t),  # type: ignore[call-overload, arg-type]
                       str(lab), str(sc), str(sl), str(said) or source, published, bool(said))
                 for i, v, b, f, t, lab, sc, sl, said in raw)
