"""YAML as zi-media reads it (profiles, manifests): safe_load without aliases or deep nesting.

A 331-byte "billion laughs" document (aliases of aliases) expands to gigabytes once walked or
printed; zi-media's files never need aliases, so any alias is refused, as is nesting deeper
than MAX_DEPTH. Error text is kept to one short line.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 32  # nesting of mappings and lists
MAX_MESSAGE = 200  # characters of a YAML error kept in a message


class YamlError(ValueError):
    """The text is not YAML zi-media accepts; the message is one short line."""


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise YamlError(f"aliases (*name) are not allowed, at line {mark.line + 1}")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YamlError(f"nested deeper than {MAX_DEPTH} levels, at line {mark.line + 1}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load(text: str) -> Any:
    """The YAML document in `text`; YamlError (short message) for anything refused or broken."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise YamlError(f"YAML syntax error{where}: {short(problem)}") from None


def short(text: object, limit: int = MAX_MESSAGE) -> str:
    """One line of at most `limit` characters, for messages that quote user data."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[:limit - 1] + "…"
