"""When does a Dask cluster pay? Cold builds with the local process pool against Dask.

    python benchmarks/dask_speed.py --articles 1000 5000 --json out.json

For each N the same generated articles are built cold (no cache, no site/) three ways,
each `mkdocs build` in its own subprocess: (a) local: `executor: local`, the process pool
over every core; (b) dask_started: `executor: dask` without an address, so the build
starts a LocalCluster (one worker process per core) and stops it; (c) dask_existing:
`executor: dask` pointed at a LocalCluster this script started beforehand (what a build
against a long-running cluster costs: no start-up, its workers have imported the
analysis once). Reported per build: wall seconds and
the analysis stage's seconds (from the build's "analysed N/N articles" line); peak RSS
covers the build's process tree, so (c)'s workers, which belong to this script, are not
in it. One run each; compare within one run only.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import sys
import tempfile
from pathlib import Path

import corpus
from build_speed import DIGEST_YML, PY, _fresh, run, snapshot

_STAGE = re.compile(r"digest: analysed (\d+)/\1 articles \(100%, ([\d.]+) s\)")
BUILDS = ("local", "dask_started", "dask_existing")


def _options(kind: str, address: str) -> str:
    return {"local": "      executor: local\n", "dask_started": "      executor: dask\n",
            "dask_existing": f"      executor: dask\n      dask_scheduler: {address}\n"}[kind]


def _warm(address: str) -> None:
    """Have every worker import the analysis once, as a long-running cluster's have."""
    from distributed import Client

    from digest.analysis.cache import code_version

    with Client(address, set_as_default=False) as client:
        client.run(code_version)
        client.run(lambda: __import__("digest.analysis.pipeline") and None)


def bench(n: int, work: Path, workers: int, order: tuple[str, ...] = BUILDS) -> dict[str, object]:
    from distributed import LocalCluster

    project = work / "digest"
    corpus.write_digest_corpus(project / "content", list(corpus.generate(n)))
    code = snapshot(work)
    sys.path.insert(0, str(code))       # the cluster's workers import the same snapshot
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=logging.ERROR)
    _warm(cluster.scheduler_address)
    builds: dict[str, dict[str, float]] = {}
    try:
        for kind in order:
            (project / "mkdocs.yml").write_text(
                DIGEST_YML.replace("{cache}", ".cache/digest") + _options(kind, cluster.scheduler_address),
                encoding="utf-8")
            _fresh(project / ".cache", project / "site")
            log = work / f"{kind}.log"
            result = run([PY, "-m", "mkdocs", "build", "-f", "mkdocs.yml"], project, log, code)
            stage = _STAGE.search(log.read_text(encoding="utf-8"))
            result["analysis_s"] = float(stage.group(2)) if stage else float("nan")
            builds[kind] = result
    finally:
        cluster.close()
        sys.path.remove(str(code))
    return {"n": n, "workers": workers, "order": list(order), "builds": builds}


def report(result: dict[str, object]) -> str:
    builds: dict[str, dict[str, float]] = result["builds"]  # type: ignore[assignment]
    lines = [f"N = {result['n']}, {result['workers']} worker process(es), one run each",
             f"{'build':<15}{'wall s':>9}{'analysis s':>12}{'peak RSS MB':>13}"]
    for name, b in builds.items():
        lines.append(f"{name:<15}{b['wall_s']:>9.2f}{b['analysis_s']:>12.2f}{b['peak_rss_mb']:>13.1f}")
    local = builds["local"]
    for name in [b for b in BUILDS[1:] if b in builds]:
        lines.append(f"{name} / local: wall {builds[name]['wall_s'] / local['wall_s']:.2f}, "
                     f"analysis {builds[name]['analysis_s'] / local['analysis_s']:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from digest.analysis.executor import cpu_count

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--workers", type=int, default=cpu_count(), help="Dask worker processes (default: cores)")
    parser.add_argument("--order", default=",".join(BUILDS),
                        help="the builds, comma-separated, in the order to run them (local must be one)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--workdir", type=Path, help="keep the generated projects here")
    args = parser.parse_args(argv)
    results = []
    for n in args.articles:
        work = (args.workdir / str(n)) if args.workdir else Path(tempfile.mkdtemp(prefix=f"dask{n}-"))
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        result = bench(n, work, args.workers, tuple(args.order.split(",")))
        print(report(result), flush=True)
        results.append(result)
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results if len(results) > 1 else results[0], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
