"""What every check shares: how a failure message quotes a user's value (enough to find it, never
the whole of a huge string or list), and the limits of lists and numbers."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

_MAX_SHOWN = 80
MAX_LIST_ITEMS = 1000
# A Pulumi program carries every number as a float64: integers beyond 2**53 arrive rounded, and
# 2**53 + 1 arrives as 2**53, so the largest integer that provably arrived as written is 2**53 - 1.
MAX_EXACT_INTEGER = 2**53 - 1


def type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def shown(value: Any) -> str:
    """repr() of a user's value for a failure message, cut short when long."""
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def collection_problem(prop: str, value: Any, kind: Any, expected: str) -> str | None:
    """Why `value` is not a `kind` (a list or a map) of at most MAX_LIST_ITEMS entries, or None;
    `expected` says what it must be ("a list of strings, e.g. [...]")."""
    if not isinstance(value, kind):
        return f"{prop} must be {expected}; got {type_name(value)}"
    if len(value) > MAX_LIST_ITEMS:
        return f"{prop} has {len(value)} entries; at most {MAX_LIST_ITEMS} are supported"
    return None


def sorted_set(
    prop: str,
    value: Any,
    expected: str,
    item: Callable[[str, str], tuple[str | None, str | None]],
    such_as: str = "",
) -> tuple[Any, str | None]:
    """A list of strings taken as a set: each string checked and normalised by `item(where, text)`,
    then de-duplicated and sorted, so reordering the program never shows as a change. `expected`
    and `such_as` say what the list and an item must be."""
    if value is None:
        return None, None
    problem = collection_problem(prop, value, list | tuple, expected)
    if problem:
        return None, problem
    cleaned: set[str] = set()
    for index, text in enumerate(value):
        where = f"{prop}[{index}]"
        if not isinstance(text, str):
            return None, f"{where} must be a string{such_as}; got {type_name(text)}"
        normalised, problem = item(where, text)
        if problem:
            return None, problem
        assert normalised is not None
        cleaned.add(normalised)
    return sorted(cleaned), None


def number_problem(where: str, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where} must be a finite number; got {value}"
    if abs(value) > MAX_EXACT_INTEGER:
        return (
            f"{where} is {value!r}, beyond what a Pulumi program carries exactly (integers up to 2**53 - 1 "
            f"= {MAX_EXACT_INTEGER} in magnitude; larger ones arrive rounded); write it as a string"
        )
    return None
