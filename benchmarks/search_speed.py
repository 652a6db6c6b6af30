"""Time the first search of a built site in Chromium, and count the bytes it transfers.

    python benchmarks/search_speed.py SITE_DIR --query rocket

The site is served from 127.0.0.1 by http.server (no compression, like a plain static
host); Debian's Chromium is driven through Playwright, with an empty cache. Once the home
page has loaded, the page itself focuses the header's search box, types the whole query
and times, with performance.now(), until the first result is on screen. That includes
loading Pagefind (pagefind.js, its worker and WebAssembly, the index's metadata), the
index chunks for the query's words, the first result's fragment, and the search box's
150 ms debounce: what a visitor waits for on their first search.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import threading
import time
from pathlib import Path

__all__ = ["measure"]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
RESULT = ".nd-search .pf-searchbox-result[href]"    # a result whose data has loaded
# Focus the search box, type the query, and resolve with the ms until the first result shows
# (-1 if none has shown after timeout ms).
TYPE_AND_WAIT = """([query, timeout]) => new Promise((resolve) => {
  const box = document.querySelector(".nd-search"), input = box.querySelector("input");
  const start = performance.now();
  const seen = new MutationObserver(() => {
    if (box.querySelector('%s')) { seen.disconnect(); resolve(performance.now() - start); }
  });
  seen.observe(box, {subtree: true, childList: true});
  setTimeout(() => { seen.disconnect(); resolve(-1); }, timeout);
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event("input", {bubbles: true}));
})""" % RESULT.replace(".nd-search ", "")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _mb(n: float) -> float:
    return round(n / 2**20, 2)


def index_size(site: Path) -> dict[str, float]:
    """The index on disk (site/pagefind/ without its UI scripts): MB and file count."""
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file() and "-ui." not in p.name]
    return {"index_mb": _mb(sum(p.stat().st_size for p in files)), "index_files": len(files)}


def measure(site: Path, query: str, timeout_s: float = 60.0) -> dict[str, float]:
    """First-query time (ms) and transfer (MB) for `query`, typed into the home page's search."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: list[tuple[str, int]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("requestfinished", lambda r: sizes.append((r.url, r.sizes()["responseBodySize"])))
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_port}/", wait_until="load")
            loaded = time.perf_counter()
            before = len(sizes)
            first_ms = page.evaluate(TYPE_AND_WAIT, [query, timeout_s * 1000])
            if first_ms < 0:
                raise SystemExit(f"no result for {query!r} within {timeout_s} s")
            page.wait_for_timeout(300)         # let the other shown results load their fragments
            results = page.locator(RESULT).count()
            first = page.locator(RESULT).first.get_attribute("href")
            browser.close()
    finally:
        server.shutdown()
    search = [n for url, n in sizes[before:] if n > 0]
    return {
        "query": query,  # type: ignore[dict-item]
        **index_size(site),
        "page_load_ms": round(1000 * (loaded - start)),
        "first_query_ms": round(first_ms),
        "search_transferred_mb": _mb(sum(search)),
        "search_requests": len(search),
        "transferred_mb": _mb(sum(n for _, n in sizes if n > 0)),
        "results_shown": results,
        "first_result": first,  # type: ignore[dict-item]
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
