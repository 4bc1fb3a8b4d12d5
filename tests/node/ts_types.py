"""Checks JSON answers against the TypeScript types the installed Node SDK declares.

Reads ``declare type Name = {...};`` and ``declare type Name = 'a' | 'b';`` from the SDK's
``dist/index.d.ts`` and checks a decoded JSON value against one of them: every non-optional field is
present, every field present has the declared type (``string``, ``number``, ``boolean``, ``T[]``,
``Record<string, T>``, string literals, unions, other declared types). Extra fields are allowed, as in
TypeScript's structural typing. A type this small parser does not understand fails the check, so a
new SDK version cannot make it pass vacuously.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DECLARATION = re.compile(r"^declare type (\w+)(?:<[^=]*>)? = ", re.MULTILINE)
_FIELD = re.compile(r"^\s*(\w+)(\?)?:\s*(.+?);\s*$")


@dataclass(frozen=True)
class Field:
    name: str
    optional: bool
    type: str


class TypeScriptTypes:
    def __init__(self, declarations: Path) -> None:
        text = declarations.read_text()
        self.objects: dict[str, list[Field]] = {}
        self.aliases: dict[str, str] = {}
        for match in _DECLARATION.finditer(text):
            name, start = match.group(1), match.end()
            if text.startswith("{", start):
                body = text[start + 1 : _matching_brace(text, start)]
                self.objects[name] = _fields(body)
            else:
                self.aliases[name] = text[start : text.index(";", start)].strip()

    def problems(self, value: Any, type_name: str, where: str = "$") -> list[str]:
        """Every way ``value`` does not conform to ``type_name`` (empty when it conforms)."""
        return self._check(value, type_name.strip(), where)

    def _check(self, value: Any, ts: str, where: str) -> list[str]:
        ts = ts.strip()
        alternatives = _split_top_level(ts, "|")
        if len(alternatives) > 1:
            results = [self._check(value, alt, where) for alt in alternatives]
            if any(not result for result in results):
                return []
            return [f"{where}: {value!r} matches none of {ts}"]
        if ts.startswith("(") and ts.endswith(")"):
            return self._check(value, ts[1:-1], where)
        if ts in ("any", "unknown"):
            return []
        if ts == "string":
            return [] if isinstance(value, str) else [f"{where}: {value!r} is not a string"]
        if ts == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            return [] if ok else [f"{where}: {value!r} is not a number"]
        if ts == "boolean":
            return [] if isinstance(value, bool) else [f"{where}: {value!r} is not a boolean"]
        if re.fullmatch(r"'[^']*'|\"[^\"]*\"", ts):
            return [] if value == ts[1:-1] else [f"{where}: {value!r} is not {ts}"]
        if ts.endswith("[]"):
            if not isinstance(value, list):
                return [f"{where}: {value!r} is not an array"]
            return [p for i, item in enumerate(value) for p in self._check(item, ts[:-2], f"{where}[{i}]")]
        record = re.fullmatch(r"Record<string,\s*(.+)>", ts)
        if record:
            if not isinstance(value, dict):
                return [f"{where}: {value!r} is not an object"]
            return [p for k, v in value.items() for p in self._check(v, record.group(1), f"{where}.{k}")]
        if ts in self.aliases:
            return self._check(value, self.aliases[ts], where)
        if ts in self.objects:
            if not isinstance(value, dict):
                return [f"{where}: {value!r} is not an object ({ts})"]
            found: list[str] = []
            for field in self.objects[ts]:
                if field.name not in value:
                    if not field.optional:
                        found.append(f"{where}: required field '{field.name}' of {ts} is missing")
                    continue
                found.extend(self._check(value[field.name], field.type, f"{where}.{field.name}"))
            return found
        return [f"{where}: the checker does not understand the TypeScript type '{ts}'"]


def _matching_brace(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError("unbalanced braces in the declarations")


def _fields(body: str) -> list[Field]:
    fields = []
    for line in body.splitlines():
        match = _FIELD.match(line)
        if match and not line.strip().startswith(("*", "/")):
            fields.append(Field(match.group(1), bool(match.group(2)), match.group(3)))
    return fields


def _split_top_level(ts: str, separator: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in ts:
        if char in "<({[":
            depth += 1
        elif char in ">)}]":
            depth -= 1
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]
