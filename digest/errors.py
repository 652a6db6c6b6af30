"""One exception hierarchy for everything a user can get wrong.

    DigestError                 base: never raised directly
    ├── ContentError            one problem in one file (article or topics.yml)
    └── ValidationFailed        every problem found in the corpus, reported at once

Each problem names the file, the field, what is wrong and how to fix it, so the
build can stop with one readable message instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["ContentError", "DigestError", "Problem", "Severity", "ValidationFailed"]


class Severity(str, Enum):
    """Errors stop the build; warnings are printed and the build goes on."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """A single thing wrong with one file."""

    path: str
    field: str | None
    message: str
    fix: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}: field '{self.field}'" if self.field else self.path
        return f"{where}: {self.message} Fix: {self.fix}"


class DigestError(Exception):
    """Base class of every error newsdigest raises on purpose."""


class ContentError(DigestError):
    """One problem in one file; carries the file and the field."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem

    @property
    def path(self) -> str:
        return self.problem.path

    @property
    def field(self) -> str | None:
        return self.problem.field


class ValidationFailed(DigestError):
    """Every error found in the content, gathered before anything is written."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity is Severity.ERROR]
        lines = [f"{len(errors)} problem(s) in content; nothing was built:"]
        lines += [f"  - {p}" for p in errors]
        super().__init__("\n".join(lines))
