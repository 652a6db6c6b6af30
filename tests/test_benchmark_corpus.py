"""The benchmark's article generator (deterministic, valid for our loader) and its Hugo project."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from digest.loading.loader import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus
import hugo_site


def test_generated_articles_load_without_problems(tmp_path: Path) -> None:
    articles = list(corpus.generate(20))
    corpus.write_digest_corpus(tmp_path / "content", articles)
    loaded = load_corpus(tmp_path / "content")
    assert len(loaded.articles) == 20
    assert loaded.warnings == ()
    assert {t.id for t in loaded.topics} == {tid for tid, _, _ in corpus.TOPICS}
    assert all(300 <= len(a.body.split()) <= 1100 for a in articles)


def test_generator_is_deterministic_and_extensible() -> None:
    assert list(corpus.generate(5)) == list(corpus.generate(5))
    assert list(corpus.generate(6))[5] == next(corpus.generate(1, offset=5))


def test_pelican_corpus_has_its_metadata(tmp_path: Path) -> None:
    corpus.write_pelican_corpus(tmp_path, list(corpus.generate(3)))
    text = sorted(tmp_path.glob("*.md"))[0].read_text(encoding="utf-8")
    assert text.startswith("Title: ") and "\nCategory: " in text and "\nTags: " in text


def _hugo_front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_hugo_project_has_config_layouts_and_front_matter(tmp_path: Path) -> None:
    articles = list(corpus.generate(20))
    hugo_site.write_hugo_project(tmp_path, articles)
    config = tomllib.loads((tmp_path / "config.toml").read_text(encoding="utf-8"))
    assert config["taxonomies"] == {"topic": "topics", "source": "sources"}
    assert [i["name"] for i in config["related"]["indices"]] == ["topics", "sources"]
    assert all("RSS" in config["outputs"][kind] for kind in ("home", "section", "taxonomy", "term"))
    layouts = {p.relative_to(tmp_path / "layouts").as_posix() for p in (tmp_path / "layouts").rglob("*.html")}
    assert layouts == {f"_default/{n}.html" for n in ("baseof", "single", "list", "taxonomy", "term")}
    assert ".Site.RegularPages.Related ." in (tmp_path / "layouts/_default/single.html").read_text(encoding="utf-8")
    for a in articles:
        meta = _hugo_front_matter(tmp_path / "content" / "articles" / f"{a.stem}.md")
        assert meta["title"] == a.title and meta["author"] == a.author
        assert datetime.fromisoformat(str(meta["date"])) == a.published
        assert meta["topics"] == list(a.topics) and meta["sources"] == [a.source]
        assert meta["source_url"] == a.url and "url" not in meta   # Hugo reserves `url`
        assert (tmp_path / "content" / "articles" / f"{a.stem}.md").read_text(encoding="utf-8").endswith(f"\n{a.body}\n")
    for tid, title, desc in corpus.TOPICS:
        term = tmp_path / "content" / "topics" / tid / "_index.md"
        assert _hugo_front_matter(term) == {"title": title}
        assert term.read_text(encoding="utf-8").rstrip().endswith(desc)


@pytest.mark.skipif(shutil.which("hugo") is None, reason="Debian's hugo package is not installed")
def test_hugo_builds_term_pages_related_content_and_feeds(tmp_path: Path) -> None:
    articles = list(corpus.generate(20))
    hugo_site.write_hugo_project(tmp_path, articles)
    subprocess.run(hugo_site.build_command("hugo", tmp_path), check=True, capture_output=True)
    public = tmp_path / "public"
    by_stem = {a.stem: a for a in articles}
    used = {t for a in articles for t in a.topics}
    titles = {tid: title for tid, title, _ in corpus.TOPICS}
    for tid in used:
        page = (public / "topics" / tid / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{titles[tid]}</h1>" in page
        items = ET.parse(public / "topics" / tid / "index.xml").getroot().findall("./channel/item")
        assert sorted(i.findtext("title") or "" for i in items) == sorted(
            a.title for a in articles if tid in a.topics)
    for feed in ("index.xml", "articles/index.xml", "topics/index.xml", "sources/index.xml"):
        assert ET.parse(public / feed).getroot().tag == "rss"
    assert len(ET.parse(public / "articles/index.xml").getroot().findall("./channel/item")) == 20
    for source in {a.source for a in articles}:
        slug = re.sub(r"[^a-z0-9]+", "-", source.lower()).strip("-")
        assert (public / "sources" / slug / "index.xml").is_file()
    for a in articles:
        page = (public / "articles" / a.stem / "index.html").read_text(encoding="utf-8")
        assert html.unescape(re.findall(r"<h1>(.*?)</h1>", page)[0]) == a.title
        aside = page.split('<aside class="related">', 1)
        linked = re.findall(r'href="/articles/([^/"]+)/"', aside[1]) if len(aside) == 2 else []
        # Related by topic (every article sharing one, here at most 5); a shared outlet
        # alone stays under the threshold but ranks a same-outlet article first.
        sharing = [b for b in articles if b is not a and set(b.topics) & set(a.topics)]
        assert len(sharing) <= 5 and set(linked) == {b.stem for b in sharing}
        if any(b.source == a.source for b in sharing):
            assert by_stem[linked[0]].source == a.source
    assert sum('<aside class="related">' in p.read_text(encoding="utf-8")
               for p in (public / "articles").glob("*/index.html")) >= 10


def test_cross_steps_times_each_step_at_both_sizes(tmp_path: Path) -> None:
    """benchmarks/cross_steps.py reports every step's time at N and k x N and its growth."""
    import json

    import cross_steps

    out = tmp_path / "steps.json"
    assert cross_steps.main(["--articles", "40", "--factor", "2", "--workdir", str(tmp_path / "w"),
                             "--json", str(out)]) == 0
    found = json.loads(out.read_text(encoding="utf-8"))
    assert (found["n"], found["kn"]) == (40, 80)
    assert set(found["steps"]) == {name for _, name in cross_steps.STEPS}
    assert all(0 <= t for step in found["steps"].values() for t in step["s"])
    for name in ("cluster", "render", "article_pages"):    # the slower steps, timed at both sizes
        small, large = found["steps"][name]["s"]
        assert 0 < small and 0 < large, name
        assert found["steps"][name]["growth"] > 0
