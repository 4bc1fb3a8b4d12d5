"""The `Role` resource: a Descope role, project-wide or scoped to one tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import pulumi
from pulumi.dynamic import Resource
from pulumi_descope_dynamic_provider.role import RoleProvider

from . import _resource

_PROVIDER = RoleProvider()
_OUTPUT_ONLY = ("role_id", "created_time")


@dataclass
class RoleArgs:
    """The inputs of a Descope role. An input left as None is not managed: its live value is kept."""

    name: pulumi.Input[str]
    """The role's name, unique in its scope (the project, or its tenant). Changing it renames the
    role in place: users who hold it keep it."""

    description: pulumi.Input[str] | None = None
    """What the role allows."""

    permission_names: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Names of the permissions the role grants (a set; the permissions must exist). Refer to
    Permission resources as `perm.name` so they are created first."""

    tenant_id: pulumi.Input[str] | None = None
    """The tenant of a tenant-scoped role (e.g. `acme.id`); None for a project role. Changing it
    replaces the role."""

    default: pulumi.Input[bool] | None = None
    """Give the role to new users by default."""

    private: pulumi.Input[bool] | None = None
    """Hide the role from tenant admins (only project admins can assign it)."""

    adopt: pulumi.Input[bool] | None = None
    """Take over an existing role with this name in this scope instead of failing (also how a
    built-in role such as "Tenant Admin" is managed: destroy then leaves it in place)."""


class Role(Resource, module="descope", name="Role"):
    """A Descope role (type token `pulumi-python:dynamic/descope:Role`).

    ```python
    read = descope.Permission("read", name="Read invoices")
    admin = descope.Role("acme-admin", name="Admin", tenant_id=acme.id, permission_names=[read.name])
    ```
    """

    name: pulumi.Output[str]
    description: pulumi.Output[str]
    permission_names: pulumi.Output[list[str]]
    tenant_id: pulumi.Output[str | None]
    default: pulumi.Output[bool]
    private: pulumi.Output[bool]
    adopt: pulumi.Output[bool]
    role_id: pulumi.Output[str]
    """Descope's id of the role (ROL...), also the resource id."""
    created_time: pulumi.Output[int]
    """When Descope created the role (epoch seconds)."""

    @overload
    def __init__(
        self, resource_name: str, args: RoleArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str],
        description: pulumi.Input[str] | None = None,
        permission_names: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        tenant_id: pulumi.Input[str] | None = None,
        default: pulumi.Input[bool] | None = None,
        private: pulumi.Input[bool] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare a role, from a RoleArgs or from keyword arguments."""
        args_obj, opts = _resource.split_args("Role", RoleArgs, args, kwargs, 'name="Admin"')
        props = _resource.properties(RoleArgs, args_obj, _OUTPUT_ONLY)
        super().__init__(_PROVIDER, resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> Role:
        """Read an existing role by its id (ROL...) without managing it."""
        return _resource.get(Role, _PROVIDER, resource_name, id, RoleArgs, _OUTPUT_ONLY, opts)
