"""What the search index costs inside a whole build: peak RSS of the process tree and of
the pagefind processes, and how long the build waited for the index after MkDocs was done.

    python benchmarks/search_build_cost.py --corpus DIR [--code TREE] [--shard-size N] [--warm]

DIR holds a generated corpus (content/ and mkdocs.yml, e.g. from benchmarks/corpus.py); it
is copied to a temporary folder and built cold there (with --warm: built once, one new
article added, built again, and the second build measured), with the digest package of
TREE (default: this checkout) and, if given, `search_shard_size: N`. The wait comes from
the plugin's log line ("the build waited X s for it").
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import _tree_rss_kb

__all__ = ["measure"]

REPO = Path(__file__).resolve().parent.parent


def _pagefind_rss_kb(root: int) -> int:
    """The largest resident set of a pagefind process under root (not other builds' ones)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                children.setdefault(int(Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[1].split()[1]),
                                    []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    peak, todo = 0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "pagefind":
                rss = int(Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[21])
                peak = max(peak, rss * os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, ValueError, IndexError):
            continue
    return peak


def _build(site: Path, code: Path) -> dict[str, float]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(code))
    tree = pagefind = 0
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=site, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    while proc.poll() is None:
        tree, pagefind = max(tree, _tree_rss_kb(proc.pid)), max(pagefind, _pagefind_rss_kb(proc.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    log = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    if proc.returncode:
        raise SystemExit(log[-3000:])
    waited = re.search(r"the build waited ([\d.]+) s", log)
    return {"wall_s": round(wall, 1), "tree_peak_rss_mb": tree // 1024, "pagefind_peak_rss_mb": pagefind // 1024,
            "search_wait_s": float(waited.group(1)) if waited else -1.0,
            "log": [line for line in log.splitlines() if "search index" in line]}


def measure(corpus: Path, code: Path, shard_size: int | None, warm: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(corpus / "content", site / "content")
        config = (corpus / "mkdocs.yml").read_text()
        if shard_size is not None:
            config = config.replace("  - digest:\n", f"  - digest:\n      search_shard_size: {shard_size}\n")
        (site / "mkdocs.yml").write_text(config)
        if warm:
            _build(site, code)
            newest = max((site / "content").rglob("*.md"), key=lambda p: p.name)
            text = newest.read_text()
            (newest.with_name("zz-" + newest.name)).write_text(text.replace("title:", "title: Added", 1))
        return {"shard_size": shard_size, "warm": warm, **_build(site, code)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--code", type=Path, default=REPO)
    parser.add_argument("--shard-size", type=int)
    parser.add_argument("--warm", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.corpus, args.code.resolve(), args.shard_size, args.warm)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
