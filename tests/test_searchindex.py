"""Article entries in the search index: written by us, once per article, escaped, and
full text only for recent articles (search_full_text_days)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Project, article

from digest.searchindex import add_to_index


def _docs(project: Project) -> list[dict[str, str]]:
    return json.loads((project.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_old_articles_are_indexed_by_title_and_summary_only(project: Project) -> None:
    body = "Rockets hit the embassy compound. A kitchen worker saw the smoke rise."
    project.add("old.md", article(title="Old story", date="2019-10-01", body=body,
                                  extra="summary: Rockets hit the embassy.\nauthor: Ann Lee"))
    project.add("new.md", article(title="New <b>story</b>", date="2020-01-27", body=body))
    project.build()
    docs = {d["location"]: d for d in _docs(project) if d["location"].startswith("articles/")}
    assert sorted(docs) == ["articles/new/", "articles/old/"]        # one entry each, no sections
    old, new = docs["articles/old/"], docs["articles/new/"]
    assert old["title"] == "Old story"
    assert "<p>Rockets hit the embassy.</p>" in old["text"] and "kitchen worker" not in old["text"]
    assert "<p>Desk · 1 October 2019 · by Ann Lee</p>" in old["text"]
    assert "<p>Topics: Iraq protests</p>" in old["text"]
    assert "kitchen worker" in new["text"]
    assert new["title"] == "New &lt;b&gt;story&lt;/b&gt;"               # the theme shows titles as HTML


def test_zero_days_indexes_every_article_in_full(project: Project) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - digest\n", "  - digest:\n      search_full_text_days: 0\n"))
    project.add("old.md", article(title="Old", date="2015-01-01",
                                  body="Rockets hit the base. A kitchen worker saw it.",
                                  extra="summary: Rockets hit."))
    project.add("new.md", article(title="New", date="2020-01-27", body="Police watched. Crowds marched."))
    project.build()
    old = next(d for d in _docs(project) if d["location"] == "articles/old/")
    assert "kitchen worker" in old["text"]


def test_no_index_without_the_search_plugin(project: Project) -> None:
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - search\n", ""))
    project.add("one.md", article())
    project.build()
    assert not (project.site / "search").exists()
    assert add_to_index(project.site / "search" / "search_index.json", [{"location": "x"}]) is False
    assert not (project.site / "search").exists()
