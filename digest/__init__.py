"""newsdigest: news articles in, a static site of extractive, attributed topic summaries out."""

from __future__ import annotations

from .errors import ContentError, DigestError, Problem, ValidationFailed

__all__ = ["ContentError", "DigestError", "Problem", "ValidationFailed", "__version__"]
__version__ = "0.1.0"
