"""The live preview tells what changed from file stamps (digest/adapter/filestamps.py)."""

from __future__ import annotations

import os
from pathlib import Path

from digest.adapter.filestamps import file_stamps


def test_an_edit_inside_a_linked_folder_changes_the_stamps(tmp_path: Path) -> None:
    docs, shared = tmp_path / "docs", tmp_path / "docs" / "shared"
    (docs / "articles").mkdir(parents=True)
    shared.mkdir()
    (shared / "wire.md").write_text("one", encoding="utf-8")
    (docs / "articles" / "linked").symlink_to(shared, target_is_directory=True)
    (docs / "articles" / "loop").symlink_to(docs, target_is_directory=True)     # a link to a parent
    (docs / "topics.yml").write_text("topics: []\n", encoding="utf-8")
    before = file_stamps([docs])
    linked = str(docs / "articles" / "linked" / "wire.md")
    assert {linked, str(shared / "wire.md"), str(docs / "topics.yml")} <= set(before)
    assert not any("loop/loop" in p for p in before)
    (shared / "wire.md").write_text("two, longer", encoding="utf-8")
    after = file_stamps([docs])
    assert after[linked] != before[linked]
    assert {p for p in after if after[p] != before.get(p)} >= {linked}
    assert all(os.path.exists(p) for p in after)
