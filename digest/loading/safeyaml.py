"""YAML values a build cannot take, caught where they are parsed and named by field.

Three kinds of value parse as YAML but break a build later: an integer of thousands of
digits (Python refuses to convert it to text, or to parse it at all), lists or mappings
nested hundreds deep (the parser and every later walk recurse), and a lone UTF-16
surrogate written as an escape ("\\ud800"), which no file can be written with. The
loaders of front matter and topics.yml register `constrain` so that each such value
parses as an `Unreadable` marker instead; `unreadable_values` then finds the markers
(and nesting too deep) and names the field holding each, e.g. `corrections[2].text`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["MAX_DEPTH", "MAX_INT_CHARS", "Unreadable", "constrain", "too_deep_flow", "unreadable_values"]

#: Front matter and topics.yml never need more than a few levels; this leaves room.
MAX_DEPTH = 20
#: An integer written with more characters than this is no date, count or id.
MAX_INT_CHARS = 64
_SURROGATE = re.compile("[\ud800-\udfff]")
_TOO_DEEP = "tag:newsdigest,2026:too-deep"
_BRACKET = re.compile(r"[\[\]{}\n]")
_TOP_KEY = re.compile(r"^([^\s#'\"\-?:][^:#]*?)\s*:(?:\s|$)")
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class Unreadable:
    """A value that parsed but cannot be used; `reason` says why, for the error message."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return "an unreadable value"

    __str__ = __repr__


def _int(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> object:
    text = str(node.value)
    if len(text) > MAX_INT_CHARS:
        return Unreadable(f"is an integer of {len(text)} characters, more than the {MAX_INT_CHARS} allowed.")
    return yaml.SafeLoader.construct_yaml_int(loader, node)  # type: ignore[arg-type]


def _str(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> object:
    text = loader.construct_scalar(node)
    if isinstance(text, str) and _SURROGATE.search(text):
        return Unreadable(f"holds a lone UTF-16 surrogate (\\u{ord(_SURROGATE.search(text)[0]):04x}), "  # type: ignore[index]
                          "which is not a character.")
    return text


def _too_deep(loader: yaml.BaseLoader, node: yaml.Node) -> object:
    return Unreadable(f"nests lists or mappings more than {MAX_DEPTH} levels deep.")


class _DepthMixin:
    """Composes at most MAX_DEPTH levels: a deeper collection is skipped event by event
    (the parser itself does not recurse) and stands as one too-deep marker, so neither
    the composer nor the constructor recurses without bound."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(*_OPEN) and self._depth >= MAX_DEPTH:  # type: ignore[attr-defined]
            start = self.get_event()  # type: ignore[attr-defined]
            level = 1
            while level:
                event = self.get_event()  # type: ignore[attr-defined]
                level += 1 if isinstance(event, _OPEN) else -1 if isinstance(event, _CLOSE) else 0
            return yaml.ScalarNode(_TOO_DEEP, "", start.start_mark, event.end_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


def constrain(loader: type, python_parser: bool = True) -> type:
    """`loader` with the constructors above (and, for the pure-Python parser, the depth
    limit); libyaml's own parser refuses nesting past its limit, so the caller falls back."""
    loader.add_constructor("tag:yaml.org,2002:int", _int)  # type: ignore[attr-defined]
    loader.add_constructor("tag:yaml.org,2002:str", _str)  # type: ignore[attr-defined]
    loader.add_constructor(_TOO_DEEP, _too_deep)  # type: ignore[attr-defined]
    if python_parser:
        return type(loader.__name__, (_DepthMixin, loader), {"__doc__": loader.__doc__})
    return loader


def too_deep_flow(text: str) -> tuple[str, str] | None:
    """(field, reason) if brackets nest more than twice MAX_DEPTH deep, found by a linear
    scan before any parsing: PyYAML's pure-Python scanner takes time quadratic in the
    depth of `[[[...` (seconds at a few thousand), so such text is never handed to it.
    The field is the top-level key above the line where the nesting gets too deep."""
    depth, line = 0, 0
    for mark in _BRACKET.finditer(text):
        char = mark[0]
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > 2 * MAX_DEPTH:
                for row in reversed(text.split("\n", line + 1)[: line + 1]):
                    key = _TOP_KEY.match(row)
                    if key:
                        return key[1], f"nests lists or mappings more than {MAX_DEPTH} levels deep."
                return "", f"nests lists or mappings more than {MAX_DEPTH} levels deep."
        else:
            depth = max(0, depth - 1)
    return None


def unreadable_values(data: object, prefix: str = "", first_index: int = 1) -> list[tuple[str, str]]:
    """(field, reason) for every Unreadable value or key in `data`, and for nesting deeper
    than MAX_DEPTH; fields read like `title`, `topics[2].id` (list positions from 1)."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[object, str, int]] = [(data, prefix, 0)]
    seen: set[int] = set()          # an alias repeats a collection: walk it once
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, (list, dict)):
            if id(value) in seen:
                continue
            seen.add(id(value))
        if isinstance(value, Unreadable):
            found.append((where, value.reason))
        elif isinstance(value, (list, dict)) and depth > MAX_DEPTH:
            found.append((where, f"nests lists or mappings more than {MAX_DEPTH} levels deep."))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, Unreadable):
                    found.append((where or "(key)", "has a key that " + key.reason))
                    continue
                name = key if isinstance(key, str) else repr(key)[:40]
                stack.append((item, f"{where}.{name}" if where else name, depth + 1))
        elif isinstance(value, list):
            for n, item in enumerate(value, start=first_index):
                stack.append((item, f"{where}[{n}]", depth + 1))
    return sorted((_short(where), reason) for where, reason in found)


def _short(where: str, limit: int = 40) -> str:
    """A field path cut at a segment boundary: a value nested 20 deep reads `title[1][1]...`."""
    if len(where) <= limit:
        return where
    cut = max(where.rfind("[", 0, limit), where.rfind(".", 0, limit))
    return where[: cut if cut > 0 else limit] + "..."
