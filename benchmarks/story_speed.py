"""The story grouping alone on generated articles: its time, and whether other code groups the same.

    python benchmarks/story_speed.py --articles 100000 [--reference TREE] [--json OUT]

Generates N articles (benchmarks/corpus.py, two years whatever N, so a larger N is a denser
archive whose candidate lists fill), makes their story items once, then times a cold
`cluster()` on them in a fresh process of this checkout and, with `--reference`, of another
checkout (a `git worktree` of an older commit), one after the other. Reports each run's seconds,
ms per article and a digest of the assignment (equal digests: the same stories, slug for slug),
and the ratio of this checkout's time to the reference's, which a shared machine sways less than
either time.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

#: Run in a fresh process with the checkout under test first on the path.
CHILD = """
import hashlib, json, pickle, sys, time
import digest
from digest.analysis.stories import cluster
items = pickle.load(open(sys.argv[1], "rb"))
start = time.perf_counter()
found = cluster(items).assignment()
took = time.perf_counter() - start
print(json.dumps({"s": round(took, 3), "ms_per_article": round(1000 * took / len(items), 4),
                  "stories": len(set(found.values())),
                  "digest": hashlib.sha1(repr(sorted(found.items())).encode()).hexdigest()[:16],
                  "code": digest.__file__}))
"""


def story_items(n: int) -> list:
    """The generated articles as the clustering reads them (their lede and names)."""
    import corpus

    from digest.analysis.stories import story_item
    from digest.analysis.text import split_sentences
    return [story_item(a.stem, a.published, a.title, split_sentences(" ".join(a.body.split())))
            for a in corpus.generate(n)]


def timed(code: Path, items_file: Path) -> dict:
    """One cold grouping in a fresh process that imports `code`'s digest package (run from that
    folder: `python -c` puts its working folder first on the path), checked, not assumed."""
    env = dict(os.environ, PYTHONPATH=str(code), PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, "-c", CHILD, str(items_file)], env=env, check=True, cwd=code,
                         capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not Path(result.pop("code")).resolve().is_relative_to(code.resolve()):
        raise SystemExit(f"the grouping ran other code than {code}'s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--reference", type=Path, help="another checkout to time on the same items")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    start = time.perf_counter()
    items = story_items(args.articles)
    made = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="storyspeed-") as tmp:
        items_file = Path(tmp) / "items.pickle"
        items_file.write_bytes(pickle.dumps(items))
        del items
        result: dict = {"n": args.articles, "items_s": round(made, 1), "this": timed(HERE.parent, items_file)}
        if args.reference is not None:
            result["reference"] = timed(args.reference.resolve(), items_file)
            result["ratio"] = round(result["this"]["s"] / result["reference"]["s"], 3)
            result["same_stories"] = result["this"]["digest"] == result["reference"]["digest"]
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
