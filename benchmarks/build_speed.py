"""Build-speed benchmark: our plugin (cold and warm) against plain mkdocs-material, Pelican and Hugo.

    python benchmarks/build_speed.py --articles 1000 --json out.json [--search-query rocket]

One run builds the same N generated articles five ways, each in its own subprocess:
(a) digest_cold: our plugin with an empty analysis cache; (b) digest_warm: again after
adding one article; (c) mkdocs_plain: the articles as plain mkdocs-material pages, out of
the nav; (d) pelican: the same articles with tag pages and feeds; (e) hugo: Debian's
hugo on a minimal layout with topic and source taxonomies, related content and RSS
(benchmarks/hugo_site.py; the package is installed when missing). Reported per build:
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
import corpus
import hugo_site

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
# With --full-text-days: one more cold build per value, with this option added.
DAYS_YML = "      search_full_text_days: {days}\n"
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
    """Run one build; wall seconds, peak RSS (MB) of its whole process tree and its CPU
    seconds (user + system of the build and every descendant it reaped: pool workers,
    Pagefind, Hugo's threads), which other load on a shared machine sways less than wall."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    peak = 0
    with open(log, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}; see {log}:\n{log.read_text()[-3000:]}")
    return {"wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_rss_mb": round(peak / 1024, 1)}


def _size_mb(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 2**20, 2)
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 2)


def _settle() -> None:
    """Let the file system finish what earlier deletions started (ext4 trims freed blocks
    in the background), so that it is not charged to the next build."""
    os.sync()
    time.sleep(1)


def _fresh(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
    _settle()


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median wall time; peak RSS is the largest of all runs."""
    middle = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
    return {**middle, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "runs_s": [r["wall_s"] for r in runs]}


def bench(n: int, work: Path, pelican: Path | None, skip: set[str], repeat: int = 1,
          hugo: str | None = None) -> dict[str, object]:
    """Every build `repeat` times from the same state (cold: no cache; every build: no
    site/), the median kept; the builds of each repeat run one after another."""
    articles = list(corpus.generate(n))
    extra = list(corpus.generate(1, offset=n))
    runs: dict[str, list[dict[str, float]]] = {}
    mkdocs = [PY, "-m", "mkdocs", "build", "-f", "mkdocs.yml"]

    digest = work / "digest"
    corpus.write_digest_corpus(digest / "content", articles)
    (digest / "mkdocs.yml").write_text(DIGEST_YML.replace("{cache}", ".cache/digest"), encoding="utf-8")
    code = snapshot(work)
    plain, pel = work / "plain", work / "pelican"
    if "mkdocs_plain" not in skip:
        corpus.write_digest_corpus(plain / "content", articles)
        (plain / "content" / "index.md").write_text("# Benchmark\n\nPlain pages.\n", encoding="utf-8")
        (plain / "mkdocs.yml").write_text(PLAIN_YML, encoding="utf-8")
    use_pelican = "pelican" not in skip and pelican is not None and pelican.exists()
    if use_pelican:
        corpus.write_pelican_corpus(pel / "content", articles)
        (pel / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    hug = work / "hugo"
    if hugo is not None:
        hugo_site.write_hugo_project(hug, articles)
    extra_files: set[Path] = set()
    for _ in range(repeat):
        for path in extra_files:          # back to the N articles of a cold build
            path.unlink()
        _fresh(digest / ".cache", digest / "site")
        runs.setdefault("digest_cold", []).append(run(mkdocs, digest, work / "digest_cold.log", code))
        site_mb, index_mb = _size_mb(digest / "site"), _size_mb(digest / "site" / "pagefind")
        before = set((digest / "content").rglob("*.md"))
        corpus.write_digest_corpus(digest / "content", extra)
        extra_files = set((digest / "content").rglob("*.md")) - before
        _fresh(digest / "site")
        runs.setdefault("digest_warm", []).append(run(mkdocs, digest, work / "digest_warm.log", code))
        if "mkdocs_plain" not in skip:
            _fresh(plain / "site")
            runs.setdefault("mkdocs_plain", []).append(run(mkdocs, plain, work / "mkdocs_plain.log"))
        if use_pelican:
            _fresh(pel / "output")
            runs.setdefault("pelican", []).append(run([str(pelican), "content", "-s", "pelicanconf.py", "-o",
                                                       "output", "-q"], pel, work / "pelican.log"))
        if hugo is not None:
            _fresh(hug / "public", hug / "resources")
            runs.setdefault("hugo", []).append(run(hugo_site.build_command(hugo, hug), hug, work / "hugo.log"))
    builds = {name: _median(found) for name, found in runs.items()}
    builds["digest_cold"]["site_mb"] = site_mb
    if "mkdocs_plain" in builds:
        builds["mkdocs_plain"]["site_mb"] = _size_mb(plain / "site")
        builds["mkdocs_plain"]["search_index_mb"] = _size_mb(plain / "site" / "search" / "search_index.json")
    if "pelican" in builds:
        builds["pelican"]["site_mb"] = _size_mb(pel / "output")
    if "hugo" in builds:
        builds["hugo"]["site_mb"] = _size_mb(hug / "public")
    for result in builds.values():
        result["ms_per_article"] = round(1000 * result["wall_s"] / n, 2)
    return {"n": n, "repeat": repeat, "builds": builds, "search_index_mb": index_mb}


def bench_days(n: int, work: Path, days: int, repeat: int = 1) -> dict[str, float]:
    """A cold build of the same N articles (after bench) with search_full_text_days: days;
    its site replaces the one before. Median of `repeat`, with its search index size."""
    digest = work / "digest"
    shutil.rmtree(digest / "content")
    corpus.write_digest_corpus(digest / "content", list(corpus.generate(n)))
    (digest / "mkdocs.yml").write_text(DIGEST_YML.replace("{cache}", ".cache/digest")
                                       + DAYS_YML.replace("{days}", str(days)), encoding="utf-8")
    mkdocs = [PY, "-m", "mkdocs", "build", "-f", "mkdocs.yml"]
    runs = []
    for _ in range(repeat):
        _fresh(digest / ".cache", digest / "site")
        runs.append(run(mkdocs, digest, work / f"digest_cold_days{days}.log", work / "src"))
    result = _median(runs)
    result["ms_per_article"] = round(1000 * result["wall_s"] / n, 2)
    result.update(site_mb=_size_mb(digest / "site"), search_index_mb=_size_mb(digest / "site" / "pagefind"))
    return result


def report(result: dict[str, object]) -> str:
    builds: dict[str, dict[str, float]] = result["builds"]  # type: ignore[assignment]
    lines = [f"N = {result['n']}, median of {result.get('repeat', 1)} run(s)  (search index {result['search_index_mb']} MB)",
             f"{'build':<20}{'wall s':>9}{'cpu s':>9}{'ms/article':>12}{'peak RSS MB':>13}{'site MB':>9}{'index MB':>10}"]
    for name, b in builds.items():
        index = result["search_index_mb"] if name == "digest_cold" else b.get("search_index_mb", float("nan"))
        lines.append(f"{name:<20}{b['wall_s']:>9.2f}{b['cpu_s']:>9.2f}{b['ms_per_article']:>12.2f}"
                     f"{b['peak_rss_mb']:>13.1f}{b.get('site_mb', float('nan')):>9.1f}{index:>10.2f}")
    cold = builds["digest_cold"]
    for name in ("digest_warm", "mkdocs_plain", "pelican", "hugo"):
        if name in builds:   # warm over cold; cold over every other generator
            top, bottom = (builds[name], cold) if name == "digest_warm" else (cold, builds[name])
            label = "warm/cold" if name == "digest_warm" else f"cold/{name}"
            lines.append(f"{name if name != 'digest_warm' else 'warm'} ratio: "
                         f"{top['wall_s'] / bottom['wall_s']:.2f}  ({label}; CPU {top['cpu_s'] / bottom['cpu_s']:.2f})")
    if "hugo_version" in result:
        lines.append(f"hugo: {result['hugo_version']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000],
                        help="corpus sizes; several sizes run in one invocation")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--workdir", type=Path, help="keep the generated projects here")
    parser.add_argument("--pelican", type=Path, default=DEFAULT_PELICAN,
                        help="the pelican executable (own virtualenv)")
    parser.add_argument("--hugo", default="hugo", help="the hugo executable (Debian's package is "
                        "installed when it is missing)")
    parser.add_argument("--skip", default="", help="comma-separated: mkdocs_plain,pelican,hugo")
    parser.add_argument("--search-query", help="also time the first search in Chromium")
    parser.add_argument("--full-text-days", type=int, nargs="+", default=[],
                        help="also a cold build per value of search_full_text_days (e.g. 30), after "
                             "the others; with --search-query its first search is timed too")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every build this many times and keep the median (default 1)")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    hugo = None if "hugo" in skip else hugo_site.ensure_hugo(args.hugo)
    results = []
    for n in args.articles:
        work = (args.workdir / str(n)) if args.workdir else Path(tempfile.mkdtemp(prefix=f"bench{n}-"))
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        if args.search_query:
            import search_speed
        result = bench(n, work, args.pelican, skip, max(1, args.repeat), hugo)
        if hugo is not None:
            result["hugo_version"] = hugo_site.hugo_version(hugo)
        if args.search_query:
            result["search"] = search_speed.measure(work / "digest" / "site", args.search_query)
        for days in args.full_text_days:     # each replaces the site measured before it
            result["builds"][f"digest_cold_days{days}"] = bench_days(n, work, days, max(1, args.repeat))  # type: ignore[index]
            if args.search_query:
                result[f"search_days{days}"] = search_speed.measure(work / "digest" / "site", args.search_query)
        print(report(result), flush=True)
        for key in (k for k in result if k.startswith("search") and k != "search_index_mb"):
            print(f"{key}:", json.dumps(result[key]), flush=True)
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
