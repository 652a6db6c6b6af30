"""The site's pages: rendering, feeds, charts and search records; no MkDocs imports."""
