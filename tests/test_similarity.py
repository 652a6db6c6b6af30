"""Related coverage across topics and topic suggestions, from TF-IDF similarity."""

from __future__ import annotations

import random
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, Project, article

from digest.adapter.cli import main
from digest.analysis.analyse import AnalysisOptions, build_digest, related_articles
from digest.analysis import similarity
from digest.analysis.similarity import (
    cosine,
    count_matrix,
    df_cap,
    related,
    related_counts,
    suggest_topics,
    term_matrix,
    topic_scores,
    vectorise,
    vectorise_counts,
)
from digest.analysis.suggest import topic_suggestions
from digest.loading.loader import load_corpus
from digest.loading.topics import TopicIndex, load_topics

PROTEST = ("Protesters filled the square in Baghdad again on Monday, and police fired tear gas at the crowd. "
           "Demonstrators demanded that the government resign, and the protest movement vowed to stay.")
TROOPS = ("The coalition said its troops would remain at the air base, and the military mission against ISIS "
          "was paused. Commanders said protecting soldiers at the base is the priority for the deployment.")
BAKING = ("On Monday the village baking contest was won by a lemon sponge cake with a crisp sugar glaze. Judges praised "
          "the light crumb, and the runner-up baked a rye loaf with caraway seeds and honey.")


def test_unrelated_articles_never_appear_however_few_related_ones_there_are() -> None:
    corpus = vectorise({"protest-1": PROTEST, "protest-2": PROTEST.replace("Monday", "Tuesday"),
                        "cake": BAKING, "troops": TROOPS})
    links = related(corpus, limit=5)
    assert links["protest-1"] == ("protest-2",)
    assert links["cake"] == ()
    assert "cake" not in links["troops"] and "protest-1" not in links["protest-1"]
    assert related(corpus, limit=5, min_score=0.0)["cake"]  # only the threshold kept them out


def test_related_links_cross_topics_and_are_ranked_by_similarity() -> None:
    corpus = load_corpus(REPO / "content")
    links = related_articles(corpus.articles, limit=5)
    # Related articles need not share a topic: the cleric story (Iraq protests only) links
    # to the parliament vote story (US troop presence only).
    by_slug = {a.slug: a for a in corpus.articles}
    cleric = links["2020-01-26-shia-cleric-withdraws-protest-support"]
    assert "2020-01-27-parliament-vote-foreign-troops-questions" in cleric
    assert any(not set(by_slug[s].topics) & set(by_slug[o].topics) for s, others in links.items() for o in others)
    crackdown = links["2020-01-27-iraq-crackdown-deaths-rise"]
    assert crackdown[0] == "2020-01-26-shia-cleric-withdraws-protest-support"
    vectors = vectorise({a.slug: f"{a.title}\n{a.title}\n{a.body}" for a in corpus.articles}).vectors
    scores = [cosine(vectors["2020-01-27-reuters-at-least-three-wounded-embassy-attack"], vectors[s])
              for s in links["2020-01-27-reuters-at-least-three-wounded-embassy-attack"]]
    assert scores == sorted(scores, reverse=True)
    assert links["2020-01-27-reuters-at-least-three-wounded-embassy-attack"][0] == \
        "2020-01-27-afp-one-wounded-embassy-rocket-strike"


def test_build_digest_uses_text_similarity_and_skips_syndicated_copies() -> None:
    corpus = load_corpus(REPO / "content")
    digest = build_digest(corpus.topics, corpus.articles, AnalysisOptions())
    wire = "2020-01-27-wire-iraqi-pm-denounces-embassy-attack"
    original = "2020-01-27-iraqi-pm-condemns-embassy-attack"
    assert all(wire not in links for links in digest.related.values())
    assert digest.related[wire] == digest.related[original]
    assert [(g.original, g.copies) for g in digest.duplicates if wire in g.copies] == [(original, (wire,))]
    assert all(wire not in [a.slug for a in t.articles] for t in digest.topics)


@pytest.mark.parametrize("rows", [similarity.MATRIX_ROWS, 97])
def test_the_matrix_made_from_term_counts_a_row_at_a_time_is_the_one_from_their_vectors(
        rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """count_matrix (what a build scores related coverage with) holds, entry for entry and in
    the same dtypes, what term_matrix makes of vectorise_counts' vectors, so the lists are the same,
    whether its rows are made in one block or in many."""
    monkeypatch.setattr(similarity, "MATRIX_ROWS", rows)
    rnd = random.Random(1)
    words = [f"w{i}" for i in range(2000)]
    items = {}
    for k in range(1500):
        chosen = rnd.sample(words, rnd.randint(0, 60))
        items[f"a{k}"] = (" ".join(chosen), tuple(rnd.choice([1, 2, 3, 9, 5000, 99999]) for _ in chosen))
    corpus = vectorise_counts({k: dict(zip(t.split(" "), n)) if t else {} for k, (t, n) in items.items()})
    old, new = term_matrix(corpus.vectors.values(), {}), count_matrix(items).matrix
    assert new.shape == old.shape
    for name in ("data", "indices", "indptr"):
        assert getattr(new, name).dtype == getattr(old, name).dtype
        assert getattr(new, name).tobytes() == getattr(old, name).tobytes()
    lists = related_counts(items, 5, 0.05)
    assert lists == related(corpus, 5, 0.05) and sum(map(len, lists.values())) > 1000


def test_common_terms_left_out_as_the_matrix_is_made_give_the_same_lists() -> None:
    """A one-off build drops the entries of terms over `df_cap` while making the matrix (the
    products never read them) instead of masking them in each block: the kept entries are the
    full matrix's, bit for bit, and the related lists are those of the masked products."""
    rnd = random.Random(2)
    words, common = [f"w{i}" for i in range(3000)], [f"c{i}" for i in range(12)]
    items = {}
    for k in range(4500):
        chosen = rnd.sample(words, rnd.randint(0, 40)) + [c for c in common if rnd.random() < 0.6]
        items[f"a{k}"] = (" ".join(chosen), tuple(rnd.choice([1, 2, 3, 7]) for _ in chosen))
    cap = df_cap(len(items))
    full, cut = count_matrix(items).matrix, count_matrix(items, leave_out_over=cap).matrix
    over = np.flatnonzero(np.bincount(full.indices, minlength=full.shape[1]) > cap)
    assert len(over) == len(common) and cut.nnz < 0.8 * full.nnz
    dropped = np.isin(full.indices, over)
    assert cut.indices.tobytes() == full.indices[~dropped].tobytes()
    assert cut.data.tobytes() == full.data[~dropped].tobytes()
    corpus = vectorise_counts({k: dict(zip(t.split(" "), n)) if t else {} for k, (t, n) in items.items()})
    lists = related_counts(items, 5, 0.05)
    assert lists == related(corpus, 5, 0.05) and sum(map(len, lists.values())) > 4000


def test_related_search_stays_fast_on_a_large_corpus() -> None:
    rng = random.Random(3)
    vocab = [f"word{i}" for i in range(8000)] + ["the", "said", "government"] * 50
    texts = {f"a{n}": " ".join(rng.choices(vocab, k=200)) for n in range(2000)}
    start = time.perf_counter()
    links = related(vectorise(texts), limit=5)
    assert len(links) == 2000
    assert time.perf_counter() - start < 30


def _members(assigned: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, topics in assigned.items():
        for t in topics:
            out.setdefault(t, []).append(key)
    return out


def test_a_misfiled_article_gets_a_suggestion_and_well_filed_ones_do_not() -> None:
    texts = {"p1": PROTEST, "p2": PROTEST.replace("Monday", "Sunday"), "p3": PROTEST.replace("square", "street"),
             "t1": TROOPS, "t2": TROOPS.replace("air base", "camp"), "misfiled": PROTEST.replace("again", "once more")}
    assigned = {"p1": ("protests",), "p2": ("protests",), "p3": ("protests",),
                "t1": ("troops",), "t2": ("troops",), "misfiled": ("troops",)}
    (s,) = suggest_topics(vectorise(texts), assigned)
    assert (s.key, s.topic) == ("misfiled", "protests") and s.score > 1.5 * s.own


def test_leaving_the_article_out_of_its_own_topic_centroid() -> None:
    corpus = vectorise({"a": PROTEST, "b": TROOPS})
    members = {"x": ["a"], "y": ["b"]}
    assert [s.topic for s in topic_scores(corpus, members, corpus.vectors["a"], own_key="a")] == ["y"]
    assert topic_scores(corpus, members, corpus.vectors["a"])[0].topic == "x"


def test_demo_content_gets_no_suggestion() -> None:
    topics, _ = load_topics(REPO / "content" / "topics.yml", "content/topics.yml")
    assert topic_suggestions(REPO / "content", TopicIndex(topics)) == []


@pytest.fixture
def filed(project: Project) -> Project:
    for n, extra in enumerate(["Monday", "Tuesday", "Wednesday"]):
        project.add(f"p{n}.md", article(title=f"Protest {n}", topics="[iraq-protests]",
                                        body=PROTEST.replace("Monday", extra)))
        project.add(f"t{n}.md", article(title=f"Troops {n}", topics="[us-troop-presence]",
                                        body=TROOPS.replace("air base", f"base {extra}")))
    return project


def test_check_prints_a_suggestion_and_keeps_its_summary_and_exit_code(
        filed: Project, capsys: pytest.CaptureFixture[str]) -> None:
    filed.add("odd.md", article(title="Crowds again", topics="[us-troop-presence]", body=PROTEST))
    assert main(["--content", str(filed.content), "check"]) == 0
    name = filed.content.name
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"ok: checked {filed.content}/ (from --content): 7 articles, 0 drafts, 2 topics, 0 warning(s)."
    (suggestion,) = [line for line in lines if line.startswith("suggestion: ")]
    assert suggestion.startswith(f"suggestion: {name}/articles/odd.md: its text is much closer to topic "
                                 "'iraq-protests' (similarity ")
    assert suggestion.endswith("Fix: add 'iraq-protests' to its topics if it belongs there.")


def test_check_lists_the_closest_topics_for_an_article_naming_none(
        filed: Project, capsys: pytest.CaptureFixture[str]) -> None:
    filed.add("untagged.md", f"---\ntitle: Soldiers stay\ndate: 2020-01-27\nsource: Desk\n---\n\n{TROOPS}\n")
    assert main(["--content", str(filed.content), "check"]) == 1
    out = capsys.readouterr()
    name = filed.content.name
    assert out.err.splitlines()[-1] == (f"1 error(s) in {filed.content}/ (from --content); "
                                        "the site cannot be built until they are fixed.")
    (line,) = out.out.splitlines()
    assert line.startswith(f"suggestion: {name}/articles/untagged.md: names no topic; the closest are "
                           "us-troop-presence (")
    assert "iraq-protests (" in line


def test_check_on_the_demo_content_is_unchanged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--content", str(REPO / "content"), "check"]) == 0
    out = capsys.readouterr().out
    assert "suggestion:" not in out and out.splitlines()[-1].startswith("ok: ")
