"""Shared fixtures: a throw-away content folder and a real MkDocs build of it."""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

TOPICS = """\
topics:
  - id: iraq-protests
    title: Iraq protests
    description: Anti-government protests in Iraq.
    aliases: [iraq-demonstrations]
  - id: us-troop-presence
    title: US troop presence
    description: American forces in Iraq.
"""


def article(title: str = "A story", date: str = "2020-01-27", source: str = "Desk",
            topics: str = "[iraq-protests]", body: str = "Some text here. More text follows.",
            extra: str = "") -> str:
    """The text of an article file with the given front matter."""
    fm = f"title: {title}\ndate: {date}\nsource: {source}\ntopics: {topics}\n{extra}"
    return f"---\n{fm.rstrip()}\n---\n\n{textwrap.dedent(body).strip()}\n"


class Project:
    """A temporary MkDocs project: mkdocs.yml, content/ and a site/ output folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.site = root / "site"
        (self.content / "articles").mkdir(parents=True)
        (self.content / "topics.yml").write_text(TOPICS, encoding="utf-8")
        (root / "mkdocs.yml").write_text(
            "site_name: Test digest\nsite_url: https://example.org/\ndocs_dir: content\n"
            "site_dir: site\ntheme:\n  name: material\nplugins:\n  - digest\n"
            "markdown_extensions:\n  - admonition\n  - attr_list\n  - md_in_html\n",
            encoding="utf-8")

    def add(self, name: str, text: str | bytes) -> Path:
        path = self.content / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def build(self) -> None:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        build(load_config(str(self.root / "mkdocs.yml")))

    def html(self, page: str) -> str:
        return (self.site / page / "index.html").read_text(encoding="utf-8")


def summary_box(page: str) -> list[str]:
    """The sentences of an article page's summary box, as shown (entities decoded)."""
    if 'class="admonition abstract nd-summary"' not in page:
        return []
    box = page.split('class="admonition abstract nd-summary"', 1)[1].split("</div>", 1)[0]
    return [html.unescape(s) for s in re.findall(r"<li>(.*?)</li>", box, re.DOTALL)]


def page_prose(page: str) -> list[str]:
    """The prose paragraphs of an article page's body as built, read by digest/loading/prose.py:
    <article> without our own blocks (metadata, corrections, copies, summary, related list:
    each one element of an `nd-` class with no element of its kind inside)."""
    from digest.loading.prose import paragraphs

    main = page.split("<article", 1)[1].split("</article>", 1)[0]
    main = re.sub(r'<(div|aside) class="(?:[^"]* )?nd-[^"]*"[^>]*>.*?</\1>', "", main, flags=re.DOTALL)
    return paragraphs(main)


def pagefind_pages(site: Path) -> dict[str, dict]:
    """The pages in a site's Pagefind index, by URL: what each result would show (url,
    content, meta), read from the index's fragment files (gzipped JSON behind a signature)."""
    pages = {}
    for path in (site / "pagefind").glob("**/fragment/*.pf_fragment"):    # the hub and every shard
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        page = json.loads(data[len(b"pagefind_dcd"):])
        pages[page["url"]] = page
    return pages


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own demo content, built once into a temporary folder."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(root / "mkdocs.yml")))
    return root / "site"


def story_state(index) -> object:
    """Everything a story clustering index (digest/analysis/stories.py) holds, floats included,
    to compare bit for bit."""
    groups = {sid: (g.pinned, tuple(g.members), sorted(g.total.items()), g.norm2) for sid, g in index._groups.items()}
    postings = {t: tuple(p) for t, p in index._postings.items() if p}
    # A one-off index holds old articles' vectors and names compact (Retired, tuples): compared as
    # what they stand for, in their order.
    vectors = [list(v.items()) for v in index._vectors]
    return (index.assignment(), groups, postings, +index._df, vectors, index._top, [frozenset(n) for n in index._names])
