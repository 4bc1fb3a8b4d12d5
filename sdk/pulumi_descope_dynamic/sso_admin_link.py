"""The `SsoAdminLink` resource: a secret link to Descope's SSO Setup Suite for a tenant's admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import pulumi
from pulumi.dynamic import Resource
from pulumi_descope_dynamic_provider.sso_admin_link import SsoAdminLinkProvider

from . import _resource

_PROVIDER = SsoAdminLinkProvider()
_OUTPUT_ONLY = ("link",)


@dataclass
class SsoAdminLinkArgs:
    """Changing any input issues a new link (the old one is revoked first)."""

    tenant_id: pulumi.Input[str]
    sso_id: pulumi.Input[str] | None = None
    """The configuration the admin sets up; default "default_ssoid"."""
    email: pulumi.Input[str] | None = None
    """The admin's e-mail address, if the link should be tied to one."""
    expire_seconds: pulumi.Input[int] | None = None
    """How long the link is valid (Descope's default when left out)."""


class SsoAdminLink(Resource, module="descope", name="SsoAdminLink"):
    """A link to the SSO Setup Suite (type token `pulumi-python:dynamic/descope:SsoAdminLink`). `link`
    is a secret output; read it with `pulumi stack output --show-secrets`. A refresh keeps it (Descope
    cannot read it back); `pulumi up --replace <urn>` issues a fresh one, `destroy` revokes it."""

    tenant_id: pulumi.Output[str]
    sso_id: pulumi.Output[str]
    email: pulumi.Output[str | None]
    expire_seconds: pulumi.Output[int | None]
    link: pulumi.Output[str]
    """The link (a secret)."""

    @overload
    def __init__(
        self, resource_name: str, args: SsoAdminLinkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        tenant_id: pulumi.Input[str],
        sso_id: pulumi.Input[str] | None = None,
        email: pulumi.Input[str] | None = None,
        expire_seconds: pulumi.Input[int] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        args_obj, opts = _resource.split_args(
            "SsoAdminLink", SsoAdminLinkArgs, args, kwargs, 'tenant_id="acme"'
        )
        secret = pulumi.ResourceOptions(additional_secret_outputs=["link"])  # pulumi/pulumi#3012
        super().__init__(
            _PROVIDER,
            resource_name,
            _resource.properties(SsoAdminLinkArgs, args_obj, _OUTPUT_ONLY),
            pulumi.ResourceOptions.merge(opts, secret),
        )
