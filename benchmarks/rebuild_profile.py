"""The live preview's fast rebuild timed (and profiled) in one process, without the server.

    python benchmarks/rebuild_profile.py --articles 10000 --edits 5 [--profile OUT.txt] [--workdir DIR]

Generates the corpus and mkdocs.yml of serve_speed.py, builds it once as `mkdocs serve` would
(plugins started with command "serve"), then edits K articles as serve_speed.py does (the same
seeded choice) and calls the live preview's rebuild after each, timing it; then adds one article
and deletes it again. serve_speed.py's times also hold the server's file polling and the page
fetches; these are the rebuild's alone. With --profile, cProfile's report of the rebuilds
(cumulative and own time) is written to OUT.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_speed
import corpus
import serve_speed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--profile", type=Path, help="write cProfile's report of the rebuilds here")
    parser.add_argument("--workdir", type=Path, help="the generated project (made if missing)")
    args = parser.parse_args(argv)
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    work = args.workdir or Path(tempfile.mkdtemp(prefix=f"rebuild{args.articles}-"))
    project = work / "digest"
    articles = list(corpus.generate(args.articles))
    if not project.exists():
        corpus.write_digest_corpus(project / "content", articles)
        (project / "mkdocs.yml").write_text(build_speed.DIGEST_YML.replace("{cache}", ".cache/digest"),
                                            encoding="utf-8")
    os.chdir(project)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    logger = logging.getLogger("mkdocs.plugins.digest")
    logger.addHandler(logging.StreamHandler(sys.stdout))
    logger.setLevel(logging.INFO)
    config = load_config("mkdocs.yml", site_dir=str(work / "site"))
    config.plugins.on_startup(command="serve", dirty=False)
    start = time.perf_counter()
    mkdocs_build.build(config, serve_url="http://127.0.0.1:8000/")
    print(f"first build {time.perf_counter() - start:.2f} s", flush=True)
    plugin = config.plugins["digest"]
    live = plugin._live
    folder = project / "content" / "articles"
    profiler = cProfile.Profile()

    def timed(label: str) -> float:
        began = time.perf_counter()
        if args.profile:
            profiler.enable()
        done = live.rebuild()
        if args.profile:
            profiler.disable()
        took = time.perf_counter() - began
        print(f"{label}: {took:.2f} s{'' if done else ' (not the fast path)'}", flush=True)
        return took

    edits = []
    for a in random.Random(args.seed).sample(articles, min(args.edits, len(articles))):
        path = folder / f"{a.stem}.md"
        path.write_text(serve_speed._with_marker(path.read_text(encoding="utf-8"), serve_speed._marker()),
                        encoding="utf-8")
        edits.append(timed(f"edit {a.stem}"))
    now = datetime.now(UTC).replace(microsecond=0)
    new = next(corpus.generate(1, offset=args.articles))
    new = replace(new, published=now, stem=f"{now:%Y-%m-%d}-{new.stem.split('-', 3)[3]}")
    added = folder / f"{new.stem}.md"
    added.write_text(corpus.digest_markdown(new), encoding="utf-8")
    timed("add")
    added.unlink()
    timed("delete")
    live.search.stop()
    print(f"edit median {statistics.median(edits):.2f} s, worst {max(edits):.2f} s", flush=True)
    if args.profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)
        args.profile.write_text(out.getvalue(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
