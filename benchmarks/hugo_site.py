"""The Hugo build of the build-speed benchmark: a project of the generated articles.

`write_hugo_project(root, articles)` writes a complete Hugo project of the same articles
the digest and Pelican builds use (benchmarks/corpus.py), with a minimal layout of our
own, so no theme is downloaded: topics and sources as taxonomies (a page per term, the
topic terms titled and described as in topics.yml), a "related" list on every article
(`.Site.RegularPages.Related` over topics and sources) and RSS for the home page, the
section and every taxonomy and term. `ensure_hugo()` finds Debian's `hugo` binary and
installs the package when it is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from corpus import TOPICS, GenArticle

__all__ = ["CONFIG", "LAYOUTS", "build_command", "ensure_hugo", "hugo_front_matter",
           "hugo_version", "write_hugo_project"]

# Related content ranks pages by shared topics first, then by outlet; the threshold is
# Hugo's default, the index weights are ours.
CONFIG = """\
baseURL = "https://example.org/"
languageCode = "en"
title = "Benchmark"
disableHugoGeneratorInject = true

[taxonomies]
  topic = "topics"
  source = "sources"

[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
  taxonomy = ["HTML", "RSS"]
  term = ["HTML", "RSS"]

[related]
  threshold = 80
  includeNewer = true
  toLower = false
  [[related.indices]]
    name = "topics"
    weight = 100
  [[related.indices]]
    name = "sources"
    weight = 20
"""

_ITEM = ('<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> '
         '<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 Jan 2006" }}</time></li>')
LAYOUTS: dict[str, str] = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats -}}
<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink | safeURL }}">
{{ end -}}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Taxonomies.topics.Alphabetical }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2 January 2006" }} · {{ .Params.author }} ·
{{ range .GetTerms "sources" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
<p>Topics: {{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
<p><a href="{{ .Params.source_url }}">Original article</a></p>
</article>
{{ with first 5 (.Site.RegularPages.Related .) }}
<aside class="related"><h2>Related</h2><ul>{{ range . }}ITEM{{ end }}</ul></aside>
{{ end }}
{{ end }}
""".replace("ITEM", _ITEM),
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = first 50 .Site.RegularPages.ByDate.Reverse }}{{ end }}
<ul>{{ range $pages }}ITEM{{ end }}</ul>
{{ end }}
""".replace("ITEM", _ITEM),
    "_default/taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "_default/term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}ITEM{{ end }}</ul>
{{ end }}
""".replace("ITEM", _ITEM),
}


def _front(fields: dict[str, object]) -> str:
    """YAML front matter; every value JSON-encoded, which YAML reads as the same value."""
    return "---\n" + "".join(f"{key}: {json.dumps(value)}\n" for key, value in fields.items()) + "---\n"


def hugo_front_matter(a: GenArticle) -> str:
    """An article's front matter: date, title, author, its topics and source as taxonomy terms
    (the original link as source_url: Hugo reserves `url` for the page's own address)."""
    return _front({"title": a.title, "date": a.published.isoformat(), "author": a.author,
                   "source_url": a.url, "topics": list(a.topics), "sources": [a.source]})


def write_hugo_project(root: Path, articles: list[GenArticle]) -> None:
    """config.toml, layouts/ and content/ (the articles, plus titled topic terms) under root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "layouts" / name).write_text(text, encoding="utf-8")
    content = root / "content"
    for section, title in (("", "Benchmark"), ("articles", "Articles"), ("topics", "Topics"),
                           ("sources", "Sources")):
        (content / section).mkdir(parents=True, exist_ok=True)
        (content / section / "_index.md").write_text(_front({"title": title}), encoding="utf-8")
    for tid, title, desc in TOPICS:
        (content / "topics" / tid).mkdir(exist_ok=True)
        (content / "topics" / tid / "_index.md").write_text(f"{_front({'title': title})}\n{desc}\n",
                                                            encoding="utf-8")
    for a in articles:
        (content / "articles" / f"{a.stem}.md").write_text(f"{hugo_front_matter(a)}\n{a.body}\n",
                                                           encoding="utf-8")


def build_command(hugo: str, root: Path) -> list[str]:
    """The build of the project at root: quiet, into public/, with Hugo's file cache in
    root/resources/ (Hugo wants that path absolute), not in the user's ~/.cache."""
    return [hugo, "--quiet", "--source", str(root.resolve()), "--destination", "public",
            "--cacheDir", str(root.resolve() / "resources" / "_cache")]


def hugo_version(hugo: str) -> str:
    """`hugo version`'s first word after the name, e.g. 'v0.111.3+extended'."""
    out = subprocess.run([hugo, "version"], capture_output=True, text=True, check=True).stdout
    return out.split()[1] if len(out.split()) > 1 else out.strip()


def ensure_hugo(hugo: str = "hugo") -> str:
    """The path of the hugo binary; Debian's `hugo` package is installed if it is missing
    (with sudo unless root, as .ci/setup does for chromium). Exits with a clear message
    when that fails."""
    found = shutil.which(hugo)
    if found:
        return found
    print("hugo not found: installing Debian's hugo package (apt-get)...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "hugo"]):
            subprocess.run(sudo + cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit(f"could not install Debian's hugo package ({exc}); install it "
                         "(apt-get install hugo), pass --hugo PATH, or skip it with --skip hugo") from exc
    found = shutil.which(hugo)
    if not found:
        raise SystemExit("apt-get installed the hugo package but no hugo is on PATH; "
                         "pass --hugo PATH or --skip hugo")
    return found
