"""The extractive summariser on small crafted articles: which sentences, in what order."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.analysis.summarize import SummaryParams, rank_sentences, summarize
from digest.analysis.text import split_sentences
from digest.loading.prose import body_prose

REPO = Path(__file__).resolve().parent.parent
TITLE = "Central bank raises interest rates"
SENTENCES = [
    "The central bank raised interest rates to 5% on Tuesday, its first rise in a decade.",
    "The central bank raised interest rates to 5% on Tuesday, the first rise in ten years, "
    "officials said.",
    "Yes.",
    "Mortgage lenders said the interest rate rise would push up monthly repayments for "
    "millions of homeowners.",
    "The football club announced a new stadium sponsor.",
    "Economists had expected the bank to hold rates until inflation data arrived next month.",
    "Shares in banks rose after the rate decision, while house builders fell.",
]


@pytest.mark.parametrize(("n", "expected"), [(1, (0,)), (2, (0, 3)), (3, (0, 3, 5)),
                                             (4, (0, 3, 5, 6))])
def test_chooses_central_distinct_sentences_in_document_order(n: int, expected: tuple) -> None:
    assert summarize(SENTENCES, n, TITLE) == expected


def test_near_repeat_is_skipped_only_by_the_redundancy_control() -> None:
    scores, sim = rank_sentences(SENTENCES, TITLE)
    assert sim[0, 1] > SummaryParams().redundancy          # 1 repeats 0 ...
    assert sorted(range(7), key=lambda i: -scores[i])[:2] == [0, 1]   # ... and ranks second
    assert 1 not in summarize(SENTENCES, 3, TITLE)
    assert summarize(SENTENCES, 3, TITLE, SummaryParams(redundancy=1.01)) == (0, 1, 3)


def test_short_and_off_topic_sentences_come_last() -> None:
    scores, _ = rank_sentences(SENTENCES, TITLE)
    assert sorted(range(7), key=lambda i: -scores[i])[-2:] == [4, 2]


def test_length_budget_edges() -> None:
    assert summarize(SENTENCES, 0, TITLE) == ()
    assert summarize([], 3, TITLE) == ()
    assert summarize(SENTENCES, 20, TITLE) == tuple(range(7))   # fills up past redundancy
    assert summarize(["Only one sentence here."], 3) == (0,)


def test_lede_wins_a_tie() -> None:
    same = ["Rockets hit the embassy compound late on Sunday.",
            "Rockets hit the embassy compound late on Sunday."]
    assert summarize(same, 1) == (0,)


@pytest.mark.parametrize("path", sorted((REPO / "content" / "articles").glob("*.md")),
                         ids=lambda p: p.stem[:40])
def test_demo_articles_get_verbatim_distinct_summaries(path: Path) -> None:
    import frontmatter

    post = frontmatter.load(path)
    sentences = split_sentences(body_prose(post.content))
    chosen = summarize(sentences, 3, str(post["title"]))
    assert len(chosen) == min(3, len(sentences))
    assert list(chosen) == sorted(set(chosen))
    assert all(sentences[i] in body_prose(post.content) for i in chosen)
