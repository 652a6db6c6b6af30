"""Live-preview benchmark: how long `mkdocs serve` takes to show an edit and a new article.

    python benchmarks/serve_speed.py --articles 1000 --edits 10 --json out.json [--workdir DIR]

Generates N articles (benchmarks/corpus.py, the mkdocs.yml of build_speed.py), starts
`mkdocs serve` on 127.0.0.1 and waits for its first build. Then K times: inserts a unique
sentence into a middle paragraph of one article's body (articles drawn with a seeded RNG from
the whole archive) and measures from just after the file is closed until the served page
(polled every 20 ms) contains it. Then adds one article dated now, in the topic of an
existing one, and measures until its page answers with its text and its topic page links to
it. Each change must show before the next is made. Reports median and max per kind, the time
of the first build and the peak RSS of the server's whole process tree; stops the server
itself, also on errors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_speed
import corpus

POLL_S = 0.02          # how often the served page is fetched while waiting for a change
SETTLE_S = 0.5         # pause after a change is visible, before the next one


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now (also used by tests/test_serve.py)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float = 600) -> tuple[int, str]:
    """Status and text of a served page (0 while the server does not answer)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


class Server:
    """`mkdocs serve` in its own process group, with its tree's peak RSS sampled from /proc."""

    def __init__(self, project: Path, code: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log = log
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")])))
        self._out = open(log, "w")      # noqa: SIM115  (closed by stop(), when the server is gone)
        self.proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", "mkdocs.yml",
                                      "-a", f"127.0.0.1:{self.port}"], cwd=project, env=env,
                                     stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True)
        self.peak_kb = 0
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while self.proc.poll() is None:
            self.peak_kb = max(self.peak_kb, build_speed._tree_rss_kb(self.proc.pid))
            time.sleep(0.25)

    def until(self, path: str, check: Callable[[int, str], bool], timeout: float) -> float | None:
        """Seconds (monotonic clock) at which the served page first passed check, or None."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise SystemExit(f"mkdocs serve exited ({self.proc.returncode}); see {self.log}:\n"
                                 f"{self.log.read_text()[-3000:]}")
            status, text = fetch(self.base + path)
            if check(status, text):
                return time.monotonic()
            time.sleep(POLL_S)
        return None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._out.close()


def _with_marker(text: str, marker: str) -> str:
    """The article file with marker appended to the middle prose paragraph of its body."""
    _, front, body = text.split("---\n", 2)
    paragraphs = body.split("\n\n")
    prose = [i for i, p in enumerate(paragraphs) if p.strip() and not p.lstrip().startswith("#")]
    i = prose[len(prose) // 2]
    paragraphs[i] = paragraphs[i].rstrip("\n") + " " + marker + ("\n" if paragraphs[i].endswith("\n") else "")
    return f"---\n{front}---\n" + "\n\n".join(paragraphs)


def _marker() -> str:
    """A sentence no article contains yet."""
    return f"Update {uuid.uuid4().hex}: officials confirmed the figures."


def _write(path: Path, text: str) -> float:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return time.monotonic()


def _summary(runs: list[float | None]) -> dict[str, object]:
    """Median and max in ms; a timed-out run counts as slower than every other."""
    ranked = [float("inf") if r is None else r for r in runs]
    median, worst = statistics.median(ranked), max(ranked)
    return {"median": None if median == float("inf") else round(median, 1),
            "max": None if worst == float("inf") else round(worst, 1),
            "runs": [None if r is None else round(r, 1) for r in runs],
            "timeouts": sum(r is None for r in runs)}


def bench(n: int, edits: int, work: Path, timeout: float, seed: int) -> dict[str, object]:
    articles = list(corpus.generate(n))
    project = work / "digest"
    corpus.write_digest_corpus(project / "content", articles)
    (project / "mkdocs.yml").write_text(build_speed.DIGEST_YML.replace("{cache}", ".cache/digest"),
                                        encoding="utf-8")
    code = build_speed.snapshot(work)
    folder = project / "content" / "articles"
    chosen = random.Random(seed).sample(articles, min(edits, n))
    start = time.monotonic()
    server = Server(project, code, work / "serve.log")
    try:
        first = server.until(f"articles/{articles[0].stem}/", lambda s, _: s == 200, timeout)
        if first is None:
            raise SystemExit(f"the first build did not finish in {timeout} s; see {server.log}")
        edit_runs: list[float | None] = []
        for a in chosen:
            marker = _marker()
            path = folder / f"{a.stem}.md"
            written = _write(path, _with_marker(path.read_text(encoding="utf-8"), marker))
            shown = server.until(f"articles/{a.stem}/", lambda s, t: s == 200 and marker in t, timeout)
            edit_runs.append(None if shown is None else 1000 * (shown - written))
            time.sleep(SETTLE_S)
        now = datetime.now(UTC).replace(microsecond=0)
        new = next(corpus.generate(1, offset=n))
        topic = chosen[0].topics[0] if chosen else articles[0].topics[0]
        marker = _marker()
        new = replace(new, published=now, topics=(topic,), stem=f"{now:%Y-%m-%d}-{new.stem.split('-', 3)[3]}",
                      body=new.body + "\n\n" + marker)
        written = _write(folder / f"{new.stem}.md", corpus.digest_markdown(new))
        page = server.until(f"articles/{new.stem}/", lambda s, t: s == 200 and marker in t, timeout)
        listed = page and server.until(f"topics/{topic}/", lambda s, t: f"articles/{new.stem}/" in t,
                                       max(0.0, timeout - (page - written)))
        add_runs: list[float | None] = [1000 * (listed - written) if listed else None]
    finally:
        server.stop()
    return {"n": n, "edit_ms": _summary(edit_runs), "add_ms": _summary(add_runs),
            "edited": [a.stem for a in chosen], "added": new.stem, "topic": topic,
            "first_build_s": round(first - start, 2), "peak_rss_mb": round(server.peak_kb / 1024, 1),
            "timeout_s": timeout, "seed": seed}


def report(result: dict[str, object]) -> str:
    lines = [f"N = {result['n']}, first build {result['first_build_s']} s, "
             f"server peak RSS {result['peak_rss_mb']} MB",
             f"{'change':<16}{'runs':>6}{'median ms':>12}{'max ms':>12}{'timeouts':>10}"]
    for key, label in (("edit_ms", "edit body"), ("add_ms", "add article")):
        row: dict = result[key]  # type: ignore[assignment]
        shown = ["TIMEOUT" if row[k] is None else f"{row[k]:.0f}" for k in ("median", "max")]
        lines.append(f"{label:<16}{len(row['runs']):>6}{shown[0]:>12}{shown[1]:>12}{row['timeouts']:>10}")
    lines.append("edited: " + ", ".join(result["edited"]))  # type: ignore[arg-type]
    lines.append(f"added: {result['added']} (topic {result['topic']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="corpus size")
    parser.add_argument("--edits", type=int, default=10, help="body edits to time (default 10)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--workdir", type=Path, help="keep the generated project and serve.log here")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for each change")
    parser.add_argument("--seed", type=int, default=14, help="seed of the choice of edited articles")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix=f"serve{args.articles}-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        result = bench(args.articles, args.edits, work, args.timeout, args.seed)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print(report(result), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
