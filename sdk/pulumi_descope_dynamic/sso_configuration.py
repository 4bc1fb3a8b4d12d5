"""The `SsoConfiguration` resource: one SSO connection (OIDC, SAML or SAML by metadata) of a tenant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, overload

import pulumi
from pulumi.dynamic import Resource
from pulumi_descope_dynamic_provider.sso_configuration import SsoConfigurationProvider

from . import _resource

_PROVIDER = SsoConfigurationProvider()

_OUTPUT_ONLY = ("auth_type", "sp_acs_url", "sp_entity_id", "last_success_test_time")
# Write-only in Descope and a credential: a secret in the state's inputs and outputs.
_SECRETS = ["oidc_client_secret"]


@dataclass
class RoleMappingArgs:
    """Members of any of `groups` (as the IdP names them) get the Descope role `role_name`."""

    role_name: pulumi.Input[str]
    groups: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None


@dataclass
class OidcArgs:
    """An OIDC connection. The client secret is SsoConfiguration's `oidc_client_secret` (kept secret).
    Keys left as None take Descope's defaults."""

    client_id: pulumi.Input[str]
    name: pulumi.Input[str] | None = None
    """The provider's name as Descope shows it."""
    issuer: pulumi.Input[str] | None = None
    auth_url: pulumi.Input[str] | None = None
    token_url: pulumi.Input[str] | None = None
    user_data_url: pulumi.Input[str] | None = None
    jwks_url: pulumi.Input[str] | None = None
    scope: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    user_attr_mapping: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """User field -> claim (login_id, username, name, email, phone_number, verified_email,
    verified_phone, picture, given_name, middle_name, family_name), laid over Descope's defaults
    (login_id='sub', email='email', ...)."""
    grant_type: pulumi.Input[str] | None = None
    """"authorization_code" (default) or "implicit"."""
    prompt: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Any of "none", "login", "consent", "select_account"."""
    use_pkce: pulumi.Input[bool] | None = None
    manage_provider_tokens: pulumi.Input[bool] | None = None
    callback_domain: pulumi.Input[str] | None = None
    role_mappings: pulumi.Input[Sequence[pulumi.Input[RoleMappingArgs]]] | None = None
    """IdP groups -> Descope role names (the roles must exist)."""
    default_sso_roles: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Roles every user signing in through this connection gets."""


@dataclass
class SamlArgs:
    """A SAML connection set up by hand: the IdP's SSO URL, entity id and signing certificate."""

    idp_url: pulumi.Input[str]
    entity_id: pulumi.Input[str]
    idp_cert: pulumi.Input[str]
    """The IdP's signing certificate, PEM (-----BEGIN CERTIFICATE----- ...)."""
    idp_additional_certs: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """More signing certificates (e.g. during a rotation), PEM."""
    attribute_mapping: pulumi.Input[Mapping[str, Any]] | None = None
    """User field -> assertion attribute (name, email, username, phone_number, group, given_name,
    middle_name, family_name, picture) and `custom_attributes` {custom attribute: assertion attribute}."""
    role_mappings: pulumi.Input[Sequence[pulumi.Input[RoleMappingArgs]]] | None = None
    default_sso_roles: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None


@dataclass
class SamlMetadataArgs:
    """A SAML connection configured from the IdP's metadata URL."""

    metadata_url: pulumi.Input[str]
    entity_id: pulumi.Input[str] | None = None
    attribute_mapping: pulumi.Input[Mapping[str, Any]] | None = None
    role_mappings: pulumi.Input[Sequence[pulumi.Input[RoleMappingArgs]]] | None = None
    default_sso_roles: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None


@dataclass
class SsoConfigurationArgs:
    """The inputs of one SSO configuration; set exactly one of oidc, saml, saml_metadata."""

    tenant_id: pulumi.Input[str]
    """The tenant (e.g. `acme.tenant_id`). Changing it replaces the configuration."""
    display_name: pulumi.Input[str]
    """Set when the configuration is created; changing it replaces the configuration."""
    sso_id: pulumi.Input[str] | None = None
    """Several configurations per tenant are allowed; default: Descope's "default_ssoid", the one
    the tenant's own auth_type and domains follow. Changing it replaces the configuration."""
    oidc: pulumi.Input[OidcArgs] | None = None
    oidc_client_secret: pulumi.Input[str] | None = None
    """The OIDC client secret (write-only in Descope). Always stored as a secret; give it from
    `pulumi config set --secret`. Leaving it out keeps the secret Descope has."""
    saml: pulumi.Input[SamlArgs] | None = None
    saml_metadata: pulumi.Input[SamlMetadataArgs] | None = None
    domains: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """E-mail domains whose users sign in through this configuration (one tenant per domain)."""
    redirect_url: pulumi.Input[str] | None = None
    """Where users land after signing in (https)."""
    adopt: pulumi.Input[bool] | None = None
    """Take over a configuration that already exists with this tenant_id and sso_id."""


def _plain(value: Any) -> Any:
    """The args classes as maps (None entries left out); Outputs inside stay Outputs. Shallow per
    level on purpose: dataclasses.asdict() would deep-copy Outputs, which fails."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


class SsoConfiguration(Resource, module="descope", name="SsoConfiguration"):
    """A tenant's SSO configuration (type token `pulumi-python:dynamic/descope:SsoConfiguration`).
    Its id is "<tenant id>/<SSO id>".

    ```python
    okta = descope.SsoConfiguration("acme-okta", tenant_id=acme.tenant_id, display_name="Acme Okta",
        oidc=descope.OidcArgs(client_id="0oa1", issuer="https://acme.okta.com", ...),
        oidc_client_secret=config.require_secret("oidcClientSecret"), domains=["acme.com"])
    ```
    """

    tenant_id: pulumi.Output[str]
    sso_id: pulumi.Output[str]
    display_name: pulumi.Output[str]
    oidc: pulumi.Output[dict[str, Any] | None]
    oidc_client_secret: pulumi.Output[str | None]
    """A secret: shown as [secret] everywhere."""
    saml: pulumi.Output[dict[str, Any] | None]
    saml_metadata: pulumi.Output[dict[str, Any] | None]
    domains: pulumi.Output[list[str]]
    redirect_url: pulumi.Output[str]
    adopt: pulumi.Output[bool]
    auth_type: pulumi.Output[str]
    """The protocol in use: "oidc" or "saml"."""
    sp_acs_url: pulumi.Output[str]
    """The service provider's ACS URL to give the IdP (SAML)."""
    sp_entity_id: pulumi.Output[str]
    """The service provider's entity id to give the IdP (SAML)."""
    last_success_test_time: pulumi.Output[int]
    """When a test sign-in last succeeded (0 = never)."""

    @overload
    def __init__(
        self, resource_name: str, args: SsoConfigurationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        tenant_id: pulumi.Input[str],
        display_name: pulumi.Input[str],
        sso_id: pulumi.Input[str] | None = None,
        oidc: pulumi.Input[OidcArgs] | None = None,
        oidc_client_secret: pulumi.Input[str] | None = None,
        saml: pulumi.Input[SamlArgs] | None = None,
        saml_metadata: pulumi.Input[SamlMetadataArgs] | None = None,
        domains: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        redirect_url: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        args_obj, opts = _resource.split_args(
            "SsoConfiguration",
            SsoConfigurationArgs,
            args,
            kwargs,
            'tenant_id="acme", display_name="Acme Okta", oidc=OidcArgs(client_id="...")',
        )
        props = _resource.properties(SsoConfigurationArgs, args_obj, _OUTPUT_ONLY)
        for block in ("oidc", "saml", "saml_metadata"):
            props[block] = _plain(props[block])
        if props["oidc_client_secret"] is not None:
            # A secret input too, even when the program passes a plain string.
            props["oidc_client_secret"] = pulumi.Output.secret(props["oidc_client_secret"])
        super().__init__(_PROVIDER, resource_name, props, _with_secrets(opts))

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> SsoConfiguration:
        """Read an existing configuration by id ("<tenant id>/<SSO id>") without managing it."""
        return _resource.get(
            SsoConfiguration,
            _PROVIDER,
            resource_name,
            id,
            SsoConfigurationArgs,
            _OUTPUT_ONLY,
            _with_secrets(opts),
        )


def _with_secrets(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    # Returning pulumi.secret() from the provider does not work (pulumi/pulumi#3012): declare it here.
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=_SECRETS))
