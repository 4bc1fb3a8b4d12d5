"""The `Permission` resource: a Descope permission that roles grant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import pulumi
from pulumi.dynamic import Resource
from pulumi_descope_dynamic_provider.permission import PermissionProvider

from . import _resource

_PROVIDER = PermissionProvider()
_OUTPUT_ONLY = ("permission_id",)


@dataclass
class PermissionArgs:
    """The inputs of a Descope permission."""

    name: pulumi.Input[str]
    """The permission's name, unique in the project. Changing it renames it in place. The system
    permissions ("Impersonate", "User Admin", "SSO Admin") exist already: reference them by name."""

    description: pulumi.Input[str] | None = None
    """What the permission allows; None keeps the live description."""

    adopt: pulumi.Input[bool] | None = None
    """Take over an existing permission with this name instead of failing."""


class Permission(Resource, module="descope", name="Permission"):
    """A Descope permission (type token `pulumi-python:dynamic/descope:Permission`). Deleting it
    removes it from every role that grants it."""

    name: pulumi.Output[str]
    description: pulumi.Output[str]
    adopt: pulumi.Output[bool]
    permission_id: pulumi.Output[str]
    """Descope's id of the permission, also the resource id."""

    @overload
    def __init__(
        self, resource_name: str, args: PermissionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str],
        description: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare a permission, from a PermissionArgs or from keyword arguments."""
        args_obj, opts = _resource.split_args(
            "Permission", PermissionArgs, args, kwargs, 'name="Read invoices"'
        )
        props = _resource.properties(PermissionArgs, args_obj, _OUTPUT_ONLY)
        super().__init__(_PROVIDER, resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> Permission:
        """Read an existing permission by its id without managing it."""
        return _resource.get(Permission, _PROVIDER, resource_name, id, PermissionArgs, _OUTPUT_ONLY, opts)
