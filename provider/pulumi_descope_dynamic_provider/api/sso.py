"""Tenant SSO configurations: `/v1/mgmt/sso/...` writes, `/v2/mgmt/sso/settings` reads, their wire
models and the calls the providers make.

A tenant has several configurations, each addressed by (tenant id, SSO id); `default_ssoid` is the
one Descope uses when no id is given. Creating one is two calls: a slot (`settings/new`), then one
configure call (OIDC, SAML or SAML by metadata) that replaces that protocol's settings, the
configuration's domains and its group-to-role mapping whole. The OIDC client secret is write-only:
Descope answers it as "" and this module never puts it in a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, SecretStr, field_validator

from .endpoints import Endpoint
from .errors import DescopeError, NotFoundError, redact
from .models import KeepsUnknownKeys, WireModel, none_to_empty_list
from .tenants import CODE_TENANT_NOT_FOUND
from .transport import Transport

SSO_NEW = "/v1/mgmt/sso/settings/new"
SSO_OIDC = "/v1/mgmt/sso/oidc"
SSO_SAML = "/v1/mgmt/sso/saml"
SSO_SAML_METADATA = "/v1/mgmt/sso/saml/metadata"
SSO_LOAD = "/v2/mgmt/sso/settings"
SSO_LOAD_ALL = "/v2/mgmt/sso/settings/all"
SSO_DELETE = "/v1/mgmt/sso/settings"
SSO_ADMIN_LINK = "/v2/mgmt/tenant/adminlinks/sso/generate"
SSO_ADMIN_LINK_REVOKE = "/v1/mgmt/tenant/adminlinks/sso/revoke"

DEFAULT_SSO_ID = "default_ssoid"
# No public source names Descope's code for an unknown SSO configuration; the emulator answers this
# one (emulator/descope_emulator/sso/models.py). An unknown tenant is gone too.
CODE_SSO_NOT_FOUND = "E112404"
SSO_GONE = frozenset({CODE_SSO_NOT_FOUND, CODE_TENANT_NOT_FOUND})


def _strings(value: Any) -> Any:
    return none_to_empty_list(value)


# ---- what the configure calls send ---------------------------------------------------------------


class RoleMapping(WireModel):
    """IdP groups whose members get a Descope role."""

    groups: list[str] = Field(default_factory=list)
    role_name: str


class SamlAttributeMapping(WireModel):
    """Which SAML assertion attribute fills each user field ("" = not mapped)."""

    name: str = ""
    email: str = ""
    username: str = ""
    phone_number: str = ""
    group: str = ""
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    picture: str = ""
    custom_attributes: dict[str, str] = Field(default_factory=dict)


class OidcAttributeMapping(WireModel):
    """Which OIDC claim fills each user field ("" = not mapped)."""

    login_id: str = ""
    username: str = ""
    name: str = ""
    email: str = ""
    phone_number: str = ""
    verified_email: str = ""
    verified_phone: str = ""
    picture: str = ""
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""


class _MappingSettings(WireModel):
    """The group-to-role mapping, shared by both protocols of one configuration. Sent whole on
    every configure: `replaceDefaultSSORoles` makes an empty list clear the default roles (without
    it Descope keeps them)."""

    role_mappings: list[RoleMapping] = Field(default_factory=list)
    default_sso_roles: list[str] = Field(default_factory=list, alias="defaultSSORoles")


class _OidcProvider(WireModel):
    """What an OIDC configuration holds, configured and loaded alike (the client and its secret apart)."""

    name: str = ""
    redirect_url: str = ""
    auth_url: str = ""
    token_url: str = ""
    user_data_url: str = ""
    jwks_url: str = Field(default="", alias="JWKsUrl")
    issuer: str = ""
    scope: list[str] = Field(default_factory=list)
    user_attr_mapping: OidcAttributeMapping = Field(default_factory=OidcAttributeMapping)
    prompt: list[str] = Field(default_factory=list)
    use_pkce: bool = False
    manage_provider_tokens: bool = False
    callback_domain: str = ""


class OidcSettings(_MappingSettings, _OidcProvider):
    client_id: str
    client_secret: SecretStr | None = None  # never in repr(); added to the body explicitly
    grant_type: str = "authorization_code"


class SamlSettings(_MappingSettings):
    idp_url: str
    entity_id: str
    idp_cert: str
    idp_additional_certs: list[str] = Field(default_factory=list)
    attribute_mapping: SamlAttributeMapping = Field(default_factory=SamlAttributeMapping)


class SamlMetadataSettings(_MappingSettings):
    metadata_url: str = Field(alias="idpMetadataUrl")
    entity_id: str = ""
    attribute_mapping: SamlAttributeMapping = Field(default_factory=SamlAttributeMapping)


# ---- what the loads answer -----------------------------------------------------------------------


class RoleRef(WireModel):
    id: str = ""
    name: str = ""


class GroupsMapping(WireModel):
    role: RoleRef = Field(default_factory=RoleRef)
    groups: list[str] = Field(default_factory=list)

    @field_validator("groups", mode="before")
    @classmethod
    def _lists_may_be_null(cls, value: Any) -> Any:
        return _strings(value)


class _LoadedMapping(KeepsUnknownKeys):
    """A protocol's settings as loaded. A configure replaces them whole, so what this code does not
    model (`unknown_keys()`, e.g. `groupsPriority` or a field Descope adds later) is carried back."""

    groups_mapping: list[GroupsMapping] = Field(default_factory=list)
    default_sso_roles: list[str] = Field(default_factory=list, alias="defaultSSORoles")
    last_success_test_time: int = 0

    @field_validator("groups_mapping", "default_sso_roles", mode="before")
    @classmethod
    def _lists_may_be_null(cls, value: Any) -> Any:
        return _strings(value)

    def role_mappings(self) -> list[RoleMapping]:
        return [RoleMapping(groups=m.groups, role_name=m.role.name) for m in self.groups_mapping]


class LoadedSaml(_LoadedMapping):
    answer_only = frozenset({"spCertificate"})

    idp_entity_id: str = ""
    idp_sso_url: str = Field(default="", alias="idpSSOUrl")
    idp_certificate: str = ""
    idp_additional_certificates: list[str] = Field(default_factory=list)
    idp_metadata_url: str = ""
    sp_entity_id: str = ""
    sp_acs_url: str = Field(default="", alias="spACSUrl")
    attribute_mapping: SamlAttributeMapping = Field(default_factory=SamlAttributeMapping)
    redirect_url: str = ""

    @field_validator("idp_additional_certificates", mode="before")
    @classmethod
    def _certs_may_be_null(cls, value: Any) -> Any:
        return _strings(value)


class LoadedOidc(_OidcProvider, _LoadedMapping):  # _LoadedMapping's config (keep unknown keys) last
    client_id: str = ""
    grant_type: str = ""
    # The secret itself is never answered (always ""), so it is not modelled, and never carried.
    answer_only = frozenset({"clientSecret"})

    @field_validator("scope", "prompt", mode="before")
    @classmethod
    def _lists_may_be_null(cls, value: Any) -> Any:
        return _strings(value)


class SsoTenant(WireModel):
    """The tenant object embedded in a configuration's answer, with THAT configuration's
    `authType` ("none", "saml" or "oidc": which protocol is active) and domains."""

    id: str
    auth_type: str = "none"
    domains: list[str] = Field(default_factory=list)

    @field_validator("domains", mode="before")
    @classmethod
    def _lists_may_be_null(cls, value: Any) -> Any:
        return _strings(value)

    @field_validator("auth_type", mode="before")
    @classmethod
    def _null_auth_type_is_none(cls, value: Any) -> Any:
        return value or "none"


class LoadedSso(WireModel):
    """One configuration as the v2 load (and load-all, and slot creation) answer it."""

    tenant: SsoTenant
    sso_id: str
    display_name: str = ""
    saml: LoadedSaml = Field(default_factory=LoadedSaml)
    oidc: LoadedOidc = Field(default_factory=LoadedOidc)


class LoadedSsoList(WireModel):
    sso_settings: list[LoadedSso] = Field(default_factory=list, alias="SSOSettings")


class AdminLink(WireModel):
    admin_sso_configuration_link: str = Field(alias="adminSSOConfigurationLink")


_LOAD = Endpoint(
    "GET", SSO_LOAD, "load SSO configuration {ssoId!r} of tenant {tenantId!r}", SSO_GONE, LoadedSso
)
_LOAD_ALL = Endpoint(
    "GET", SSO_LOAD_ALL, "load SSO configurations of tenant {tenantId!r}", SSO_GONE, LoadedSsoList
)
_DELETE: Endpoint[Any] = Endpoint(
    "DELETE", SSO_DELETE, "delete SSO configuration {ssoId!r} of tenant {tenantId!r}", SSO_GONE
)
_REVOKE_ADMIN_LINKS: Endpoint[Any] = Endpoint(
    "POST", SSO_ADMIN_LINK_REVOKE, "revoke SSO admin links of tenant {tenantId!r}", SSO_GONE
)


def _settings_body(settings: _MappingSettings) -> dict[str, Any]:
    body = settings.model_dump(by_alias=True, mode="json", exclude={"client_secret"})
    body["replaceDefaultSSORoles"] = True
    return body


class SsoApi(Transport):
    def create_sso_slot(self, tenant_id: str, sso_id: str, display_name: str) -> LoadedSso:
        """Create an empty configuration (no protocol yet). Never twice: when an attempt's outcome is
        unknown, the configuration is looked up first and taken when it has this display name."""
        operation = f"create SSO configuration {sso_id!r} of tenant {tenant_id!r}"
        body = {"tenantId": tenant_id, "ssoId": sso_id, "displayName": display_name}

        def send(deadline: float) -> LoadedSso:
            data = self._send(operation, "POST", SSO_NEW, deadline, body=body, gone=SSO_GONE)
            return self._parse(operation, LoadedSso, data)

        def recover(deadline: float) -> LoadedSso | None:
            try:
                found = self.load_sso(tenant_id, sso_id, deadline=deadline)
            except NotFoundError:
                return None
            if found.display_name != display_name or found.tenant.auth_type != "none":
                return None  # not what was sent: the create's own error stands
            self._emit(
                operation, "the answer to an earlier attempt was lost; taking the configuration it made"
            )
            return found

        return self._create_once(operation, "SSO configuration", send, recover)

    def configure_sso_oidc(
        self,
        tenant_id: str,
        sso_id: str,
        settings: OidcSettings,
        domains: list[str],
        carried: Mapping[str, Any] | None = None,
    ) -> None:
        """Replace the OIDC settings whole; `carried`: the live keys this code does not model."""
        body = {**(carried or {}), **_settings_body(settings)}
        secret = settings.client_secret.get_secret_value() if settings.client_secret else ""
        if secret:
            body["clientSecret"] = secret
        self._configure("OIDC", SSO_OIDC, tenant_id, sso_id, {"settings": body, "domains": domains}, secret)

    def configure_sso_saml(
        self,
        tenant_id: str,
        sso_id: str,
        settings: SamlSettings | SamlMetadataSettings,
        domains: list[str],
        redirect_url: str,
        carried: Mapping[str, Any] | None = None,
    ) -> None:
        """Replace the SAML settings whole; `carried`: the live keys this code does not model."""
        by_metadata = isinstance(settings, SamlMetadataSettings)
        path, what = (SSO_SAML_METADATA, "SAML metadata") if by_metadata else (SSO_SAML, "SAML")
        settings_body = {**(carried or {}), **_settings_body(settings)}
        body = {"settings": settings_body, "domains": domains, "redirectUrl": redirect_url}
        self._configure(what, path, tenant_id, sso_id, body, "")

    def _configure(
        self, what: str, path: str, tenant_id: str, sso_id: str, body: dict[str, Any], secret: str
    ) -> None:
        operation = f"configure {what} of SSO configuration {sso_id!r} of tenant {tenant_id!r}"
        try:
            # A configure sets the tenant's SSO domains and auth type, which a tenant settings write
            # (read, overlay, write back) also carries: the tenant's lock keeps them from interleaving.
            with self.object_lock("tenant", tenant_id):
                self._call(
                    operation,
                    "POST",
                    path,
                    body={"tenantId": tenant_id, "ssoId": sso_id, **body},
                    gone=SSO_GONE,
                )
        except DescopeError as exc:
            # An error text may quote the request; the client secret must never reach a message.
            exc.message = redact(exc.message, secret)
            raise

    def load_sso(self, tenant_id: str, sso_id: str, *, deadline: float | None = None) -> LoadedSso:
        """One configuration; raises NotFoundError when it (or its tenant) does not exist."""
        return self._request(_LOAD, {"tenantId": tenant_id, "ssoId": sso_id}, deadline=deadline)

    def load_all_sso(self, tenant_id: str) -> list[LoadedSso]:
        """Every configuration of a tenant; raises NotFoundError when the tenant does not exist."""
        return self._request(_LOAD_ALL, {"tenantId": tenant_id}).sso_settings

    def delete_sso(self, tenant_id: str, sso_id: str) -> bool:
        """Delete one configuration; False when it (or its tenant) was already gone."""
        with self.object_lock("tenant", tenant_id):  # it may reset the tenant's SSO domains
            return self._removed(_DELETE, {"tenantId": tenant_id, "ssoId": sso_id})

    def generate_sso_admin_link(
        self, tenant_id: str, sso_id: str, *, expire_seconds: int = 0, email: str = ""
    ) -> SecretStr:
        """A link to the SSO Setup Suite for the tenant's admin: a bearer secret, so it is returned
        as a SecretStr (never printed by accident)."""
        body: dict[str, Any] = {"tenantId": tenant_id, "ssoId": sso_id}
        if expire_seconds:
            body["expireTime"] = expire_seconds
        if email:
            body["email"] = email
        link: AdminLink = self._call(
            f"generate SSO admin link of tenant {tenant_id!r}",
            "POST",
            SSO_ADMIN_LINK,
            body=body,
            gone=SSO_GONE,
            parse=AdminLink,
        )
        return SecretStr(link.admin_sso_configuration_link)

    def revoke_sso_admin_links(self, tenant_id: str, sso_id: str) -> bool:
        """Revoke the configuration's admin link(s); False when the tenant or configuration is gone."""
        return self._removed(_REVOKE_ADMIN_LINKS, {"tenantId": tenant_id, "ssoId": sso_id})
