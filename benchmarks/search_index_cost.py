"""What the `pagefind` binary alone costs to index N generated articles, in full or cut short.

    python benchmarks/search_index_cost.py --articles 10000 [--chars 600]

Builds one search record per generated article (benchmarks/corpus.py) with its title,
source and date as metadata and its topic and source as filters, as the plugin does, and
writes the bundle with digest/pages/pagefindservice.py into a temporary folder. The text is
the whole body, or with --chars its first N characters (about a summary's length at 600,
a stand-in for `search_full_text_days` leaving older articles to their summary).
Reported: the binary's CPU seconds and peak RSS (from the kernel's accounting of the
finished child), wall seconds, the text's size and the index on disk.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import corpus

from digest.pages.pagefindservice import Record, write_bundle

__all__ = ["measure"]


def measure(n: int, chars: int | None = None) -> dict[str, float]:
    """Index n generated articles (text cut to `chars` if given) and report the cost."""
    records = [Record(f"/articles/{a.stem}/", a.body[:chars] if chars else a.body,
                      {"title": a.title, "source": a.source, "date": f"{a.published:%d %B %Y}"},
                      {"topic": list(a.topics), "source": [a.source]})
               for a in corpus.generate(n)]
    text_mb = sum(len(r.content.encode("utf-8")) for r in records) / 2**20
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pagefind"
        start = time.perf_counter()
        write_bundle(out, records)
        wall = time.perf_counter() - start
        index_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and "-ui." not in p.name) / 2**20
    child = resource.getrusage(resource.RUSAGE_CHILDREN)      # the one pagefind process, finished
    return {"articles": n, "chars": chars or 0, "text_mb": round(text_mb, 1), "wall_s": round(wall, 1),
            "pagefind_cpu_s": round(child.ru_utime + child.ru_stime, 1),
            "pagefind_peak_rss_mb": child.ru_maxrss // 1024, "index_mb": round(index_mb, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--chars", type=int, help="cut each article's text to this many characters")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.articles, args.chars)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
