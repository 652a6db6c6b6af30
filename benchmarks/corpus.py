"""A deterministic generator of realistic news articles for the benchmarks.

`generate(n, seed)` yields the same N articles for the same seed: 300-900 words each,
with people, places, numbers and direct quotes, over 20 topics and 15 sources spread
across two years. `write_digest_corpus` writes them as our content/ folder (valid front
matter, topics.yml); `write_pelican_corpus` writes the same articles in Pelican's
metadata format, so both generators build identical text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = [
    "SOURCES",
    "TOPICS",
    "GenArticle",
    "generate",
    "write_digest_corpus",
    "write_pelican_corpus",
]

TOPICS: tuple[tuple[str, str, str], ...] = tuple(
    (tid, title, desc) for tid, title, desc in (
        ("energy-prices", "Energy prices", "Gas, oil and power prices and what households pay."),
        ("central-banks", "Central banks", "Interest-rate decisions and the fight against inflation."),
        ("elections", "Elections", "Campaigns, polls and results at home and abroad."),
        ("climate-policy", "Climate policy", "Emission targets, climate summits and green subsidies."),
        ("space", "Space", "Launches, missions and the business of rockets and satellites."),
        ("public-health", "Public health", "Hospitals, vaccines and outbreaks."),
        ("housing", "Housing", "Rents, mortgages and the construction of new homes."),
        ("tech-regulation", "Tech regulation", "Rules for platforms, data protection and AI."),
        ("trade", "Trade", "Tariffs, supply chains and trade agreements."),
        ("transport", "Transport", "Rail, roads, aviation and strikes that stop them."),
        ("education", "Education", "Schools, universities and exams."),
        ("labour", "Labour", "Wages, unions and the jobs market."),
        ("migration", "Migration", "Asylum, borders and the people who cross them."),
        ("defence", "Defence", "Armed forces, budgets and alliances."),
        ("agriculture", "Agriculture", "Farmers, harvests and food prices."),
        ("courts", "Courts", "Trials, rulings and the justice system."),
        ("wildfires", "Wildfires", "Fires, droughts and the crews that fight them."),
        ("football", "Football", "Leagues, transfers and the finances of the game."),
        ("water", "Water", "Drought, floods and water utilities."),
        ("cybersecurity", "Cybersecurity", "Hacks, ransomware and the defence of networks."),
    ))
SOURCES = ("Harbour Herald", "Northern Courier", "Daily Ledger", "Metro Wire", "The Observer Post",
           "Capital Times", "Coastline News", "Valley Gazette", "Evening Standard Bearer",
           "Global Dispatch", "Riverside Chronicle", "Summit Report", "Union Journal",
           "Westland Tribune", "Press Association Desk")
_FIRST = ("Maria", "James", "Aisha", "Tomasz", "Lena", "David", "Priya", "Kwame", "Sofia",
          "Hiroshi", "Fatima", "Lucas", "Ingrid", "Omar", "Chen", "Elena", "Samuel", "Nadia")
_LAST = ("Okafor", "Lindqvist", "Romero", "Kowalski", "Haddad", "Nakamura", "Fischer", "Mensah",
         "Ivanova", "O'Brien", "Dubois", "Patel", "Moreau", "Santos", "Bianchi", "Novak")
_ROLES = ("the finance minister", "a spokesperson for the regulator", "the chief executive",
          "an analyst at Westbridge Capital", "the union's general secretary", "the mayor",
          "a senior official", "the committee chair", "a professor of economics",
          "the opposition leader", "a local resident", "the agency's director")
_PLACES = ("Brussels", "Lagos", "Toronto", "Warsaw", "Osaka", "Lyon", "Nairobi", "Lisbon",
           "Denver", "Glasgow", "Santiago", "Hamburg", "Mumbai", "Melbourne", "Cairo")
_NOUNS = {
    "energy-prices": ("gas prices", "the price cap", "electricity bills", "the oil market"),
    "central-banks": ("interest rates", "inflation", "the bond market", "the base rate"),
    "elections": ("the vote", "the campaign", "turnout", "the ballot count"),
    "climate-policy": ("emissions", "the climate pledge", "carbon pricing", "the net-zero plan"),
    "space": ("the rocket launch", "the lunar mission", "the satellite network", "the launch pad"),
    "public-health": ("hospital waiting lists", "the vaccine rollout", "the outbreak", "the clinic"),
    "housing": ("rents", "mortgage rates", "the building programme", "house prices"),
    "tech-regulation": ("the data law", "the platform rules", "the AI act", "online safety"),
    "trade": ("tariffs", "the trade deal", "supply chains", "exports"),
    "transport": ("the rail strike", "flight delays", "the new tram line", "fuel duty"),
    "education": ("exam results", "tuition fees", "teacher shortages", "school budgets"),
    "labour": ("wages", "the strike ballot", "unemployment", "the minimum wage"),
    "migration": ("asylum claims", "the border", "visa rules", "the reception centre"),
    "defence": ("the defence budget", "the alliance", "the procurement deal", "troop numbers"),
    "agriculture": ("the harvest", "fertiliser costs", "food prices", "farm subsidies"),
    "courts": ("the ruling", "the appeal", "the trial", "the supreme court"),
    "wildfires": ("the wildfire", "the evacuation", "the drought", "fire crews"),
    "football": ("the transfer fee", "the league table", "the stadium plan", "ticket prices"),
    "water": ("the reservoir", "the hosepipe ban", "flood defences", "the water company"),
    "cybersecurity": ("the ransomware attack", "the data breach", "the outage", "the patch"),
}
_VERBS = ("rose", "fell", "jumped", "slipped", "stalled", "surged", "eased", "doubled")
_SENTENCES = (
    "{Noun} {verb} by {pct} per cent in {month}, according to figures published on {weekday}.",
    "{name}, {role}, said the decision on {noun} would be reviewed within {num} weeks.",
    "\"We cannot keep asking people to wait for answers on {noun},\" said {name}, {role}.",
    "Officials in {place} estimated that {noun} would cost about {money} over the next {num} years.",
    "The plan, first announced in {month}, has been criticised by {num} of the {big} councils affected.",
    "Critics argue that {noun} has been mishandled since {year}, when {name} first raised concerns.",
    "\"This is a turning point,\" {name} told reporters in {place}, adding that talks would resume.",
    "Some {big} people are expected to be affected, a report by the {place} institute found.",
    "Dr. {last} said the data on {noun} showed a clear trend, though the sample was small.",
    "By {weekday} evening, {num} groups had signed a joint letter calling for action on {noun}.",
    "The government said it would publish a full response on {noun} before the end of {month}.",
    "In {place}, where {noun} has dominated local politics, turnout at meetings has {verb}.",
    "{name} warned that {noun} could {verb2} again unless the {money} package is approved.",
    "Figures from the statistics office show {noun} {verb} {pct} per cent year on year.",
    "A spokesperson declined to comment on {noun}, citing ongoing negotiations with {num} partners.",
    "The move follows weeks of pressure from {role} and campaigners in {place}.",
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_HEADLINES = ("{Noun} {verb} as {name2} faces pressure in {place}",
              "{Place} braces for change over {noun}",
              "Why {noun} matters for {place}",
              "{Name2} says {noun} deal is close",
              "{Noun}: what we know so far",
              "Pressure mounts on {noun} after {place} report")
START = datetime(2022, 1, 1, tzinfo=UTC)
SPAN_DAYS = 730


@dataclass(frozen=True)
class GenArticle:
    """One generated article, independent of any site generator's format."""

    stem: str
    title: str
    published: datetime
    source: str
    topics: tuple[str, ...]
    author: str
    body: str
    url: str


def _fill(template: str, rnd: random.Random, topic: str) -> str:
    noun = rnd.choice(_NOUNS[topic])
    name = f"{rnd.choice(_FIRST)} {rnd.choice(_LAST)}"
    values = {
        "noun": noun, "Noun": noun[0].upper() + noun[1:], "verb": rnd.choice(_VERBS),
        "verb2": rnd.choice(("rise", "fall", "stall", "collapse")),
        "pct": f"{rnd.randint(1, 30)}.{rnd.randint(0, 9)}", "month": rnd.choice(_MONTHS),
        "weekday": rnd.choice(_DAYS), "name": name, "name2": rnd.choice(_LAST),
        "Name2": rnd.choice(_LAST), "last": rnd.choice(_LAST), "role": rnd.choice(_ROLES),
        "place": rnd.choice(_PLACES), "Place": rnd.choice(_PLACES), "num": rnd.randint(2, 40),
        "big": f"{rnd.randint(2, 900):,}", "money": f"£{rnd.randint(2, 95)}.{rnd.randint(0, 9)}bn",
        "year": rnd.randint(2015, 2021),
    }
    return template.format(**values)


def _body(rnd: random.Random, topic: str) -> str:
    target = rnd.randint(300, 900)
    words = 0
    paragraphs: list[str] = []
    while words < target:
        sentences = [_fill(rnd.choice(_SENTENCES), rnd, topic) for _ in range(rnd.randint(2, 4))]
        if rnd.random() < 0.1:
            sentences[0] = f"**{sentences[0]}**"
        if rnd.random() < 0.1:
            sentences[-1] = sentences[-1][:-1] + f" ([source](https://example.org/r/{rnd.randint(1, 9999)}))."
        paragraph = " ".join(sentences)
        words += len(paragraph.split())
        paragraphs.append(paragraph)
        if rnd.random() < 0.05:
            paragraphs.append("## " + _fill("What happens next for {noun}", rnd, topic))
    return "\n\n".join(paragraphs)


def generate(n: int, seed: int = 20240601, offset: int = 0) -> Iterator[GenArticle]:
    """N articles; the i-th article depends only on (seed, i), so N+1 extends N."""
    for i in range(offset, offset + n):
        rnd = random.Random(f"{seed}:{i}")
        first = rnd.randrange(len(TOPICS))
        topics = [TOPICS[first][0]]
        if rnd.random() < 0.35:
            topics.append(TOPICS[(first + rnd.randint(1, len(TOPICS) - 1)) % len(TOPICS)][0])
        published = START + timedelta(minutes=rnd.randrange(SPAN_DAYS * 24 * 60))
        title = _fill(rnd.choice(_HEADLINES), rnd, topics[0])
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
        yield GenArticle(
            stem=f"{published:%Y-%m-%d}-{slug}-{i}", title=title, published=published,
            source=rnd.choice(SOURCES), topics=tuple(topics),
            author=f"{rnd.choice(_FIRST)} {rnd.choice(_LAST)}", body=_body(rnd, topics[0]),
            url=f"https://news.example.org/{published:%Y/%m}/{i}")


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def digest_markdown(a: GenArticle) -> str:
    """An article file in our front-matter schema."""
    return (f"---\ntitle: {_q(a.title)}\ndate: {a.published.isoformat()}\nsource: {_q(a.source)}\n"
            f"author: {_q(a.author)}\nurl: {a.url}\ntopics: [{', '.join(a.topics)}]\n---\n\n"
            f"{a.body}\n")


def write_digest_corpus(content: Path, articles: list[GenArticle]) -> None:
    """content/topics.yml and content/articles/*.md for our plugin."""
    (content / "articles").mkdir(parents=True, exist_ok=True)
    lines = ["topics:"]
    for tid, title, desc in TOPICS:
        lines += [f"  - id: {tid}", f"    title: {title}", f"    description: {desc}"]
    (content / "topics.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for a in articles:
        (content / "articles" / f"{a.stem}.md").write_text(digest_markdown(a), encoding="utf-8")


def write_pelican_corpus(content: Path, articles: list[GenArticle]) -> None:
    """The same articles in Pelican's Markdown metadata format."""
    titles = {tid: title for tid, title, _ in TOPICS}
    content.mkdir(parents=True, exist_ok=True)
    for a in articles:
        meta = (f"Title: {a.title}\nDate: {a.published:%Y-%m-%d %H:%M}\n"
                f"Category: {titles[a.topics[0]]}\nTags: {', '.join(titles[t] for t in a.topics)}\n"
                f"Author: {a.author}\nSlug: {a.stem}\n")
        (content / f"{a.stem}.md").write_text(f"{meta}\n{a.body}\n", encoding="utf-8")
