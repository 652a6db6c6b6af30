"""The benchmark's article generator: deterministic, and valid for our loader."""

from __future__ import annotations

import sys
from pathlib import Path

from digest.loading.loader import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus


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
