"""Time the first search of a built site in Chromium, and count the bytes it transfers.

    python benchmarks/search_speed.py SITE_DIR --query rocket

The site is served from 127.0.0.1 by http.server (no compression, like a plain static
host); Debian's Chromium is driven through Playwright. The query is typed as soon as the
home page has loaded, so the time includes fetching and indexing search_index.json in
Material's search worker, which is what a visitor waits for on their first search.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import threading
import time
from pathlib import Path

__all__ = ["measure"]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure(site: Path, query: str, timeout_s: float = 60.0) -> dict[str, float]:
    """First-query time (ms) and transfer (MB) for `query` on the site's home page."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    index = site / "search" / "search_index.json"
    sizes: list[int] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_port}/", wait_until="load")
            loaded = time.perf_counter()
            page.fill("input.md-search__input", query)
            typed = time.perf_counter()
            page.wait_for_selector(".md-search-result__item", timeout=timeout_s * 1000)
            done = time.perf_counter()
            results = page.locator(".md-search-result__item").count()
            browser.close()
    finally:
        server.shutdown()
    raw = index.read_bytes()
    return {
        "query": query,  # type: ignore[dict-item]
        "index_mb": round(len(raw) / 2**20, 2),
        "index_gzip_mb": round(len(gzip.compress(raw, 6)) / 2**20, 2),
        "page_load_ms": round(1000 * (loaded - start)),
        "first_query_ms": round(1000 * (done - typed)),
        "load_to_results_ms": round(1000 * (done - start)),
        "transferred_mb": round(sum(s for s in sizes if s > 0) / 2**20, 2),
        "results_shown": results,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="rocket")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.site, args.query), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
