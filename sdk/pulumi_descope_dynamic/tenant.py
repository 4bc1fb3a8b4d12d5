"""The `Tenant` resource: one Descope tenant managed by a Pulumi program."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import pulumi
from pulumi_descope_dynamic_provider.tenant import TenantProvider

from . import _resource

# One provider instance for every Tenant: identical blobs let the plugin unpickle and configure
# it once per process, and its client and rate limiter are then shared by all tenants.
_PROVIDER = TenantProvider()

# Properties that only Descope or the provider produce; registered so they become attributes.
_OUTPUT_ONLY = ("created_time", "auth_type", "domains")


@dataclass
class TenantArgs:
    """The inputs of a Descope tenant. An input left as None is not managed by the program: on
    update its current value in Descope is kept (set it explicitly, e.g. to [] or False, to manage
    it)."""

    name: pulumi.Input[str]
    """Display name, unique in the Descope project (required)."""

    tenant_id: pulumi.Input[str] | None = None
    """Custom tenant id (letters, digits, '_', '.', '-'). Descope generates one when omitted.
    Changing it replaces the tenant."""

    self_provisioning_domains: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """E-mail domains whose users join this tenant on sign-up. Each domain belongs to one tenant
    only; stored lower-cased and sorted."""

    custom_attributes: pulumi.Input[Mapping[str, Any]] | None = None
    """Values of tenant custom attributes defined in the Descope console (string, number, boolean
    or a list of those), keyed by the attribute's machine name."""

    enforce_sso: pulumi.Input[bool] | None = None
    """Allow sign-in to this tenant only through its SSO configuration."""

    enforce_sso_exclusions: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """User ids exempt from enforce_sso."""

    disabled: pulumi.Input[bool] | None = None
    """Disable sign-in to the tenant."""

    parent_tenant_id: pulumi.Input[str] | None = None
    """Id of the parent tenant. Descope sets it at creation only, so changing it replaces the
    tenant."""

    role_inheritance: pulumi.Input[str] | None = None
    """How child tenants inherit roles: "" (Descope's default), "none" or "userOnly"."""

    default_roles: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Roles given to users who join the tenant; the roles must exist in the project."""

    federated_app_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Ids of the federated (SSO) applications the tenant may use."""

    cascade_delete: pulumi.Input[bool] | None = None
    """When the resource is deleted, also delete the tenant's child tenants (Descope refuses to
    delete a parent otherwise). Changing it changes nothing in Descope."""

    adopt: pulumi.Input[bool] | None = None
    """If a tenant with this tenant_id (or, without one, this name) already exists, take it over
    and bring it to this program's state instead of failing. `pulumi import` cannot drive dynamic
    providers; this is the way to bring existing tenants under Pulumi."""


class Tenant(_resource.DescopeResource, module="descope", name="Tenant"):
    """A Descope tenant (type token `pulumi-python:dynamic/descope:Tenant`).

    ```python
    import pulumi_descope_dynamic as descope
    acme = descope.Tenant("acme", name="Acme Corp", tenant_id="acme",
                          self_provisioning_domains=["acme.com"])
    ```
    """

    tenant_id: pulumi.Output[str]
    """The tenant's id: the one given, or the one Descope generated."""
    name: pulumi.Output[str]
    self_provisioning_domains: pulumi.Output[list[str]]
    custom_attributes: pulumi.Output[dict[str, Any]]
    enforce_sso: pulumi.Output[bool]
    enforce_sso_exclusions: pulumi.Output[list[str]]
    disabled: pulumi.Output[bool]
    parent_tenant_id: pulumi.Output[str | None]
    role_inheritance: pulumi.Output[str]
    default_roles: pulumi.Output[list[str]]
    federated_app_ids: pulumi.Output[list[str]]
    cascade_delete: pulumi.Output[bool]
    adopt: pulumi.Output[bool]
    created_time: pulumi.Output[int]
    """When Descope created the tenant (epoch seconds)."""
    auth_type: pulumi.Output[str]
    """The tenant's SSO type: "none", "saml" or "oidc"."""
    domains: pulumi.Output[list[str]]
    """The tenant's SSO domains (set in its SSO configuration)."""

    @overload
    def __init__(
        self, resource_name: str, args: TenantArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str],
        tenant_id: pulumi.Input[str] | None = None,
        self_provisioning_domains: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        custom_attributes: pulumi.Input[Mapping[str, Any]] | None = None,
        enforce_sso: pulumi.Input[bool] | None = None,
        enforce_sso_exclusions: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        disabled: pulumi.Input[bool] | None = None,
        parent_tenant_id: pulumi.Input[str] | None = None,
        role_inheritance: pulumi.Input[str] | None = None,
        default_roles: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        federated_app_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        cascade_delete: pulumi.Input[bool] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare a tenant, from a TenantArgs or from keyword arguments (as generated Pulumi SDKs)."""
        args_obj, opts = _resource.split_args("Tenant", TenantArgs, args, kwargs, 'name="Acme Corp"')
        super().__init__(
            _PROVIDER, resource_name, _resource.properties(TenantArgs, args_obj, _OUTPUT_ONLY), opts
        )

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> Tenant:
        """Read an existing tenant by id without managing it (its outputs only). Fails when no
        tenant has that id."""
        return _resource.get(Tenant, _PROVIDER, resource_name, id, TenantArgs, _OUTPUT_ONLY, opts)
