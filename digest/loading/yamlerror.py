"""Where a YAML error is, in the lines of the user's file (1-based), and what it is."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

__all__ = ["YamlMistake", "yaml_mistake"]


@dataclass(frozen=True)
class YamlMistake:
    """A parse error as a user reads it: `text` for the message, `line` to look at for the fix."""

    text: str
    line: int | None

    @property
    def fix(self) -> str:
        return f"check the quoting and indentation of {f'line {self.line}' if self.line else 'that line'}."


def yaml_mistake(exc: yaml.YAMLError, first_line: int = 1) -> YamlMistake:
    """Describe `exc` for YAML that starts on line `first_line` of its file.

    PyYAML counts lines from 0 within the text it was given; front matter starts below
    the opening '---', so its offset is passed in. An unclosed quote or bracket is
    reported where the parser gave up (often the end of the YAML), so the line where
    it opened is named too, and is the line to fix.
    """
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "invalid syntax"
    if mark is None:
        return YamlMistake(f": {problem}", None)
    line = first_line + mark.line
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None and start.line != mark.line and "block" not in context:
        opened = first_line + start.line
        return YamlMistake(f" at line {line}: {problem} ({context} that starts at line {opened})", opened)
    return YamlMistake(f" at line {line}: {problem}", line)
