"""The pure analysis: text, summaries, duplicates, figures, related coverage; no MkDocs imports."""
