"""The values the harness and the plugin exchange: property bags as `google.protobuf.Struct`, marshalled as
the Pulumi engine marshals them (secrets, unknowns, numbers as doubles), the pickled provider every bag
carries, and the type tokens and URNs of dynamic resources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from google.protobuf import struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime._serialization import _serialize
from pulumi_descope_dynamic._resource import unwrap_pulumi_pickler_patch

PROVIDER_KEY: Final = "__provider"
"""The property that carries the pickled provider in every property bag."""

UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The wire sentinel of an unknown (computed) value, as sent by the engine during preview."""

_SIG_KEY: Final = "4dabf18193072939515e22adb298388d"
_SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"

DYNAMIC_PACKAGE: Final = "pulumi-python"
"""The package (and plugin name, `pulumi-resource-pulumi-python`) of Python dynamic resources."""

DEFAULT_STACK: Final = "dev"
DEFAULT_PROJECT: Final = "proj"


@dataclass(frozen=True)
class Secret:
    """A property or config value the engine knows to be secret."""

    value: Any

    def __repr__(self) -> str:  # never print the value by accident
        return "Secret(***)"


def provider_blob(provider: ResourceProvider) -> str:
    """The ``__provider`` value exactly as `pulumi.dynamic.Resource` computes it (dill + base64).

    Uses the SDK's own `serialize_provider` inside the SDK's serialization context, like `Resource.__init__`.
    """
    blob, _contains_secrets = _serialize(True, serialize_provider, provider)
    # The SDK leaves a pickling wrapper behind on every call: peel it off, as the sdk classes do,
    # or a long test session ends in RecursionError.
    unwrap_pulumi_pickler_patch()
    return str(blob)


def dynamic_type(module: str = "", name: str = "Resource") -> str:
    """The type token of a dynamic resource: ``dynamic_type("descope", "Tenant")`` ->
    ``"pulumi-python:dynamic/descope:Tenant"`` (as `Resource.__init_subclass__(module=, name=)`)."""
    mod = f"/{module}" if module else ""
    return f"{DYNAMIC_PACKAGE}:dynamic{mod}:{name}"


def urn_for(
    type_token: str,
    name: str,
    *,
    stack: str = DEFAULT_STACK,
    project: str = DEFAULT_PROJECT,
    parent_type: str | None = None,
) -> str:
    """``urn:pulumi:<stack>::<project>::[<parent_type>$]<type>::<name>``."""
    qualified = f"{parent_type}${type_token}" if parent_type else type_token
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def addressed(urn: str) -> dict[str, str]:
    """The `urn`, `name` and `type` fields of a resource request, as the engine fills them."""
    parts = urn.split("::", 3)
    if not urn.startswith("urn:pulumi:") or len(parts) != 4:
        raise ValueError(f"not a Pulumi URN: {urn!r}")
    qualified_type, name = parts[2], parts[3]
    return {"urn": urn, "name": name, "type": qualified_type.rsplit("$", 1)[-1]}


def _to_wire(value: Any, *, keep_secrets: bool, keep_unknowns: bool, path: str) -> Any:
    """A plain Python value -> something `Struct.update` accepts, applying the engine's marshal options."""
    if isinstance(value, Secret):
        inner = _to_wire(value.value, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, path=path)
        return {_SIG_KEY: _SECRET_SIG, "value": inner} if keep_secrets else inner
    if isinstance(value, str) and value == UNKNOWN and not keep_unknowns:
        raise ValueError(
            f"unknown value at {path!r}: the engine only sends unknowns in preview (pass preview=True)"
        )
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"property keys must be str, got {key!r} at {path!r}")
            out[key] = _to_wire(
                item, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, path=f"{path}.{key}"
            )
        return out
    if isinstance(value, list | tuple):
        return [
            _to_wire(item, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, path=f"{path}[{index}]")
            for index, item in enumerate(value)
        ]
    raise TypeError(f"cannot marshal {type(value).__name__} at {path!r}")


def to_struct(
    props: Mapping[str, Any], *, keep_secrets: bool = False, keep_unknowns: bool = False
) -> struct_pb2.Struct:
    """Marshal a property bag like the engine's `MarshalProperties` (numbers become doubles)."""
    struct = struct_pb2.Struct()
    wire = _to_wire(dict(props), keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, path="")
    struct.update(wire)
    return struct


def _from_value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return _from_struct_value(value.struct_value)
    if kind == "list_value":
        return [_from_value(item) for item in value.list_value.values]
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        return value.number_value
    if kind == "bool_value":
        return value.bool_value
    return None


def _from_struct_value(struct: struct_pb2.Struct) -> Any:
    fields = struct.fields
    if _SIG_KEY in fields and fields[_SIG_KEY].string_value == _SECRET_SIG:
        return Secret(_from_value(fields["value"]) if "value" in fields else None)
    return {key: _from_value(item) for key, item in fields.items()}


def from_struct(struct: struct_pb2.Struct | None) -> dict[str, Any]:
    """Unmarshal a property bag; secrets become :class:`Secret`, unknowns stay :data:`UNKNOWN` strings."""
    if struct is None:
        return {}
    result = _from_struct_value(struct)
    if not isinstance(result, dict):
        raise TypeError(f"expected a property map, got {result!r}")
    return result


def split_provider(props: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The bag without ``__provider``, and the ``__provider`` value (None when absent)."""
    rest = dict(props)
    return rest, rest.pop(PROVIDER_KEY, None)
