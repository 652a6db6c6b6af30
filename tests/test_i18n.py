"""Our strings in the theme's language: the catalogues, and real builds in de, fr, es and a
language we do not ship."""

from __future__ import annotations

import html
import json
import logging
import re
import string
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import Project, article

from digest.pages import messages
from digest.pages.messages import LOCALES_DIR, base_language, load, shipped

LANGUAGES = ("en", "de", "fr", "es")
REPO = Path(__file__).resolve().parent.parent

TOPICS = """\
topics:
  - id: haushalt
    title: Haushaltsstreit
    description: Streit um den Landeshaushalt.
  - id: hochwasser
    title: Hochwasser an der Oder
    description: Pegelstände und Evakuierungen.
  - id: verkehr
    title: Verkehrswende
    description: Neue Radwege und Busspuren.
"""

# German text throughout, but for the two figure sentences: the figure detector reads English.
ARTICLES = {
    "flut-1.md": article(
        "Pegel steigt in Frankfurt", "2020-01-26T08:15:00+01:00", "Tagesblatt", "[hochwasser]",
        "Der Pegel der Oder stieg am Sonntag auf sechs Meter. Die Feuerwehr baute Sandsäcke auf. "
        "At least 12 people were killed in the floods on Sunday. Anwohner wurden gewarnt.",
        "author: Anna Schmidt\nupdated: 2020-01-28\nurl: https://tagesblatt.example/flut\n"
        "corrections:\n  - {date: 2020-01-27, text: Der Pegel lag bei sechs Metern.}\n"
        "  - {date: 2020-01-28, text: Die Feuerwehr kam aus Slubice.}\n"),
    "flut-2.md": article(
        "Evakuierung an der Oder", "2020-01-26T18:40:00+01:00", "Rundschau", "[hochwasser]",
        "Die Stadt evakuierte drei Dörfer an der Oder. Der Pegel stieg weiter. "
        "Eight people were killed in the floods on Sunday. Die Feuerwehr baute weitere Sandsäcke auf.",
        "summary: Die Stadt räumte drei Dörfer, der Pegel stieg weiter.\n"),
    "flut-3.md": article(
        "Evakuierung an der Oder", "2020-01-27", "Kurier", "[hochwasser]",
        "Die Stadt evakuierte drei Dörfer an der Oder. Der Pegel stieg weiter. "
        "Eight people were killed in the floods on Sunday. Die Feuerwehr baute weitere Sandsäcke auf."),
    "flut-4.md": article(
        "Pegel sinkt wieder", "2020-02-03", "Tagesblatt", "[hochwasser]",
        "Der Pegel der Oder sank am Montag deutlich. Die Dörfer wurden wieder freigegeben. "
        "Die Feuerwehr räumte die Sandsäcke ab."),
    "haushalt-1.md": article(
        "Landtag streitet über Schulden", "2020-02-10", "Rundschau", "[haushalt]",
        "Der Landtag stritt am Montag über neue Schulden. Die Opposition lehnte den Entwurf ab. "
        "Der Finanzminister verteidigte die Pläne."),
    "haushalt-2.md": article(
        "Haushalt vertagt", "2020-02-12", "Tagesblatt", "[haushalt]",
        "Der Landtag vertagte die Abstimmung über den Haushalt. Die Opposition begrüßte die Pause. "
        "Der Finanzminister kündigte einen neuen Entwurf an."),
}


def _project(root: Path, language: str | None) -> Project:
    project = Project(root)
    (project.content / "topics.yml").write_text(TOPICS + "  - id: leer\n    title: Leeres Thema\n",
                                                encoding="utf-8")
    theme = f"  language: {language}\n" if language else ""
    (root / "mkdocs.yml").write_text(
        "site_name: Nachrichtenschau\nsite_url: https://example.org/\ndocs_dir: content\nsite_dir: site\n"
        f"theme:\n  name: material\n{theme}plugins:\n  - digest:\n      topic_page_articles: 2\n"
        "markdown_extensions:\n  - admonition\n  - attr_list\n  - md_in_html\n", encoding="utf-8")
    for name, text in ARTICLES.items():
        project.add(name, text)
    return project


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Project]:
    """The same German content built in each shipped language."""
    built = {}
    for language in LANGUAGES:
        project = _project(tmp_path_factory.mktemp(f"site-{language}"), language)
        project.build()
        built[language] = project
    return built


PAGES = ("", "topics", "topics/hochwasser", "topics/leer", "articles/flut-1", "articles/flut-2",
         "articles/flut-3", "archive", "archive/2020-01", "sources", "sources/tagesblatt")


def _ours(page: str) -> str:
    """The parts of a page that newsdigest writes: the main content, <title>, description and
    the primary nav, as plain text."""
    main = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', page, re.S)
    nav = re.search(r'<div class="md-sidebar md-sidebar--primary".*?<div class="md-sidebar md-sidebar--secondary"',
                    page, re.S)
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    description = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert main and nav and title
    parts = [main.group(1), nav.group(0), title.group(1), description.group(1) if description else ""]
    text = re.sub(r"<[^>]+>", " ", " ".join(parts))
    return " ".join(html.unescape(text).split())


def _pieces(value: object) -> list[str]:
    """The literal words of a message (placeholders cut out), each of a plural's forms."""
    forms = value.values() if isinstance(value, dict) else [value]
    out = []
    for form in forms:
        for literal, *_ in string.Formatter().parse(str(form)):
            piece = literal.strip(" ,.:;()·\u202f")
            if re.search(r"[A-Za-z]{2}", piece):
                out.append(piece)
    return out


def test_catalogues_have_the_same_keys_plural_forms_and_placeholders() -> None:
    assert shipped() == ("de", "en", "es", "fr")
    english = yaml.safe_load((LOCALES_DIR / "en.yml").read_text(encoding="utf-8"))

    def fields(value: object) -> set[str]:
        forms = value.values() if isinstance(value, dict) else [value]
        return {f for form in forms for _, f, _, _ in string.Formatter().parse(str(form)) if f}

    for language in LANGUAGES:
        data = yaml.safe_load((LOCALES_DIR / f"{language}.yml").read_text(encoding="utf-8"))
        assert sorted(data) == sorted(english), language
        for key, value in english.items():
            assert isinstance(data[key], dict) == isinstance(value, dict), (language, key)
            if isinstance(value, dict):
                assert {"one", "other"} <= set(data[key]), (language, key)
            assert fields(data[key]) == fields(value), (language, key)


def test_every_message_the_code_asks_for_exists() -> None:
    used: set[str] = set()
    for path in [*(REPO / "site_templates" / "pages").glob("*.j2"), *(REPO / "digest").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\b_\(["']([a-z_]+)["']""", text))
        used |= set(re.findall(r"""\.(?:t|n|template)\(["']([a-z_]+)["']""", text))
        for stem in re.findall(r"""\.(?:t|n)\(f["']([a-z_]+)_\{unit\}["']""", text):
            used |= {f"{stem}_{unit}" for unit in ("day", "week", "month")}
    used.discard("key")     # the docstrings' example
    assert len(used) > 60
    for language in LANGUAGES:
        assert used <= set(load(language).strings), (language, sorted(used - set(load(language).strings)))


def test_regional_variants_use_their_base_and_others_fall_back_to_english() -> None:
    assert [base_language(x) for x in ("de-CH", "pt_BR", "FR", "", None, "es-419")] == \
        ["de", "pt", "fr", "en", "en", "es"]
    assert load("de-CH").language == "de" and load("de-CH").warning is None
    assert load("es-419").date(date(2020, 1, 26)) == "26 de enero de 2020"
    fallback = load("xx")
    assert fallback.language == "en"
    assert fallback.warning == (
        "digest: theme.language 'xx' has no newsdigest translation, so our own labels, headings and "
        "dates are in English (shipped: de, en, es, fr). Fix: set theme.language to one of them, or add "
        "digest/pages/locales/xx.yml (README, \"Languages\").")
    assert "digest/pages/locales/pt.yml" in (load("pt_BR").warning or "")
    assert load(None).warning is None and load("en").warning is None


def test_counts_follow_each_languages_plural_rules() -> None:
    assert [load("en").n("articles_count", k) for k in (0, 1, 2, 12345)] == \
        ["0 articles", "1 article", "2 articles", "12,345 articles"]
    # French counts 0 as singular; a million takes "de".
    assert [load("fr").n("articles_count", k) for k in (0, 1, 2, 1000000)] == \
        ["0 article", "1 article", "2 articles", "1\u202f000\u202f000 d’articles"]
    assert [load("de").n("sources_count", k) for k in (1, 3)] == ["1 Quelle", "3 Quellen"]
    assert load("es").n("articles_count", 1) == "1 artículo"


def test_search_strings_for_the_search_box() -> None:
    de = load("de").search_strings()
    assert set(de) == {"label", "placeholder", "no_results", "results_one", "results_other", "needs_http",
                       "loading", "filter_topic", "filter_source", "all", "untitled", "topic", "also_reported"}
    assert de["results_other"] == "{n} Ergebnisse" and de["placeholder"] == "Suchen"
    assert de["no_results"] == "Keine Ergebnisse für „{query}“"     # the script fills {query} in
    assert load("en").search_strings()["needs_http"] == "Search needs the site served over HTTP"


def test_a_german_site_has_no_english_string_of_ours(sites: dict[str, Project]) -> None:
    de_strings = load("de").strings
    german = {p for v in de_strings.values() for p in _pieces(v)}
    english = {p for key, value in load("en").strings.items() if key != "locale" and value != de_strings[key]
               for p in _pieces(value)} - german
    assert len(english) > 80
    # Article text that happens to be English (the figure sentences) is not ours.
    article_words = " ".join(ARTICLES.values())
    checked = {p for p in english if not re.search(rf"(?<!\w){re.escape(p)}(?!\w)", article_words)}
    assert len(checked) >= len(english) - 5, sorted(english - checked)
    site = sites["de"]
    for page in PAGES:
        text = _ours(site.html(page))
        found = [p for p in checked if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
        assert not found, (page, found)
    # ...and the English site does show them: the check would catch a string left untranslated.
    en = " ".join(_ours(sites["en"].html(page)) for page in PAGES)
    shown = [p for p in checked if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", en)]
    assert len(shown) >= 60, len(shown)


def test_german_pages_read_german(sites: dict[str, Project]) -> None:
    site = sites["de"]
    topic = site.html("topics/hochwasser")
    for heading in ("Was bisher geschah", "Wo sich die Berichte unterscheiden", "Berichterstattung",
                    "Chronik"):
        assert re.search(rf"<h2 id=\"[^\"]+\">{heading}", topic), heading
    assert "<strong>Todesopfer</strong>" in topic
    assert "3 Artikel, vom 26. Januar 2020 bis zum 3. Februar 2020" in topic
    assert "Chronik" in topic and "nd-timeline" in topic     # (its "latest N of M" note: test_story_pages)
    assert "Artikel pro Tag" in topic and "Berichterstattung nach Quelle" in topic
    assert "Diesem Thema folgen" in topic
    first = site.html("articles/flut-1")
    assert '<time datetime="2020-01-26T08:15:00+01:00">26. Januar 2020, 08:15 Uhr UTC+01:00</time>' in first
    assert "von Anna Schmidt" in first and "aktualisiert am" in first and "Originalartikel" in first
    assert "Korrekturen" in first and "Themen:" in first and "Zusammenfassung" in first
    assert "Ähnliche Artikel" in first
    assert "Zusammenfassung der Redaktion" in site.html("articles/flut-2")
    assert "Auch gemeldet von" in site.html("articles/flut-2")
    assert "Zuerst veröffentlicht von Rundschau" in site.html("articles/flut-3")
    assert "Zu diesem Thema gibt es noch keine Artikel." in site.html("topics/leer")
    archive = site.html("archive")
    assert ">Januar 2020</a>" in archive and ">Februar 2020</a>" in archive
    month = site.html("archive/2020-01")
    assert "<title>Januar 2020 - Nachrichtenschau</title>" in month
    assert '<time datetime="2020-01-26">26. Januar 2020</time>' in month
    assert 'content="Im Januar 2020 veröffentlichte Artikel."' in month
    home = site.html("")
    assert "Aktuelle Nachrichten, nach Themen zusammengefasst" in home and "Allen Themen folgen" in home
    assert "<title>Nachrichtenschau</title>" in home or "Startseite" in home
    nav = re.search(r'<div class="md-sidebar md-sidebar--primary".*?<div class="md-sidebar md-sidebar--secondary"',
                    home, re.S)
    assert nav and all(w in nav.group(0) for w in ("Startseite", "Themen", "Archiv", "Quellen"))
    assert "3 Artikel" in site.html("sources/tagesblatt")
    # The feeds and the search box's strings too.
    feed = (site.site / "feed.xml").read_text(encoding="utf-8")
    assert "Quelle: " in html.unescape(feed) and "Originalartikel" in html.unescape(feed)
    topic_feed = json.loads((site.site / "topics" / "leer" / "feed.json").read_text(encoding="utf-8"))
    assert topic_feed["description"] == "Das Neueste zu Leeres Thema."


def test_french_and_spanish_sites(sites: dict[str, Project]) -> None:
    fr, es = sites["fr"], sites["es"]
    topic = fr.html("topics/hochwasser")
    assert "L’essentiel jusqu’ici" in topic and "Chronologie" in topic and "<strong>Morts</strong>" in topic
    assert "3 articles, du 26 janvier 2020 au 3 février 2020" in topic
    assert ">Janvier 2020</a>" in fr.html("archive")
    assert 'content="Articles publiés en janvier 2020."' in fr.html("archive/2020-01")
    assert "26 janvier 2020 à 08:15 UTC+01:00" in fr.html("articles/flut-1")
    assert "Rectificatifs" in fr.html("articles/flut-1")
    topic = es.html("topics/hochwasser")
    assert "Lo ocurrido hasta ahora" in topic and "Cronología" in topic
    assert "3 artículos, del 26 de enero de 2020 al 3 de febrero de 2020" in topic
    assert ">Enero de 2020</a>" in es.html("archive")
    assert "por Anna Schmidt" in es.html("articles/flut-1")
    assert "Fuentes" in es.html("sources")


def test_english_stays_as_it_was(sites: dict[str, Project]) -> None:
    topic = sites["en"].html("topics/hochwasser")
    assert "3 articles, 26 January 2020 to 3 February 2020" in topic
    assert '<h2 id="the-story-so-far">The story so far</h2>' in topic
    assert '<h2 id="timeline">Timeline</h2>' in topic
    assert "26 January 2020, 08:15 UTC+01:00" in sites["en"].html("articles/flut-1")


def test_a_language_without_catalogue_builds_in_english_with_one_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = _project(tmp_path, "it")       # Material speaks Italian; we do not
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.digest"):
        project.build()
    warnings = [r.getMessage() for r in caplog.records if "has no newsdigest translation" in r.getMessage()]
    assert warnings == [load("it").warning]
    assert "theme.language 'it'" in warnings[0] and "shipped: de, en, es, fr" in warnings[0]
    topic = project.html("topics/hochwasser")
    assert "The story so far" in topic and "26 January 2020" in topic


def test_messages_is_packaged_and_imports_no_mkdocs() -> None:
    source = Path(messages.__file__).read_text(encoding="utf-8")
    assert "mkdocs" not in re.sub(r'""".*?"""', "", source, flags=re.S)
    assert {p.name for p in LOCALES_DIR.glob("*.yml")} == {f"{x}.yml" for x in LANGUAGES}
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"babel>=2.12"' in pyproject and 'packages = ["digest"]' in pyproject


HOOK = '''
import json
from pathlib import Path
from mkdocs.plugins import event_priority

OUT = Path(__file__).parent / "seen.json"

@event_priority(-200)
def on_page_context(context, page, config, nav):
    if page.file.src_uri == "topics/hochwasser.md":
        OUT.write_text(json.dumps(context["digest_search_messages"]), encoding="utf-8")
    return context

@event_priority(-200)
def on_env(env, config, files):
    (OUT.parent / "env.json").write_text(json.dumps(env.globals["digest_search_messages"]), encoding="utf-8")
    return env
'''


def test_the_search_box_strings_reach_the_templates(tmp_path: Path) -> None:
    project = _project(tmp_path, "fr")
    (tmp_path / "seen.py").write_text(HOOK, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - seen.py\n", encoding="utf-8")
    project.build()
    expected = load("fr").search_strings()
    assert json.loads((tmp_path / "seen.json").read_text(encoding="utf-8")) == expected
    assert json.loads((tmp_path / "env.json").read_text(encoding="utf-8")) == expected
    assert expected["results_other"] == "{n} résultats" and expected["no_results"] == "Aucun résultat pour « {query} »"


def test_template_messages_escape_their_values_but_not_markup() -> None:
    import markupsafe

    from digest.pages.render import Renderer
    say = Renderer(language="fr").env.globals["_"]
    out = say("first_published_by", source='<script>alert("x")</script>')
    assert out == "Publié d’abord par &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    assert isinstance(out, markupsafe.Markup)
    link = markupsafe.Markup('<a href="../">Titre</a>')
    assert say("copy_note", date="1 & 2", link=link).startswith(
        "Ceci est une copie d’un article publié pour la première fois le 1 &amp; 2\u202f: <a href=\"../\">Titre</a>.")
    assert say("articles_count", 2) == "2 articles" and say("summary_editor") == "Résumé de la rédaction"
    assert Renderer().env.globals["_"]("summary_editor") == "Editor&#39;s summary"
