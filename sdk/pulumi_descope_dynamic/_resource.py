"""What every resource class of this package shares: accepting an Args object or keyword
arguments (as generated Pulumi SDKs do), and the property bag handed to the engine.

Each resource module declares its Args dataclass (the typed, documented inputs) and its output-only
names; tests/sdk holds both against the provider's field spec, so the two cannot drift apart.
"""

from __future__ import annotations

import pickle
from dataclasses import fields
from typing import Any, TypeVar

import pulumi
from pulumi.dynamic import Resource, ResourceProvider

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
    """The base of this package's resource classes."""

    def __init__(
        self,
        provider: ResourceProvider,
        name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        unwrap_pulumi_pickler_patch()
        super().__init__(provider, name, props, opts)


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


def properties(args_type: type[Any], args: Any, output_only: tuple[str, ...]) -> dict[str, Any]:
    """Every input (None when not given) and every output-only property, so that each becomes an
    attribute of the resource. Shallow on purpose: asdict() would deep-copy Outputs, which fails."""
    props: dict[str, Any] = {f.name: getattr(args, f.name) if args else None for f in fields(args_type)}
    props.update(dict.fromkeys(output_only))
    return props


def get(
    cls: type[Res],
    provider: ResourceProvider,
    resource_name: str,
    id: pulumi.Input[str],
    args_type: type[Any],
    output_only: tuple[str, ...],
    opts: pulumi.ResourceOptions | None,
) -> Res:
    """Read an existing object by id without managing it (its outputs only)."""
    resource = cls.__new__(cls)
    merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
    DescopeResource.__init__(
        resource, provider, resource_name, properties(args_type, None, output_only), merged
    )
    return resource
