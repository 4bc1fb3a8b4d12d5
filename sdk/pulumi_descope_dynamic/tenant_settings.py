"""The `TenantSettings` resource: one tenant's session policy managed by a Pulumi program."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import pulumi
from pulumi_descope_dynamic_provider.tenant_settings import TenantSettingsProvider

from . import _resource

# One provider instance for every TenantSettings (see tenant.py): one unpickle and configure per
# plugin process, and the same client, rate budget and per-tenant locks as the tenants.
_PROVIDER = TenantSettingsProvider()

_OUTPUT_ONLY = ("settings_before",)


@dataclass
class SsoSetupSuiteArgs:
    """The tenant's SSO setup suite (the self-service SSO configuration its admins use)."""

    enabled: pulumi.Input[bool] = False
    style_id: pulumi.Input[str] | None = None
    """Id of the style the suite's pages use; None for the project's default."""
    disabled_features: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Features hidden from the tenant's admins: any of "saml", "oidc", "scim", "sso_domains",
    "group_mapping"."""

    def to_input(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "style_id": self.style_id,
            "disabled_features": self.disabled_features,
        }


@dataclass
class TenantSettingsArgs:
    """The settings of one tenant. A setting left as None is not managed: it keeps its value in
    Descope. Durations are written as "15m", "12h", "30d", "2w" or a number of minutes."""

    tenant_id: pulumi.Input[str]
    """The tenant, as its Tenant resource's `.id` (so the tenant is created first). Changing it
    moves the settings to another tenant (replace)."""

    session_settings_enabled: pulumi.Input[bool] | None = None
    """The tenant overrides the project's session settings with the ones below."""

    session_token_expiration: pulumi.Input[str | int] | None = None
    """Session token lifetime, at least 3 minutes."""

    refresh_token_expiration: pulumi.Input[str | int] | None = None
    """Refresh token lifetime, at least 3 minutes and not shorter than the session token's."""

    stepup_token_expiration: pulumi.Input[str | int] | None = None
    """Step-up token lifetime, at least 3 minutes."""

    enable_inactivity: pulumi.Input[bool] | None = None
    """Sign users out after inactivity_time without activity."""

    inactivity_time: pulumi.Input[str | int] | None = None
    """Inactivity timeout, at least 10 minutes."""

    jit_disabled: pulumi.Input[bool] | None = None
    """Turn off just-in-time provisioning of SSO users."""

    sso_setup_suite: pulumi.Input[SsoSetupSuiteArgs | dict[str, Any]] | None = None
    """SSO setup suite settings, managed as a whole (what is left out is off / not disabled)."""


class TenantSettings(_resource.DescopeResource, module="descope", name="TenantSettings"):
    """A tenant's session policy (type token `pulumi-python:dynamic/descope:TenantSettings`).

    ```python
    descope.TenantSettings("acme-session", tenant_id=acme.id, session_settings_enabled=True,
                           session_token_expiration="15m", refresh_token_expiration="12h")
    ```
    Deleting the resource puts back the values the tenant had before (`settings_before`).
    """

    tenant_id: pulumi.Output[str]
    session_settings_enabled: pulumi.Output[bool]
    session_token_expiration: pulumi.Output[str | None]
    """Canonical form: the largest exact unit, e.g. "90m", "2h", "1d", "2w"; None when not set."""
    refresh_token_expiration: pulumi.Output[str | None]
    stepup_token_expiration: pulumi.Output[str | None]
    enable_inactivity: pulumi.Output[bool]
    inactivity_time: pulumi.Output[str | None]
    jit_disabled: pulumi.Output[bool]
    sso_setup_suite: pulumi.Output[dict[str, Any]]
    settings_before: pulumi.Output[dict[str, Any] | None]
    """The settings before this resource managed them: what delete puts back."""

    @overload
    def __init__(
        self, resource_name: str, args: TenantSettingsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        tenant_id: pulumi.Input[str],
        session_settings_enabled: pulumi.Input[bool] | None = None,
        session_token_expiration: pulumi.Input[str | int] | None = None,
        refresh_token_expiration: pulumi.Input[str | int] | None = None,
        stepup_token_expiration: pulumi.Input[str | int] | None = None,
        enable_inactivity: pulumi.Input[bool] | None = None,
        inactivity_time: pulumi.Input[str | int] | None = None,
        jit_disabled: pulumi.Input[bool] | None = None,
        sso_setup_suite: pulumi.Input[SsoSetupSuiteArgs | dict[str, Any]] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare a tenant's settings, from a TenantSettingsArgs or from keyword arguments."""
        args_obj, opts = _resource.split_args(
            "TenantSettings", TenantSettingsArgs, args, kwargs, "tenant_id=acme.id"
        )
        props = _resource.properties(TenantSettingsArgs, args_obj, _OUTPUT_ONLY)
        if isinstance(props["sso_setup_suite"], SsoSetupSuiteArgs):
            props["sso_setup_suite"] = props["sso_setup_suite"].to_input()
        super().__init__(_PROVIDER, resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> TenantSettings:
        """Read a tenant's settings by tenant id without managing them."""
        return _resource.get(
            TenantSettings, _PROVIDER, resource_name, id, TenantSettingsArgs, _OUTPUT_ONLY, opts
        )
