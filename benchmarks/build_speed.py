"""Build-speed benchmark: our plugin (cold and warm) against plain mkdocs-material and Pelican.

    python benchmarks/build_speed.py --articles 1000 --json out.json [--search-query rocket]

One run builds the same N generated articles four ways, each in its own subprocess:
(a) digest_cold: our plugin with an empty analysis cache; (b) digest_warm: again after
adding one article; (c) mkdocs_plain: the articles as plain mkdocs-material pages, out of
the nav; (d) pelican: the same articles with tag pages and feeds. Reported per build:
wall seconds, ms per article, peak RSS of the whole process tree (pool workers
included, sampled from /proc) and the site's size. Compare ratios within one run only.
Pelican runs from its own virtualenv (`--pelican`), because it pins an older Pygments
than mkdocs-material needs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
DEFAULT_PELICAN = REPO / ".cache" / "pelican-venv" / "bin" / "pelican"

# Both mkdocs builds share everything but the plugins and the nav.
_COMMON_YML = """\
site_url: https://example.org/
docs_dir: content
site_dir: site
theme:
  name: material
  features: [navigation.tabs, search.suggest, search.highlight]
markdown_extensions: [admonition, attr_list, md_in_html, {toc: {permalink: true}}]
"""
DIGEST_YML = "site_name: Benchmark digest\n" + _COMMON_YML + """\
plugins:
  - digest:
      cache_dir: {cache}
"""
PLAIN_YML = "site_name: Benchmark plain\n" + _COMMON_YML + """\
plugins: [search]
nav: [index.md]
not_in_nav: /articles/
"""
PELICAN_CONF = """\
AUTHOR = "bench"
SITENAME = "Benchmark"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag-{slug}.atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_SAVE_AS = "tag/{slug}.html"
"""


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(stat[1]), []).append(pid)       # field 4: ppid
        rss[pid] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE") // 1024  # field 24: rss pages
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def snapshot(work: Path) -> Path:
    """Copy digest/ and site_templates/ so every build of a run uses the same code,
    even if the checkout is edited meanwhile (an edit would rightly void the cache)."""
    src = work / "src"
    shutil.rmtree(src, ignore_errors=True)
    for name in ("digest", "site_templates"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    return src


def run(cmd: list[str], cwd: Path, log: Path, code: Path | None = None) -> dict[str, float]:
    """Run one build; wall seconds and peak RSS (MB) of its whole process tree."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    peak = 0
    with open(log, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}; see {log}:\n{log.read_text()[-3000:]}")
    return {"wall_s": round(wall, 3), "peak_rss_mb": round(peak / 1024, 1)}


def _size_mb(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 2**20, 2)
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 2)


def bench(n: int, work: Path, pelican: Path | None, skip: set[str]) -> dict[str, object]:
    articles = list(corpus.generate(n))
    builds: dict[str, dict[str, float]] = {}
    mkdocs = [PY, "-m", "mkdocs", "build", "-f", "mkdocs.yml"]

    digest = work / "digest"
    corpus.write_digest_corpus(digest / "content", articles)
    (digest / "mkdocs.yml").write_text(DIGEST_YML.replace("{cache}", ".cache/digest"), encoding="utf-8")
    shutil.rmtree(digest / ".cache", ignore_errors=True)
    code = snapshot(work)
    builds["digest_cold"] = run(mkdocs, digest, work / "digest_cold.log", code)
    builds["digest_cold"]["site_mb"] = _size_mb(digest / "site")
    index_mb = _size_mb(digest / "site" / "pagefind")          # Pagefind's chunked index, all files
    corpus.write_digest_corpus(digest / "content", list(corpus.generate(1, offset=n)))
    shutil.rmtree(digest / "site")   # every build writes into an empty site/ (rmdir is slow here)
    builds["digest_warm"] = run(mkdocs, digest, work / "digest_warm.log", code)

    if "mkdocs_plain" not in skip:
        plain = work / "plain"
        corpus.write_digest_corpus(plain / "content", articles)
        (plain / "content" / "index.md").write_text("# Benchmark\n\nPlain pages.\n", encoding="utf-8")
        (plain / "mkdocs.yml").write_text(PLAIN_YML, encoding="utf-8")
        builds["mkdocs_plain"] = run(mkdocs, plain, work / "mkdocs_plain.log")
        builds["mkdocs_plain"]["site_mb"] = _size_mb(plain / "site")
        builds["mkdocs_plain"]["search_index_mb"] = _size_mb(plain / "site" / "search" / "search_index.json")

    if "pelican" not in skip and pelican is not None and pelican.exists():
        pel = work / "pelican"
        corpus.write_pelican_corpus(pel / "content", articles)
        (pel / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
        builds["pelican"] = run([str(pelican), "content", "-s", "pelicanconf.py", "-o", "output",
                                 "--delete-output-directory", "-q"], pel, work / "pelican.log")
        builds["pelican"]["site_mb"] = _size_mb(pel / "output")
    for result in builds.values():
        result["ms_per_article"] = round(1000 * result["wall_s"] / n, 2)
    return {"n": n, "builds": builds, "search_index_mb": index_mb}


def report(result: dict[str, object]) -> str:
    builds: dict[str, dict[str, float]] = result["builds"]  # type: ignore[assignment]
    lines = [f"N = {result['n']}  (search index {result['search_index_mb']} MB)",
             f"{'build':<14}{'wall s':>9}{'ms/article':>12}{'peak RSS MB':>13}{'site MB':>9}"]
    for name, b in builds.items():
        lines.append(f"{name:<14}{b['wall_s']:>9.2f}{b['ms_per_article']:>12.2f}"
                     f"{b['peak_rss_mb']:>13.1f}{b.get('site_mb', float('nan')):>9.1f}")
    cold = builds["digest_cold"]["wall_s"]
    for name in ("digest_warm", "mkdocs_plain", "pelican"):
        if name in builds:
            lines.append(f"{name if name != 'digest_warm' else 'warm'} ratio: "
                         f"{(builds[name]['wall_s'] / cold if name == 'digest_warm' else cold / builds[name]['wall_s']):.2f}"
                         f"  ({'warm/cold' if name == 'digest_warm' else 'cold/' + name})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000],
                        help="corpus sizes; several sizes run in one invocation")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--workdir", type=Path, help="keep the generated projects here")
    parser.add_argument("--pelican", type=Path, default=DEFAULT_PELICAN,
                        help="the pelican executable (own virtualenv)")
    parser.add_argument("--skip", default="", help="comma-separated: mkdocs_plain,pelican")
    parser.add_argument("--search-query", help="also time the first search in Chromium")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    results = []
    for n in args.articles:
        work = (args.workdir / str(n)) if args.workdir else Path(tempfile.mkdtemp(prefix=f"bench{n}-"))
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        result = bench(n, work, args.pelican, skip)
        if args.search_query:
            import search_speed
            result["search"] = search_speed.measure(work / "digest" / "site", args.search_query)
        print(report(result), flush=True)
        if "search" in result:
            print("search:", json.dumps(result["search"]), flush=True)
        results.append(result)
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results[0] if len(results) == 1 else results, indent=2) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
