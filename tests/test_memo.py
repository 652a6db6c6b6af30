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
