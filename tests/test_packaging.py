"""An installed, non-editable copy finds site_templates/ and builds a site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, Project, article


def test_non_editable_install_finds_templates_and_builds(tmp_path: Path, project: Project) -> None:
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "--target", str(target), str(REPO)], check=True)
    assert (target / "digest" / "site_templates" / "pages" / "topic.md.j2").is_file()
    assert (target / "digest" / "adapter" / "overrides" / "assets" / "digest.css").is_file()
    assert (target / "digest" / "pages" / "locales" / "de.yml").is_file()   # the message catalogues
    project.add("a.md", article(title="From an installed copy"))
    env = {**os.environ, "PYTHONPATH": str(target), "NO_MKDOCS_2_WARNING": "1"}
    probe = ("import digest.pages.render as r, digest.adapter.plugin as p; print(r.templates_dir()); print(p.__file__)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=project.root, env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(target / "digest" / "site_templates"), str(target / "digest" / "adapter" / "plugin.py")]
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root, env=env, check=True)
    assert "From an installed copy" in (project.site / "articles" / "a" / "index.html").read_text()
    assert (project.site / "assets" / "digest.css").is_file()
