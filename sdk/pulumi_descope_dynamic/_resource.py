"""What every resource class of this package shares: accepting an Args object or keyword
arguments (as generated Pulumi SDKs do), the property bag handed to the engine, and the secret
outputs; all of it driven by the provider's resource spec.

The resource modules themselves are generated from the specs by scripts/gen_sdk.py.
"""

from __future__ import annotations

import inspect
import pickle
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi
from pulumi.dynamic import Resource, ResourceProvider

if TYPE_CHECKING:
    # Annotations only: the catalogue imports every resource's provider, and a program of tenants
    # needs only the Tenant's (its generated module imports it).
    from pulumi_descope_dynamic_provider.catalogue import DescopeProvider, ResourceSpec

A = TypeVar("A")


def unwrap_pulumi_pickler_patch() -> None:
    """Undo what pulumi.dynamic's serialize_provider leaves behind (pulumi 3.272): on every dynamic
    resource it wraps pickle._Pickler._batch_setitems in a key-sorting wrapper and never restores
    it, so each declaration adds one wrapper layer and a program declaring about a thousand dynamic
    resources dies with RecursionError. Each wrapper holds the previous function in its closure:
    peel them all off, so the next serialisation adds exactly one."""
    pickler: Any = pickle._Pickler
    function = pickler._batch_setitems
    while function.__name__.startswith("batch_set_items_sorted") and function.__closure__:
        function = next(cell.cell_contents for cell in function.__closure__ if callable(cell.cell_contents))
    pickler._batch_setitems = function


class DescopeResource(Resource):
    """The base of this package's resource classes. It adds no __init__ of its own: a generated
    class passes `arguments(...)` straight to pulumi's dynamic Resource, so that the call stack the
    engine stores with every resource (`stackTrace`, pulumi/pulumi#20430) holds one frame of this
    package (the resource's __init__) above the program's, not three: ~200 bytes less per resource
    in the state, which every checkpoint of a large stack writes again."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Keep the class's annotations (its outputs' types) as the types they name, evaluated once
        here, not as the strings `from __future__ import annotations` leaves: pulumi reads them at
        every registration of every resource (pulumi._types.resource_types, from resolve_outputs),
        and compiles each string again there, ~0.3 ms per Tenant per program run instead of ~0.12."""
        super().__init_subclass__(**kwargs)
        cls.__annotations__ = inspect.get_annotations(cls, eval_str=True)


Res = TypeVar("Res", bound=DescopeResource)


def split_args(
    resource: str, args_type: type[A], args: tuple[Any, ...], kwargs: dict[str, Any], example: str
) -> tuple[A, pulumi.ResourceOptions | None]:
    """(args object, options) from `Resource(name, args, opts)` or `Resource(name, opts, **inputs)`."""
    positional = list(args)
    opts = kwargs.pop("opts", None)
    if positional and isinstance(positional[0], args_type):
        args_obj = positional.pop(0)
        if kwargs:
            raise TypeError(
                f"pass either a {args_type.__name__} or keyword arguments, not both: {sorted(kwargs)}"
            )
    else:
        known = {f.name for f in fields(args_type)}  # type: ignore[arg-type]
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(
                f"{resource}() got unexpected argument(s) {unknown}; the inputs are {sorted(known)}"
            )
        try:
            args_obj = args_type(**kwargs)
        except TypeError as exc:
            raise TypeError(f"{resource}() is missing a required input ({exc}); e.g. {example}") from None
    if positional:
        opts = positional.pop(0)
    if positional:
        raise TypeError(f"{resource}() takes resource_name, then args and/or opts")
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError("opts must be a pulumi.ResourceOptions")
    return args_obj, opts


def _plain(value: Any) -> Any:
    """Nested Args classes as maps (None entries left out); Outputs inside stay Outputs. Shallow per
    level on purpose: dataclasses.asdict() would deep-copy Outputs, which fails."""
    if is_dataclass(value) and not isinstance(value, type):
        given = {f.name: getattr(value, f.name) for f in fields(value)}
        return {name: _plain(item) for name, item in given.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


def properties(spec: ResourceSpec, args: Any) -> dict[str, Any]:
    """Every input (None when not given) and every output, so that each becomes an attribute of the
    resource. Nested blocks become maps; a secret input is a secret even when the program passes a
    plain string."""
    props: dict[str, Any] = {}
    for field in spec.inputs:
        value = getattr(args, field.name) if args is not None else None
        if field.type.block is not None:
            value = _plain(value)
        if field.secret and value is not None:
            value = pulumi.Output.secret(value)
        props[field.name] = value
    props.update(dict.fromkeys(spec.output_only_names))
    return props


def options(spec: ResourceSpec, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions | None:
    """The user's options, plus the spec's secrets as secret outputs: returning pulumi.secret() from
    the provider does not make an output secret (pulumi/pulumi#3012), declaring it does."""
    if not spec.secret_names:
        return opts
    secrets = pulumi.ResourceOptions(additional_secret_outputs=list(spec.secret_names))
    return pulumi.ResourceOptions.merge(opts, secrets)


def arguments(
    provider: DescopeProvider[Any],
    args_type: type[Any],
    resource_name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> tuple[ResourceProvider, str, dict[str, Any], pulumi.ResourceOptions | None]:
    """What every generated resource class's __init__ hands to pulumi's dynamic Resource:
    `super().__init__(*_resource.arguments(...))`."""
    spec = provider.spec
    args_obj, opts = split_args(spec.type_name, args_type, args, kwargs, spec.example)
    props = properties(spec, args_obj)
    unwrap_pulumi_pickler_patch()  # right before pulumi serialises the provider
    return provider, resource_name, props, options(spec, opts)


def get(
    cls: type[Res],
    provider: DescopeProvider[Any],
    resource_name: str,
    id: pulumi.Input[str],
    opts: pulumi.ResourceOptions | None,
) -> Res:
    """Read an existing object by id without managing it (its outputs only)."""
    resource = cls.__new__(cls)
    merged = pulumi.ResourceOptions.merge(options(provider.spec, opts), pulumi.ResourceOptions(id=id))
    unwrap_pulumi_pickler_patch()
    Resource.__init__(resource, provider, resource_name, properties(provider.spec, None), merged)
    return resource
