"""A Markdown extension that kills the Dask worker converting an article that contains its
word (tests/test_dask.py): `once` kills only the first worker to meet it (a marker file
records that), `always` kills every worker that does. Outside a Dask worker it does nothing,
so the same site builds locally for comparison."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor


class _Tripwire(Preprocessor):
    def __init__(self, md: Markdown, word: str, marker: str, mode: str) -> None:
        super().__init__(md)
        self.word, self.marker, self.mode = word, Path(marker), mode

    def run(self, lines: list[str]) -> list[str]:
        if any(self.word in line for line in lines) and _in_dask_worker():
            if self.mode == "always" or not self.marker.exists():
                self.marker.write_text("killed\n", encoding="utf-8")
                os.kill(os.getpid(), signal.SIGKILL)
        return lines


def _in_dask_worker() -> bool:
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


class TripwireExtension(Extension):
    def __init__(self, **kwargs: object) -> None:
        self.config = {"word": ["tripwire", "the word"], "marker": ["", "marker file"],
                       "mode": ["once", "once or always"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Tripwire(md, self.getConfig("word"), self.getConfig("marker"),
                                            self.getConfig("mode")), "tripwire", 40)


def makeExtension(**kwargs: object) -> TripwireExtension:
    return TripwireExtension(**kwargs)
