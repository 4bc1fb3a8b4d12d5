"""YAML that refuses a key written twice in one mapping (PyYAML's safe_load keeps the last one,
silently dropping the other): the customers file's reader."""

from __future__ import annotations

from typing import Any


class RepeatedKey(Exception):
    """`key` is written a second time at `line` (1-based) of the text."""

    def __init__(self, key: Any, line: int) -> None:
        super().__init__(f"line {line}: the key {key!r} is written twice in one mapping")
        self.key, self.line = key, line


def read(text: str) -> Any:
    """The content of a YAML document, as yaml.safe_load gives it; RepeatedKey when a mapping has a
    key twice (a `<<: *base` merge's keys may still be overridden); yaml.YAMLError otherwise."""
    import yaml  # PyYAML: only programs that read a customers file need it

    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise RepeatedKey(key, key_node.start_mark.line + 1)
                seen.add(key)
            return super().construct_mapping(node, deep)

    return yaml.load(text, Loader=Loader)  # a SafeLoader: no arbitrary objects
