"""Article pages laid out again by a live preview (digest/pages/articlepages.py's KeptPages)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from conftest import REPO

from digest.analysis.analyse import AnalysisOptions, analyse_all, build_digest
from digest.analysis.memo import Memo
from digest.loading.loader import load_corpus
from digest.pages.render import Renderer


_ANALYSES: dict[tuple[str, str, str], object] = {}


def _kept_analyses(items):
    """As a live preview's analyser: an unchanged article keeps its very analysis object."""
    items = list(items)
    fresh = [a for a in items if (a.slug, a.title, a.body) not in _ANALYSES]
    for a, found in zip(fresh, analyse_all(fresh, AnalysisOptions().summary_sentences).values()):
        _ANALYSES[(a.slug, a.title, a.body)] = found
    return {a.slug: _ANALYSES[(a.slug, a.title, a.body)] for a in items}


def _layout(articles, memo: Memo | None, renderer: Renderer, corpus) -> tuple[dict, dict]:
    """Every page's text and its slots (a related list is one), as a live preview lays them out."""
    digest = build_digest(corpus.topics, articles, AnalysisOptions(), analyser=_kept_analyses, memo=memo)
    made = renderer.render(digest)
    if memo is not None:
        memo.done()
    return made.pages, made.slots


def test_unchanged_article_pages_are_taken_again_and_a_changed_related_title_is_not() -> None:
    corpus = load_corpus(REPO / "content", now=datetime(2030, 1, 1, tzinfo=UTC))
    memo = Memo()
    renderer = Renderer(memo=memo, nonce="fixed")
    rendered: list[str] = []
    real = renderer._page

    def counted(template: str, uri: str, *args, **kwargs) -> str:
        if template == "article.md.j2":
            rendered.append(uri)
        return real(template, uri, *args, **kwargs)

    renderer._page = counted        # type: ignore[method-assign]
    first = _layout(corpus.articles, memo, renderer, corpus)
    assert len(rendered) == len(corpus.articles)
    assert first == _layout(corpus.articles, None, Renderer(nonce="fixed"), corpus)
    rendered.clear()
    again = _layout(corpus.articles, memo, renderer, corpus)
    assert again == first and rendered == []      # every article page taken as it was
    # Retitle an article another page lists as related (keeping the words, so that it stays
    # related): that page is laid out again, with the new title in its related list.
    digest = build_digest(corpus.topics, corpus.articles, AnalysisOptions())
    listing, target = next((slug, linked[0]) for slug, linked in digest.related.items() if linked)
    articles = tuple(replace(a, title=a.title.upper()) if a.slug == target else a for a in corpus.articles)
    new_title = next(a.title for a in articles if a.slug == target)
    rendered.clear()
    changed = _layout(articles, memo, renderer, corpus)
    assert f"articles/{listing}.md" in rendered and f"articles/{target}.md" in rendered
    assert any(new_title in slot for slot in changed[1][f"articles/{listing}.md"])
    assert changed == _layout(articles, None, Renderer(nonce="fixed"), corpus)
    assert len(rendered) < len(corpus.articles)   # the pages that neither list it nor are it are kept
