"""What keeping the story grouping in the cache costs and saves, in one process.

    python benchmarks/story_store.py --articles 5000 [--json OUT]

Groups N generated articles (benchmarks/corpus.py) from scratch, stores the grouping as a
one-off build does (digest/analysis/storycache.py), reads it back and resumes it on the same
articles, timing each step, and reports the store's size. A warm `mkdocs build` pays the read
instead of the grouping; every build pays the store.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import corpus  # noqa: E402

from digest.analysis.stories import StoryOptions, cluster, story_item  # noqa: E402
from digest.analysis.storycache import StoryStore  # noqa: E402
from digest.analysis.text import split_sentences  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    items = [story_item(a.stem, a.published, a.title, split_sentences(a.body.replace("#", "")))
             for a in corpus.generate(args.articles)]
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        index = cluster(items)
        grouped = time.perf_counter()
        store = StoryStore(Path(folder))
        store.keep(index)
        store.close()
        kept = time.perf_counter()
        store = StoryStore(Path(folder))
        back = store.load(StoryOptions())
        loaded = time.perf_counter()
        assert back is not None and back.assignment() == index.assignment()
        cluster(items, warm=back)
        resumed = time.perf_counter()
        store.close()
        size = (Path(folder) / StoryStore.file_name).stat().st_size
    result = {"n": args.articles, "group_s": round(grouped - started, 3), "store_s": round(kept - grouped, 3),
              "load_s": round(loaded - kept, 3), "resume_unchanged_s": round(resumed - loaded, 3),
              "store_mb": round(size / 1e6, 1)}
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
