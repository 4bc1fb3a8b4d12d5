"""Wire objects of the Descope Management API as pydantic v2 models.

snake_case in Python, camelCase on the wire (explicit aliases where Descope's spelling is not plain
camelCase, e.g. `enforceSSO`). Models parse leniently what the server may send as null (lists and
maps become empty) but reject wrong types, which the client turns into a MalformedResponseError.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
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
