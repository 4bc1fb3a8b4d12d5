"""Answers built from stored objects: each wire key is read from the attribute that is its snake_case
(``permissionNames`` from ``permission_names``, ``enforceSSO`` from ``enforce_sso``, ``JITDisabled``
from ``jit_disabled``), so an object's answer is the list of its keys, declared once.

``Answered`` adds the keys the emulator does not model: kept from the write that set them (``extra``)
and answered back after the modelled ones, so a test can see a full-replace write wipe a field (one
Descope added later) the client does not know about.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

_ACRONYM_THEN_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_LOWER_THEN_UPPER = re.compile(r"([a-z0-9])([A-Z])")


@functools.cache
def attribute_of(key: str) -> str:
    """The attribute holding a wire key's value: its snake_case."""
    return _LOWER_THEN_UPPER.sub(r"\1_\2", _ACRONYM_THEN_WORD.sub(r"\1_\2", key)).lower()


def wire_form(stored: object, keys: Iterable[str]) -> dict[str, Any]:
    """``{key: a copy of the value of its attribute}`` for each of ``keys``, in their order."""
    return {key: copy.deepcopy(getattr(stored, attribute_of(key))) for key in keys}


@dataclass
class Answered:
    """A stored object whose answer is its ``WIRE_KEYS`` and then the unmodelled keys in ``extra``."""

    WIRE_KEYS: ClassVar[tuple[str, ...]] = ()
    extra: dict[str, Any] = field(default_factory=dict, kw_only=True)

    def to_wire(self) -> dict[str, Any]:
        return {**wire_form(self, self.WIRE_KEYS), **copy.deepcopy(self.extra)}
