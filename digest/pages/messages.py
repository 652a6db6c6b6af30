"""Our own words in the site's language: one message catalogue per language, dates by Babel.

Every label, heading, sentence and date that newsdigest itself writes (pages, charts,
feeds, the search box's strings) comes from `locales/<language>.yml`, chosen by the
theme's `language`. Dates, month names and numbers are formatted by Babel from the CLDR
data it ships, in the catalogue's `locale`; plurals follow CLDR's plural rules for that
locale ("1 article", "5 articles"; French counts 0 as singular).

A regional variant (`de-CH`, `pt_BR`) uses its base language's catalogue; a language
without one falls back to English, and `Messages.warning` says so (the plugin logs it).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal

__all__ = ["DEFAULT", "LOCALES_DIR", "Messages", "base_language", "catalogue", "load", "shipped"]

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT = "en"

#: Catalogue keys that are not messages.
_META = ("locale",)
#: The search box's strings (partials/digest-search.html reads them as `digest_search_messages`).
_SEARCH = ("label", "placeholder", "no_results", "needs_http", "loading", "filter_topic",
           "filter_source", "all", "untitled", "topic", "also_reported")


def shipped() -> tuple[str, ...]:
    """The languages with a catalogue, e.g. ('de', 'en', 'es', 'fr')."""
    return tuple(sorted(p.stem for p in LOCALES_DIR.glob("*.yml")))


def base_language(language: str | None) -> str:
    """'de-CH' -> 'de', 'pt_BR' -> 'pt', 'EN' -> 'en'; nothing -> the default."""
    text = str(language or "").strip().replace("-", "_").split("_")[0].lower()
    return text or DEFAULT


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, Any]:
    """One language's catalogue file, read once."""
    path = LOCALES_DIR / f"{language}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a message catalogue is a mapping of keys to messages")
    return data


class Messages:
    """The catalogue of one language, with its dates and counts."""

    def __init__(self, language: str = DEFAULT, requested: str | None = None) -> None:
        self.language = language
        self.requested = requested if requested is not None else language
        self.strings = catalogue(language)
        self.locale = Locale.parse(str(self.strings.get("locale") or language))
        self._dates: dict[tuple[str, dt.date], str] = {}   # the same dates recur on many pages
        self._numbers: dict[int, str] = {}

    @property
    def warning(self) -> str | None:
        """The build warning for a language we have no catalogue for, else None."""
        if self.language == base_language(self.requested):
            return None
        return (f"digest: theme.language '{self.requested}' has no newsdigest translation, so our own "
                f"labels, headings and dates are in English (shipped: {', '.join(shipped())}). Fix: set "
                f"theme.language to one of them, or add digest/pages/locales/{base_language(self.requested)}"
                f".yml (README, \"Languages\").")

    def template(self, key: str, count: int | None = None) -> str:
        """The message `key` unfilled; for a `count`, its plural form by CLDR's rules."""
        text = self.strings[key]
        if count is None:
            if not isinstance(text, str):
                raise TypeError(f"message {key!r} has plural forms: give it a count (Messages.n)")
            return text
        if not isinstance(text, dict):
            raise TypeError(f"message {key!r} has no plural forms: use Messages.t")
        return str(text.get(self.locale.plural_form(count)) or text["other"])

    def t(self, key: str, **values: object) -> str:
        """The message `key` with its {placeholders} filled in."""
        return self.template(key).format(**values)

    def n(self, key: str, count: int, **values: object) -> str:
        """The plural form of `key` for `count`, `{n}` being the count written in this language."""
        return self.template(key, count).format(n=self.number(count), **values)

    def number(self, value: int) -> str:
        """1234 -> '1,234' (English), '1.234' (German), '1 234' (French)."""
        if value not in self._numbers:     # Babel takes ~50 µs; the same counts recur
            self._numbers[value] = format_decimal(value, locale=self.locale)
        return self._numbers[value]

    def date(self, value: dt.datetime | dt.date, with_time: bool = False) -> str:
        """'27 January 2020' / '27. Januar 2020', with the time: '27 January 2020, 14:30 UTC+03:00'."""
        key = ("time" if with_time else "date", value)
        if key not in self._dates:
            day = format_date(value, format="long", locale=self.locale)
            if with_time and isinstance(value, dt.datetime):
                offset = f"{value:%z}"
                zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
                day = self.t("date_time", date=day, time=format_time(value, "HH:mm", locale=self.locale),
                             zone=zone)
            self._dates[key] = day
        return self._dates[key]

    def month(self, value: dt.datetime | dt.date, title: bool = True) -> str:
        """'January 2020', 'Januar 2020', 'enero de 2020'; as a `title` its first letter is upper-case
        (French and Spanish write month names in lower case inside a sentence)."""
        text = self._skeleton("yMMMM", value)
        return text[:1].upper() + text[1:] if title else text

    def month_short(self, value: dt.date) -> str:
        """'Jan 2020', 'Jan. 2020', 'janv. 2020'."""
        return self._skeleton("yMMM", value)

    def day_short(self, value: dt.date) -> str:
        """'6 Jan', '6. Jan.', '6 janv.'."""
        return self._skeleton("MMMd", value)

    def _skeleton(self, skeleton: str, value: dt.date) -> str:
        """A date in the locale's pattern for a CLDR skeleton (remembered: Babel takes ~70 µs)."""
        key = (skeleton, value)
        if key not in self._dates:
            self._dates[key] = format_skeleton(skeleton, value, locale=self.locale)
        return self._dates[key]

    def search_strings(self) -> dict[str, str]:
        """The search box's strings: label, placeholder, no_results, results_one / results_other
        (with {n}), needs_http, loading, filter_topic, filter_source, all, untitled, topic,
        also_reported (with {sources}); no_results has {query}."""
        out = {key: self.template(f"search_{key}") for key in _SEARCH}   # the script fills them in
        forms = self.strings["search_results"]
        out["results_one"], out["results_other"] = str(forms["one"]), str(forms["other"])
        return out

    def keys(self) -> list[str]:
        """Every message key (the catalogue's keys but its settings such as `locale`)."""
        return [k for k in self.strings if k not in _META]


@lru_cache(maxsize=64)
def load(language: str | None) -> Messages:
    """The catalogue for a theme language: its own, its base language's, else English."""
    base = base_language(language)
    requested = str(language) if language else DEFAULT
    return Messages(base if base in shipped() else DEFAULT, requested)
