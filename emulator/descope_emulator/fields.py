"""Reading JSON request bodies the way the Descope Management API validates them.

``Fields`` reads one body; the functions below are the field rules several API areas share (custom
attributes, domain lists, batch lists, seeded ids). Each raises ``DescopeError`` (400) on a bad value.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from descope_emulator import errors

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class Fields:
    """Typed, validating access to one JSON request body.

    A key that is missing or ``null`` counts as absent: the Python SDK sends ``null`` for every
    argument it was not given.
    """

    def __init__(self, body: Mapping[str, Any]) -> None:
        self._body = body

    def keys(self) -> list[str]:
        return list(self._body)

    def present(self, key: str) -> bool:
        return self._body.get(key) is not None

    def unknown(self, known: Iterable[str]) -> dict[str, Any]:
        """The keys the emulator does not model (not in ``known``) with a copy of their values, ``null``
        ones left out. Areas keep them and answer them back, so a test can see whether a full-replace
        write from a client wiped a field (one Descope added later) the client does not know about."""
        modelled = set(known)
        return {
            key: copy.deepcopy(value)
            for key, value in self._body.items()
            if key not in modelled and value is not None
        }

    def require(self, *keys: str) -> None:
        """A 400 ``E011002`` naming ``keys`` unless one of them is present."""
        if not any(self.present(key) for key in keys):
            raise errors.missing_argument(" or ".join(keys))

    def optional(self, key: str, read: Callable[[str], T]) -> T | None:
        """``read(key)`` when the key is present, else None (a partial change leaves it alone)."""
        return read(key) if self.present(key) else None

    def _typed(self, key: str, default: T, kind: type[T], what: str) -> T:
        value = self._body.get(key)
        if value is None:
            return default
        if not isinstance(value, kind):
            raise errors.validation_failed(f"'{key}' must be {what}")
        return value

    def string(self, key: str, default: str = "") -> str:
        return self._typed(key, default, str, "a string")

    def required_string(self, key: str) -> str:
        value = self.string(key)
        if not value:
            raise errors.missing_argument(key)
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        return self._typed(key, default, bool, "a boolean")

    def integer(self, key: str, default: int) -> int:
        value = self._body.get(key)
        if value is None:
            return default
        # bool is an int subclass in Python, but not a number on the wire.
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise errors.validation_failed(f"'{key}' must be a non-negative integer")
        return value

    def string_list(self, key: str) -> list[str]:
        value = self._body.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise errors.validation_failed(f"'{key}' must be a list of strings")
        return list(value)

    def mapping(self, key: str) -> dict[str, Any]:
        """A copy of the object under ``key`` (``{}`` when absent): callers may keep or change it."""
        return copy.deepcopy(self._typed(key, {}, dict, "an object"))

    def choice(self, key: str, allowed: Iterable[str], default: str) -> str:
        value = self.string(key, default)
        allowed = tuple(allowed)
        if value not in allowed:
            raise errors.invalid_argument(f"'{key}' must be one of {list(allowed)}, got '{value}'")
        return value


def custom_attributes(fields: Fields) -> dict[str, Any]:
    """``customAttributes``: names to a string, number, boolean or list of those."""
    attributes = fields.mapping("customAttributes")
    scalar = (str, int, float, bool)
    for key, value in attributes.items():
        ok = isinstance(value, scalar) or (
            isinstance(value, list) and all(isinstance(item, scalar) for item in value)
        )
        if not ok:
            raise errors.validation_failed(
                f"custom attribute '{key}' must be a string, number, boolean or list of those"
            )
    return attributes


def attributes_match(actual: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """The search rule for a ``customAttributes`` filter: every wanted name is set, to the wanted
    value or (the filter value being a list) to one of its items."""
    for name, value in wanted.items():
        if name not in actual:
            return False
        if actual[name] != value and not (isinstance(value, list) and actual[name] in value):
            return False
    return True


def domain_list(fields: Fields, key: str) -> list[str]:
    """A list of domains, none of them empty."""
    found = fields.string_list(key)
    for domain in found:
        if not domain.strip():
            raise errors.invalid_argument(f"'{key}' must not contain empty domains")
    return found


def casefolded(values: Iterable[str]) -> set[str]:
    return {value.casefold() for value in values}


def with_aliases(body: Mapping[str, Any], aliases: Mapping[str, str]) -> dict[str, Any]:
    """The body with each alias renamed to its canonical key; both present and different is a 400."""
    result = dict(body)
    for alias, canonical in aliases.items():
        if result.get(alias) is None:
            result.pop(alias, None)
            continue
        value = result.pop(alias)
        if result.get(canonical) is not None and result[canonical] != value:
            raise errors.validation_failed(f"'{alias}' and '{canonical}' disagree; send one of them")
        result[canonical] = value
    return result


def reject_unknown(fields: Fields, where: str, known: Iterable[str]) -> None:
    unknown = sorted(set(fields.keys()) - set(known))
    if unknown:
        raise errors.validation_failed(f"'{where}' has unknown field(s) {unknown}; known: {sorted(known)}")


def set_given(target: object, **values: Any) -> None:
    """Set the attributes whose value is not None (None means "not in this request")."""
    for name, value in values.items():
        if value is not None:
            setattr(target, name, value)


def rekey(items: dict[K, V], old: K, new: K) -> None:
    """Renames one key of ``items`` in place, keeping the listing order (a rename does not move it)."""
    renamed = [((new if key == old else key), value) for key, value in items.items()]
    items.clear()
    items.update(renamed)


def list_of_objects(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise errors.validation_failed(f"'{key}' must be a list of objects")
    return value


def batch_entries(body: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    """The entries of a batch call: a non-empty list of objects."""
    entries = list_of_objects(body, key)
    if not entries:
        raise errors.missing_argument(key)
    return entries


def seeded_id(entry: Mapping[str, Any], taken: Callable[[str], bool]) -> str | None:
    """The ``id`` a seed entry asks for, when it is a non-empty string no other object has."""
    wanted = entry.get("id")
    return wanted if isinstance(wanted, str) and wanted and not taken(wanted) else None


def secret_hash(secret: str) -> str:
    """What the emulator keeps of a secret (an OIDC client secret, an access key's cleartext)."""
    return hashlib.sha256(secret.encode()).hexdigest()
