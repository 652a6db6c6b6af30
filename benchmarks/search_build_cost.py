"""What the search index costs inside a whole build: peak RSS of the process tree and of
the pagefind processes, and how long the build waited for the index after MkDocs was done.

    python benchmarks/search_build_cost.py --corpus DIR [--code TREE] [--shard-size N] [--warm]

DIR holds a generated corpus (content/ and mkdocs.yml, e.g. from benchmarks/corpus.py); it
is copied to a temporary folder and built cold there (with --warm: built once, one new
article added, built again, and the second build measured), with the digest package of
TREE (default: this checkout) and, if given, `search_shard_size: N`. The wait comes from
the plugin's log line ("the build waited X s for it"). The tree's RSS is also split by
role: the build process, the analysis pool's workers and pagefind (at the peak, each
role's own peak, and with --timeline FILE every sample and the plugin's log lines with their
times, for finding which holds what when).
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
import threading
import time
from pathlib import Path

__all__ = ["measure"]

REPO = Path(__file__).resolve().parent.parent


def _tree(root: int) -> list[tuple[str, int]]:
    """(role, RSS in KB) of root and every process under it: "build" for root, "pagefind" for
    the index binary, "worker" for the rest (the analysis pool's forked processes). A child that
    is still its parent's image (same name, address-space size and resident pages: a process
    Python's subprocess has just made with vfork, which shares its parent's memory until it
    runs the new program, as `pagefind` is started) is left out: counting it would count the
    build's memory twice (one such sample of a 100,000-article build read 8.4 GB)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                children.setdefault(int(Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[1].split()[1]),
                                    []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    found: list[tuple[str, int]] = []
    todo: list[tuple[int, tuple[str, int, int] | None]] = [(root, None)]
    while todo:
        pid, parent = todo.pop()
        try:
            stat = Path(f"/proc/{pid}/stat").read_bytes()
            name = stat[stat.index(b"(") + 1:stat.rindex(b")")].decode()
            fields = stat.rsplit(b")", 1)[1].split()
            me = (name, int(fields[20]), int(fields[21]))      # name, vsize, rss pages
        except (OSError, ValueError, IndexError):
            continue
        todo += [(child, me) for child in children.get(pid, [])]
        if me == parent:
            continue
        found.append(("build" if pid == root else "pagefind" if name == "pagefind" else "worker", me[2] * page_kb))
    return found


ROLES = ("build", "worker", "pagefind")


def _build(site: Path, code: Path, timeline: Path | None = None) -> dict[str, object]:
    """One build; the peak of the tree's summed RSS, what each role held at that moment, each
    role's own peak, and (`timeline`) every sample: seconds, then MB per role."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(code))
    peak: dict[str, int] = {}
    tops = dict.fromkeys(ROLES, 0)
    samples = []
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=site, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[tuple[float, str]] = []
    reader = threading.Thread(target=lambda: lines.extend(
        (round(time.perf_counter() - start, 2), raw.decode("utf-8", "replace").rstrip()) for raw in proc.stdout or ()))
    reader.start()
    while proc.poll() is None:
        held = dict.fromkeys(ROLES, 0)
        for role, rss in _tree(proc.pid):
            held[role] += rss
        for role in ROLES:
            tops[role] = max(tops[role], held[role])
        if sum(held.values()) > sum(peak.values()):
            peak = held
        samples.append([round(time.perf_counter() - start, 2), *(held[r] // 1024 for r in ROLES)])
        time.sleep(0.05)
    wall = time.perf_counter() - start
    reader.join()
    log = "\n".join(text for _, text in lines)
    if proc.returncode:
        raise SystemExit(log[-3000:])
    if timeline is not None:
        timeline.write_text(json.dumps({"columns": ["s", *ROLES], "samples": samples,
                                        "log": [[t, text] for t, text in lines if "digest:" in text]}))
    waited = re.search(r"the build waited ([\d.]+) s", log)
    return {"wall_s": round(wall, 1), "tree_peak_rss_mb": sum(peak.values()) // 1024,
            "at_peak_mb": {r: peak.get(r, 0) // 1024 for r in ROLES},
            "pagefind_peak_rss_mb": tops["pagefind"] // 1024,
            "peak_mb": {r: tops[r] // 1024 for r in ROLES},
            "search_wait_s": float(waited.group(1)) if waited else -1.0,
            "log": [line for line in log.splitlines() if "search index" in line]}


def measure(corpus: Path, code: Path, shard_size: int | None, warm: bool,
            timeline: Path | None = None) -> dict[str, object]:
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
        return {"shard_size": shard_size, "warm": warm, **_build(site, code, timeline)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--code", type=Path, default=REPO)
    parser.add_argument("--shard-size", type=int)
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--timeline", type=Path, help="write every RSS sample (MB per role) here, as JSON")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.corpus, args.code.resolve(), args.shard_size, args.warm, args.timeline)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
