"""Reading across sources on the built demo site, and the detectors' labelled evaluation."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from conftest import REPO, Project, article

sys.path.insert(0, str(REPO / "benchmarks"))
import cross_source_eval

AFP = "2020-01-27-afp-one-wounded-embassy-rocket-strike"
REUTERS = "2020-01-27-reuters-at-least-three-wounded-embassy-attack"
PM = "2020-01-27-iraqi-pm-condemns-embassy-attack"
WIRE = "2020-01-27-wire-iraqi-pm-denounces-embassy-attack"

FIGURE = re.compile(r'<li class="nd-figure"><span class="nd-figure-value">(.*?)</span> '
                    r'<span class="nd-figure-source">\((.*?)\)</span> · <time datetime="[^"]+">(.*?)</time> · '
                    r'<a class="nd-figure-link" href="([^"]+)"')


def panel(page: str) -> str:
    start = page.index('<h2 id="where-reports-differ">')
    return page[start:page.index("</div>", start)]


def anchors(page: str) -> list[tuple[str, str]]:
    """(href, text) of every link, text unescaped (other plugins may add attributes)."""
    return [(href, html.unescape(text)) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', page)]


def article_links(page: str) -> list[str]:
    return re.findall(r'<a class="nd-item-title" href="\.\./\.\./articles/([^/"]+)/"', page)


@pytest.mark.parametrize("topic", ["iraq-protests", "us-troop-presence"])
def test_topic_page_shows_where_the_wounded_counts_differ(demo_site: Path, topic: str) -> None:
    page = (demo_site / "topics" / topic / "index.html").read_text(encoding="utf-8")
    found = panel(page)
    assert "<strong>People wounded</strong>" in found
    rows = [(html.unescape(v), html.unescape(s), d, unquote(href)) for v, s, d, href in FIGURE.findall(found)]
    assert [(v, s, d) for v, s, d, _ in rows] == [("one", "AFP", "27 January 2020"),
                                                 ("at least three", "Reuters", "27 January 2020")]
    (one_href, three_href) = (href for *_, href in rows)
    assert one_href.startswith(f"../../articles/{AFP}/#:~:text=AFP reported that one person")
    assert three_href.startswith(f"../../articles/{REUTERS}/#:~:text=Reuters reported that at least")
    for href, slug in ((one_href, AFP), (three_href, REUTERS)):
        target = urljoin(f"/topics/{topic}/", href.split("#")[0])
        assert target == f"/articles/{slug}/" and (demo_site / target.strip("/") / "index.html").is_file()
    # Figures that agree (five rockets fired, in four articles) are not shown as a conflict.
    assert "rockets" not in found.lower()


def test_a_syndicated_copy_is_listed_once_with_also_reported_by(demo_site: Path) -> None:
    for page_path in ("topics/iraq-protests", "topics/us-troop-presence", "", "archive/2020-01"):
        page = (demo_site / page_path / "index.html").read_text(encoding="utf-8")
        assert WIRE not in page, page_path
        assert "Also reported by 1 other: Newsdigest Wire" in page, page_path
    listed = article_links((demo_site / "topics" / "iraq-protests" / "index.html").read_text(encoding="utf-8"))
    assert PM in listed and len(listed) == len(set(listed))
    original = (demo_site / "articles" / PM / "index.html").read_text(encoding="utf-8")
    box = original[original.index('id="also-reported-by"'):]
    assert (f"../../articles/{WIRE}/", "Iraq's prime minister denounces rocket attack on US embassy") in anchors(box)
    copy = (demo_site / "articles" / WIRE / "index.html").read_text(encoding="utf-8")
    assert "First published by Newsdigest Desk" in copy
    assert (f"../../articles/{PM}/", "Iraqi prime minister condemns attack on US embassy") in anchors(copy)
    source = (demo_site / "sources" / "newsdigest-wire" / "index.html").read_text(encoding="utf-8")
    assert f"../../articles/{WIRE}/" in source and "Re-run of" in source


def test_article_pages_list_related_coverage_by_similarity(demo_site: Path) -> None:
    page = (demo_site / "articles" / "2020-01-26-shia-cleric-withdraws-protest-support" / "index.html").read_text()
    related = article_links(page[page.index('id="related-articles"'):])
    assert related[0] == "2020-01-27-iraq-crackdown-deaths-rise"
    assert "2020-01-27-parliament-vote-foreign-troops-questions" in related   # shares no topic
    assert WIRE not in related


def test_options_reach_the_build_and_are_validated(project: Project) -> None:
    body = "Police said 40 protesters were arrested on Saturday. Officials confirmed the arrests."
    project.add("a.md", article(title="Arrests", date="2020-05-03", source="Desk", body=body))
    project.add("b.md", article(title="Arrests", date="2020-05-04", source="Wire", body=body))
    project.build()
    assert "Also reported by 1 other: Wire" in project.html("topics/iraq-protests")
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      duplicate_threshold: 1.5\n"))
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        load_config(str(cfg))


def test_detectors_stay_above_their_floor_on_the_labelled_sets() -> None:
    """Floors: duplicates precision 0.95 and recall 0.90; figures the panel compares precision
    0.95 and recall 0.60.

    The figure floors were 0.85 and 0.80 when every counted noun was compared. The panel now
    compares only counts of what an event did, and keeps parts of a toll apart: of the 35
    labelled-together pairs, 9 are bare counts of a noun (workers, homes, bus routes, a
    crowd) that it never sets side by side, by design, 2 a part against a whole ("nine
    officers" and "14 people" hurt) and 2 figures with no counted noun ("the toll rose to
    31"). Precision is what a reader sees, so its floor went up."""
    duplicates = cross_source_eval.evaluate_duplicates()
    figures = cross_source_eval.evaluate_figures()
    assert duplicates.pairs >= 40 and figures.pairs >= 40
    assert duplicates.precision >= 0.95 and duplicates.recall >= 0.90, duplicates.line("duplicates")
    assert figures.precision >= 0.95 and figures.recall >= 0.60, figures.line("figures")


def _shared(name: str) -> Path | None:
    """A file of the shared evaluation data (../shared/data/...), if this machine has it."""
    return next((p / "shared" / "data" / name for p in REPO.parents if (p / "shared" / "data" / name).is_file()), None)


@pytest.mark.skipif(_shared("multi-news/validation.csv") is None, reason="no shared Multi-News data here")
def test_where_reports_differ_on_real_clusters_is_labelled_and_trustworthy() -> None:
    """Every entry shown on the Multi-News dev clusters is labelled by hand, and at least 90% are real."""
    _, articles, found = cross_source_eval.multinews_conflicts(str(_shared("multi-news/validation.csv")))
    shown, real, unlabelled = cross_source_eval.label_entries(found)
    assert articles == 690 and not unlabelled, unlabelled
    assert shown and real / shown >= 0.9, (shown, real)


@pytest.mark.skipif(_shared("bbc-news-summary/dev.csv") is None, reason="no shared BBC data here")
def test_one_outlet_never_differs_from_itself() -> None:
    """The BBC dev set is one outlet: a digest of it, as a build computes it, shows no entry."""
    articles, topics, shown = cross_source_eval.bbc_conflicts(str(_shared("bbc-news-summary/dev.csv")))
    assert (articles, topics) == (445, 5) and shown == []


FLOODS = [  # three outlets' own words about one flood (no copies), over five days
    ("a.md", "2025-03-01", "AP", "Floods in the Kestrel valley killed 14 people, officials said. Rescue teams "
     "searched the valley villages for survivors after the Kestrel river burst its banks."),
    ("b.md", "2025-03-03", "AFP", "The Kestrel valley floods have killed 14 people. Villages along the Kestrel "
     "river remain under water and survivors are sheltering in schools in the valley."),
    ("c.md", "2025-03-06", "Reuters", "Officials now say 19 people died in the Kestrel valley floods. Water is "
     "receding from the villages of the valley, and the Kestrel river is back within its banks."),
]


def test_figures_are_compared_within_one_event_only_and_the_window_follows_it(project: Project) -> None:
    """Three reports of one flood over five days (joined through the middle one) disagree;
    an unrelated crash the same week, from another outlet, is never set beside them."""
    for name, date, source, body in FLOODS:
        project.add(name, article(title=f"Kestrel valley floods ({source})", date=date, source=source, body=body))
    project.add("d.md", article(title="Coach crash on the coast road", date="2025-03-02", source="BBC",
                                body="A coach crash on the coast road killed 30 people, police said. The driver "
                                     "lost control on a bend in the fog. The road was closed overnight."))
    project.add("e.md", article(title="Market fire", date="2025-03-02", source="Herald", topics="[us-troop-presence]",
                                body="A fire at the central market killed three people, police said. Stalls burned "
                                     "for hours before the fire was put out."))
    project.add("f.md", article(title="Depot blaze", date="2025-03-03", source="Gazette", topics="[us-troop-presence]",
                                body="A blaze at a fuel depot killed nine people, police said. Firefighters "
                                     "worked through the night at the depot."))
    project.build()
    found = panel(project.html("topics/iraq-protests"))
    rows = [(html.unescape(v), s) for v, s, _, _ in FIGURE.findall(found)]
    assert rows == [("14", "AP"), ("14", "AFP"), ("19", "Reuters")]
    assert "30" not in found and "coach" not in found.lower()
    # Unrelated articles from different outlets in one topic: no panel at all.
    assert 'id="where-reports-differ"' not in project.html("topics/us-troop-presence")


def test_a_report_re_run_by_many_outlets_names_three_and_counts_the_rest(project: Project) -> None:
    """Five later copies from five outlets: the card names the first three "and 2 more" (this
    used to fail the build: the message has no plural forms)."""
    body = "Police said 40 protesters were arrested on Saturday. Officials confirmed the arrests."
    project.add("a.md", article(title="Arrests", date="2020-05-03", source="Desk", body=body))
    for n, outlet in enumerate(["Wire", "Post", "Herald", "Courier", "Gazette"]):
        project.add(f"c{n}.md", article(title="Arrests", date=f"2020-05-0{4 + n}", source=outlet, body=body))
    project.build()
    page = project.html("topics/iraq-protests")
    assert "Also reported by 5 others: Wire, Post, Herald and 2 more" in page
