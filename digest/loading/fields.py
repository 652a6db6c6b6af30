"""Validating one front-matter field at a time: each function reads its field from the
parsed front matter, appends a Problem naming the file, the field and the fix for
whatever is wrong, and returns the value the Article keeps (or None)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime

from ..errors import Problem, Severity
from ..model import Correction
from .topics import TopicIndex
from .xmlchars import xml_safe

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_FIX = "use an ISO date like 2020-01-27 or a datetime with offset like 2020-01-27T14:30:00+03:00."
YEARS = (1800, 2200)     # a news date outside this range is a typo, and would break date arithmetic
_MAX_TOPIC_PROBLEMS = 10   # one article listing thousands of bad topics gets a short report
def shown(value: object, limit: int = 40) -> str:
    """A short, safe rendering of a user's value for an error message (never a huge repr)."""
    if isinstance(value, (list, dict, tuple, set)):
        return f"a {type(value).__name__}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def problem(path: str, field: str | None, message: str, fix: str,
             severity: Severity = Severity.ERROR) -> Problem:
    return Problem(path, field, message, fix, severity)


def text_field(meta: dict, key: str, path: str, problems: list[Problem]) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, (bool, list, dict)) or not isinstance(value, (str, int, float)):
        problems.append(problem(path, key, f"must be text, not a {type(value).__name__}.",
                                 f"write {key}: followed by plain text in quotes."))
        return None
    text = " ".join(xml_safe(str(value)).split())      # no control character reaches a page or feed
    if not text:
        problems.append(problem(path, key, "is empty.", f"give {key} a value or remove it."))
        return None
    return text


def datetime_field(meta: dict, key: str, path: str, problems: list[Problem]) -> tuple[datetime, bool] | None:
    value = meta.get(key)
    if isinstance(value, str) and _DATE_ONLY.match(value.strip()):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            problems.append(problem(path, key, f"could not parse {shown(value)} as a date.", _DATE_FIX))
            return None
    elif isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            problems.append(problem(path, key, f"could not parse {shown(value)} as a date.", _DATE_FIX))
            return None
    if isinstance(value, (date, datetime)) and not YEARS[0] <= value.year <= YEARS[1]:
        problems.append(problem(path, key, f"the year {value.year} is out of range ({YEARS[0]}-{YEARS[1]}).",
                                 "check the date for a typo."))
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            problems.append(problem(path, key, f"'{value.isoformat()}' has a time but no UTC offset.",
                                     "add the offset, e.g. 2020-01-27T14:30:00+03:00 or ...Z for UTC."))
            return None
        return value, False
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC), True
    problems.append(problem(path, key, f"must be a date, not a {type(value).__name__}.", _DATE_FIX))
    return None


_CORRECTION_FIX = "write each entry as '- {date: 2020-01-28, text: What was corrected.}'."


def corrections_field(meta: dict, path: str, published: datetime | None,
                 problems: list[Problem]) -> tuple[Correction, ...]:
    """The `corrections` list: each entry a mapping with a valid `date` and a non-empty `text`."""
    value = meta.get("corrections")
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(problem(path, "corrections", f"must be a list of corrections, not a {type(value).__name__}.",
                                 _CORRECTION_FIX))
        return ()
    found: list[Correction] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            problems.append(problem(path, "corrections", f"entry {number} is a {type(item).__name__}, not a date and a text.",
                                     _CORRECTION_FIX))
            continue
        entry = {str(k): v for k, v in item.items()}
        for key in sorted(set(entry) - {"date", "text"}):
            problems.append(problem(path, "corrections", f"entry {number} has an unknown key '{key}', ignored.",
                                     "give each correction only a date and a text.", Severity.WARNING))
        mine: list[Problem] = []
        when = datetime_field(entry, "date", path, mine) if entry.get("date") is not None else None
        text = text_field(entry, "text", path, mine)
        problems += [problem(path, "corrections", f"entry {number}: 'date' {p.message}", p.fix) for p in mine
                     if p.field == "date"]
        problems += [problem(path, "corrections", f"entry {number}: 'text' {p.message}", p.fix) for p in mine
                     if p.field == "text"]
        if entry.get("date") is None:
            problems.append(problem(path, "corrections", f"entry {number} has no date.", _CORRECTION_FIX))
        if entry.get("text") is None:
            problems.append(problem(path, "corrections", f"entry {number} has no text.", _CORRECTION_FIX))
        if when is None or text is None:
            continue
        if published is not None and when[0].date() < published.date():
            problems.append(problem(path, "corrections",
                                     f"entry {number} is dated {when[0].date()}, before the article itself.",
                                     "date the correction on or after the article's date."))
            continue
        found.append(Correction(when[0], text))
    return tuple(sorted(found, key=lambda c: c.date))


def topics_field(meta: dict, path: str, index: TopicIndex, problems: list[Problem]) -> tuple[str, ...]:
    value = meta.get("topics")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problems.append(problem(path, "topics", "must be a non-empty list of topic ids.",
                                 "write topics: [topic-id] with ids from content/topics.yml."))
        return ()
    resolved: list[str] = []
    bad: list[Problem] = []
    for name in value:
        if not isinstance(name, str):
            bad.append(problem(path, "topics", f"{shown(name)} is not a topic id.",
                                "write topic ids as text, e.g. topics: [iraq-protests]."))
            continue
        tid = index.resolve(name)
        if tid is None:
            near = index.suggest(name) if len(name) <= 100 else None
            hint = f"did you mean '{near}'?" if near else "declare it in content/topics.yml."
            bad.append(problem(path, "topics", f"unknown topic {shown(name, 60)}.", hint))
        elif tid not in resolved:
            resolved.append(tid)
    problems += bad[:_MAX_TOPIC_PROBLEMS]
    if len(bad) > _MAX_TOPIC_PROBLEMS:
        problems.append(problem(path, "topics", f"and {len(bad) - _MAX_TOPIC_PROBLEMS} more topic problems.",
                                 "list only topic ids declared in content/topics.yml."))
    return tuple(resolved)


_TAGS_FIX = "write tags: [tag one, tag two] (Material's tags plugin lists the article under each)."


def tags_field(meta: dict, path: str, problems: list[Problem]) -> tuple[str, ...]:
    """The `tags` list (for Material's tags plugin): text items, blanks and repeats dropped."""
    value = meta.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(problem(path, "tags", f"must be a list of tags, not a {type(value).__name__}.", _TAGS_FIX))
        return ()
    found: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            problems.append(problem(path, "tags", f"{shown(item)} is not a tag.", _TAGS_FIX))
            continue
        tag = " ".join(str(item).split())
        if tag and tag not in found:
            found.append(tag)
    return tuple(found)


_STORY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_STORY_FIX = "write a story id of lowercase letters, digits and hyphens, e.g. story: embassy-rocket-attack."


def story_field(meta: dict, path: str, problems: list[Problem]) -> str | None:
    """The `story` pin: a slug-like id shared by the articles an editor groups together."""
    value = meta.get("story")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        problems.append(problem(path, "story", f"must be a story id, not a {type(value).__name__}.", _STORY_FIX))
        return None
    text = str(value).strip()
    if len(text) > 100 or not _STORY_ID.match(text):
        problems.append(problem(path, "story", f"{shown(text)} is not a story id.", _STORY_FIX))
        return None
    return text


