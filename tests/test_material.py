"""The Material adapter (digest/adapter/): the nav cache and its check, the header's search
box, coexistence with Material's social, offline and privacy plugins and its instant
navigation, and the analysis cache key's library versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.analysis import cache as cache_module
from digest.analysis.cache import AnalysisCache


def test_a_changed_library_version_changes_the_analysis_key(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    real = cache_module.version
    cache_module.code_version.cache_clear()
    before = AnalysisCache(tmp_path).key("Title", "Body text.", 3)
    assert "numpy=" + real("numpy") in cache_module._library_versions()
    for name in cache_module.SHAPING_LIBRARIES:
        monkeypatch.setattr(cache_module, "version", lambda n, name=name: "0.0.1" if n == name else real(n))
        cache_module.code_version.cache_clear()
        assert AnalysisCache(tmp_path).key("Title", "Body text.", 3) != before, name
    monkeypatch.setattr(cache_module, "version", real)
    cache_module.code_version.cache_clear()
    assert AnalysisCache(tmp_path).key("Title", "Body text.", 3) == before
