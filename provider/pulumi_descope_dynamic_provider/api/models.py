"""Wire objects of the Descope Management API as pydantic v2 models.

snake_case in Python, camelCase on the wire (explicit aliases where Descope's spelling is not plain
camelCase, e.g. `enforceSSO`). Models parse leniently what the server may send as null (lists and
maps become empty) but reject wrong types, which the client turns into a MalformedResponseError.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.alias_generators import to_camel

TokenUnit = Literal["minutes", "hours", "days", "weeks"]
CustomAttributeValue = str | int | float | bool | list[Any]


class WireModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
    )

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")

    @model_validator(mode="before")
    @classmethod
    def _null_is_the_default(cls, data: Any) -> Any:
        """Descope (and its SDKs) send null for an empty list, map or string, and an unset value
        arrives as None from a program: a null where the field has a default other than None takes
        that default (an empty list, map or string, 0); a required field given null stays an error,
        and a field whose default is None keeps the null for its own validators."""
        if not isinstance(data, dict):
            return data
        defaulted = _defaulted_keys(cls)
        return {key: value for key, value in data.items() if value is not None or key not in defaulted}


@functools.cache
def _defaulted_keys(model: type[WireModel]) -> frozenset[str | None]:
    """The names and aliases of `model`'s fields whose default is not None, computed once per class:
    pydantic's get_default() inspects the default factory's signature (tokenising the text signature
    of `list` or `dict`) on every call, which made parsing a list of 1000 tenants take ~0.5 s."""
    return frozenset(
        key
        for name, field in model.model_fields.items()
        if not field.is_required() and field.get_default(call_default_factory=True) is not None
        for key in (name, field.alias)
    )


class KeepsUnknownKeys(WireModel):
    """A wire object Descope updates by full replace (a role, a permission, SSO settings): the keys
    of what it loads that this code does not model (a field Descope added since) are kept, and a
    write built from the live object carries them back, so a full replace never wipes a field newer
    than this code. Build a write from `unknown_keys()` of the live object plus the known fields."""

    model_config = ConfigDict(extra="allow")
    answer_only: ClassVar[frozenset[str]] = frozenset()
    """Keys Descope answers but a write must never carry back (an OIDC `clientSecret`, answered as
    "": sending it would clear the secret)."""

    def unknown_keys(self) -> dict[str, Any]:
        """The keys Descope sent that no field of this model declares, as Descope spelled them."""
        return {
            key: value
            for key, value in (self.model_extra or {}).items()
            if value is not None and key not in self.answer_only
        }

    def known(self) -> dict[str, Any]:
        """The declared fields only (snake_case): what compares with the program's values."""
        return self.model_dump(include=set(type(self).model_fields))


def none_to_empty_list(value: Any) -> Any:
    return [] if value is None else value


def none_to_empty_dict(value: Any) -> Any:
    return {} if value is None else value


def integral_floats_as_int(value: Any) -> Any:
    """The plugin protocol carries every number as a float; Descope should get 250, not 250.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [integral_floats_as_int(item) for item in value]
    return value
