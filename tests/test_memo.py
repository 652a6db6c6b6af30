"""The memo of pure step results (digest/analysis/memo.py) that live previews reuse."""

from __future__ import annotations

from digest.analysis.memo import Memo


def test_equal_inputs_give_the_last_result_and_unused_entries_are_forgotten() -> None:
    memo = Memo()
    calls: list[str] = []

    def step(name: str) -> str:
        calls.append(name)
        return name.upper()

    assert memo.get(("a", (1, 2)), lambda: step("a")) == "A"
    assert memo.get(("b",), lambda: step("b")) == "B"
    memo.done()
    # Equal by value, not the same object: the last build's result comes back unrun.
    assert memo.get(("a", tuple([1, 2])), lambda: step("again")) == "A"
    assert calls == ["a", "b"]
    assert (memo.hits, memo.misses) == (1, 0)
    memo.done()
    # "b" was not asked for by the build in between, so it is gone and runs again.
    assert memo.get(("b",), lambda: step("b")) == "B"
    assert calls == ["a", "b", "b"]
