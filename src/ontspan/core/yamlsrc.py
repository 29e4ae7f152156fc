"""YAML that remembers where each value came from, so errors can name the line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ontspan.core.errors import SourceError

# libyaml's parser when PyYAML was built with it (several times faster); the nodes carry the
# same line marks either way.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Located:
    """A parsed document plus the 1-based line of every key path in it."""

    source: str
    value: Any
    lines: dict[tuple[str | int, ...], int]

    def line(self, *path: str | int) -> int | None:
        # Walk up to the nearest located parent: a missing key is reported at its mapping.
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: tuple[str | int, ...], message: str) -> SourceError:
        field = ".".join(str(p) for p in path) or "(document)"
        return SourceError(self.source, self.line(*path), field, message)


def parse(text: str, source: str) -> Located:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(source, line, "(syntax)", f"not valid YAML: {problem}") from None
    lines: dict[tuple[str | int, ...], int] = {}
    if node is None:
        return Located(source, None, {(): 1})
    # One constructor for the whole document: it only turns scalar nodes into values.
    constructor = yaml.constructor.SafeConstructor()
    return Located(source, _convert(node, (), lines, constructor, source, set()), lines)


def _convert(
    node: yaml.Node, path: tuple[str | int, ...], lines: dict[tuple[str | int, ...], int],
    constructor: yaml.constructor.SafeConstructor, src: str, seen: set[int],
) -> Any:
    # An alias makes the composer hand out the same node again. Refuse it on sight: nested
    # aliases grow exponentially ("billion laughs") and a self-reference never ends.
    if id(node) in seen:
        raise SourceError(src, node.start_mark.line + 1, ".".join(str(p) for p in path) or
                          "(document)", "anchors and aliases (& and *) are not allowed here")
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or id(key_node) in seen:
                raise SourceError(src, key_node.start_mark.line + 1, ".".join(
                    str(p) for p in path) or "(document)", "a key must be plain text")
            seen.add(id(key_node))
            key = str(_scalar(key_node, path, constructor, src))
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _convert(value_node, (*path, key), lines, constructor, src, seen)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines, constructor, src, seen)
                for i, item in enumerate(node.value)]
    return _scalar(node, path, constructor, src)


def _scalar(node: yaml.Node, path: tuple[str | int, ...],
            constructor: yaml.constructor.SafeConstructor, src: str) -> Any:
    try:
        return constructor.construct_object(node)
    except yaml.YAMLError as exc:  # a tag whose value does not fit it, e.g. bad !!binary
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(src, node.start_mark.line + 1,
                          ".".join(str(p) for p in path) or "(document)",
                          f"not a valid value: {problem}") from None
