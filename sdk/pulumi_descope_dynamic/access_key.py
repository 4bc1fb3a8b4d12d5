"""The `AccessKey` resource: one Descope access key (a machine credential) managed by a Pulumi program.

Its `cleartext` output is the key's secret. Descope returns it only when the key is created or
rotated; this class declares it a secret output, so Pulumi keeps it encrypted in the stack state and
shows it only with `--show-secrets`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import pulumi
from pulumi.dynamic import Resource
from pulumi_descope_dynamic_provider.access_key import SECRET_OUTPUTS, AccessKeyProvider

from . import _resource

# One provider instance for every AccessKey, so the plugin unpickles and configures it once.
_PROVIDER = AccessKeyProvider()

_OUTPUT_ONLY = ("key_id", "client_id", "status", "created_time", "cleartext")


@dataclass
class AccessKeyArgs:
    """The inputs of a Descope access key. An input left as None is not managed by the program (on
    update its current value in Descope is kept), except `expire_time`, where None means "never"."""

    name: pulumi.Input[str]
    """Display name (required). Names need not be unique."""

    description: pulumi.Input[str] | None = None
    """Free text shown in the Descope console."""

    expire_time: pulumi.Input[str | int] | None = None
    """When the key expires: an ISO 8601 date or date/time ("2027-01-31", "2027-01-31T18:00:00Z";
    UTC when no zone is given) or epoch seconds; must be in the future. None: never. Descope cannot
    change it, so changing it replaces the key (a new key, a new cleartext)."""

    role_names: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Project roles of the key. Excludes tenant_roles."""

    tenant_roles: pulumi.Input[Mapping[str, Sequence[str]]] | None = None
    """Roles of the key per tenant: tenant id -> role names (project roles or roles of that tenant).
    Excludes role_names."""

    user_id: pulumi.Input[str] | None = None
    """Bind the key to this user. Descope cannot change it, so changing it replaces the key."""

    permitted_ips: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """IP addresses and CIDR ranges the key may be used from (IPv4 or IPv6); any when empty."""

    custom_claims: pulumi.Input[Mapping[str, Any]] | None = None
    """Claims added to the session tokens the key exchanges for (any JSON values)."""

    custom_attributes: pulumi.Input[Mapping[str, Any]] | None = None
    """Values of access-key custom attributes defined in the Descope console."""

    disabled: pulumi.Input[bool] | None = None
    """Deactivate the key (it stays, and can be activated again)."""

    rotation_triggers: pulumi.Input[Any] | None = None
    """Any value; when it changes, the key is rotated in place: a new cleartext, and the old one stops
    working at once. E.g. rotation_triggers={"rotated": "2026-11"}."""


class AccessKey(Resource, module="descope", name="AccessKey"):
    """A Descope access key (type token `pulumi-python:dynamic/descope:AccessKey`).

    ```python
    import pulumi_descope_dynamic as descope
    key = descope.AccessKey("billing-ci", name="billing CI", tenant_roles={"acme": ["Tenant Admin"]})
    pulumi.export("billing_ci_key", key.cleartext)  # a secret output
    ```
    """

    name: pulumi.Output[str]
    description: pulumi.Output[str]
    expire_time: pulumi.Output[int]
    """Epoch seconds; 0 = never."""
    role_names: pulumi.Output[list[str]]
    tenant_roles: pulumi.Output[dict[str, list[str]]]
    user_id: pulumi.Output[str]
    permitted_ips: pulumi.Output[list[str]]
    custom_claims: pulumi.Output[dict[str, Any]]
    custom_attributes: pulumi.Output[dict[str, Any]]
    disabled: pulumi.Output[bool]
    rotation_triggers: pulumi.Output[Any]
    key_id: pulumi.Output[str]
    """The key's id (also the resource id)."""
    client_id: pulumi.Output[str]
    status: pulumi.Output[str]
    """"active", "inactive" or "expired"."""
    created_time: pulumi.Output[int]
    """When Descope created the key (epoch seconds)."""
    cleartext: pulumi.Output[str]
    """The key's secret, to hand to whatever calls Descope with it. A secret output: encrypted in
    state. Changes when the key is replaced or rotated."""

    @overload
    def __init__(
        self, resource_name: str, args: AccessKeyArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str],
        description: pulumi.Input[str] | None = None,
        expire_time: pulumi.Input[str | int] | None = None,
        role_names: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        tenant_roles: pulumi.Input[Mapping[str, Sequence[str]]] | None = None,
        user_id: pulumi.Input[str] | None = None,
        permitted_ips: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        custom_claims: pulumi.Input[Mapping[str, Any]] | None = None,
        custom_attributes: pulumi.Input[Mapping[str, Any]] | None = None,
        disabled: pulumi.Input[bool] | None = None,
        rotation_triggers: pulumi.Input[Any] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare an access key, from an AccessKeyArgs or from keyword arguments."""
        args_obj, opts = _resource.split_args("AccessKey", AccessKeyArgs, args, kwargs, 'name="billing CI"')
        super().__init__(
            _PROVIDER,
            resource_name,
            _resource.properties(AccessKeyArgs, args_obj, _OUTPUT_ONLY),
            _secret_outputs(opts),
        )

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> AccessKey:
        """Read an existing key by id without managing it (its outputs only; `cleartext` is None, as
        Descope never shows it again). Fails when no key has that id."""
        return _resource.get(
            AccessKey, _PROVIDER, resource_name, id, AccessKeyArgs, _OUTPUT_ONLY, _secret_outputs(opts)
        )


def _secret_outputs(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """The user's options plus the secret outputs; returning pulumi.secret() from the provider does
    not make an output secret (pulumi/pulumi#3012), declaring it does."""
    return pulumi.ResourceOptions.merge(
        opts, pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_OUTPUTS))
    )
