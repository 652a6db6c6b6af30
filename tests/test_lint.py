"""Static checks run with the tests: ruff (pyflakes errors) and mypy over the package."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_ruff_finds_no_errors() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F,E9", "digest", "benchmarks", "tests"],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes_on_the_package() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "digest", "--ignore-missing-imports",
                             "--cache-dir", str(REPO / ".cache" / "mypy")],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
