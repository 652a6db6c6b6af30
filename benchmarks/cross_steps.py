"""Which cross-article step grows faster than the archive: each one timed at N and k x N.

    python benchmarks/cross_steps.py --articles 10000 [--factor 3] [--workdir DIR] [--json OUT]

Generates k x N articles (benchmarks/corpus.py; the first N are the small archive), analyses
them once in a process pool (kept in an analysis cache under the workdir, so a second run
starts at once), then runs `build_digest` cold (no memo, no story index, no pair memo) and lays
out the pages (`Renderer.render`) on the first N and on all k x N under cProfile, and reports each step's cumulative time at both sizes
and its growth: (time at kN / time at N) / k, 1.0 for a step as linear as the archive. A whole
cold `mkdocs build` at 100,000 is 17x the 10,000 one (README): this says which steps make it so.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import corpus  # noqa: E402

from digest.analysis.analyse import AnalysisOptions, build_digest  # noqa: E402
from digest.analysis.cache import AnalysisCache  # noqa: E402
from digest.analysis.pipeline import cached_analyser  # noqa: E402
from digest.loading.loader import load_corpus  # noqa: E402
from digest.pages.render import Renderer  # noqa: E402

#: The steps reported, as (file name, function name) in cProfile's records.
STEPS = (
    ("duplicates.py", "find_duplicates"),
    ("duplicates.py", "candidate_pairs"),
    ("duplicates.py", "hash_jaccard"),
    ("analyse.py", "group_stories"),
    ("stories.py", "cluster"),
    ("analyse.py", "story_summary"),
    ("analyse.py", "topic_story"),
    ("topicstory.py", "story_leads"),
    ("topicstory.py", "tell_topic"),
    ("analyse.py", "related_articles"),
    ("analyse.py", "article_claims"),
    ("conflicts.py", "conflicts_by_group"),
    ("analyse.py", "topic_conflicts"),
    ("render.py", "render"),
    ("render.py", "_month_pages"),
    ("topicpages.py", "topic_context"),
    ("storypages.py", "story_pages"),
    ("articlepages.py", "article_pages"),
    ("articlepages.py", "summaries_of"),
)


def step_times(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds of each of STEPS (0 for a step not called)."""
    found = {f"{name}": 0.0 for _, name in STEPS}
    for (file, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        for wanted_file, wanted in STEPS:
            if name == wanted and file.endswith(wanted_file):
                found[name] += row[3]
    return found


def profile(topics, articles, analyses) -> tuple[float, dict[str, float]]:  # type: ignore[no-untyped-def]
    """The wall time of one cold build_digest over `articles`, and its steps' times."""
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    digest = build_digest(topics, articles, AnalysisOptions(),
                          analyser=lambda items: {a.slug: analyses[a.slug] for a in items})
    Renderer().render(digest)
    profiler.disable()
    wall = time.perf_counter() - started
    return wall, step_times(pstats.Stats(profiler))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--factor", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="crosssteps-"))
    generated = list(corpus.generate(args.articles * args.factor))
    content = work / "content"
    if not (content / "topics.yml").exists():
        corpus.write_digest_corpus(content, generated)
    loaded = load_corpus(content)
    by_slug = {a.slug: a for a in loaded.articles}
    every = [by_slug[g.stem] for g in generated if g.stem in by_slug]
    analyses = cached_analyser(AnalysisOptions().summary_sentences, AnalysisCache(work / "cache"), workers=2)(every)
    small = every[: args.articles]
    result: dict[str, object] = {"n": len(small), "kn": len(every)}
    walls, steps = [], []
    for items in (small, every):
        wall, found = profile(loaded.topics, items, analyses)
        walls.append(wall)
        steps.append(found)
    k = len(every) / len(small)
    result["wall_s"] = [round(w, 2) for w in walls]
    result["wall_growth"] = round(walls[1] / walls[0] / k, 2)
    result["steps"] = {name: {"s": [round(steps[0][name], 3), round(steps[1][name], 3)],
                              "growth": round(steps[1][name] / steps[0][name] / k, 2) if steps[0][name] else None}
                       for name in steps[0]}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
