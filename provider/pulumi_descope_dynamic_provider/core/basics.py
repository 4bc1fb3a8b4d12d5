"""What every check shares: how a failure message quotes a user's value (enough to find it, never
the whole of a huge string or list), and the limits of lists and numbers."""

from __future__ import annotations

import math
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
