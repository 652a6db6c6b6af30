"""The memo of pure step results (digest/analysis/memo.py) that live previews reuse."""

from __future__ import annotations

from digest.analysis.memo import Memo


class Unhashable:
    """Compared by value, never hashed: `at` must not hash its inputs."""

    __hash__ = None     # type: ignore[assignment]

    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unhashable) and other.value == self.value


def test_a_place_gives_its_last_result_while_its_inputs_are_equal() -> None:
    memo = Memo()
    calls: list[int] = []

    def step(n: int) -> int:
        calls.append(n)
        return n * 10

    assert memo.at(("page", "a.md"), [Unhashable(1)], lambda: step(1)) == 10
    assert memo.at(("page", "b.md"), [Unhashable(2)], lambda: step(2)) == 20
    memo.done()
    assert memo.at(("page", "a.md"), [Unhashable(1)], lambda: step(99)) == 10      # equal: kept
    assert memo.at(("page", "b.md"), [Unhashable(3)], lambda: step(3)) == 30       # changed: run
    assert calls == [1, 2, 3] and (memo.hits, memo.misses) == (1, 1)
    # Within one build a place asked again with other inputs runs again, never the stale result.
    assert memo.at(("page", "a.md"), [Unhashable(4)], lambda: step(4)) == 40
    memo.done()
    memo.done()         # a build that asked for nothing: every place is forgotten
    assert memo.at(("page", "a.md"), [Unhashable(4)], lambda: step(4)) == 40
    assert calls == [1, 2, 3, 4, 4]


def test_kept_state_lives_across_builds() -> None:
    memo = Memo()
    state = memo.kept("related", dict)
    memo.done()
    assert memo.kept("related", dict) is state


def test_per_article_results_are_kept_while_the_objects_are_the_same() -> None:
    from digest.analysis.memo import PerArticle

    kept: PerArticle[str] = PerArticle()
    article, analysis, made = object(), object(), []

    def make(text: str):  # type: ignore[no-untyped-def]
        return lambda: made.append(text) or text

    assert kept.get("a", article, analysis, make("first")) == "first"
    kept.done()
    assert kept.get("a", article, analysis, make("second")) == "first"      # the very same objects
    assert kept.get("b", article, analysis, make("b")) == "b"
    kept.done()
    assert kept.get("a", article, object(), make("third")) == "third"       # another analysis
    kept.done()
    kept.done()                                                             # a build that asked nothing
    assert kept.get("a", article, analysis, make("fourth")) == "fourth"     # forgotten
    assert made == ["first", "b", "third", "fourth"]


def test_a_hit_keeps_the_first_entry_so_nothing_is_made_or_freed() -> None:
    """A hit keeps the entry of the build that computed it (its inputs and its result), so a
    rebuild that changes nothing makes no new pairs and frees none at `done()`."""
    memo = Memo()
    first = [Unhashable(1)]
    result = memo.at("a", first, lambda: object())
    memo.done()
    for _ in range(3):
        again = [Unhashable(1)]
        assert memo.at("a", again, lambda: object()) is result
        memo.done()
    assert memo._last_at["a"][0] is first
    changed = memo.at("a", [Unhashable(2)], lambda: object())
    assert changed is not result
    memo.done()
    assert memo.at("a", [Unhashable(2)], lambda: object()) is changed
